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

from dataclasses import dataclass

import numpy as np

from .trace import TraceError, atomic_write

TRUTH_MAGIC = "# footfall-truth v1"
TRUTH_COLUMNS = ("t_ms", "to_ms", "strike", "stride_m", "flat_end_ms")
EVENT_COLUMNS = ("t_ms", "to_ms", "gct_ms", "strike", "cadence_spm", "stride_m", "speed_mps")
STRIKES = ("heel", "mid", "fore")


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


def _read_table(path, required, text_columns):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise TraceError(path, 0, "cannot read: %s" % e) from None
    meta = {}
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        body = lines[i][1:].strip()
        if "=" in body:
            key, _, value = body.partition("=")
            meta[key.strip()] = value.strip()
        i += 1
    if i == len(lines):
        raise TraceError(path, i, "expected a header row with %s" % ",".join(required))
    header = [c.strip() for c in lines[i].split(",")]
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
            if name in text_columns:
                cols[name].append(cell)
                continue
            try:
                cols[name].append(float(cell) if cell else np.nan)
            except ValueError:
                raise TraceError(
                    path, k, "column %s: expected a number or nothing, got %r" % (name, cell)
                ) from None
    out = {n: (v if n in text_columns else np.array(v, dtype=float)) for n, v in cols.items()}
    return meta, out


def read_truth(path):
    meta, cols = _read_table(path, ("t_ms",), ("strike",))
    n = len(cols["t_ms"])
    empty = np.full(n, np.nan)
    unscored = []
    for part in meta.get("unscored_ms", "").split(";"):
        if part.strip():
            a, _, b = part.partition("-")
            unscored.append((float(a), float(b)))
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
    meta, cols = _read_table(path, EVENT_COLUMNS, ("strike", "activity"))
    return Events(str(path), cols)
