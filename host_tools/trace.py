"""Read and write "footfall trace v1" CSV files (format: docs/trace-format.md).

Reading checks everything the engine relies on (host_tools/trace_checks.py) and stops at the
first problem with an error that names the file, the line and what was expected. The numbers
are then rounded once, here, to the engine's integer units, so the CPython and MicroPython
replays see exactly the same input.
"""

import io
import math
from dataclasses import dataclass

import numpy as np

from .outfiles import atomic_write
from .trace_checks import (  # noqa: F401  (TraceError and read_lines are used from here too)
    ACC_COLUMNS,
    GYRO_COLUMNS,
    TraceError,
    check_header,
    check_rate,
    check_values,
    parse_numbers,
    read_lines,
)

MAGIC = "# footfall-trace v1"
ACC_LIMIT_MG = 16000  # the engine's input range: +-16 g
GYRO_LIMIT_DDPS = 20000  # +-2000 deg/s, in 0.1 deg/s
GYRO_OFFSET_MAX_DPS = 50  # footfall.gait.offset.OFFSET_MAX


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

    @property
    def gravity_mg(self):
        """The gravity (mg, sensor axes, at the stance) the recording board's engine began with:
        the replay begins with it too. (0, 0, 0) when the metadata gives none."""
        return parse_gravity(self.meta.get("gravity_mg", "0,0,0")) or (0, 0, 0)

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
    index = check_header(path, header_line, columns)
    first = header_line + 1
    body_lines = lines[i + 1 :]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if not body_lines:
        raise TraceError(path, first, "no samples after the header")
    data = parse_numbers(path, first, body_lines, len(columns))
    t = data[:, index["t_ms"]]
    acc = data[:, [index[c] for c in ACC_COLUMNS]]
    gyro = data[:, [index[c] for c in GYRO_COLUMNS]] if "gx_dps" in index else None
    check_values(path, first, t, acc, gyro)
    check_rate(path, first, t, meta, meta_lines)
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
    if "gravity_mg" in meta and parse_gravity(meta["gravity_mg"]) is None:
        raise TraceError(
            path,
            meta_lines["gravity_mg"],
            "gravity_mg: expected three integers gx,gy,gz in mg, 701-1299 mg long (or 0,0,0), "
            "got %r" % meta["gravity_mg"],
        )
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


def parse_gravity(text):
    """`gx,gy,gz` in whole mg -> a tuple of ints, as the engine takes it, or None."""
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        return None
    if len(values) != 3:
        return None
    n = math.isqrt(sum(v * v for v in values))  # as the engine takes it
    return values if n == 0 or 700 < n < 1300 else None


def format_gyro_offset(offset):
    """Integers in 0.01 deg/s -> the metadata's `gx,gy,gz` in deg/s (exact both ways)."""
    return ",".join("%.2f" % (v / 100) for v in offset)


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
