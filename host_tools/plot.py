"""Draw a trace with its detected contacts, toe-offs, strike labels and cadence to a PNG."""

import os

import numpy as np

from .outfiles import check_output
from .trace import read_trace
from .truth import read_events, read_truth

STRIKE_COLOURS = {"heel": "tab:red", "mid": "tab:orange", "fore": "tab:green", "": "tab:gray"}


def plot_trace(
    trace_path, events_path=None, out="trace.png", start_s=0.0, seconds=None, truth_path=None
):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backend_bases import FigureCanvasBase

    # matplotlib would add ".png" to a name without one, and the caller would name a file that
    # is not there: the picture goes exactly where asked, as PNG unless the name says otherwise
    fmt = os.path.splitext(out)[1][1:].lower() or "png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if fmt not in formats:
        raise ValueError(
            "%s: cannot draw a .%s file; expected one of .%s"
            % (out, fmt, ", .".join(sorted(formats)))
        )
    check_output(out, (trace_path, events_path))
    trace = read_trace(trace_path)
    t = trace.t_ms / 1000.0
    if not 0.0 <= start_s <= t[-1]:
        raise ValueError(
            "--start %g s: expected 0 to %.1f s (the length of %s)" % (start_s, t[-1], trace_path)
        )
    if seconds is not None and not (seconds > 0.0 and np.isfinite(seconds)):
        raise ValueError("--seconds %g: expected a length above 0 s" % seconds)
    if events_path is None:
        import tempfile

        from .replay import replay_file

        with tempfile.TemporaryDirectory() as tmp:
            events_path = os.path.join(tmp, "events.csv")
            replay_file(trace_path, events_path, progress=False)
            events = read_events(events_path)
    else:
        events = read_events(events_path)
    if truth_path is None:
        guess = trace_path[:-4] + ".truth.csv"
        truth_path = guess if os.path.exists(guess) else None
    truth = read_truth(truth_path) if truth_path else None

    end = t[-1] if seconds is None else start_s + seconds
    sel = (t >= start_s) & (t <= end)
    cols = events.columns
    ic = cols["t_ms"] / 1000.0
    to = cols["to_ms"] / 1000.0
    in_win = (ic >= start_s) & (ic <= end)

    rows = 3 if trace.has_gyro else 2
    fig, axes = plt.subplots(rows, 1, figsize=(14, 3 * rows), sharex=True)
    ax = axes[0]
    norm = np.sqrt((trace.acc_mg[sel] ** 2).sum(axis=1)) / 1000.0
    ax.plot(t[sel], norm, lw=0.8, color="black", label="|acceleration|")
    ax.set_ylabel("g")
    top = float(norm.max()) if len(norm) else 1.0
    for k in np.flatnonzero(in_win):
        strike = cols["strike"][k]
        ax.axvline(ic[k], color=STRIKE_COLOURS.get(strike, "tab:gray"), lw=1.2)
        if strike:
            ax.text(ic[k], top, strike, rotation=90, va="top", ha="right", fontsize=7)
        if not np.isnan(to[k]):
            ax.axvline(to[k], color="tab:blue", lw=0.8, ls="--")
    if truth is not None:
        for r in truth.t_ms / 1000.0:
            if start_s <= r <= end:
                ax.plot([r], [0.0], marker="^", color="tab:purple", ms=7)
    ax.set_title(
        "%s: contacts (solid, coloured by strike; grey: none), toe-offs (dashed)%s"
        % (os.path.basename(trace_path), ", reference (triangles)" if truth else "")
    )
    if trace.has_gyro:
        axes[1].plot(t[sel], trace.gyro_dps[sel], lw=0.6)
        axes[1].set_ylabel("deg/s")
        for k in np.flatnonzero(in_win):
            axes[1].axvline(ic[k], color="gray", lw=0.5)
    ax = axes[-1]
    cad = cols["cadence_spm"]
    avg = cols.get("cadence_avg_spm", np.full(len(ic), np.nan))
    ax.plot(ic[in_win], cad[in_win], "o", ms=3, label="per step")
    ax.plot(ic[in_win], avg[in_win], "-", label="smoothed")
    ax.set_ylabel("steps/min")
    ax.set_xlabel("time (s)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    part = out + ".part"
    try:
        fig.savefig(part, dpi=80, format=fmt)
        os.replace(part, out)
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
    finally:
        plt.close(fig)
    return out
