"""Read and write "footfall trace v1" CSV files (format: docs/trace-format.md).

Reading checks everything the engine relies on and stops at the first problem with an error
that names the file, the line and what was expected. The numbers are then rounded once, here, to
the engine's integer units, so the CPython and MicroPython replays see exactly the same input.
"""

import io
from dataclasses import dataclass

import numpy as np

from .outfiles import atomic_write

MAGIC = "# footfall-trace v1"
ACC_COLUMNS = ("ax_mg", "ay_mg", "az_mg")
GYRO_COLUMNS = ("gx_dps", "gy_dps", "gz_dps")
ACC_LIMIT_MG = 16000  # the engine's input range: +-16 g
GYRO_LIMIT_DDPS = 20000  # +-2000 deg/s, in 0.1 deg/s
RATE_HZ = (50, 1000)  # the engine's sample rates
GYRO_OFFSET_MAX_DPS = 50  # footfall.gait.stances.OFFSET_MAX
T_LIMIT_MS = 2**31 - 1  # replays hand the engine times as int32


class TraceError(ValueError):
    """A trace that cannot be read; str() is 'FILE:LINE: what was expected'."""

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        self.message = message
        where = "%s:%d" % (self.path, line) if line else self.path
        super().__init__("%s: %s" % (where, message))

    def __reduce__(self):
        # a folder replay raises this in a worker process; the default pickling would rebuild
        # it from the formatted message alone and break the pool instead of reporting it
        return (TraceError, (self.path, self.line, self.message))


@dataclass
class Trace:
    path: str
    meta: dict
    t_ms: np.ndarray  # float, ms from the first sample
    acc_mg: np.ndarray  # (n, 3) float
    gyro_dps: np.ndarray | None  # (n, 3) float, or None without a gyro
    first_data_line: int = 0

    @property
    def has_gyro(self):
        return self.gyro_dps is not None

    @property
    def rate_hz(self):
        """Sample rate: the metadata's rate_hz, else the median interval's."""
        if "rate_hz" in self.meta:
            return int(round(float(self.meta["rate_hz"])))
        if len(self.t_ms) < 2:
            return 100
        return int(round(1000.0 / float(np.median(np.diff(self.t_ms)))))

    @property
    def gyro_offset(self):
        """The gyro offset the recording board's engine began with (0.01 deg/s, x, y, z): the
        replay begins with it too. (0, 0, 0) when the metadata gives none."""
        return parse_gyro_offset(self.meta.get("gyro_offset", "0,0,0")) or (0, 0, 0)

    def engine_input(self):
        """The samples in engine units: (t_ms, acc in mg, gyro in 0.1 deg/s) as int arrays."""
        t = np.rint(self.t_ms).astype(np.int64)
        acc = np.clip(np.rint(self.acc_mg), -ACC_LIMIT_MG, ACC_LIMIT_MG).astype(np.int64)
        gyro = None
        if self.gyro_dps is not None:
            gyro = np.rint(self.gyro_dps * 10.0)
            gyro = np.clip(gyro, -GYRO_LIMIT_DDPS, GYRO_LIMIT_DDPS).astype(np.int64)
        return t, acc, gyro


def read_trace(path):
    """Read and check a trace file; raises TraceError naming the file and line."""
    lines = read_lines(path)
    meta, meta_lines, i = read_meta(lines)
    if i == len(lines):
        raise TraceError(path, i, "expected the header row t_ms,ax_mg,ay_mg,az_mg[,gx_dps,...]")
    header_line = i + 1
    columns = [c.strip() for c in lines[i].split(",")]
    index = _check_header(path, header_line, columns)
    first = header_line + 1
    body_lines = lines[i + 1 :]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if not body_lines:
        raise TraceError(path, first, "no samples after the header")
    data = _parse_numbers(path, first, body_lines, len(columns))
    t = data[:, index["t_ms"]]
    acc = data[:, [index[c] for c in ACC_COLUMNS]]
    gyro = data[:, [index[c] for c in GYRO_COLUMNS]] if "gx_dps" in index else None
    _check_values(path, first, t, acc, gyro)
    _check_rate(path, first, t, meta, meta_lines)
    if "gyro_offset" in meta:
        line = meta_lines["gyro_offset"]
        if parse_gyro_offset(meta["gyro_offset"]) is None:
            raise TraceError(
                path,
                line,
                "gyro_offset: expected three numbers gx,gy,gz in deg/s within +-%d, got %r"
                % (GYRO_OFFSET_MAX_DPS, meta["gyro_offset"]),
            )
        if gyro is None:
            raise TraceError(path, line, "gyro_offset given, but there are no gyro columns")
    return Trace(str(path), meta, t - t[0], acc, gyro, first)


def parse_gyro_offset(text):
    """`gx,gy,gz` in deg/s -> integers in 0.01 deg/s (the engine's unit), or None."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    if len(values) != 3 or not all(abs(v) <= GYRO_OFFSET_MAX_DPS for v in values):
        return None  # NaN fails the comparison too
    return tuple(int(round(v * 100)) for v in values)


def format_gyro_offset(offset):
    """Integers in 0.01 deg/s -> the metadata's `gx,gy,gz` in deg/s (exact both ways)."""
    return ",".join("%.2f" % (v / 100) for v in offset)


def read_lines(path):
    """The lines of a text file; a UTF-8 byte order mark (Excel writes one) is dropped."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise TraceError(path, 0, "cannot read: %s" % (e.strerror or e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise TraceError(
            path, line, "expected UTF-8 text, got the byte 0x%02x" % raw[e.start]
        ) from None
    return text.splitlines()


def read_meta(lines):
    """The `# key=value` lines on top: (meta, {key: line number}, index of the first other)."""
    meta, where = {}, {}
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        body = lines[i][1:].strip()
        if "=" in body:
            key, _, value = body.partition("=")
            meta[key.strip()] = value.strip()
            where[key.strip()] = i + 1
        i += 1
    return meta, where, i


def _check_header(path, line, columns):
    index = {}
    for k, name in enumerate(columns):
        if name in index:
            raise TraceError(path, line, "column %r appears twice" % name)
        index[name] = k
    missing = [c for c in ("t_ms",) + ACC_COLUMNS if c not in index]
    if missing:
        raise TraceError(
            path,
            line,
            "missing column %s; expected t_ms,ax_mg,ay_mg,az_mg and optionally "
            "gx_dps,gy_dps,gz_dps, got %s" % (", ".join(missing), ",".join(columns)),
        )
    gyro = [c for c in GYRO_COLUMNS if c in index]
    if gyro and len(gyro) != 3:
        raise TraceError(
            path,
            line,
            "gyro columns must be all three of gx_dps,gy_dps,gz_dps or none; "
            "got only %s" % ",".join(gyro),
        )
    return index


def _parse_numbers(path, first, body_lines, ncols):
    # Fast path: numpy parses the whole block. On any failure, a line-by-line pass finds the
    # first offending line so the error can name it. numpy skips empty lines (and, by default,
    # '#' lines), which would shift the line number of every later error: those go slow too.
    try:
        data = np.loadtxt(
            io.StringIO("\n".join(body_lines)),
            delimiter=",",
            ndmin=2,
            dtype=np.float64,
            comments=None,
        )
        if data.shape == (len(body_lines), ncols):
            return data
    except ValueError:
        pass
    for k, raw in enumerate(body_lines):
        if not raw.strip():
            raise TraceError(path, first + k, "expected %d values, got an empty line" % ncols)
        cells = raw.split(",")
        if len(cells) != ncols:
            raise TraceError(path, first + k, "expected %d values, got %d" % (ncols, len(cells)))
        for c, cell in enumerate(cells):
            try:
                if "_" in cell:  # float() reads 1_000, numpy does not
                    raise ValueError(cell)
                float(cell)
            except ValueError:
                raise TraceError(
                    path, first + k, "column %d: expected a number, got %r" % (c + 1, cell.strip())
                ) from None
    raise TraceError(path, first, "unreadable numbers")


def _check_values(path, first, t, acc, gyro):
    for name, block in (("time", t[:, None]), ("acceleration", acc), ("gyro", gyro)):
        if block is None:
            continue
        bad = ~np.isfinite(block)
        if bad.any():
            row = int(np.argmax(bad.any(axis=1)))
            raise TraceError(path, first + row, "%s is not a finite number (NaN or inf)" % name)
    dt = np.diff(t)
    if (dt <= 0).any():
        row = int(np.argmax(dt <= 0)) + 1
        raise TraceError(
            path,
            first + row,
            "time must increase: t_ms %s after %s" % (_num(t[row]), _num(t[row - 1])),
        )
    over = np.flatnonzero(t - t[0] > T_LIMIT_MS)
    if len(over):
        raise TraceError(
            path,
            first + int(over[0]),
            "time must stay within %d ms (24.8 days) of the first sample: t_ms %s after %s"
            % (T_LIMIT_MS, _num(t[over[0]]), _num(t[0])),
        )
    with np.errstate(over="ignore"):  # values near the float limit: the median says inf
        norm = np.sqrt((acc * acc).sum(axis=1))
    median = float(np.median(norm))
    if median < 100.0:
        hint = " (these look like m/s^2)" if 4.0 < median < 20.0 else ""
        hint = hint or (" (these look like g)" if 0.4 < median < 2.0 else "")
        raise TraceError(
            path,
            first,
            "acceleration must be in milli-g: the median magnitude "
            "is %.3g, expected about 1000%s" % (median, hint),
        )
    if median > 20000.0:
        raise TraceError(
            path,
            first,
            "acceleration must be in milli-g: the median magnitude "
            "is %.3g, expected about 1000" % median,
        )


def _check_rate(path, first, t, meta, meta_lines):
    lo, hi = RATE_HZ
    rate = None
    if "rate_hz" in meta:
        try:
            rate = float(meta["rate_hz"])
        except ValueError:
            rate = float("nan")
        if not (np.isfinite(rate) and lo <= round(rate) <= hi):
            raise TraceError(
                path,
                meta_lines["rate_hz"],
                "rate_hz: expected %d to %d (Hz), got %r" % (lo, hi, meta["rate_hz"]),
            )
    if len(t) < 2:
        return
    step = float(np.median(np.diff(t)))
    if rate is None:
        ok = lo <= round(1000.0 / step) <= hi  # the rate the engine will be given
        expected = "%g to %g ms (%d to %d Hz)" % (1000.0 / hi, 1000.0 / lo, lo, hi)
    else:
        # rate_hz given: the times need not match it closely (dropped samples, a nominal rate
        # a little off), but times in seconds or microseconds are out by a factor of 1000
        ok = rate / 4.0 <= 1000.0 / step <= rate * 4.0
        expected = "about %.3g ms (rate_hz=%s)" % (1000.0 / rate, meta["rate_hz"])
    if not ok:
        raise TraceError(
            path,
            first,
            "the median time between samples is %.4g ms; expected %s: t_ms must be in "
            "milliseconds" % (step, expected),
        )


def _num(x):
    return ("%d" % x) if float(x).is_integer() else ("%.12g" % x)


def write_trace(path, t_ms, acc_mg, gyro_dps=None, meta=None):
    """Write a trace; the file appears complete or not at all (written aside, then renamed)."""
    lines = [MAGIC]
    for key, value in (meta or {}).items():
        lines.append("# %s=%s" % (key, value))
    cols = ("t_ms",) + ACC_COLUMNS + (GYRO_COLUMNS if gyro_dps is not None else ())
    lines.append(",".join(cols))
    t = np.asarray(t_ms, dtype=float)
    acc = np.asarray(acc_mg, dtype=float)
    block = [t[:, None], acc]
    if gyro_dps is not None:
        block.append(np.asarray(gyro_dps, dtype=float))
    data = np.hstack(block)
    buf = io.StringIO()
    fmt = ["%.3f"] + ["%.1f"] * 3 + (["%.2f"] * 3 if gyro_dps is not None else [])
    np.savetxt(buf, data, fmt=fmt, delimiter=",")
    atomic_write(path, "\n".join(lines) + "\n" + buf.getvalue())
