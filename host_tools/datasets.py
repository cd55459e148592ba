"""Convert the shared recordings (../shared/datasets) into footfall traces and truth files.

Two layouts are understood:
- PyShoe VICON-room trials (one CSV per trial: t_s, acc m/s^2, gyro rad/s, VICON foot position),
  one IMU on the right shoe. The reference is derived here from the VICON positions
  (see `pyshoe.vicon_stances`): foot-flat intervals, and stride lengths between their mid-points.
- gaitmap example data (two header rows, both feet, acc m/s^2, gyro deg/s, 204.8 Hz or 102.4 Hz)
  with motion-capture initial and terminal contacts, or manually labelled IC-to-IC strides.
Each layout's converter is in its own module (host_tools/pyshoe.py, host_tools/gaitmap.py);
this one finds the files, reads their numbers, and cuts excerpts of converted traces.
"""

import csv
import os

import numpy as np

from .trace import write_trace
from .trace_checks import TraceError, parse_numbers, read_lines
from .truth import retime_truth

G = 9.80665
PYSHOE_HEADER = "t_s,acc_x_ms2,acc_y_ms2,acc_z_ms2,gyr_x_rads,gyr_y_rads,gyr_z_rads"
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
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ValueError("%s: it is a file; expected a folder for the traces" % out_dir)
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
    from .gaitmap import convert_gaitmap
    from .pyshoe import convert_pyshoe

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


def read_numbers(path, header_rows):
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
    data = parse_numbers(path, first, body, len(lines[header_rows - 1].split(",")))
    bad = ~np.isfinite(data)
    if bad.any():
        row = int(np.argmax(bad.any(axis=1)))
        column = int(np.argmax(bad[row])) + 1
        raise TraceError(
            path, first + row, "column %d: expected a finite number, got NaN or inf" % column
        )
    return data, first


def read_rows(path, columns, recording, numbers=()):
    """The rows (dicts) of a reference table that a recording needs, with the columns it must
    have and numbers in the columns `numbers`; a table that is missing, lacks a column or has
    no number where one is expected is named, with its line, and what was expected."""
    if not os.path.isfile(path):
        raise TraceError(
            recording, 0, "its reference %s is missing; expected it beside the recording" % path
        )
    lines = read_lines(path)
    header = next(csv.reader(lines[:1]), [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise TraceError(
            path,
            1,
            "expected the columns %s; %s missing" % (", ".join(columns), ", ".join(missing)),
        )
    rows = list(csv.DictReader(lines))
    for k, r in enumerate(rows):
        for c in numbers:
            try:
                float(r[c])
            except (TypeError, ValueError):
                raise TraceError(
                    path, k + 2, "%s: expected a number, got %r" % (c, r[c])
                ) from None
    return rows


# ---- excerpts ----------------------------------------------------------------------------
def excerpt(trace_path, out_path, start_ms, end_ms, note, every=1, lead_ms=0):
    """Cut [start_ms, end_ms) of a converted trace (and its truth file, if any) to out_path.

    Times restart at zero; the metadata gains `excerpt` (what was cut) and `note`. every=k keeps
    the mean of each k samples: what an IMU at 1/k of the rate (which filters before it samples)
    would have recorded. lead_ms: the truth's first that many ms are unscored.
    """
    from .trace import read_trace

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
    retime_truth(trace_path, out_path, lambda t: t - t0, start_ms, end_ms, lead_ms)
