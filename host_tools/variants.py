"""The shared recordings as other sensors would have made them, for `make accuracy`.

The engine will meet recordings that are not in ../shared: insoles sampling at 100 Hz, sensors
mounted any way round. Each variant rewrites every converted trace that way (the truth files are
unchanged: the same steps happened), and the engine is scored on it exactly as on the
originals, so a figure that holds only at 200 Hz or only for one mounting shows up here:

- 100hz: the mean of each two samples, as an IMU at half the rate (which filters before it
  samples) would have recorded (a trace under 150 Hz is kept as it is);
- 400hz: twice the rate, the midpoint of each two samples put between them, as an IMU sampling
  twice as fast would have recorded the same motion (only what this recording holds: linear,
  so no filter rings before an impact; a 204.8 Hz trace becomes 409.6 Hz);
- turned: the sensor's axes rotated by a random rotation per trace (seeded, so repeatable),
  every second trace mirrored too (a left foot's recording turned into a right foot's, as some
  datasets publish them);
- offset: each gyro axis reads a constant offset, random within +-20 deg/s per trace (seeded),
  as uncalibrated IMUs do (LSM6DS3: +-10 deg/s at rest; MPU-6050: up to +-20);
- biased: each accelerometer axis reads a constant zero-g offset, random within +-60 mg per
  trace (seeded), as uncalibrated accelerometers do (LIS3DH and LSM6DS3: +-40 mg typical;
  MPU-6050: +-50 mg, +-80 mg on z);
- coarse: white noise, then the steps of cheap sensors at +-16 g and +-2000 deg/s: the
  LIS3DH's 12 mg (high-resolution mode) and the LSM6DS3's 70 mdeg/s;
- slow: played 1.3 times slower (host_tools/slowed.py), as a slower walker (85 steps/min) or
  jogger (130) would have moved; its truth's times stretch too. Timing errors stretch with
  them, so a contact 50 ms off becomes 65 ms off and misses F1's +-60 ms;
- fast: played at 0.8 of its time, as a faster runner (PyShoe's at about 205 steps/min) or a
  brisker walker would have moved: shorter stances and swings, harder impacts;
- damped: the acceleration through a 20 Hz low-pass filter (second order, causal), as a
  sensor in an insole's foam, or in a soft shoe, feels the impacts: spread out and late;
- clipped: the acceleration clipped at +-8 g on each axis, as an IMU set to that range (a
  common setting of the MPU-6050 and the LSM6DS3) records a running heel strike;
- moving: the recording starts 2.3 s after its first reference contact, in motion, as after a
  reset mid-run: no standing to learn gravity and the gyro's offset from. Its truth is cut
  with it, its first half second unscored;
- reset: moving, and its gyro reads the offset variant's offset: an uncalibrated board reset
  mid-walk, whose offset must be learnt in motion (or a recording that never stands still);
- clock: the IMU's sample clock 3% fast: the samples and their times are the recording's, but
  the rate the engine is told (the IMU's nominal one) is 3% lower than they were taken at, as
  a cheap IMU's internal oscillator runs a few percent off while the board's clock stamps the
  samples;
- lossy: samples lost, in runs of 1 to 10 in a row (up to 50 ms at 200 Hz), once a second on
  average at random (seeded), as a board whose loop stalls past its IMU's FIFO, or a link that
  drops packets, loses them: the engine bridges each gap (offset.py `_bridge`).

A real sensor does several of these at once, so four more apply some in turn:
- insole: damped, 100hz, turned (a sensor in an insole's foam, at 100 Hz, any way round);
- cheap: turned, offset, biased, coarse, 100hz (an uncalibrated MPU-6050 breakout at 100 Hz);
- slow100: slow, 100hz (a slower walker, at 100 Hz);
- slowstart: slow, moving (a slower walker or jogger whose board was reset mid-stride).
"""

import hashlib
import math
import os
import shutil

import numpy as np
from scipy.signal import butter, lfilter

from .datasets import excerpt
from .evaluate import evaluate_paths, groups
from .evaluate_table import cell, share
from .outfiles import atomic_write, stamp_holds
from .replay import list_traces, replay_many
from .slowed import FAST_FACTOR, SLOW_FACTOR, slow_down
from .trace import read_trace, write_trace
from .truth import read_truth

COMBINED = {
    "insole": ("damped", "100hz", "turned"),
    "cheap": ("turned", "offset", "biased", "coarse", "100hz"),
    "slow100": ("slow", "100hz"),
    "slowstart": ("slow", "moving"),
}
VARIANTS = (
    "100hz",
    "400hz",
    "turned",
    "offset",
    "biased",
    "coarse",
    "slow",
    "fast",
    "damped",
    "clipped",
    "moving",
    "reset",
    "clock",
    "lossy",
) + tuple(COMBINED)
DAMPED_HZ = 20.0
MIN_HALVED_HZ = 150.0  # 100hz halves only a trace sampled this fast or faster
CLIP_MG = 8000.0
MOVING_AFTER_MS = 2300.0  # a stride and a half into the walk or run: mid-stride
MOVING_LEAD_MS = 500.0
CLOCK_FAST = 1.03
LOST_RUNS_PER_S = 1.0
LOST_RUN_MAX = 10  # samples
ACC_BIAS_MG = 60.0
_GROUPS = ("pyshoe running", "pyshoe walking", "gaitmap walking")


def rotation(seed, mirror):
    """A random rotation matrix (seeded); mirror: one axis flipped too."""
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))  # uniform over rotations
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    if mirror:
        q[:, 2] = -q[:, 2]
    return q


def make_variant(kind, src_dir, out_dir):
    """Write every trace of src_dir (with its truth file) to out_dir as variant `kind`."""
    if kind not in VARIANTS:
        raise ValueError("variant must be one of %s, got %r" % (", ".join(VARIANTS), kind))
    if kind in COMBINED:
        _combined(kind, src_dir, out_dir)
        return
    os.makedirs(out_dir, exist_ok=True)
    for k, path in enumerate(list_traces(src_dir)):
        out = os.path.join(out_dir, os.path.basename(path))
        if kind == "100hz":
            # a trace sampled at about 100 Hz already (gaitmap's ic_stride, 102.4 Hz) is kept
            # as it is: halved, it would be below the engine's 100-400 Hz
            rate = read_trace(path).rate_hz
            every, note = 2, "variant 100hz: the mean of each two samples"
            if rate < MIN_HALVED_HZ:
                every, note = 1, "variant 100hz: kept at its own %d Hz" % rate
            excerpt(path, out, 0, math.inf, note, every)
            continue
        if kind in ("moving", "reset"):
            start = read_truth(path[:-4] + ".truth.csv").t_ms[0] + MOVING_AFTER_MS
            # a contact in the first half second began a stance under way when the recording
            # did, its swing unseen: nobody scores it
            note = "variant %s: starts in motion" % kind
            excerpt(path, out, start, math.inf, note, 1, MOVING_LEAD_MS)
            if kind == "reset":
                tr = read_trace(out)
                if tr.gyro_dps is not None:
                    off = gyro_offset(k)
                    meta = dict(tr.meta, note=note + ", gyro offset %s deg/s" % np.round(off, 2))
                    write_trace(out, tr.t_ms, tr.acc_mg, tr.gyro_dps + off, meta)
            continue
        if kind == "slow":
            slow_down(path, out, SLOW_FACTOR, "variant slow: %.1f times slower" % SLOW_FACTOR)
            continue
        if kind == "fast":
            slow_down(path, out, FAST_FACTOR, "variant fast: at %.1f of its time" % FAST_FACTOR)
            continue
        tr = read_trace(path)
        if kind == "400hz":
            rate = "%g" % (2 * float(tr.meta.get("rate_hz", tr.rate_hz)))
            meta = dict(tr.meta, rate_hz=rate, note="variant 400hz: midpoints put between samples")
            gyro = None if tr.gyro_dps is None else _doubled(tr.gyro_dps)
            _write(out, path, _doubled(tr.t_ms), _doubled(tr.acc_mg), gyro, meta)
            continue
        if kind == "coarse":
            rng = np.random.default_rng(k)
            acc = _steps(tr.acc_mg + rng.normal(0.0, 3.0, tr.acc_mg.shape), 12.0)
            gyro = tr.gyro_dps
            if gyro is not None:
                gyro = _steps(gyro + rng.normal(0.0, 0.1, gyro.shape), 0.07)
            meta = dict(tr.meta, note="variant coarse: 12 mg and 0.07 deg/s steps, noise")
            _write(out, path, tr.t_ms, acc, gyro, meta)
            continue
        if kind == "damped":
            b, a = butter(2, DAMPED_HZ / (tr.rate_hz / 2.0))
            # from the first sample's level, so the filter does not start from zero
            acc = lfilter(b, a, tr.acc_mg - tr.acc_mg[0], axis=0) + tr.acc_mg[0]
            meta = dict(
                tr.meta, note="variant damped: acceleration low-passed at %g Hz" % DAMPED_HZ
            )
            _write(out, path, tr.t_ms, acc, tr.gyro_dps, meta)
            continue
        if kind == "clipped":
            meta = dict(tr.meta, note="variant clipped: acceleration within +-%g mg" % CLIP_MG)
            acc = np.clip(tr.acc_mg, -CLIP_MG, CLIP_MG)
            _write(out, path, tr.t_ms, acc, tr.gyro_dps, meta)
            continue
        if kind == "biased":
            off = np.random.default_rng(1000 + k).uniform(-ACC_BIAS_MG, ACC_BIAS_MG, size=3)
            meta = dict(tr.meta, note="variant biased: zero-g offset %s mg" % np.round(off, 1))
            _write(out, path, tr.t_ms, tr.acc_mg + off, tr.gyro_dps, meta)
            continue
        if kind == "clock":
            rate = "%.1f" % (float(tr.meta.get("rate_hz", tr.rate_hz)) / CLOCK_FAST)
            meta = dict(tr.meta, rate_hz=rate, note="variant clock: the IMU 3% fast")
            _write(out, path, tr.t_ms, tr.acc_mg, tr.gyro_dps, meta)
            continue
        if kind == "lossy":
            keep = kept_samples(len(tr.t_ms), tr.rate_hz, 3000 + k)
            meta = dict(tr.meta, note="variant lossy: %d samples lost" % (len(keep) - keep.sum()))
            gyro = None if tr.gyro_dps is None else tr.gyro_dps[keep]
            _write(out, path, tr.t_ms[keep], tr.acc_mg[keep], gyro, meta)
            continue
        if kind == "offset":
            off = gyro_offset(k)
            gyro = None if tr.gyro_dps is None else tr.gyro_dps + off
            meta = dict(tr.meta, note="variant offset: gyro offset %s deg/s" % np.round(off, 2))
            _write(out, path, tr.t_ms, tr.acc_mg, gyro, meta)
            continue
        q = rotation(k, mirror=k % 2 == 1)
        meta = dict(tr.meta, note="variant turned: axes rotated (seed %d)" % k)
        # rotation is a pseudovector: mirrored, it also changes sign (a mirror-image foot
        # turns the other way), or the gyro would disagree with the accelerometer
        gyro = None if tr.gyro_dps is None else tr.gyro_dps @ (np.linalg.det(q) * q).T
        _write(out, path, tr.t_ms, tr.acc_mg @ q.T, gyro, meta)


def _combined(kind, src_dir, out_dir):
    parts = COMBINED[kind]
    src = src_dir
    for k, part in enumerate(parts):
        out = out_dir if k == len(parts) - 1 else "%s.part%d" % (out_dir.rstrip(os.sep), k)
        make_variant(part, src, out)
        if src != src_dir:
            shutil.rmtree(src)
        src = out
    note = "variant %s: %s" % (kind, ", then ".join(parts))
    for path in list_traces(out_dir):
        tr = read_trace(path)
        write_trace(path, tr.t_ms, tr.acc_mg, tr.gyro_dps, dict(tr.meta, note=note))


def gyro_offset(seed):
    """A constant gyro offset per axis, deg/s, random within +-20 (seeded)."""
    return np.random.default_rng(seed).uniform(-20.0, 20.0, size=3)


def kept_samples(n, rate_hz, seed):
    """Which of n samples survive the lossy variant's losses (seeded): a boolean mask, the
    first and last samples kept."""
    rng = np.random.default_rng(seed)
    keep = np.ones(n, dtype=bool)
    for start in np.flatnonzero(rng.random(n) < LOST_RUNS_PER_S / rate_hz):
        keep[start : start + rng.integers(1, LOST_RUN_MAX + 1)] = False
    keep[0] = keep[-1] = True
    return keep


def _doubled(values):
    # each two samples' midpoint put between them (the last sample has none after it)
    out = np.repeat(values, 2, axis=0)[:-1]
    out[1::2] = (values[:-1] + values[1:]) / 2.0
    return out


def _steps(values, step):
    return np.round(values / step) * step


def _write(out, src, t_ms, acc, gyro, meta):
    write_trace(out, t_ms, acc, gyro, meta)
    truth = src[:-4] + ".truth.csv"
    if os.path.exists(truth):
        shutil.copyfile(truth, out[:-4] + ".truth.csv")


def variant_report(src_dir, work):
    """Replay and score every variant, with and without the gyro; one line per group."""
    lines = [
        "%-9s %-6s %-16s %6s %9s %8s %11s %6s"
        % ("variant", "sensor", "group", "F1", "GCT MAE", "TO MAE", "stride err", "heel")
    ]
    recipe = _recipe()
    for kind in VARIANTS:
        traces = os.path.join(work, "variant_" + kind)
        stamp = os.path.join(traces, ".made")
        if not stamp_holds(stamp, recipe):
            # not made yet, or by other code: a variant changed since is made again
            if os.path.isdir(traces):
                shutil.rmtree(traces)
            make_variant(kind, src_dir, traces)
            atomic_write(stamp, recipe)
        # an offset in the gyro changes nothing without it
        for accel_only in (False,) if kind in ("offset", "reset") else (False, True):
            ev = traces + ("_events_accel_only" if accel_only else "_events")
            replay_many(list_traces(traces), ev, accel_only=accel_only)
            g = groups(evaluate_paths(ev, traces))
            for name in _GROUPS:
                if name in g:
                    lines.append(_line(kind, "accel" if accel_only else "gyro", name, g[name]))
    return "\n".join(lines)


def _recipe():
    # what the variants' traces are made by besides the recordings: this code and its helpers
    h = hashlib.sha1()
    for module in ("variants.py", "slowed.py", "datasets.py"):
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), module), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def _line(kind, sensor, name, s):
    gct = cell(np.abs(s.gct_err), np.mean, fmt="%.1f ms")
    to = cell(np.abs(s.to_err), np.mean, fmt="%.1f ms")
    stride = cell(np.abs(s.stride_rel), scale=100.0, fmt="%.1f%%")
    # (no strike class without a gyro)
    heel = share([x == "heel" for x in s.strikes]) if sensor != "accel" else "-"
    cells = (kind, sensor, name, s.f1, gct, to, stride, heel)
    return "%-9s %-6s %-16s %6.3f %9s %8s %11s %6s" % cells
