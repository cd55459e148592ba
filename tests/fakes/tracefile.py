"""Read a footfall trace v1 CSV (docs/trace-format.md) without numpy, for the MicroPython unix
port: the `sim` board feeds its fake IMU from it. host_tools.trace.read_trace is the checked,
numpy reader for the host; this one only does what serving a trace needs."""

from array import array

_ACC_LIMIT = 16000  # mg, the engine's input range
_GYRO_LIMIT = 20000  # 0.1 deg/s


def _clamp(v, lim):
    return -lim if v < -lim else (lim if v > lim else v)


def load_trace(path, limit=None):
    """Returns (rate_hz, axes, values): the trace's rate (float, from its metadata or its first
    interval), 6 with gyro columns else 3, and array('h') of ax, ay, az[, gx, gy, gz] per
    sample in mg and 0.1 deg/s. limit: read at most this many samples."""
    meta = {}
    index = None
    values = array("h")
    times = []
    n = 0
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                key, sep, value = line[1:].partition("=")
                if sep:
                    meta[key.strip()] = value.strip()
                continue
            cells = line.split(",")
            if index is None:
                index = _columns(path, number, [c.strip() for c in cells])
                continue
            try:
                row = [float(cells[i]) for i in index]
            except (ValueError, IndexError):
                raise ValueError(
                    "%s:%d: expected %d numbers" % (path, number, len(index))
                ) from None
            if len(times) < 2:
                times.append(row[0])
            for a in range(1, 4):
                values.append(_clamp(int(round(row[a])), _ACC_LIMIT))
            for a in range(4, len(row)):
                values.append(_clamp(int(round(row[a] * 10)), _GYRO_LIMIT))
            n += 1
            if limit and n >= limit:
                break
    if index is None or n == 0:
        raise ValueError("%s: no header row or no samples" % path)
    if "rate_hz" in meta:
        rate = float(meta["rate_hz"])
    elif len(times) == 2 and times[1] > times[0]:
        rate = 1000.0 / (times[1] - times[0])
    else:
        rate = 100.0
    return rate, len(index) - 1, values


def _columns(path, number, names):
    want = ["t_ms", "ax_mg", "ay_mg", "az_mg"]
    if "gx_dps" in names:
        want += ["gx_dps", "gy_dps", "gz_dps"]
    missing = [c for c in want if c not in names]
    if missing:
        raise ValueError("%s:%d: missing column(s) %s" % (path, number, ", ".join(missing)))
    return [names.index(c) for c in want]
