"""The scores of `evaluate` as CSV, for a spreadsheet, R or pandas rather than the eye.

- `scores_csv`: one row per trace, then one per group (all traces of a dataset and activity
  together), with the figures of the printed table as plain numbers (ms, steps/min, shares
  from 0 to 1); a cell is empty where the figure is unknown.
- `matches_csv`: one row per scored reference contact (hit or missed) and per detection that
  matched none (extra), with both sides' times, contact times, stride lengths and strikes, and
  the detection's walking/running label: what a Bland-Altman plot, or a look at the misses in
  `plot`, starts from.
"""

import csv
import io
import math

import numpy as np

from .evaluate import groups, match

SCORE_COLUMNS = (
    "trace",
    "kind",
    "group",
    "refs",
    "hits",
    "missed",
    "extra",
    "f1",
    "precision",
    "recall",
    "ic_error_median_ms",
    "flat_lead_median_ms",
    "cadence_median_error_worst_spm",
    "cadence_rate_error_worst_spm",
    "cadence_10s_error_median_spm",
    "cadence_10s_error_max_spm",
    "cadence_10s_within_1_share",
    "gct_mae_ms",
    "gct_bias_ms",
    "to_error_median_ms",
    "to_mae_ms",
    "stride_error_median_share",
    "heel_share",
    "strike_agreement_share",
    "activity_agreement_share",
)
MATCH_COLUMNS = (
    "trace",
    "result",
    "reference",
    "ref_t_ms",
    "ref_flat_end_ms",
    "det_t_ms",
    "error_ms",
    "ref_gct_ms",
    "det_gct_ms",
    "ref_stride_m",
    "det_stride_m",
    "ref_strike",
    "det_strike",
    "det_activity",
)


def _num(x, fmt="%.6g"):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt % x


def _of(values, fn):
    return float(fn(values)) if len(values) else None


def _share(flags):
    return float(np.mean(flags)) if len(flags) else None


def _score_row(s, kind):
    cad_window = np.abs(s.cad_window)
    return (
        s.name,
        kind,
        s.group,
        "%d" % (s.tp + s.fn),
        "%d" % s.tp,
        "%d" % s.fn,
        "%d" % s.fp,
        _num(s.f1),
        _num(s.precision),
        _num(s.recall),
        _num(_of(s.ic_err, np.median)),
        _num(_of(s.flat_lead, np.median)),
        _num(_of(np.abs(s.cad_trial), np.max)),
        _num(_of(np.abs(s.cad_trial_rate), np.max)),
        _num(_of(cad_window, np.median)),
        _num(_of(cad_window, np.max)),
        _num(_share(cad_window <= 1.0)),
        _num(_of(np.abs(s.gct_err), np.mean)),
        _num(_of(s.gct_err, np.mean)),
        _num(_of(s.to_err, np.median)),
        _num(_of(np.abs(s.to_err), np.mean)),
        _num(_of(np.abs(s.stride_rel), np.median)),
        _num(_share([x == "heel" for x in s.strikes])),
        _num(_share(s.strike_agree)),
        _num(_share(s.activity_agree)),
    )


def scores_csv(scores):
    """The per-trace scores, then the groups', as CSV text."""
    rows = [_score_row(s, "trace") for s in scores]
    rows += [_score_row(g, "group") for _, g in sorted(groups(scores).items())]
    return _csv(SCORE_COLUMNS, rows)


def match_rows(name, events, truth):
    """The rows of `matches_csv` for one events file scored against its truth, in time."""
    cols = events.columns
    pairs, extra, missed = match(cols["t_ms"], truth)
    rows = [_match_row(name, "hit", truth, k, cols, i) for k, i in pairs]
    rows += [_match_row(name, "missed", truth, k, cols, None) for k in missed]
    rows += [_match_row(name, "extra", truth, None, cols, i) for i in extra]
    rows.sort(key=lambda r: float(r[3] or r[5]))  # by the reference's time, or the detection's
    return rows


def _match_row(name, result, truth, k, cols, i):
    # k: the reference contact's index, i: the detection's (None: there is none)
    ref_t = None if k is None else truth.t_ms[k]
    det_t = None if i is None else cols["t_ms"][i]
    return (
        name,
        result,
        truth.kind,
        _num(ref_t, "%.1f"),
        _num(None if k is None else truth.flat_end_ms[k], "%.1f"),
        _num(det_t, "%.1f"),
        _num(None if k is None or i is None else det_t - ref_t, "%.1f"),
        _num(None if k is None else truth.to_ms[k] - ref_t, "%.1f"),
        _num(None if i is None else cols["gct_ms"][i], "%.1f"),
        _num(None if k is None else truth.stride_m[k], "%.4f"),
        _num(None if i is None else cols["stride_m"][i], "%.4f"),
        "" if k is None else truth.strike[k],
        "" if i is None else cols["strike"][i],
        "" if i is None or "activity" not in cols else cols["activity"][i],
    )


def matches_csv(rows):
    return _csv(MATCH_COLUMNS, rows)


def _csv(columns, rows):
    # the csv module quotes a trace named with a comma, as every CSV reader expects
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return out.getvalue()
