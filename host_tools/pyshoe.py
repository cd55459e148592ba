"""PyShoe VICON-room trials into footfall traces and truth files (host_tools.datasets).

One CSV per trial: t_s, acceleration m/s^2, gyro rad/s, VICON foot position; one IMU on the
right shoe. The reference is derived here from the VICON positions (`vicon_stances`):
foot-flat intervals, and stride lengths between their mid-points.
"""

import os

import numpy as np

from .datasets import G, read_numbers, read_rows
from .trace import TraceError, write_trace
from .truth import write_truth

PYSHOE_CITE = (
    "Wagstaff, Peretroukhin, Kelly: Robust Data-Driven Zero-Velocity Detection for "
    "Foot-Mounted Inertial Navigation, IEEE Sensors Journal 2020"
)
# VICON foot-flat detection, as the dataset's NOTES.md describes it
STANCE_SPEED_MPS = 0.35
STANCE_MIN_S = 0.04
LOWPASS_HZ = 8.0
# Two foot-flat intervals closer than this are one stance split by VICON jitter: no swing of a
# foot is this short.
MERGE_GAP_S = 0.25
# A VICON dropout (one position held) longer than this leaves no reference around it.
DROPOUT_S = 0.25
# A stance found this close to the start is the foot already standing (the low-pass filter's
# start-up can delay its first sample a little).
INITIAL_STANCE_S = 0.25


def convert_pyshoe(path, out_dir):
    name = os.path.splitext(os.path.basename(path))[0]
    d, first = read_numbers(path, 1)
    if d.shape[1] < 10:
        raise TraceError(
            path,
            1,
            "expected 10 columns or more: t_s, acceleration and gyro x, y, z, then the VICON "
            "foot position vicon_x_m, vicon_y_m, vicon_z_m (the reference); got %d" % d.shape[1],
        )
    dt = np.diff(d[:, 0])
    if (dt <= 0).any():
        row = int(np.argmax(dt <= 0)) + 1
        raise TraceError(
            path, first + row, "time must increase: t_s %g after %g" % (d[row, 0], d[row - 1, 0])
        )
    t_s = d[:, 0] - d[0, 0]
    acc_mg = d[:, 1:4] / G * 1000.0
    gyro_dps = np.degrees(d[:, 4:7])
    rate = 1.0 / float(np.median(np.diff(t_s)))
    activity = _pyshoe_class(path, name)
    meta = {
        "rate_hz": "%d" % round(rate),
        "foot": "right",
        "placement": "shoe_top",
        "source": "PyShoe VICON room, trial %s" % name,
        "cite": PYSHOE_CITE,
    }
    if activity:
        meta["activity"] = activity
    # the reference first: a trace is written only with its truth file
    rows, unscored = vicon_stances(t_s, d[:, 7:10])
    trace = os.path.join(out_dir, "pyshoe_%s.csv" % name)
    write_trace(trace, t_s * 1000.0, acc_mg, gyro_dps, meta)
    truth = os.path.join(out_dir, "pyshoe_%s.truth.csv" % name)
    tmeta = {
        "reference": "foot_flat",
        "source": "VICON foot position, trial %s" % name,
        "derivation": "host_tools/pyshoe.py vicon_stances",
    }
    if activity:
        tmeta["activity"] = activity
    write_truth(truth, rows, tmeta, unscored)
    return [trace]


def _pyshoe_class(path, name):
    summary = os.path.join(os.path.dirname(os.path.dirname(path)), "summary_per_trial.csv")
    if not os.path.exists(summary):
        return None
    for row in read_rows(summary, ("trial", "motion_class_derived"), path):
        if row["trial"] == name:
            return row["motion_class_derived"]
    return None


def vicon_stances(t_s, pos):
    """Foot-flat intervals from VICON foot positions: (truth rows, unscored spans in ms).

    VICON ran slower than the IMU and its positions were held onto the IMU clock, so repeated
    samples are dropped and re-interpolated before differentiating. Then, as in the dataset
    notes: 8 Hz zero-phase low-pass, speed below 0.35 m/s for at least 40 ms. Intervals closer
    than 0.25 s are merged, and long dropouts are marked unscored.
    """
    from scipy.signal import butter, filtfilt

    same = np.r_[False, np.all(np.diff(pos, axis=0) == 0, axis=1)]
    fresh = ~same
    pos_i = np.column_stack([np.interp(t_s, t_s[fresh], pos[fresh, k]) for k in range(3)])
    fs = 1.0 / float(np.median(np.diff(t_s)))
    b, a = butter(2, LOWPASS_HZ / (fs / 2.0))
    smooth = filtfilt(b, a, pos_i, axis=0)
    speed = np.linalg.norm(np.gradient(smooth, t_s, axis=0), axis=1)
    segs = _runs(speed < STANCE_SPEED_MPS)
    segs = [(s, e) for s, e in segs if t_s[e - 1] - t_s[s] >= STANCE_MIN_S]
    merged = []
    for s, e in segs:
        if merged and t_s[s] - t_s[merged[-1][1] - 1] < MERGE_GAP_S:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    unscored = []
    for s, e in _runs(same):
        if t_s[e - 1] - t_s[s] >= DROPOUT_S:
            unscored.append((1000 * t_s[s] - 100, 1000 * t_s[e - 1] + 100))
    rows = []
    prev_mid = None
    for s, e in merged:
        mid = pos_i[(s + e) // 2, :2]
        stride = None if prev_mid is None else float(np.linalg.norm(mid - prev_mid))
        prev_mid = mid
        if t_s[s] < INITIAL_STANCE_S:
            continue  # the foot was already down when the recording began: no contact
        rows.append({"t_ms": 1000 * t_s[s], "flat_end_ms": 1000 * t_s[e - 1], "stride_m": stride})
    return rows, unscored


def _runs(mask):
    d = np.diff(np.r_[0, mask.astype(int), 0])
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))
