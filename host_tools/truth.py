"""Reference gait events ("footfall truth v1" CSV) and the engine's events CSV, read for scoring.

A truth file has one row per reference initial contact:

    # footfall-truth v1
    # reference=contact        contact: t_ms is the contact itself (motion capture, force plate)
    #                          foot_flat: t_ms..flat_end_ms is a zero-velocity interval that
    #                          begins after contact (VICON foot speed); one detection per interval
    # unscored_ms=1200-1900    optional: spans without a usable reference (semicolon separated)
    t_ms,to_ms,strike,stride_m,flat_end_ms

Empty cells are unknown. stride_m is the distance the foot travelled in the swing that ends at
that contact.
"""

import math
import os
import re
from dataclasses import dataclass

import numpy as np

from .outfiles import atomic_write
from .trace import TraceError, read_lines, read_meta

TRUTH_MAGIC = "# footfall-truth v1"
TRUTH_COLUMNS = ("t_ms", "to_ms", "strike", "stride_m", "flat_end_ms")
EVENT_COLUMNS = ("t_ms", "to_ms", "gct_ms", "strike", "cadence_spm", "stride_m", "speed_mps")
STRIKES = ("heel", "mid", "fore")
REFERENCES = ("contact", "foot_flat")
_SPAN = re.compile(r"^\s*(-?\d+(?:\.\d*)?)\s*-\s*(-?\d+(?:\.\d*)?)\s*$")


@dataclass
class Truth:
    path: str
    meta: dict
    t_ms: np.ndarray
    to_ms: np.ndarray  # NaN where unknown
    strike: list
    stride_m: np.ndarray
    flat_end_ms: np.ndarray
    unscored: list  # [(start_ms, end_ms)]

    @property
    def kind(self):
        return self.meta.get("reference", "contact")


@dataclass
class Events:
    path: str
    columns: dict  # name -> np.ndarray (float, NaN where empty) or list of str


def write_truth(path, rows, meta, unscored=()):
    """rows: dicts with keys of TRUTH_COLUMNS (missing or None = empty)."""
    lines = [TRUTH_MAGIC]
    for key, value in meta.items():
        lines.append("# %s=%s" % (key, value))
    if unscored:
        lines.append("# unscored_ms=" + ";".join("%d-%d" % (a, b) for a, b in unscored))
    lines.append(",".join(TRUTH_COLUMNS))
    for r in rows:
        cells = []
        for c in TRUTH_COLUMNS:
            v = r.get(c)
            if v is None or (isinstance(v, float) and np.isnan(v)):
                cells.append("")
            elif c == "stride_m":
                cells.append("%.4f" % v)
            elif c == "strike":
                cells.append(str(v))
            else:
                cells.append("%d" % round(v))
        lines.append(",".join(cells))
    atomic_write(path, "\n".join(lines) + "\n")


def retimed(truth, retime, start_ms, end_ms):
    """(rows for write_truth, unscored spans) of the truth's contacts in [start_ms, end_ms),
    every time (and span, clipped to that window) mapped by retime; stride lengths and strikes
    stay as they were."""
    rows = [
        {
            "t_ms": retime(t),
            "to_ms": retime(truth.to_ms[k]),
            "flat_end_ms": retime(truth.flat_end_ms[k]),
            "stride_m": truth.stride_m[k],
            "strike": truth.strike[k],
        }
        for k, t in enumerate(truth.t_ms)
        if start_ms <= t < end_ms
    ]
    spans = [
        (retime(max(a, start_ms)), retime(min(b, end_ms)))
        for a, b in truth.unscored
        if b > start_ms and a < end_ms
    ]
    return rows, spans


def retime_truth(
    trace_path, out_trace_path, retime, start_ms=-math.inf, end_ms=math.inf, lead_ms=0
):
    """Write the truth file beside trace_path (if there is one) beside out_trace_path: the rows
    whose contact lies in [start_ms, end_ms), with every time (and unscored span, clipped to
    that window) mapped by retime; stride lengths and strikes stay as they were. lead_ms: the
    first that many ms of the window are unscored too."""
    truth_path = trace_path[:-4] + ".truth.csv"
    if not os.path.exists(truth_path):
        return
    truth = read_truth(truth_path)
    rows, spans = retimed(truth, retime, start_ms, end_ms)
    if lead_ms > 0:
        spans.insert(0, (retime(start_ms), retime(start_ms + lead_ms)))
    meta = dict(truth.meta)
    meta.pop("unscored_ms", None)
    write_truth(out_trace_path[:-4] + ".truth.csv", rows, meta, spans)


def _read_table(path, required, text_columns, what, others=()):
    """others: (column, what a file with that column is) for files often given by mistake."""
    lines = read_lines(path)
    meta, meta_lines, i = read_meta(lines)
    if i == len(lines):
        raise TraceError(path, i, "expected a header row with %s" % ",".join(required))
    header = [c.strip() for c in lines[i].split(",")]
    for column, kind in others:
        if column in header:
            raise TraceError(
                path, i + 1, "this is %s (it has %s); expected %s" % (kind, column, what)
            )
    seen = set()
    for name in header:
        if name in seen:
            raise TraceError(path, i + 1, "column %r appears twice" % name)
        seen.add(name)
    missing = [c for c in required if c not in header]
    if missing:
        raise TraceError(
            path,
            i + 1,
            "missing column %s; expected %s" % (", ".join(missing), ",".join(required)),
        )
    cols = {name: [] for name in header}
    for k, raw in enumerate(lines[i + 1 :], start=i + 2):
        if not raw.strip():
            continue
        cells = raw.split(",")
        if len(cells) != len(header):
            raise TraceError(path, k, "expected %d values, got %d" % (len(header), len(cells)))
        for name, cell in zip(header, cells):
            cell = cell.strip()
            if name == "strike" and cell not in STRIKES + ("",):
                raise TraceError(
                    path, k, "column strike: expected heel, mid, fore or nothing, got %r" % cell
                )
            if name in text_columns:
                cols[name].append(cell)
                continue
            try:
                value = float(cell) if cell else np.nan
            except ValueError:
                value = None
            # every row is a contact: its time cannot be unknown
            if name == "t_ms" and (value is None or not np.isfinite(value)):
                raise TraceError(path, k, "column t_ms: expected a time in ms, got %r" % cell)
            if value is None or (cell and not np.isfinite(value)):
                raise TraceError(
                    path, k, "column %s: expected a number or nothing, got %r" % (name, cell)
                )
            if name == "t_ms" and cols[name] and value <= cols[name][-1]:
                raise TraceError(
                    path, k, "t_ms must increase: %s after %g" % (cell, cols[name][-1])
                )
            cols[name].append(value)
    out = {n: (v if n in text_columns else np.array(v, dtype=float)) for n, v in cols.items()}
    return meta, meta_lines, out


def read_truth(path):
    meta, meta_lines, cols = _read_table(
        path,
        ("t_ms",),
        ("strike",),
        "a truth file (t_ms[,to_ms,strike,stride_m,flat_end_ms])",
        (("ax_mg", "a trace"), ("gct_ms", "an events file")),
    )
    reference = meta.get("reference", "contact")
    if reference not in REFERENCES:
        raise TraceError(
            path,
            meta_lines["reference"],
            "reference: expected contact or foot_flat, got %r" % reference,
        )
    n = len(cols["t_ms"])
    empty = np.full(n, np.nan)
    unscored = []
    for part in meta.get("unscored_ms", "").split(";"):
        if part.strip():
            m = _SPAN.match(part)
            if not m or float(m.group(1)) > float(m.group(2)):
                raise TraceError(
                    path,
                    meta_lines["unscored_ms"],
                    "unscored_ms: expected START-END spans in ms (START <= END) separated "
                    "by ';', got %r" % part.strip(),
                )
            unscored.append((float(m.group(1)), float(m.group(2))))
    return Truth(
        str(path),
        meta,
        cols["t_ms"],
        cols.get("to_ms", empty),
        cols.get("strike", [""] * n),
        cols.get("stride_m", empty),
        cols.get("flat_end_ms", empty),
        unscored,
    )


def read_events(path):
    _, _, cols = _read_table(
        path,
        EVENT_COLUMNS,
        ("strike", "activity"),
        "an events file (%s,...)" % ",".join(EVENT_COLUMNS),
        (("ax_mg", "a trace"), ("flat_end_ms", "a truth file")),
    )
    return Events(str(path), cols)
