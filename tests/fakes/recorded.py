"""Host-only (numpy, host_tools): real recorded samples for the driver tests.

Not part of what the MicroPython unix port imports. Uses the committed excerpts under
tests/data/ when they are there, otherwise converts a recording from ../shared/datasets
(`python -m host_tools convert`) into build/test_traces/ once.
"""

import csv
import glob
import os
from array import array

import numpy as np

from host_tools.datasets import convert
from host_tools.trace import read_trace

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
DATASETS = os.environ.get("DATASETS") or os.path.join(ROOT, "..", "shared", "datasets")
CACHE = os.path.join(ROOT, "build", "test_traces")


def _committed(pattern):
    for path in sorted(glob.glob(os.path.join(DATA, pattern))):
        with open(path, encoding="utf-8") as f:
            if f.readline().startswith("# footfall-trace v1"):
                return path
    return None


def _hardest_running_trial():
    summary = os.path.join(DATASETS, "pyshoe_vicon", "summary_per_trial.csv")
    with open(summary, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["motion_class_derived"] == "running"]
    best = max(rows, key=lambda r: float(r["acc_norm_p99_5_g"]))
    return os.path.join(DATASETS, "pyshoe_vicon", "trials", best["trial"] + ".csv")


def trace_path(kind):
    """A footfall trace with gyro: kind "walk" (gaitmap, 204.8 Hz) or "run" (PyShoe, 200 Hz,
    the running trial with the hardest impacts)."""
    committed = _committed(
        "pyshoe_run_excerpt.csv" if kind == "run" else "gaitmap_walk_excerpt.csv"
    )
    if committed:
        return committed
    os.makedirs(CACHE, exist_ok=True)
    if kind == "run":
        src = _hardest_running_trial()
        out = os.path.join(CACHE, "pyshoe_" + os.path.basename(src))
    else:
        src = os.path.join(DATASETS, "gaitmap_example")
        out = os.path.join(CACHE, "gaitmap_left.csv")
    if not os.path.exists(out):
        convert(src, CACHE)
    return out


def recorded_samples(kind, count=None):
    """(values, rate_hz): array('h') of ax, ay, az, gx, gy, gz per sample in mg and 0.1 deg/s
    (the trace rounded to the engine's units), and the recording's rate."""
    trace = read_trace(trace_path(kind))
    _, acc, gyro = trace.engine_input()
    block = np.hstack([acc, gyro])[:count]
    rate = float(trace.meta.get("rate_hz", trace.rate_hz))  # 204.8, not Trace.rate_hz's 205
    return array("h", block.ravel().tolist()), rate


def accel_only(values):
    """The same samples without the gyro columns, for an accelerometer-only chip."""
    out = array("h")
    for i in range(0, len(values), 6):
        out.extend(values[i : i + 3])
    return out


def play(chip, imu, n_samples, step=7, max_read=64):
    """Let the chip take n_samples, `step` at a time, draining the driver's FIFO after each
    step as the app loop would; returns what came out as an (n, axes) int array."""
    k = 6 if imu.has_gyro else 3
    buf = array("h", bytes(2 * k * max_read))
    out = []
    left = n_samples
    while left > 0:
        s = min(step, left)
        chip.advance(s)
        left -= s
        while True:
            n = imu.read_fifo(buf, max_read)
            out.extend(buf[: n * k])
            if n < max_read:
                break
    return np.array(out, dtype=np.int64).reshape(-1, k)


def representable(values, axes, lsbs):
    """The trace as the chip can represent it: each axis clipped to the int16 output range of
    its lsb (lsbs: one lsb per axis, in mg or 0.1 deg/s)."""
    v = np.array(values, dtype=np.float64).reshape(-1, axes)
    lsb = np.array(lsbs, dtype=np.float64)
    return np.clip(v, -32768 * lsb, 32767 * lsb)


def max_error_in_lsb(got, want, lsbs):
    """Largest |got - want| per axis, in units of max(lsb, 1 output unit)."""
    unit = np.maximum(np.array(lsbs, dtype=np.float64), 1.0)
    return float((np.abs(got - want) / unit).max())
