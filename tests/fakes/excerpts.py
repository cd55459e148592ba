"""Host-only (numpy, host_tools): the gait engine replayed on the committed excerpts under
tests/data/, and its records scored as `evaluate` scores them."""

import os

import numpy as np
from footfall.gait import GaitEngine
from footfall.gait import record as R

from host_tools.evaluate import score
from host_tools.trace import Trace, read_trace
from host_tools.truth import Events, read_truth

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def run(t, acc, gyro, rate, eng=None):
    eng = eng or GaitEngine(rate_hz=rate, gyro=gyro is not None)
    rec = [0] * R.N_FIELDS
    out = []
    # in engine units, rounded and clipped as `replay` gives them to the engine
    t, a, g = Trace("", {}, np.asarray(t), np.asarray(acc), gyro).engine_input()
    t, a = t.tolist(), a.tolist()
    g = None if g is None else g.tolist()
    for i in range(len(t)):
        if g is None:
            eng.update(t[i], *a[i])
        else:
            eng.update(t[i], *a[i], *g[i])
        while eng.pop(rec):
            out.append(list(rec))
    eng.flush()
    while eng.pop(rec):
        out.append(list(rec))
    return np.array(out, dtype=float).reshape(-1, R.N_FIELDS)


def scored(rows, name, folder=DATA):
    """The engine's records scored against the excerpt's truth, as `evaluate` scores them."""
    truth = read_truth(os.path.join(folder, name + ".truth.csv"))
    known = np.where(rows == R.UNKNOWN, np.nan, rows)
    cols = {
        "t_ms": known[:, R.IC_MS],
        "gct_ms": known[:, R.GCT_MS],
        "stride_m": known[:, R.STRIDE_MM] / 1000.0,
        "cadence_spm": known[:, R.CADENCE] / 10.0,
        "strike": [""] * len(rows),
    }
    return score(Events("e", cols), truth)


def f1(rows, name, folder=DATA):
    return scored(rows, name, folder).f1


def load(name):
    tr = read_trace(os.path.join(DATA, name + ".csv"))
    return tr.t_ms, tr.acc_mg, tr.gyro_dps, tr.rate_hz
