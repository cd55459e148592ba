"""`make accuracy`: the engine on every shared recording, with and without its gyro, scored.

Steps: convert ../shared/datasets into traces and truth files (host_tools.datasets); replay
them all (gyro, then accelerometer only); score with host_tools.evaluate; calibrate the
accelerometer-only stride model of each PyShoe trial on a *different* trial of the same kind
and score it again; print the tables and each target with its figure; then score one session's
walks and runs joined into one recording (host_tools.joined) and the same recordings at 100 Hz
and mounted another way round (host_tools.variants).
"""

import os
import shutil
import sys

import numpy as np

from .datasets import convert
from .evaluate import evaluate_paths, groups, match, score
from .evaluate_table import format_report
from .joined import joined_report
from .outfiles import atomic_write, stamp_holds
from .replay import list_traces, replay_many
from .truth import Events, read_events, read_truth
from .variants import variant_report

_MADE = (
    "traces",
    "events",
    "events_accel_only",
    "eva_calibrated",
    "joined",
    "joined_events",
    "joined_events_accel_only",
)


def _fresh(work, src):
    """work/traces: src converted, unless that is there already. The conversion of other
    recordings goes, with everything made from it (events, variants)."""
    ds = os.path.join(work, "traces")
    stamp = os.path.join(ds, ".converted")
    want = os.path.abspath(src)
    if stamp_holds(stamp, want):
        return ds
    if os.path.exists(stamp):
        for name in os.listdir(work):
            if name in _MADE or name.startswith("variant_"):
                shutil.rmtree(os.path.join(work, name))
    os.makedirs(ds, exist_ok=True)
    convert(src, ds)
    atomic_write(stamp, want)
    return ds


def _calibrated_stride_errors(ds, eva, work):
    """Accelerometer-only stride error after a per-user factor learnt on another trial."""
    trials = {}
    for f in sorted(os.listdir(ds)):
        if f.startswith("pyshoe_") and f.endswith(".truth.csv"):
            truth = read_truth(os.path.join(ds, f))
            kind = truth.meta.get("activity")
            if kind in ("walking", "running"):
                trials.setdefault(kind, []).append(f[: -len(".truth.csv")])
    factors = {}
    for names in trials.values():
        for k, name in enumerate(names):
            other = names[(k + 1) % len(names)]  # calibrate on the next trial of that kind
            factors[name] = _factor(ds, eva, other)
    errors = {"walking": [], "running": []}
    out = os.path.join(work, "eva_calibrated")
    os.makedirs(out, exist_ok=True)
    for kind, names in trials.items():
        for name in names:
            replay_many(
                [os.path.join(ds, name + ".csv")],
                out,
                stride_factor=factors[name],
                accel_only=True,
                jobs=1,
            )
            truth = read_truth(os.path.join(ds, name + ".truth.csv"))
            ev = read_events(os.path.join(out, name + ".events.csv"))
            errors[kind] += _stride_errors(ev, truth)
    return errors


def _factor(ds, eva, name):
    # per mille: reference stride / modelled stride, median over the matched steps
    truth = read_truth(os.path.join(ds, name + ".truth.csv"))
    ev = read_events(os.path.join(eva, name + ".events.csv"))
    pairs, _, _ = match(ev.columns["t_ms"], truth)
    ratios = [
        truth.stride_m[k] / ev.columns["stride_m"][i]
        for k, i in pairs
        if truth.stride_m[k] > 0.2 and ev.columns["stride_m"][i] > 0
    ]
    if not ratios:
        return 1000
    return int(round(1000 * float(np.median(ratios))))


def _stride_errors(ev, truth):
    pairs, _, _ = match(ev.columns["t_ms"], truth)
    return [
        abs(ev.columns["stride_m"][i] / truth.stride_m[k] - 1)
        for k, i in pairs
        if truth.stride_m[k] > 0.2 and not np.isnan(ev.columns["stride_m"][i])
    ]


def _reference_self_agreement(ds):
    """How well the VICON reference agrees with itself on cadence: its foot-flat ends scored as
    if they were detections against its foot-flat onsets, exactly as the engine is scored.
    Both are the same strides; only the phase point differs."""
    out = {}
    for f in sorted(os.listdir(ds)):
        if not (f.startswith("pyshoe_") and f.endswith(".truth.csv")):
            continue
        truth = read_truth(os.path.join(ds, f))
        kind = truth.meta.get("activity")
        if kind not in ("walking", "running"):
            continue
        ok = ~np.isnan(truth.flat_end_ms)
        n = int(ok.sum())
        nan = np.full(n, np.nan)
        ends = Events(f, {"t_ms": truth.flat_end_ms[ok], "gct_ms": nan, "stride_m": nan})
        ends.columns["strike"] = [""] * n
        out.setdefault(kind, []).append(score(ends, truth))
    return out


def _targets(gyro, acc, acc_cal):
    g = groups(gyro)
    a = groups(acc)
    out = []

    def row(name, value, ok):
        out.append("  %-58s %-14s %s" % (name, value, "met" if ok else "MISSED"))

    for scores, sensor in ((g, ""), (a, ", accel-only")):
        for key in ("pyshoe running", "pyshoe walking", "gaitmap walking"):
            s = scores.get(key)
            if s:
                row("IC F1 >= 0.99, %s%s" % (key, sensor), "%.3f" % s.f1, s.f1 >= 0.99)
    for key in ("pyshoe running", "pyshoe walking", "gaitmap walking"):
        s = g.get(key)
        if s and s.cad_trial:
            worst = float(np.max(np.abs(s.cad_trial)))
            row(
                "cadence per trial (median) within 1 /min, %s" % key,
                "worst %.2f" % worst,
                worst <= 1.0,
            )
        if s and s.cad_window:
            w = np.abs(s.cad_window)
            row(
                "cadence per 10 s window within 1 /min, %s" % key,
                "%.0f%% (worst %.1f)" % (100 * np.mean(w <= 1.0), w.max()),
                w.max() <= 1.0,
            )
    for scores, sensor in ((g, ""), (a, ", accel-only")):
        s = scores.get("gaitmap walking")
        if s and s.gct_err:
            mae = float(np.mean(np.abs(s.gct_err)))
            row("contact time MAE <= 20 ms (gaitmap)%s" % sensor, "%.1f ms" % mae, mae <= 20)
    rel = [x for k in ("pyshoe running", "pyshoe walking") if k in g for x in g[k].stride_rel]
    if rel:
        med = 100 * float(np.median(np.abs(rel)))
        row("stride median |error| <= 3% with gyro (pyshoe)", "%.2f%%" % med, med <= 3)
    acc = acc_cal["walking"] + acc_cal["running"]
    if acc:
        med = 100 * float(np.median(acc))
        row("stride median |error| <= 6% accel-only, calibrated", "%.2f%%" % med, med <= 6)
    walking = ("pyshoe walking", "gaitmap walking", "gaitmap_ic_stride walking")
    heel = [x == "heel" for k in walking if k in g for x in g[k].strikes]
    if heel:
        share = 100 * float(np.mean(heel))
        row("walking steps classified heel >= 95%", "%.1f%%" % share, share >= 95)
        for k in walking:
            if k in g and g[k].strikes:
                part = 100 * float(np.mean([x == "heel" for x in g[k].strikes]))
                out.append("    %-24s %3d steps, %5.1f%% heel" % (k, len(g[k].strikes), part))
    return "\n".join(out)


def main(args):
    src = args.datasets
    if not os.path.isdir(src):
        print("no recordings at %s (see ../shared/README.md)" % src, file=sys.stderr)
        return 2
    work = args.work
    if os.path.exists(work) and not os.path.isdir(work):
        print("--work %s: it is a file; expected a folder" % work, file=sys.stderr)
        return 2
    ds = _fresh(work, src)
    traces = list_traces(ds)
    ev, eva = os.path.join(work, "events"), os.path.join(work, "events_accel_only")
    replay_many(traces, ev)
    replay_many(traces, eva, accel_only=True)
    gyro = evaluate_paths(ev, ds)
    acc = evaluate_paths(eva, ds)
    print("== with the gyro ==")
    print(format_report(gyro, per_trace=False))
    print("\n== accelerometer only (stride model uncalibrated) ==")
    print(format_report(acc, per_trace=False))
    acc_cal = _calibrated_stride_errors(ds, eva, work)
    for kind, e in acc_cal.items():
        if e:
            print(
                "accelerometer only, calibrated on another trial, %s: median |stride error| "
                "%.1f%% over %d strides" % (kind, 100 * np.median(e), len(e))
            )
    print("\n== targets ==")
    print(_targets(gyro, acc, acc_cal))
    print(
        "\nThe PyShoe reference against itself (VICON foot-flat ends scored against its onsets):"
    )
    for kind, scores in sorted(_reference_self_agreement(ds).items()):
        w = np.abs([x for s in scores for x in s.cad_window])
        rate = max(abs(x) for s in scores for x in s.cad_trial_rate)
        med = max(abs(x) for s in scores for x in s.cad_trial)
        print(
            "  %s: cadence per 10 s window within 1 /min %.0f%% (worst %.1f); per trial, "
            "median worst %.2f, steps over time worst %.2f"
            % (kind, 100 * np.mean(w <= 1), w.max(), med, rate)
        )
    print("\n== a walker breaking into a run and slowing back (host_tools/joined.py) ==")
    print(joined_report(ds, work))
    print("\n== the same recordings as other sensors would make them (host_tools/variants.py) ==")
    print(variant_report(ds, work))
    python = os.path.relpath(sys.executable) if sys.executable else "python"
    print("\nper-trace tables: %s -m host_tools evaluate %s %s" % (python, ev, ds))
    return 0
