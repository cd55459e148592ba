"""The table `evaluate` and `accuracy` print: one row of scores per trace and per group."""

import numpy as np

from .evaluate import groups


def cell(values, fn=np.median, scale=1.0, fmt="%.1f"):
    """One figure of a table: fn of the values, scaled and formatted; "-" where there are none."""
    return fmt % (fn(values) * scale) if len(values) else "-"


def share(flags):
    """A share of the flags that are true, as a table cell: "67%", or "-"."""
    return cell(flags, np.mean, 100.0, "%.0f%%")


def row(s):
    return [
        s.name,
        "%d" % (s.tp + s.fn),
        "%.3f" % s.f1,
        "%.3f" % s.precision,
        "%.3f" % s.recall,
        cell(s.ic_err, fmt="%+.0f") if s.ic_err else cell(s.flat_lead, fmt="(%.0f)"),
        cell(np.abs(s.cad_trial), np.max, fmt="%.2f"),
        cell(np.abs(s.cad_trial_rate), np.max, fmt="%.2f"),
        cell(np.abs(s.cad_window), fmt="%.2f"),
        cell(np.abs(s.cad_window), np.max, fmt="%.2f"),
        share(np.abs(s.cad_window) <= 1.0),
        cell(np.abs(s.gct_err), np.mean, fmt="%.1f"),
        cell(s.gct_err, np.mean, fmt="%+.1f"),
        cell(s.to_err, fmt="%+.0f"),
        cell(np.abs(s.stride_rel), scale=100.0, fmt="%.1f%%"),
        share([x == "heel" for x in s.strikes]),
        share(s.strike_agree),
        share(s.activity_agree),
    ]


HEADERS = [
    "trace",
    "refs",
    "F1",
    "prec",
    "recall",
    "IC ms",
    "cad med",
    "cad rate",
    "cad 10s",
    "10s max",
    "10s<=1",
    "GCT MAE",
    "GCT bias",
    "TO ms",
    "stride err",
    "heel",
    "strike ok",
    "activity ok",
]

LEGEND = (
    "IC ms: median detection - reference (contact), or (median lead before the foot-flat "
    "onset).\n"
    "cad med / cad rate: worst trace's |cadence error|, steps/min, comparing medians of "
    "per-stride cadence / steps over time, on the strides both found.\n"
    "cad 10s / 10s max / 10s<=1: per 10 s window (steps over time): median and worst |error|, "
    "share within 1 step/min.\n"
    "GCT: contact time error, ms. TO ms: median toe-off detection - reference (the contact "
    "time's error less the contact's). stride err: median |relative error|. heel: share of "
    "matched steps classified heel strike. strike ok: share of matched steps whose strike is "
    "the reference's, where both give one. activity ok: share of matched steps labelled "
    "walking or running as the recording is (its truth file's activity=)."
)


def format_report(scores, per_trace=True):
    lines = []
    table = [row(s) for s in scores] if per_trace else []
    table += [row(g) for _, g in sorted(groups(scores).items())]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(HEADERS)]

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
        )

    lines.append(fmt(HEADERS))
    lines.append("  ".join("-" * w for w in widths))
    n_trace = len(scores) if per_trace else 0
    for k, cells in enumerate(table):
        if k == n_trace and per_trace:
            lines.append("  ".join("-" * w for w in widths))
        lines.append(fmt(cells))
    lines.append("")
    lines.append(LEGEND)
    return "\n".join(lines)
