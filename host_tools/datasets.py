"""Convert the shared recordings (../shared/datasets) into footfall traces and truth files.

Two layouts are understood:
- PyShoe VICON-room trials (one CSV per trial: t_s, acc m/s^2, gyro rad/s, VICON foot position),
  one IMU on the right shoe. The reference is derived here from the VICON positions
  (see `vicon_stances`): foot-flat intervals, and stride lengths between their mid-points.
- gaitmap example data (two header rows, both feet, acc m/s^2, gyro deg/s, 204.8 Hz or 102.4 Hz)
  with motion-capture initial and terminal contacts, or manually labelled IC-to-IC strides.
"""

import csv
import os

import numpy as np

from .trace import TraceError, _parse_numbers, read_lines, write_trace
from .truth import write_truth

G = 9.80665
PYSHOE_HEADER = "t_s,acc_x_ms2,acc_y_ms2,acc_z_ms2,gyr_x_rads,gyr_y_rads,gyr_z_rads"
PYSHOE_CITE = (
    "Wagstaff, Peretroukhin, Kelly: Robust Data-Driven Zero-Velocity Detection for "
    "Foot-Mounted Inertial Navigation, IEEE Sensors Journal 2020"
)
GAITMAP_AXES = ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
GAITMAP_CITE = "gaitmap example data, github.com/mad-lab-fau/gaitmap (MIT licence)"

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
# gaitmap: a swing is at most about 0.6 s in walking; a labelled one over 1 s spans a pause.
MAX_SWING_MS = 1000.0
CONTACT_MARGIN_MS = 100.0
# The VICON low-pass (filtfilt, order 2) needs more samples than this; no trial is this short.
MIN_SAMPLES = 10


def detect_layout(path):
    # only sniffing: a file that is not UTF-8 text is neither layout, not an error
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        first = f.readline().strip()
        second = f.readline().strip()
    if first.startswith(PYSHOE_HEADER):
        return "pyshoe"
    if "left_sensor" in first and "acc_x" in second:
        return "gaitmap"
    return None


def convert(src, out_dir):
    """Convert one recording file or every recognised file in a folder; returns the paths."""
    if not os.path.exists(src):
        raise ValueError("%s: no such file or folder" % src)
    os.makedirs(out_dir, exist_ok=True)
    files = (
        [src]
        if os.path.isfile(src)
        else [
            os.path.join(dp, f)
            for dp, _, fs in sorted(os.walk(src))
            for f in sorted(fs)
            if f.endswith(".csv")
        ]
    )
    written = []
    for path in files:
        layout = detect_layout(path)
        if layout == "pyshoe":
            written += convert_pyshoe(path, out_dir)
        elif layout == "gaitmap" and os.path.basename(path) != "imu_sample.csv":
            # imu_sample.csv is the not_rotated file turned into gaitmap's foot frame; the
            # engine must find the axes itself, so the raw sensor frames are the ones converted
            written += convert_gaitmap(path, out_dir)
    if not written:
        raise ValueError("%s: no PyShoe trial or gaitmap IMU file found" % src)
    return written


# ---- PyShoe ------------------------------------------------------------------------------
def convert_pyshoe(path, out_dir):
    name = os.path.splitext(os.path.basename(path))[0]
    d, first = _read_numbers(path, 1)
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
        "derivation": "host_tools/datasets.py vicon_stances",
    }
    if activity:
        tmeta["activity"] = activity
    write_truth(truth, rows, tmeta, unscored)
    return [trace]


def _read_numbers(path, header_rows):
    """The numbers below the header rows, all finite: (array, line number of the first row)."""
    lines = read_lines(path)
    body = lines[header_rows:]
    while body and not body[-1].strip():
        body.pop()
    first = header_rows + 1
    if len(body) < MIN_SAMPLES:
        raise TraceError(
            path, first, "expected at least %d rows of samples, got %d" % (MIN_SAMPLES, len(body))
        )
    data = _parse_numbers(path, first, body, len(lines[header_rows - 1].split(",")))
    bad = ~np.isfinite(data)
    if bad.any():
        row = int(np.argmax(bad.any(axis=1)))
        column = int(np.argmax(bad[row])) + 1
        raise TraceError(
            path, first + row, "column %d: expected a finite number, got NaN or inf" % column
        )
    return data, first


def _pyshoe_class(path, name):
    summary = os.path.join(os.path.dirname(os.path.dirname(path)), "summary_per_trial.csv")
    if not os.path.exists(summary):
        return None
    with open(summary, encoding="utf-8") as f:
        for row in csv.DictReader(f):
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


# ---- gaitmap -----------------------------------------------------------------------------
def convert_gaitmap(path, out_dir):
    sensors, axes = list(csv.reader(read_lines(path)[:2]))
    data, _ = _read_numbers(path, 2)
    base = os.path.basename(path)
    ic_stride = "ic_stride" in base
    rate = 102.4 if ic_stride else 204.8
    tag = "gaitmap_ic_stride" if ic_stride else "gaitmap"
    folder = os.path.dirname(path)
    cols = {}
    for foot in ("left", "right"):
        col = {axes[k]: k for k in range(1, len(axes)) if sensors[k] == foot + "_sensor"}
        missing = [a for a in GAITMAP_AXES if a not in col]
        if missing:
            raise TraceError(
                path, 2, "no %s column for the %s_sensor" % (", ".join(missing), foot)
            )
        cols[foot] = col
    outputs = []
    for foot, col in cols.items():
        acc_mg = data[:, [col["acc_x"], col["acc_y"], col["acc_z"]]] / G * 1000.0
        gyro = data[:, [col["gyr_x"], col["gyr_y"], col["gyr_z"]]]
        t_ms = np.arange(len(data)) * 1000.0 / rate
        meta = {
            "rate_hz": "%g" % rate,
            "foot": foot,
            "placement": "shoe_lateral",
            "source": "gaitmap example_data/%s, %s sensor" % (base, foot),
            "cite": GAITMAP_CITE,
            "activity": "walking",
        }
        trace = os.path.join(out_dir, "%s_%s.csv" % (tag, foot))
        if ic_stride:
            truth_rows, unscored = _gaitmap_ic_strides(folder, foot, rate, t_ms[-1])
        else:
            truth_rows, unscored = _gaitmap_events(folder, foot, rate, t_ms[-1])
        tmeta = {
            "reference": "contact",
            "source": "gaitmap %s, %s foot" % (base, foot),
            "activity": "walking",
        }
        outputs.append((trace, (t_ms, acc_mg, gyro, meta), (truth_rows, tmeta, unscored)))
    # written once both feet's references are read: a trace is written only with its truth file
    for trace, samples, truth in outputs:
        write_trace(trace, *samples)
        write_truth(trace[:-4] + ".truth.csv", *truth)
    return [trace for trace, _, _ in outputs]


def _gaitmap_events(folder, foot, rate, end_ms):
    # Motion-capture contacts: each stride (mid-stance to mid-stance) holds the toe-off (tc)
    # then the initial contact (ic) of its swing; the first stride also gives the contact
    # before it (pre_ic). The toe-off after a contact is the next stride's tc.
    with open(os.path.join(folder, "stride_events_sample.csv"), encoding="utf-8") as f:
        strides = sorted(
            (r for r in csv.DictReader(f) if r["foot"] == foot), key=lambda r: float(r["start"])
        )
    lengths = _gaitmap_stride_lengths(folder, foot)
    ms = 1000.0 / rate
    rows = []
    first = strides[0]
    rows.append({"t_ms": float(first["pre_ic"]) * ms, "to_ms": float(first["tc"]) * ms})
    for k, s in enumerate(strides):
        nxt = strides[k + 1] if k + 1 < len(strides) else None
        to = None
        if nxt is not None and nxt["start"] == s["end"]:
            to = float(nxt["tc"]) * ms
        rows.append(
            {"t_ms": float(s["ic"]) * ms, "to_ms": to, "stride_m": lengths.get(int(s["s_id"]))}
        )
    # The reference covers the walk from its first labelled contact to its last stride's end.
    start = float(first["pre_ic"]) * ms - 300.0
    stop = float(strides[-1]["end"]) * ms
    unscored = [(0.0, start)] if start > 0 else []
    # A labelled swing (toe-off to contact) longer than any real swing holds an unlabelled stop
    # or turn: the reference says nothing about the steps inside it.
    for s in strides:
        tc, ic = float(s["tc"]) * ms, float(s["ic"]) * ms
        if ic - tc > MAX_SWING_MS:
            unscored.append((tc + 100.0, ic - CONTACT_MARGIN_MS))
    if stop < end_ms:
        unscored.append((stop, end_ms))
    return rows, unscored


def _gaitmap_stride_lengths(folder, foot):
    # Stride length: horizontal heel displacement from a stride's start to its end.
    path = os.path.join(folder, "position_sample.csv")
    last = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r[""] == foot + "_sensor":
                last[int(r["s_id"])] = (float(r["pos_x"]), float(r["pos_y"]))
    return {k: float(np.hypot(x, y)) for k, (x, y) in last.items()}


def _gaitmap_ic_strides(folder, foot, rate, end_ms):
    # Manually labelled IC-to-IC strides: both borders are contacts. Only the labelled strides
    # are a complete reference; everything else is unscored.
    path = os.path.join(folder, "stride_borders_sample_ic_stride.csv")
    with open(path, encoding="utf-8") as f:
        strides = [r for r in csv.DictReader(f) if r["foot"] == foot]
    ms = 1000.0 / rate
    ics = sorted(
        {float(r["start"]) * ms for r in strides} | {float(r["end"]) * ms for r in strides}
    )
    spans = sorted((float(r["start"]) * ms - 150.0, float(r["end"]) * ms + 150.0) for r in strides)
    covered = []
    for a, b in spans:
        if covered and a <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(b, covered[-1][1]))
        else:
            covered.append((a, b))
    unscored = []
    cursor = 0.0
    for a, b in covered:
        if a > cursor:
            unscored.append((cursor, a))
        cursor = b
    if cursor < end_ms:
        unscored.append((cursor, end_ms))
    return [{"t_ms": t} for t in ics], unscored


# ---- excerpts ----------------------------------------------------------------------------
def excerpt(trace_path, out_path, start_ms, end_ms, note, every=1):
    """Cut [start_ms, end_ms) of a converted trace (and its truth file, if any) to out_path.

    Times restart at zero; the metadata gains `excerpt` (what was cut) and `note`. every=k keeps
    the mean of each k samples: what an IMU at 1/k of the rate (which filters before it samples)
    would have recorded.
    """
    from .trace import read_trace
    from .truth import read_truth

    tr = read_trace(trace_path)
    sel = (tr.t_ms >= start_ms) & (tr.t_ms < end_ms)
    t0 = tr.t_ms[sel][0]
    meta = dict(tr.meta)
    meta["excerpt"] = "%s from %.0f ms to %.0f ms" % (
        os.path.basename(trace_path),
        start_ms,
        end_ms,
    )
    meta["note"] = note
    t, acc = tr.t_ms[sel] - t0, tr.acc_mg[sel]
    gyro = tr.gyro_dps[sel] if tr.has_gyro else None
    if every > 1:
        n = len(t) // every * every
        # stamped at the block's first sample: half a block early (2.5 ms from 200 Hz to 100)
        t = t[:n:every]
        acc = acc[:n].reshape(-1, every, 3).mean(axis=1)
        gyro = None if gyro is None else gyro[:n].reshape(-1, every, 3).mean(axis=1)
        meta["rate_hz"] = "%g" % (tr.rate_hz / every)
    write_trace(out_path, t, acc, gyro, meta)
    truth_path = trace_path[:-4] + ".truth.csv"
    if not os.path.exists(truth_path):
        return
    truth = read_truth(truth_path)
    rows = []
    for k, t in enumerate(truth.t_ms):
        if start_ms <= t < end_ms:
            rows.append(
                {
                    c: (getattr(truth, c)[k] - t0 if c.endswith("_ms") else getattr(truth, c)[k])
                    for c in ("t_ms", "to_ms", "stride_m", "flat_end_ms")
                }
            )
            rows[-1]["strike"] = truth.strike[k]
    unscored = [
        (max(a, start_ms) - t0, min(b, end_ms) - t0)
        for a, b in truth.unscored
        if b > start_ms and a < end_ms
    ]
    tmeta = dict(truth.meta)
    tmeta.pop("unscored_ms", None)
    write_truth(out_path[:-4] + ".truth.csv", rows, tmeta, unscored)
