"""Recordings joined at a stance: one trace in which a walker breaks into a run and slows back.

Each shared recording holds one kind of gait, but the engine will meet people who walk, jog and
walk again without stopping. One PyShoe session (2017-12-15) recorded walking and running
trials with the same sensor strapped the same way on the same shoe. Cut in the middle of a
foot-flat stance, where the foot rests on the ground and the sensor reads gravity alone in the
same axes, and put end to end, they make such a recording, with the VICON reference of each
part. The stance where two parts meet keeps the first part's contact and the second part's
foot-flat end. `make accuracy` scores the engine on the session joined walk, run, walk, run...
and run, walk, run, walk..., and again with the walks played slower, as a slower walker's
(about 76 steps/min): whose stride is over twice a running one (`joined_report`).
"""

import os

import numpy as np

from .evaluate import evaluate_paths
from .replay import replay_many
from .slowed import SLOW_FACTOR, slow_down
from .trace import read_trace, write_trace
from .truth import read_truth, retimed, write_truth

_TRIALS = "pyshoe_2017-12-15-%s.csv"
WALKS = ("17-59-19", "17-59-50", "18-00-13", "18-00-40")
RUNS = ("18-01-18", "18-01-51", "18-02-28", "18-03-05")


def _mid_stances(truth, path):
    ok = ~np.isnan(truth.flat_end_ms)
    if truth.kind != "foot_flat" or ok.sum() < 2:
        raise ValueError(
            "%s: joining needs a foot-flat reference (reference=foot_flat, flat_end_ms) with two "
            "stances or more" % path
        )
    return (truth.t_ms[ok] + truth.flat_end_ms[ok]) / 2.0, truth.flat_end_ms[ok]


def join_at_stances(parts, out_path, note):
    """Write the traces `parts` (each with its .truth.csv beside it) end to end to out_path,
    with the truth beside it. Each is cut in the middle of its first and last foot-flat stance
    (the first part kept from its start, the last to its end); a part's times go on one sample
    period after the last part's."""
    if len(parts) < 2:
        raise ValueError("join_at_stances: give two parts or more, got %d" % len(parts))
    times, accs, gyros, rows, unscored, metas, truth_metas = [], [], [], [], [], [], []
    for k, path in enumerate(parts):
        tr = read_trace(path)
        truth = read_truth(path[:-4] + ".truth.csv")
        if tr.gyro_dps is None:
            raise ValueError("%s: joining needs the gyro columns (every part alike)" % path)
        mids, ends = _mid_stances(truth, path)
        start = mids[0] if k else -np.inf
        end = mids[-1] if k < len(parts) - 1 else np.inf
        sel = (tr.t_ms >= start) & (tr.t_ms < end)
        shift = times[-1][-1] + float(np.median(np.diff(tr.t_ms))) - tr.t_ms[sel][0] if k else 0
        if k:
            # the stance where the two meet ends as this part's first one does
            rows[-1]["flat_end_ms"] = ends[0] + shift
        part_rows, part_spans = retimed(truth, lambda t, d=shift: t + d, start, end)
        rows += part_rows
        unscored += part_spans
        times.append(tr.t_ms[sel] + shift)
        accs.append(tr.acc_mg[sel])
        gyros.append(tr.gyro_dps[sel])
        metas.append(tr.meta)
        truth_metas.append(truth.meta)
    meta = _joined_meta(metas)
    meta["note"] = note
    write_trace(out_path, np.concatenate(times), np.concatenate(accs), np.concatenate(gyros), meta)
    write_truth(out_path[:-4] + ".truth.csv", rows, _joined_meta(truth_metas), unscored)


def _joined_meta(metas):
    # the first part's metadata; where the parts differ (source, activity...), all of them
    out = {}
    for key in metas[0]:
        if key in ("note", "unscored_ms"):
            continue
        values = []
        for m in metas:
            if m.get(key) not in values:
                values.append(m.get(key))
        out[key] = " + ".join(str(v) for v in values)
    return out


def make_joined(trace_dir, out_dir):
    """The session's walks and runs joined both ways round into out_dir, and again with the
    walks played SLOW_FACTOR times slower, as a slower walker's (slowed.py); returns their
    paths, or [] where trace_dir lacks a trial."""
    walks = [os.path.join(trace_dir, _TRIALS % t) for t in WALKS]
    runs = [os.path.join(trace_dir, _TRIALS % t) for t in RUNS]
    if not all(os.path.exists(p) for p in walks + runs):
        return []
    os.makedirs(os.path.join(out_dir, "slowed"), exist_ok=True)
    slowed = [os.path.join(out_dir, "slowed", os.path.basename(p)) for p in walks]
    for src, path in zip(walks, slowed):
        slow_down(src, path, SLOW_FACTOR, "played %.1f times slower (slowed.py)" % SLOW_FACTOR)
    out = []
    for name, first, then in (
        ("walk_run", walks, runs),
        ("run_walk", runs, walks),
        ("slowwalk_run", slowed, runs),
        ("run_slowwalk", runs, slowed),
    ):
        path = os.path.join(out_dir, "pyshoe_%s.csv" % name)
        parts = [p for pair in zip(first, then) for p in pair]
        join_at_stances(parts, path, "PyShoe 2017-12-15 trials joined at stances (joined.py)")
        out.append(path)
    return out


def joined_report(trace_dir, work):
    """`make accuracy`'s lines for the joined session, with the gyro and without."""
    joined = os.path.join(work, "joined")
    paths = make_joined(trace_dir, joined)
    if not paths:
        return "(the PyShoe 2017-12-15 trials are not in %s)" % trace_dir
    lines = ["joined        sensor     F1  recall  stances missed"]
    for sensor, accel_only in (("gyro", False), ("accel", True)):
        out = os.path.join(work, "joined_events" + ("_accel_only" if accel_only else ""))
        replay_many(paths, out, accel_only=accel_only)
        for s in evaluate_paths(out, joined):
            name = s.name[len("pyshoe_") :]
            lines.append(
                "%-13s %-6s %6.3f %7.3f  %d of %d"
                % (name, sensor, s.f1, s.recall, s.fn, s.tp + s.fn)
            )
    return "\n".join(lines)
