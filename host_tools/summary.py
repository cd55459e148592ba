"""The human-readable summary of a replay: what a runner or researcher wants at a glance."""

import numpy as np


def summarize(replay):
    from footfall.gait import record as R

    rows = np.array(replay.rows, dtype=float).reshape(-1, R.N_FIELDS)
    rows[rows == R.UNKNOWN] = np.nan
    out = {
        "trace": replay.trace,
        "engine": replay.engine,
        "duration_s": replay.duration_ms / 1000.0,
        "strides": replay.strides,
        "steps": 2 * replay.strides,
        "distance_m": replay.distance_mm / 1000.0,
    }

    def med(field, scale):
        col = rows[:, field]
        col = col[~np.isnan(col)]
        return float(np.median(col)) / scale if len(col) else None

    out["cadence_spm"] = med(R.CADENCE, 10)
    out["contact_ms"] = med(R.GCT_MS, 1)
    out["stride_m"] = med(R.STRIDE_MM, 1000)
    out["speed_mps"] = med(R.SPEED_MMPS, 1000)
    out["impact_g"] = med(R.IMPACT_MG, 1000)
    strikes = rows[:, R.STRIKE]
    known = strikes[~np.isnan(strikes)]
    out["strike"] = {
        name: (float(np.mean(known == code)) if len(known) else None)
        for code, name in ((R.STRIKE_HEEL, "heel"), (R.STRIKE_MID, "mid"), (R.STRIKE_FORE, "fore"))
    }
    acts = rows[:, R.ACTIVITY]
    out["running_share"] = (
        float(np.mean(acts[~np.isnan(acts)] == R.RUNNING)) if len(acts) else None
    )
    return out


def format_summary(s):
    def f(v, fmt):
        return "-" if v is None else fmt % v

    strike = s["strike"]
    lines = [
        "%s (%s)" % (s["trace"], s["engine"]),
        "  duration      %s s" % f(s["duration_s"], "%.1f"),
        "  steps         %d (%d of the instrumented foot)" % (s["steps"], s["strides"]),
        "  cadence       %s steps/min (median, both feet)" % f(s["cadence_spm"], "%.1f"),
        "  contact time  %s ms (median)" % f(s["contact_ms"], "%.0f"),
        "  foot strike   heel %s  mid %s  fore %s"
        % (
            f(_pct(strike["heel"]), "%.0f%%"),
            f(_pct(strike["mid"]), "%.0f%%"),
            f(_pct(strike["fore"]), "%.0f%%"),
        ),
        "  stride        %s m (median), speed %s m/s"
        % (f(s["stride_m"], "%.2f"), f(s["speed_mps"], "%.2f")),
        "  distance      %s m" % f(s["distance_m"], "%.1f"),
        "  impact        %s g (median peak)" % f(s["impact_g"], "%.1f"),
        "  running       %s of steps" % f(_pct(s["running_share"]), "%.0f%%"),
    ]
    return "\n".join(lines)


def _pct(v):
    return None if v is None else 100.0 * v
