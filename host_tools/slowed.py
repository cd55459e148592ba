"""A recording played slower, as a slower walker or jogger would have made it.

The engine will meet people who walk at 80 steps/min and jog at 130, slower than anyone in
../shared. Playing a recording `factor` times slower is the same movement over a longer time:
every rotation rate is divided by the factor and every acceleration of the foot by its square,
while gravity, seen in the sensor's axes, goes through the same directions as before. So the
gravity part of each sample is tracked (the gyro turns it; the accelerometer pulls it back
whenever the foot is still), the rest is scaled, and both are resampled at the original rate.
The truth's times stretch by the same factor; its stride lengths stay. A factor below 1 plays
it faster, as a faster runner would have moved (`make accuracy`'s fast variant).
"""

import math

import numpy as np

from .trace import read_trace, write_trace
from .truth import retime_truth

SLOW_FACTOR = 1.3  # a slower walker (about 85 steps/min from PyShoe's 110) or jogger
FAST_FACTOR = 0.8  # a faster runner
_STILL_DPS = 30.0  # below this (L1) and within 0.1 g of 1 g, the accelerometer reads gravity
_PULL_PER_S = 5.0  # how fast the tracked gravity moves to the accelerometer while still


def gravity_track(t_ms, acc_mg, gyro_dps):
    """Gravity in the sensor's axes (mg) at every sample: the gyro turns it, and while the foot
    is still the accelerometer pulls it back, so the gyro's drift does not build up."""
    n = len(t_ms)
    out = np.empty((n, 3))
    gx, gy, gz = acc_mg[0] * (1000.0 / max(np.linalg.norm(acc_mg[0]), 1.0))
    acc = acc_mg.tolist()
    rates = np.radians(gyro_dps).tolist()
    times = (np.asarray(t_ms) / 1000.0).tolist()
    still_rad = math.radians(_STILL_DPS)
    for i in range(n):
        dt = times[i] - times[i - 1] if i else 0.0
        wx, wy, wz = rates[i]
        # a vector fixed in the world turns the other way in the sensor's axes: dg/dt = -w x g
        cx, cy, cz = wy * gz - wz * gy, wz * gx - wx * gz, wx * gy - wy * gx
        gx, gy, gz = gx - cx * dt, gy - cy * dt, gz - cz * dt
        ax, ay, az = acc[i]
        if abs(wx) + abs(wy) + abs(wz) < still_rad and abs(math.hypot(ax, ay, az) - 1000.0) < 100:
            k = min(1.0, _PULL_PER_S * dt)
            gx, gy, gz = gx + k * (ax - gx), gy + k * (ay - gy), gz + k * (az - gz)
        norm = math.hypot(gx, gy, gz) / 1000.0
        gx, gy, gz = gx / norm, gy / norm, gz / norm
        out[i] = (gx, gy, gz)
    return out


def slow_down(trace_path, out_path, factor, note):
    """Write trace_path played `factor` times slower to out_path (it needs a gyro), and its
    truth file beside it when there is one."""
    tr = read_trace(trace_path)
    if tr.gyro_dps is None:
        raise ValueError("%s: slowing a recording down needs its gyro" % trace_path)
    t = tr.t_ms
    gravity = gravity_track(t, tr.acc_mg, tr.gyro_dps)
    motion = tr.acc_mg - gravity
    period = float(np.median(np.diff(t)))
    t_new = np.arange(0.0, t[-1] * factor, period)
    at = t_new / factor

    def resample(x):
        return np.stack([np.interp(at, t, x[:, k]) for k in range(3)], axis=1)

    g = resample(gravity)
    g *= 1000.0 / np.linalg.norm(g, axis=1, keepdims=True)
    acc = g + resample(motion) / factor**2
    gyro = resample(tr.gyro_dps) / factor
    write_trace(out_path, np.round(t_new, 3), acc, gyro, dict(tr.meta, note=note))
    retime_truth(trace_path, out_path, lambda t: t * factor)
