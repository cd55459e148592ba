"""Checks of a footfall trace as it is read (host_tools/trace.py): each stops at the first
problem with an error that names the file, the line and what was expected."""

import io

import numpy as np

ACC_COLUMNS = ("ax_mg", "ay_mg", "az_mg")
GYRO_COLUMNS = ("gx_dps", "gy_dps", "gz_dps")
RATE_HZ = (50, 1000)  # the engine's sample rates
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


def check_header(path, line, columns):
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


def parse_numbers(path, first, body_lines, ncols):
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


def check_values(path, first, t, acc, gyro):
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
    if gyro is not None and len(norm) >= 100:
        # A foot that moves (the acceleration reaching 2 g) turns at hundreds of deg/s; in
        # rad/s the same turns read under 20.
        with np.errstate(over="ignore", invalid="ignore"):
            turn = float(np.percentile(np.sqrt((gyro * gyro).sum(axis=1)), 99))
        if float(np.percentile(norm, 99)) > 2000.0 and turn < 30.0:
            raise TraceError(
                path,
                first,
                "gyro must be in deg/s: the foot moves (the acceleration passes 2 g) but the "
                "gyro's 99th percentile is %.3g%s; a gyro that reads nothing: leave its "
                "columns out" % (turn, " (these look like rad/s)" if turn > 1.0 else ""),
            )


def check_rate(path, first, t, meta, meta_lines):
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
    seen = 1000.0 / step  # the rate the times say
    if rate is None:
        if lo <= round(seen) <= hi:  # the rate the engine will be given
            return
        expected = "%g to %g ms (%d to %d Hz)" % (1000.0 / hi, 1000.0 / lo, lo, hi)
    elif rate / 4.0 <= seen <= rate * 4.0:
        # Near rate_hz: the times need not match it exactly (a few dropped samples, a nominal
        # rate a little off), but the engine counts samples by it, and twice or half the real
        # rate doubles or halves every duration it measures in samples.
        if rate / 1.25 <= seen <= rate * 1.25:
            return
        raise TraceError(
            path,
            meta_lines["rate_hz"],
            "rate_hz=%s, but the samples are %.4g ms apart (%.0f Hz): expected the rate "
            "they were recorded at, within 25%%" % (meta["rate_hz"], step, seen),
        )
    else:  # times in seconds or microseconds: out by a factor of 1000
        expected = "about %.3g ms (rate_hz=%s)" % (1000.0 / rate, meta["rate_hz"])
    raise TraceError(
        path,
        first,
        "the median time between samples is %.4g ms; expected %s: t_ms must be in "
        "milliseconds" % (step, expected),
    )


def _num(x):
    return ("%d" % x) if float(x).is_integer() else ("%.12g" % x)
