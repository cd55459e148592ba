"""gaitmap example data into footfall traces and truth files (host_tools.datasets).

Two header rows, both feet, acceleration m/s^2, gyro deg/s, 204.8 Hz or 102.4 Hz, with
motion-capture initial and terminal contacts, or manually labelled IC-to-IC strides.
"""

import csv
import os

import numpy as np

from .datasets import G, read_numbers, read_rows
from .trace import TraceError, read_lines, write_trace
from .truth import write_truth

GAITMAP_AXES = ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
GAITMAP_CITE = "gaitmap example data, github.com/mad-lab-fau/gaitmap (MIT licence)"

# gaitmap: a swing is at most about 0.6 s in walking; a labelled one over 1 s spans a pause.
MAX_SWING_MS = 1000.0
CONTACT_MARGIN_MS = 100.0


def convert_gaitmap(path, out_dir):
    sensors, axes = list(csv.reader(read_lines(path)[:2]))
    data, _ = read_numbers(path, 2)
    base = os.path.basename(path)
    ic_stride = "ic_stride" in base
    rate = 102.4 if ic_stride else 204.8
    tag = "gaitmap_ic_stride" if ic_stride else "gaitmap"
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
            truth_rows, unscored = _gaitmap_ic_strides(path, foot, rate, t_ms[-1])
        else:
            truth_rows, unscored = _gaitmap_events(path, foot, rate, t_ms[-1])
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


def _strides(path, name, columns, foot):
    # the recording's reference table (beside it): the rows of one foot, by start
    table = os.path.join(os.path.dirname(path), name)
    strides = [
        r for r in read_rows(table, ("foot",) + columns, path, columns) if r["foot"] == foot
    ]
    if not strides:
        raise TraceError(table, 0, "expected strides of the %s foot; found none" % foot)
    return sorted(strides, key=lambda r: float(r["start"]))


def _gaitmap_events(path, foot, rate, end_ms):
    # Motion-capture contacts: each stride (mid-stance to mid-stance) holds the toe-off (tc)
    # then the initial contact (ic) of its swing; the first stride also gives the contact
    # before it (pre_ic). The toe-off after a contact is the next stride's tc.
    columns = ("s_id", "start", "end", "ic", "tc", "pre_ic")
    strides = _strides(path, "stride_events_sample.csv", columns, foot)
    lengths = _gaitmap_stride_lengths(path, foot)
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


def _gaitmap_stride_lengths(path, foot):
    # Stride length: horizontal heel displacement from a stride's start to its end.
    table = os.path.join(os.path.dirname(path), "position_sample.csv")
    last = {}
    numbers = ("s_id", "pos_x", "pos_y")
    for r in read_rows(table, ("",) + numbers, path, numbers):
        if r[""] == foot + "_sensor":
            last[int(float(r["s_id"]))] = (float(r["pos_x"]), float(r["pos_y"]))
    return {k: float(np.hypot(x, y)) for k, (x, y) in last.items()}


def _gaitmap_ic_strides(path, foot, rate, end_ms):
    # Manually labelled IC-to-IC strides: both borders are contacts. Only the labelled strides
    # are a complete reference; everything else is unscored.
    strides = _strides(path, "stride_borders_sample_ic_stride.csv", ("start", "end"), foot)
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
