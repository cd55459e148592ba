"""`make accuracy`'s variants: each rewrites the recordings the way its sensor would have made
them, and leaves the truth (the same steps happened) alone."""

import os
import shutil

import numpy as np
import pytest

from host_tools.slowed import gravity_track, slow_down
from host_tools.trace import read_trace
from host_tools.truth import read_truth
from host_tools.variants import (
    CLIP_MG,
    COMBINED,
    FAST_FACTOR,
    LOST_RUN_MAX,
    MOVING_AFTER_MS,
    SLOW_FACTOR,
    VARIANTS,
    make_variant,
)

DATA = os.path.join(os.path.dirname(__file__), "data")
NAMES = ("pyshoe_run_excerpt", "gaitmap_walk_excerpt")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    for name in NAMES:
        for ext in (".csv", ".truth.csv"):
            shutil.copyfile(os.path.join(DATA, name + ext), os.path.join(src, name + ext))
    out = {}
    for kind in VARIANTS:
        out[kind] = str(tmp_path_factory.mktemp(kind))
        make_variant(kind, str(src), out[kind])
    return str(src), out


@pytest.mark.parametrize(
    "kind",
    [k for k in VARIANTS if k not in ("slow", "fast", "moving", "reset", "slow100", "slowstart")],
)
def test_every_variant_keeps_the_truth_and_the_duration(made, kind):
    src, out = made
    for name in NAMES:
        with open(os.path.join(src, name + ".truth.csv")) as a:
            with open(os.path.join(out[kind], name + ".truth.csv")) as b:
                assert a.read() == b.read()
        a, b = (
            read_trace(os.path.join(src, name + ".csv")),
            read_trace(os.path.join(out[kind], name + ".csv")),
        )
        assert abs(a.t_ms[-1] - b.t_ms[-1]) <= 10
        assert (b.gyro_dps is None) == (a.gyro_dps is None)


def test_coarse_is_on_the_cheap_sensors_steps_and_near_the_original(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["coarse"], name + ".csv"))
        assert len(a.t_ms) == len(b.t_ms)
        steps = b.acc_mg / 12.0
        assert np.allclose(steps, np.round(steps), atol=1e-3)
        assert np.all(np.abs(b.acc_mg - a.acc_mg) <= 6 + 5 * 3.0)  # half a step + 5 sigma
        gsteps = b.gyro_dps / 0.07
        assert np.allclose(gsteps, np.round(gsteps), atol=1e-2)
        assert 0 < np.std(b.acc_mg - a.acc_mg) < 8


@pytest.mark.parametrize("kind, limit", [("offset", 20.0), ("biased", 60.0)])
def test_offset_and_biased_add_one_constant_per_axis(made, kind, limit):
    # offset: to the gyro, within 20 deg/s; biased: to the accelerometer, within 60 mg
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out[kind], name + ".csv"))
        gyro, acc = b.gyro_dps - a.gyro_dps, b.acc_mg - a.acc_mg
        d, kept = (gyro, acc) if kind == "offset" else (acc, gyro)
        assert np.allclose(d, d[0], atol=0.01) and np.all(np.abs(d[0]) <= limit)
        assert np.abs(d[0]).max() > limit / 10  # (seeded: not all three near zero)
        assert np.allclose(kept, 0.0, atol=0.01)


def test_turned_keeps_every_magnitude_and_100hz_halves_the_rate(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["turned"], name + ".csv"))
        assert np.allclose(
            np.linalg.norm(a.acc_mg, axis=1), np.linalg.norm(b.acc_mg, axis=1), atol=0.1
        )
        assert np.allclose(
            np.linalg.norm(a.gyro_dps, axis=1), np.linalg.norm(b.gyro_dps, axis=1), atol=0.01
        )
        assert not np.allclose(a.acc_mg, b.acc_mg, atol=50)
        h = read_trace(os.path.join(out["100hz"], name + ".csv"))
        assert abs(len(h.t_ms) - len(a.t_ms) / 2) <= 1


def test_400hz_doubles_the_rate_with_each_two_samples_midpoint_between_them(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["400hz"], name + ".csv"))
        assert len(b.t_ms) == 2 * len(a.t_ms) - 1
        assert abs(float(b.meta["rate_hz"]) - 2 * float(a.meta["rate_hz"])) < 0.01
        # (within the trace format's last decimal: 0.001 ms, 0.1 mg, 0.01 deg/s)
        for old, new, tol in (
            (a.t_ms, b.t_ms, 0.001),
            (a.acc_mg, b.acc_mg, 0.06),
            (a.gyro_dps, b.gyro_dps, 0.006),
        ):
            assert np.allclose(new[0::2], old, atol=tol)  # the samples as they were
            assert np.allclose(new[1::2], (old[:-1] + old[1:]) / 2, atol=tol)


def test_100hz_keeps_a_trace_already_sampled_near_100_hz(made, tmp_path):
    # gaitmap's ic_stride recording is at 102.4 Hz: halved again it would be at 51.2 Hz, a
    # sensor the engine is not made for, and the variant would score something nobody has
    _, out = made
    again = str(tmp_path / "again")
    make_variant("100hz", out["100hz"], again)
    for name in NAMES:
        once = read_trace(os.path.join(out["100hz"], name + ".csv"))
        twice = read_trace(os.path.join(again, name + ".csv"))
        assert once.rate_hz < 150
        assert np.array_equal(twice.t_ms, once.t_ms)
        assert np.allclose(twice.acc_mg, once.acc_mg, atol=0.01)
        assert "kept at its own" in twice.meta["note"]


def test_moving_starts_mid_stride_with_its_truth_cut_and_retimed(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["moving"], name + ".csv"))
        ta = read_truth(os.path.join(src, name + ".truth.csv"))
        tb = read_truth(os.path.join(out["moving"], name + ".truth.csv"))
        start = ta.t_ms[0] + MOVING_AFTER_MS
        first = np.searchsorted(a.t_ms, start)
        assert b.t_ms[0] == 0 and np.allclose(b.t_ms, a.t_ms[first:] - a.t_ms[first])
        assert np.array_equal(b.acc_mg, a.acc_mg[first:])
        # no standing at the start: the foot is moving within the first second
        assert np.abs(b.gyro_dps[: int(b.rate_hz)]).sum(axis=1).max() > 100
        kept = ta.t_ms[ta.t_ms >= start]
        assert len(tb.t_ms) == len(kept) >= 5
        assert np.allclose(tb.t_ms, kept - a.t_ms[first], atol=0.5)
        # a stance under way when it starts is nobody's to score
        lead = tb.unscored[0]
        assert -10 <= lead[0] <= 0 and abs(lead[1] - lead[0] - 500) <= 1, lead


def test_clock_tells_a_rate_3_percent_low_and_changes_nothing_else(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["clock"], name + ".csv"))
        told = float(b.meta["rate_hz"]) * 1.03
        assert abs(told - float(a.meta["rate_hz"])) < 0.1
        assert np.allclose(b.t_ms, a.t_ms) and np.allclose(b.acc_mg, a.acc_mg, atol=0.01)
        assert np.allclose(b.gyro_dps, a.gyro_dps, atol=0.01)


def test_lossy_loses_runs_of_samples_about_once_a_second_and_changes_none_it_keeps(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["lossy"], name + ".csv"))
        at = np.searchsorted(a.t_ms, b.t_ms)  # where each sample kept was in the original
        assert np.allclose(a.t_ms[at], b.t_ms, atol=0.001)
        assert np.allclose(a.acc_mg[at], b.acc_mg, atol=0.06)
        assert np.allclose(a.gyro_dps[at], b.gyro_dps, atol=0.006)
        assert at[0] == 0 and at[-1] == len(a.t_ms) - 1
        runs = np.diff(at)[np.diff(at) > 1] - 1  # samples lost in a row
        seconds = (a.t_ms[-1] - a.t_ms[0]) / 1000
        assert 0.5 * seconds <= len(runs) <= 1.5 * seconds, (len(runs), seconds)
        # (two runs that overlap are one longer run)
        assert runs.min() >= 1 and runs.max() <= 2 * LOST_RUN_MAX and np.median(runs) >= 3


def test_reset_is_moving_with_the_offset_variants_gyro_offset(made):
    _, out = made
    for name in NAMES:
        m = read_trace(os.path.join(out["moving"], name + ".csv"))
        r = read_trace(os.path.join(out["reset"], name + ".csv"))
        o = read_trace(os.path.join(out["offset"], name + ".csv"))
        a = read_trace(os.path.join(made[0], name + ".csv"))
        assert np.array_equal(m.t_ms, r.t_ms) and np.allclose(m.acc_mg, r.acc_mg, atol=0.01)
        d = r.gyro_dps - m.gyro_dps
        assert np.allclose(d, (o.gyro_dps - a.gyro_dps)[0], atol=0.01)
        assert np.abs(d[0]).max() > 1
        for kind in ("moving", "reset"):
            with open(os.path.join(out[kind], name + ".truth.csv")) as f:
                if kind == "moving":
                    truth = f.read()
                else:
                    assert f.read() == truth


@pytest.mark.parametrize("kind", sorted(COMBINED))
def test_a_combined_variant_is_its_parts_applied_in_turn(made, kind, tmp_path):
    src, out = made
    step = src
    for k, part in enumerate(COMBINED[kind]):
        make_variant(part, step, str(tmp_path / str(k)))
        step = str(tmp_path / str(k))
    assert sorted(os.listdir(out[kind])) == sorted(os.listdir(step))  # no parts left over
    for name in NAMES:
        want = read_trace(os.path.join(step, name + ".csv"))
        got = read_trace(os.path.join(out[kind], name + ".csv"))
        assert np.array_equal(got.t_ms, want.t_ms) and np.array_equal(got.acc_mg, want.acc_mg)
        assert (got.gyro_dps is None and want.gyro_dps is None) or np.array_equal(
            got.gyro_dps, want.gyro_dps
        )
        assert got.meta["note"] == "variant %s: %s" % (kind, ", then ".join(COMBINED[kind]))
        # and what the parts do, seen from outside: the rate halved by 100hz, the duration
        # stretched by slow, the start cut by moving
        orig = read_trace(os.path.join(src, name + ".csv"))
        parts = COMBINED[kind]
        rate = orig.rate_hz / (2 if "100hz" in parts else 1)
        assert abs(1000.0 / np.median(np.diff(got.t_ms)) - rate) < 0.02 * rate
        end = orig.t_ms[-1] * (SLOW_FACTOR if "slow" in parts else 1)
        if "moving" in parts:
            assert got.t_ms[0] == 0 and got.t_ms[-1] < end - MOVING_AFTER_MS
        else:
            assert abs(got.t_ms[-1] - end) <= 15
        with open(os.path.join(step, name + ".truth.csv")) as a:
            with open(os.path.join(out[kind], name + ".truth.csv")) as b:
                assert a.read() == b.read()
    assert not [f for f in os.listdir(os.path.dirname(out[kind])) if ".part" in f]


def test_clipped_cuts_only_what_lies_beyond_the_range(made):
    src, out = made
    clipped = 0
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["clipped"], name + ".csv"))
        inside = np.abs(a.acc_mg) <= CLIP_MG
        assert np.array_equal(b.acc_mg[inside], a.acc_mg[inside])
        assert np.array_equal(b.acc_mg[~inside], CLIP_MG * np.sign(a.acc_mg[~inside]))
        assert np.array_equal(b.gyro_dps, a.gyro_dps) and np.array_equal(b.t_ms, a.t_ms)
        clipped += int((~inside).sum())
    assert clipped > 10  # the running excerpt's heel strikes pass 8 g


def test_damped_keeps_the_slow_motion_and_spreads_the_impacts_late(made):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out["damped"], name + ".csv"))
        assert np.array_equal(a.t_ms, b.t_ms) and np.array_equal(a.gyro_dps, b.gyro_dps)
        # the mean over the recording (gravity, the swing) stays; the sample-to-sample jumps of
        # the impacts shrink to a fraction
        assert np.allclose(b.acc_mg.mean(axis=0), a.acc_mg.mean(axis=0), atol=5)
        jump_a = np.abs(np.diff(a.acc_mg, axis=0)).max()
        jump_b = np.abs(np.diff(b.acc_mg, axis=0)).max()
        assert jump_b < 0.5 * jump_a, (jump_a, jump_b)
        # late, not early: the damped magnitude follows the original by 5-30 ms
        ma = np.linalg.norm(a.acc_mg, axis=1) - 1000.0
        mb = np.linalg.norm(b.acc_mg, axis=1) - 1000.0
        lags = range(-10, 11)
        best = max(lags, key=lambda k: np.dot(ma[20:-20], np.roll(mb, -k)[20:-20]))
        assert 5 <= best * 1000.0 / a.rate_hz <= 30, best


def test_an_unknown_variant_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="100hz, 400hz, turned, offset, biased.*'200hz'"):
        make_variant("200hz", DATA, str(tmp_path))


@pytest.mark.parametrize("kind, f", [("slow", SLOW_FACTOR), ("fast", FAST_FACTOR)])
def test_slow_and_fast_stretch_time_and_the_truth_and_scale_the_motion(made, kind, f):
    src, out = made
    for name in NAMES:
        a = read_trace(os.path.join(src, name + ".csv"))
        b = read_trace(os.path.join(out[kind], name + ".csv"))
        assert b.rate_hz == a.rate_hz
        assert abs(b.t_ms[-1] - a.t_ms[-1] * f) <= 10
        # a rotation is as far, over a longer (shorter) time: its peak rate divides by the factor
        peak_a = np.percentile(np.abs(a.gyro_dps), 99.5, axis=0)
        peak_b = np.percentile(np.abs(b.gyro_dps), 99.5, axis=0)
        assert np.allclose(peak_b, peak_a / f, rtol=0.1, atol=2.0)
        # gravity stays 1 g; the foot's own acceleration divides by the factor squared
        dyn_a = np.percentile(np.abs(np.linalg.norm(a.acc_mg, axis=1) - 1000.0), 99)
        dyn_b = np.percentile(np.abs(np.linalg.norm(b.acc_mg, axis=1) - 1000.0), 99)
        assert dyn_a / f**2 * 0.7 < dyn_b < dyn_a / f**2 * 1.3
        assert abs(np.linalg.norm(b.acc_mg[0]) - np.linalg.norm(a.acc_mg[0])) < 20  # standing
        ta = read_truth(os.path.join(src, name + ".truth.csv"))
        tb = read_truth(os.path.join(out[kind], name + ".truth.csv"))
        assert np.allclose(tb.t_ms, ta.t_ms * f, atol=1.0)
        assert np.allclose(tb.stride_m, ta.stride_m, equal_nan=True)
        assert np.allclose(tb.to_ms, ta.to_ms * f, atol=1.0, equal_nan=True)
        for (a0, a1), (b0, b1) in zip(ta.unscored, tb.unscored):
            assert abs(b0 - a0 * f) <= 1 and abs(b1 - a1 * f) <= 1


def test_gravity_tracking_follows_a_turn_the_accelerometer_cannot_see(made):
    # a sensor turned 90 deg about x in one second, its accelerometer blind (reading 0) while
    # it turns: the gyro alone carries gravity from z to y
    t = np.arange(0.0, 2000.0, 5.0)
    gyro = np.zeros((len(t), 3))
    gyro[(t >= 500) & (t < 1500), 0] = 90.0
    acc = np.zeros((len(t), 3))
    acc[t < 500] = (0.0, 0.0, 1000.0)
    g = gravity_track(t, acc, gyro)
    assert np.allclose(g[0], (0, 0, 1000), atol=1)
    # turned +90 deg about x, the sensor sees a fixed vector turn -90 deg: z goes to +y
    assert np.allclose(g[-1], (0, 1000, 0), atol=30)
    assert np.allclose(np.linalg.norm(g, axis=1), 1000.0)
    assert np.allclose(gravity_track(t, acc, -gyro)[-1], (0, -1000, 0), atol=30)


def test_slowing_needs_a_gyro(tmp_path):
    from host_tools.trace import write_trace

    path = str(tmp_path / "a.csv")
    write_trace(path, np.arange(0.0, 1000.0, 5.0), np.tile([0.0, 0.0, 1000.0], (200, 1)))
    with pytest.raises(ValueError, match="a.csv: slowing a recording down needs its gyro"):
        slow_down(path, str(tmp_path / "b.csv"), 1.3, "x")


def test_a_variant_made_by_other_code_is_made_again(tmp_path, monkeypatch):
    import host_tools.variants as V

    made = []

    def make(kind, src, out):
        made.append(kind)
        os.makedirs(out)  # (fails if the old folder was not cleared first)

    monkeypatch.setattr(V, "VARIANTS", ("100hz",))
    monkeypatch.setattr(V, "make_variant", make)
    monkeypatch.setattr(V, "replay_many", lambda *a, **k: None)
    monkeypatch.setattr(V, "evaluate_paths", lambda *a, **k: [])
    monkeypatch.setattr(V, "list_traces", lambda folder: [])
    V.variant_report(DATA, str(tmp_path))
    V.variant_report(DATA, str(tmp_path))
    assert made == ["100hz"]  # made once, then kept
    (tmp_path / "variant_100hz" / ".made").write_text("made by older code")
    V.variant_report(DATA, str(tmp_path))
    assert made == ["100hz", "100hz"]
