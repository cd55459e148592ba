"""Score detected steps (events CSV) against reference events (truth CSV).

The table of scores is evaluate_table.py; their CSV, evaluate_csv.py.

Matching is one detection per reference contact:
- reference=contact (motion capture): a detection within +-60 ms of the reference contact;
- reference=foot_flat (VICON zero-velocity interval, which begins after contact): a detection
  between the middle of the swing before the interval (at most 400 ms before it) and the
  interval's end: the contact that begins that stance, wherever in the late swing it falls.
Detections and references inside the truth's unscored spans are left out.
"""

import os
from dataclasses import dataclass, field, fields

import numpy as np

from .truth import read_events, read_truth

CONTACT_TOL_MS = 60.0
FLAT_LEAD_MS = 400.0
WINDOW_S = 10.0
STRIDE_MS = (250.0, 2500.0)  # stride intervals outside this are stops, not cadence


@dataclass
class Score:
    name: str
    group: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ic_err: list = field(default_factory=list)  # det - ref, ms (contact references)
    flat_lead: list = field(default_factory=list)  # ref - det, ms (foot-flat references)
    cad_trial: list = field(default_factory=list)  # per trace: det median - ref median
    cad_trial_rate: list = field(default_factory=list)  # per trace: steps over time
    cad_window: list = field(default_factory=list)  # per 10 s window: steps over time
    gct_err: list = field(default_factory=list)
    to_err: list = field(default_factory=list)  # toe-off: det - ref, ms
    stride_rel: list = field(default_factory=list)  # (det - ref) / ref
    stride_pairs: list = field(default_factory=list)  # (det_m, ref_m)
    strikes: list = field(default_factory=list)  # detected strike names of matched steps
    strike_agree: list = field(default_factory=list)
    activity_agree: list = field(default_factory=list)  # label is the recording's activity

    def merge(self, other):
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, int):
                setattr(self, f.name, mine + getattr(other, f.name))
            elif isinstance(mine, list):
                mine.extend(getattr(other, f.name))

    @property
    def f1(self):
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else float("nan")

    @property
    def precision(self):
        d = self.tp + self.fp
        return self.tp / d if d else float("nan")

    @property
    def recall(self):
        d = self.tp + self.fn
        return self.tp / d if d else float("nan")


def _scored(t, spans):
    keep = np.ones(len(t), dtype=bool)
    for a, b in spans:
        keep &= ~((t >= a) & (t <= b))
    return keep


def windows(truth):
    """Per reference contact, the span [lo, hi] in which one detection matches it."""
    out = []
    for k, r in enumerate(truth.t_ms):
        if truth.kind == "foot_flat":
            end = truth.flat_end_ms[k] if not np.isnan(truth.flat_end_ms[k]) else r
            lo = r - FLAT_LEAD_MS
            if k > 0 and not np.isnan(truth.flat_end_ms[k - 1]):
                lo = max(lo, (truth.flat_end_ms[k - 1] + r) / 2.0)
            out.append((lo, end))
        else:
            out.append((r - CONTACT_TOL_MS, r + CONTACT_TOL_MS))
    return out


def match(det_t, truth):
    """Pairs (ref index, det index) and the unmatched scored detections and references.

    A reference whose window reaches into an unscored span is unscored too (its detection
    could lie in the part nobody scores), and so is a detection in such a reference's window.
    """
    win = windows(truth)
    ref_keep = np.array(
        [all(b < a0 or a > b0 for a0, b0 in truth.unscored) for a, b in win], dtype=bool
    )
    dropped = [w for w, keep in zip(win, ref_keep) if not keep]
    det_keep = _scored(det_t, list(truth.unscored) + dropped)
    used = np.zeros(len(det_t), dtype=bool)
    used[~det_keep] = True
    pairs = []
    for k in np.flatnonzero(ref_keep):
        lo, hi = win[k]
        cand = np.flatnonzero(~used & (det_t >= lo) & (det_t <= hi))
        if len(cand):
            i = cand[np.argmin(np.abs(det_t[cand] - truth.t_ms[k]))]
            used[i] = True
            pairs.append((k, i))
    matched_ref = {k for k, _ in pairs}
    matched_det = {i for _, i in pairs}
    fn = [k for k in np.flatnonzero(ref_keep) if k not in matched_ref]
    fp = [i for i in np.flatnonzero(det_keep) if i not in matched_det]
    return pairs, fp, fn


def score(events, truth, name=None, group=""):
    cols = events.columns
    det_t = cols["t_ms"]
    s = Score(name or os.path.basename(events.path), group)
    pairs, fp, fn = match(det_t, truth)
    s.tp, s.fp, s.fn = len(pairs), len(fp), len(fn)
    # the recording's activity, as its truth file gives it, in the events' words
    want = {"walking": "walk", "running": "run"}.get(truth.meta.get("activity"))
    labels = cols.get("activity") if want else None
    for k, i in pairs:
        if labels is not None and labels[i]:
            s.activity_agree.append(labels[i] == want)
        if truth.kind == "foot_flat":
            s.flat_lead.append(truth.t_ms[k] - det_t[i])
        else:
            s.ic_err.append(det_t[i] - truth.t_ms[k])
        ref_gct = truth.to_ms[k] - truth.t_ms[k]
        det_gct = cols["gct_ms"][i]
        if not np.isnan(ref_gct) and not np.isnan(det_gct):
            s.gct_err.append(det_gct - ref_gct)
            # toe-off on its own: a contact time error is the contact's and the toe-off's
            s.to_err.append(det_t[i] + det_gct - truth.to_ms[k])
        ref_sl, det_sl = truth.stride_m[k], cols["stride_m"][i]
        if not np.isnan(ref_sl) and not np.isnan(det_sl) and ref_sl > 0.2:
            s.stride_rel.append((det_sl - ref_sl) / ref_sl)
            s.stride_pairs.append((det_sl, ref_sl))
        strike = cols["strike"][i]
        if strike:
            s.strikes.append(strike)
            if truth.strike[k]:
                s.strike_agree.append(strike == truth.strike[k])
    end = max(det_t.max() if len(det_t) else 0, truth.t_ms.max() if len(truth.t_ms) else 0)
    # Cadence over time, on the same strides for both: consecutive matched contacts. Each
    # 10 s window (and the whole trace) compares steps over time, so the timing jitter of single
    # contacts, the reference's included, averages out; miscounts are F1's business.
    ref_dt, det_dt, at = [], [], []
    for (k0, i0), (k1, i1) in zip(pairs, pairs[1:]):
        if k1 == k0 + 1 and i1 == i0 + 1:
            rd, dd = truth.t_ms[k1] - truth.t_ms[k0], det_t[i1] - det_t[i0]
            if STRIDE_MS[0] <= rd <= STRIDE_MS[1] and STRIDE_MS[0] <= dd <= STRIDE_MS[1]:
                ref_dt.append(rd)
                det_dt.append(dd)
                at.append(truth.t_ms[k1])
    ref_dt, det_dt, at = np.array(ref_dt), np.array(det_dt), np.array(at)
    if len(ref_dt) >= 3:
        # the trace's median cadence, over the same strides
        s.cad_trial.append(float(np.median(120000.0 / det_dt) - np.median(120000.0 / ref_dt)))
        s.cad_trial_rate.append(
            120000.0 * (len(det_dt) / det_dt.sum() - len(ref_dt) / ref_dt.sum())
        )
    w = WINDOW_S * 1000.0
    # windows from 0 ms, but only those with strides in them (times may start far from 0)
    first = np.floor(at.min() / w) * w if len(at) else end
    for a in np.arange(first, end, w):
        sel = (at >= a) & (at < a + w)
        if sel.sum() >= 3:
            n = sel.sum()
            s.cad_window.append(120000.0 * (n / det_dt[sel].sum() - n / ref_dt[sel].sum()))
    return s


def group_of(truth_path, truth):
    base = os.path.basename(truth_path)
    if base.endswith(".truth.csv"):
        base = base[: -len(".truth.csv")]
    dataset = (
        base.split("_")[0] if not base.startswith("gaitmap_ic_stride") else "gaitmap_ic_stride"
    )
    return "%s %s" % (dataset, truth.meta.get("activity", ""))


def pair_paths(events, truth, warn=None):
    """(events file, truth file) pairs; warn(text) hears of truth files left without events."""
    for path in (events, truth):
        if not os.path.exists(path):
            raise ValueError("%s: no such file or folder" % path)
    if os.path.isdir(events) != os.path.isdir(truth):
        raise ValueError("give two files or two folders: %s, %s" % (events, truth))
    if not os.path.isdir(events):
        return [(events, truth)]
    pairs = []
    for f in sorted(os.listdir(truth)):
        if f.endswith(".truth.csv"):
            ev = os.path.join(events, f[: -len(".truth.csv")] + ".events.csv")
            if os.path.exists(ev):
                pairs.append((ev, os.path.join(truth, f)))
            elif warn:
                warn("%s: no events file %s; not scored" % (os.path.join(truth, f), ev))
    if not pairs:
        raise ValueError(
            "no NAME.events.csv in %s matches a NAME.truth.csv in %s" % (events, truth)
        )
    return pairs


def evaluate_paths(events, truth, warn=None, each=None):
    """Score every pair; warn(text), if given, hears of what looks like a mistake, and
    each(name, events, truth), if given, is called with every pair as read."""
    scores = []
    for ev, tr in pair_paths(events, truth, warn):
        t = read_truth(tr)
        e = read_events(ev)
        name = os.path.basename(ev).replace(".events.csv", "")
        s = score(e, t, name, group_of(tr, t))
        scores.append(s)
        if each:
            each(name, e, t)
        det, ref = e.columns["t_ms"], t.t_ms
        if warn and s.tp == 0 and len(det) and len(ref):
            # nothing matched at all: times in other units, or from another start
            warn(
                "%s: no contact matches %s: the events span %.0f-%.0f ms, the references "
                "%.0f-%.0f ms (the same units, from the same start?)"
                % (ev, tr, det.min(), det.max(), ref.min(), ref.max())
            )
    return scores


def groups(scores):
    out = {}
    for s in scores:
        g = out.setdefault(s.group, Score(s.group, s.group))
        g.merge(s)
    return out
