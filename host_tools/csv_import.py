"""`python -m host_tools import`: any CSV of foot IMU samples into a footfall trace v1.

A researcher's recording comes with its own column names, delimiter and units (time in s,
acceleration in m/s^2 or g, rotation in rad/s). The user names the columns and their units;
the samples are converted to ms, mg and deg/s, checked, and written as a trace the replay,
evaluate and plot tools read. Units are never guessed: a unit that does not fit the numbers (a
median acceleration of 9.8 "g", a running foot that turns at 12 "deg/s", samples 0.005 ms
apart) is refused with the unit that would fit, before anything is written.
"""

import csv
import io
import os

import numpy as np

from .trace import read_trace, write_trace
from .trace_checks import RATE_HZ, TraceError, read_lines

G = 9.80665
# unit name -> factor to ms, mg or deg/s
TIME_UNITS = {"s": 1000.0, "ms": 1.0, "us": 1e-3, "ns": 1e-6}
ACC_UNITS = {"g": 1000.0, "mg": 1.0, "m/s2": 1000.0 / G, "m/s^2": 1000.0 / G, "ms2": 1000.0 / G}
GYRO_UNITS = {"dps": 1.0, "deg/s": 1.0, "rad/s": 180.0 / np.pi, "rads": 180.0 / np.pi}


class Spec:
    """A --time/--acc/--gyro option: its columns (names, or numbers from 1) and unit."""

    def __init__(self, option, text, count, units):
        cols, sep, unit = text.rpartition(":")
        if not sep:
            raise ValueError(
                "%s %r: expected COLUMNS:UNIT, the unit one of %s"
                % (option, text, ", ".join(units))
            )
        if unit not in units:
            raise ValueError(
                "%s %r: unknown unit %r; expected one of %s"
                % (option, text, unit, ", ".join(units))
            )
        self.columns = [c.strip() for c in cols.split(",")]
        if len(self.columns) != count or not all(self.columns):
            raise ValueError(
                "%s %r: expected %d column%s before the ':'"
                % (option, text, count, "s" if count > 1 else "")
            )
        self.option = option
        self.unit = unit
        self.factor = units[unit]


def import_csv(
    src, out, acc, gyro=None, time=None, rate=None, delimiter=None, skip=0, header=True, meta=None
):
    """Convert src into the trace out; acc, gyro, time are Spec texts ("ax,ay,az:m/s2").
    Without a time column, `rate` (Hz) gives the times. Returns the trace as read back."""
    acc_spec = Spec("--acc", acc, 3, ACC_UNITS)
    gyro_spec = Spec("--gyro", gyro, 3, GYRO_UNITS) if gyro else None
    time_spec = Spec("--time", time, 1, TIME_UNITS) if time else None
    if time_spec is None and rate is None:
        raise ValueError("give the time column (--time COLUMN:UNIT) or the sample rate (--rate)")
    if rate is not None and not RATE_HZ[0] <= rate <= RATE_HZ[1]:
        raise ValueError("--rate: expected %d to %d (Hz), got %g" % (RATE_HZ + (rate,)))
    if os.path.abspath(src) == os.path.abspath(out):
        raise ValueError("%s: the output would replace the input; expected another name" % out)
    specs = [s for s in (time_spec, acc_spec, gyro_spec) if s is not None]
    first, rows, where = _read_rows(src, specs, delimiter, skip, header)
    if len(rows) == 0:
        raise TraceError(src, first, "no samples")
    data = np.array(rows, dtype=float)
    k = 0
    if time_spec is not None:
        t_ms = data[:, 0] * time_spec.factor
        k = 1
    else:
        t_ms = np.arange(len(data)) * (1000.0 / rate)
    acc_mg = data[:, k : k + 3] * acc_spec.factor
    gyro_dps = data[:, k + 3 : k + 6] * gyro_spec.factor if gyro_spec else None
    _check(src, where, t_ms, acc_mg, gyro_dps, time_spec, acc_spec, gyro_spec, rate)
    info = {"source": os.path.basename(src)}
    if time_spec is not None:
        # traces count time from their first sample; reference events must too
        info["source_start"] = "%s=%r %s" % (
            time_spec.columns[0],
            float(data[0, 0]),
            time_spec.unit,
        )
    if rate is not None:
        info["rate_hz"] = "%g" % rate
    info.update(meta or {})
    info["note"] = "imported: " + "; ".join(
        "%s %s (%s)" % (s.option[2:], ",".join(s.columns), s.unit) for s in specs
    )
    write_trace(out, t_ms - t_ms[0], acc_mg, gyro_dps, info)
    try:
        return read_trace(out)
    except TraceError:  # checked above; should the reader still refuse it, leave nothing
        os.remove(out)
        raise


def _read_rows(src, specs, delimiter, skip, header):
    """The chosen columns of every data row as floats: (line of the first data row, rows,
    the line of each row)."""
    lines = read_lines(src)
    if skip >= len(lines):
        raise TraceError(src, len(lines), "nothing after the %d lines skipped" % skip)
    delimiter = delimiter or _sniff(lines[skip])
    reader = csv.reader(lines[skip:], delimiter=delimiter)
    names = [c.strip() for c in next(reader)] if header else None
    wanted = [(_column(src, skip + 1, names, c, s.option), c) for s in specs for c in s.columns]
    first = skip + (2 if header else 1)
    body = lines[first - 1 :]
    while body and not body[-1].strip():
        body.pop()
    try:
        if not body:
            raise ValueError("no samples")
        # numpy reads a long file in a fraction of the time; where it cannot, or where it
        # skipped a blank line (the row count tells), the loop below names the bad line
        data = np.loadtxt(
            io.StringIO("\n".join(body)),
            delimiter=delimiter,
            usecols=[k for k, _ in wanted],
            ndmin=2,
            comments=None,
        )
        if len(data) == len(body) and np.isfinite(data).all():
            return first, data, np.arange(first, first + len(body))
    except ValueError:
        pass
    rows = []
    where = []
    for line, cells in enumerate(reader, start=first):
        if not "".join(cells).strip():
            continue  # a blank line carries no sample
        row = []
        for k, name in wanted:
            cell = cells[k].strip() if k < len(cells) else ""
            try:
                v = float(cell)
            except ValueError:
                v = float("nan")
            if not np.isfinite(v):
                raise TraceError(src, line, "column %r: expected a number, got %r" % (name, cell))
            row.append(v)
        rows.append(row)
        where.append(line)
    return first, rows, where


def _sniff(header_line):
    # the delimiter: the first of these the header row holds
    for d in (",", ";", "\t"):
        if d in header_line:
            return d
    return ","


def _column(src, line, names, col, option):
    """The 0-based index of a column given by name (with a header) or by number from 1."""
    if names is not None and col in names:
        at = [k + 1 for k, name in enumerate(names) if name == col]
        if len(at) > 1:  # two sensors' columns under one name (gaitmap's left and right)
            raise TraceError(
                src,
                line,
                "%s: the header row has %r %d times (columns %s); give the column's number"
                % (option, col, len(at), ", ".join(map(str, at))),
            )
        return at[0] - 1
    if col.isdigit() and int(col) >= 1 and (names is None or int(col) <= len(names)):
        return int(col) - 1
    if names is None:
        raise ValueError(
            "%s: column %r: without a header row, expected a number from 1" % (option, col)
        )
    hint = "; lines above the header row are skipped with --skip N" if len(names) < 2 else ""
    raise TraceError(
        src,
        line,
        "%s: no column %r; the header row has %s%s" % (option, col, ", ".join(names), hint),
    )


def _check(src, where, t_ms, acc_mg, gyro_dps, time_spec, acc_spec, gyro_spec, rate):
    """The numbers as converted must look like a foot IMU's: else name the unit that fits."""
    if time_spec is not None:
        dt = np.diff(t_ms)
        if (dt <= 0).any():
            row = int(np.argmax(dt <= 0)) + 1
            raise TraceError(
                src, where[row], "time must increase (column %r)" % (time_spec.columns[0])
            )
        if len(dt):
            step = float(np.median(dt))
            if not RATE_HZ[0] <= 1000.0 / step <= RATE_HZ[1]:
                raise ValueError(
                    "%s: --time %s:%s puts the samples %.4g ms apart (%.4g Hz); expected %d to "
                    "%d Hz%s"
                    % (
                        src,
                        time_spec.columns[0],
                        time_spec.unit,
                        step,
                        1000.0 / step,
                        RATE_HZ[0],
                        RATE_HZ[1],
                        _fits(step, 5.0, TIME_UNITS, time_spec.unit),
                    )
                )
            if rate is not None and not rate / 1.25 <= 1000.0 / step <= rate * 1.25:
                raise ValueError(
                    "%s: --rate %g, but --time puts the samples %.4g ms apart (%.4g Hz); expected "
                    "the rate they were recorded at, within 25%%"
                    % (src, rate, step, 1000.0 / step)
                )
    norm = float(np.median(np.sqrt((acc_mg * acc_mg).sum(axis=1))))
    if not 400.0 <= norm <= 2500.0:
        raise ValueError(
            "%s: --acc %s puts the median acceleration at %.0f mg; a foot IMU reads about 1000 "
            "(gravity)%s"
            % (src, acc_spec.unit, norm, _fits(norm, 1000.0, ACC_UNITS, acc_spec.unit))
        )
    if gyro_dps is not None and len(acc_mg) >= 100:
        moving = np.percentile(np.sqrt((acc_mg * acc_mg).sum(axis=1)), 99) > 2000.0
        turn = float(np.percentile(np.sqrt((gyro_dps * gyro_dps).sum(axis=1)), 99))
        if moving and turn < 30.0:
            raise ValueError(
                "%s: --gyro %s: the foot moves (the acceleration passes 2 g) but turns at %.3g "
                "deg/s at most (99th percentile); a stepping foot turns at hundreds%s"
                % (src, gyro_spec.unit, turn, _fits(turn, 300.0, GYRO_UNITS, gyro_spec.unit))
            )


def _fits(value, target, units, given):
    """', is it in X? (then :X)' for the unit that brings value nearest target, if another."""
    if not value > 0:
        return ""
    best = min(units, key=lambda u: abs(np.log(value * units[u] / units[given] / target)))
    if units[best] == units[given]:
        return ""
    return ": is it in %s? (then :%s)" % (best, best)
