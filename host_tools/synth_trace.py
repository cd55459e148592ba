"""A synthetic foot-mounted IMU trace of steady running or walking, for demos and tests.

The foot follows a simple but physically consistent stride: flat and still in mid-stance, a
heel rise to toe-off, a swing forward and up, a toes-up landing with an impact, and a roll back
to flat. Acceleration is the specific force of that motion in the sensor's own (pitched) axes,
so the gait engine's strapdown integrates it back to roughly the stride length. It is not a
model of any runner; it exists so the BLE path, the simulator and their tests have steps to
count without shipping a recording.
"""

import numpy as np

from .trace import write_trace

G = 9.80665

# One stride of this foot, as (phase, pitch in degrees, toes up positive); phase 0 is contact.
_PITCH_KNOTS = (
    (0.0, 12.0),
    (0.07, 0.0),
    (0.22, 0.0),
    (0.34, -35.0),
    (0.60, -15.0),
    (0.88, 18.0),
    (1.0, 12.0),
)
_TOE_OFF = 0.34  # phase at which the foot leaves the ground
_CLEARANCE_M = 0.12


def _pitch_deg(phase):
    # cosine blend between knots: continuous pitch and pitch rate
    out = np.zeros_like(phase)
    for (p0, a0), (p1, a1) in zip(_PITCH_KNOTS[:-1], _PITCH_KNOTS[1:], strict=True):
        sel = (phase >= p0) & (phase < p1)
        s = (phase[sel] - p0) / (p1 - p0)
        out[sel] = a0 + (a1 - a0) * (1.0 - np.cos(np.pi * s)) / 2.0
    return out


def running_samples(
    seconds=30.0, cadence_spm=180.0, speed_mps=3.0, rate_hz=200, stand_s=2.0, seed=1
):
    """(t_ms, acc_mg (n,3), gyro_dps (n,3)): stand, run steadily for `seconds`, stand.

    cadence_spm counts both feet (steps per minute); the instrumented foot makes a stride every
    120 / cadence_spm seconds and travels speed * that far in it.
    """
    period = 120.0 / cadence_spm
    stride_m = speed_mps * period
    n_run = int(round(seconds * rate_hz))
    n_stand = int(round(stand_s * rate_hz))
    n = n_run + 2 * n_stand
    t = np.arange(n) / rate_hz
    tr = t - stand_s
    moving = (tr >= 0) & (tr < seconds)
    phase = np.where(moving, np.mod(tr / period, 1.0), 0.22)
    pitch = np.radians(_pitch_deg(phase))
    pitch[~moving] = 0.0
    swing = moving & (phase >= _TOE_OFF)
    s = np.where(swing, (phase - _TOE_OFF) / (1.0 - _TOE_OFF), 0.0)
    ts = (1.0 - _TOE_OFF) * period
    two_pi = 2.0 * np.pi
    ax_w = np.where(swing, stride_m / ts**2 * two_pi * np.sin(two_pi * s), 0.0)
    az_w = np.where(swing, _CLEARANCE_M / ts**2 * 2.0 * np.pi**2 * np.cos(two_pi * s), 0.0)
    # specific force in the world frame, then in the sensor frame pitched by `pitch`
    fx, fz = ax_w, az_w + G
    c, sn = np.cos(pitch), np.sin(pitch)
    f_sx = fx * c + fz * sn
    f_sz = -fx * sn + fz * c
    # the landing: a short decaying jolt along the sole's normal
    since = np.where(moving, np.mod(tr, period), 1.0)
    jolt = np.where(moving & (since < 0.04), 2.5 * G * np.exp(-since / 0.008), 0.0)
    f_sz = f_sz + jolt
    rng = np.random.default_rng(seed)
    acc = np.stack([f_sx, np.zeros(n), f_sz], axis=1) * (1000.0 / G)
    acc += rng.normal(0.0, 4.0, acc.shape)
    # pitch rate about the sensor's y axis (left): toes up is a negative rotation about +y
    rate = -np.gradient(np.degrees(pitch), 1.0 / rate_hz)
    gyro = np.stack([np.zeros(n), rate, np.zeros(n)], axis=1)
    gyro += rng.normal(0.0, 0.3, gyro.shape)
    return t * 1000.0, acc, gyro


def write_running_trace(
    path, seconds=30.0, cadence_spm=180.0, speed_mps=3.0, rate_hz=200, stand_s=2.0, seed=1
):
    """Write a synthetic running trace (footfall trace v1) to path; returns path."""
    t, acc, gyro = running_samples(seconds, cadence_spm, speed_mps, rate_hz, stand_s, seed)
    meta = {
        "rate_hz": rate_hz,
        "source": "synthetic running, host_tools.synth_trace",
        "cadence_spm": cadence_spm,
        "speed_mps": speed_mps,
    }
    write_trace(path, t, acc, gyro, meta)
    return path
