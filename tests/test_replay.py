"""Replays: the laptop and the MicroPython unix port give byte-identical events."""

import os
import re
import shutil

import numpy as np
import pytest
from footfall.gait import record as R

from host_tools.__main__ import main as cli
from host_tools.replay import micropython_command, replay_file
from host_tools.truth import read_events

DATA = os.path.join(os.path.dirname(__file__), "data")
SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")
EXCERPTS = ["pyshoe_run_excerpt.csv", "gaitmap_walk_excerpt.csv"]


def have_micropython():
    try:
        micropython_command()
        return True
    except RuntimeError:
        return False


needs_upy = pytest.mark.skipif(not have_micropython(), reason="MicroPython unix port missing")


@needs_upy
@pytest.mark.parametrize("name", EXCERPTS)
def test_cpython_and_micropython_events_are_byte_identical(tmp_path, name):
    trace = os.path.join(DATA, name)
    a, b = tmp_path / "cpython.csv", tmp_path / "upy.csv"
    ra = replay_file(trace, str(a), "cpython")
    rb = replay_file(trace, str(b), "micropython")
    assert a.read_bytes() == b.read_bytes()
    assert len(ra.rows) > 10 and ra.strides == rb.strides and ra.distance_mm == rb.distance_mm


@needs_upy
def test_identical_on_a_whole_shared_recording(tmp_path):
    src = os.path.join(SHARED, "gaitmap_example", "imu_sample_not_rotated.csv")
    if not os.path.exists(src):
        pytest.skip("../shared/datasets is not here")
    assert cli(["convert", src, str(tmp_path)]) == 0
    trace = str(tmp_path / "gaitmap_left.csv")
    replay_file(trace, str(tmp_path / "a.csv"), "cpython")
    replay_file(trace, str(tmp_path / "b.csv"), "micropython")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_replay_prints_a_summary_and_writes_events(tmp_path, capsys):
    events = tmp_path / "e.csv"
    assert cli(["replay", os.path.join(DATA, EXCERPTS[0]), "--events", str(events)]) == 0
    out = capsys.readouterr().out
    for word in ("duration", "steps", "cadence", "contact time", "foot strike", "distance"):
        assert word in out
    lines = events.read_text().splitlines()
    assert lines[0].startswith("t_ms,to_ms,gct_ms,strike,cadence_spm,stride_m,speed_mps")
    assert len(lines) > 10
    # the summary's figures are the events file's: both feet's steps, the strides summed
    ev = read_events(str(events))
    n = len(ev.columns["t_ms"])
    steps = re.search(r"steps\s+(\d+) \((\d+) of the instrumented foot\)", out)
    assert steps and int(steps.group(2)) == n and int(steps.group(1)) == 2 * n
    distance = float(re.search(r"distance\s+([\d.]+) m", out).group(1))
    assert abs(distance - np.nansum(ev.columns["stride_m"])) < 0.1


def test_a_folder_is_replayed_trace_by_trace(tmp_path, capsys):
    folder = tmp_path / "traces"
    folder.mkdir()
    for name in EXCERPTS:
        shutil.copy(os.path.join(DATA, name), folder / name)
    assert cli(["replay", str(folder), "--events", str(tmp_path / "out"), "--jobs", "2"]) == 0
    out = sorted(os.listdir(tmp_path / "out"))
    assert out == sorted(n.replace(".csv", ".events.csv") for n in EXCERPTS)
    for name in EXCERPTS:
        one = tmp_path / ("one_" + name)
        replay_file(os.path.join(DATA, name), str(one))
        assert (
            one.read_bytes()
            == (tmp_path / "out" / name.replace(".csv", ".events.csv")).read_bytes()
        )


@needs_upy
def test_a_trace_that_gives_a_gyro_offset_replays_the_same_on_both(tmp_path):
    from host_tools.trace import read_trace, write_trace

    tr = read_trace(os.path.join(DATA, EXCERPTS[0]))
    meta = dict(tr.meta, gyro_offset="8.00,-6.00,10.00")
    trace = str(tmp_path / "t.csv")
    write_trace(trace, tr.t_ms, tr.acc_mg, tr.gyro_dps + [8.0, -6.0, 10.0], meta)
    ra = replay_file(trace, str(tmp_path / "a.csv"), "cpython")
    replay_file(trace, str(tmp_path / "b.csv"), "micropython")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    # begun from the offset, the strides are the ones without it from the first step on
    clean = replay_file(os.path.join(DATA, EXCERPTS[0]), str(tmp_path / "c.csv"), "cpython")
    assert len(ra.rows) == len(clean.rows) > 10
    sa = [r[R.STRIDE_MM] for r in ra.rows]
    sc = [r[R.STRIDE_MM] for r in clean.rows]
    assert [x == R.UNKNOWN for x in sa] == [x == R.UNKNOWN for x in sc]
    strides = [(x, y) for x, y in zip(sa, sc) if x != R.UNKNOWN and y != R.UNKNOWN]
    assert len(strides) > 8
    assert all(abs(x - y) <= 0.005 * y for x, y in strides), strides


@needs_upy
@pytest.mark.parametrize("accel_only", [False, True])
def test_a_trace_that_gives_gravity_replays_from_it_the_same_on_both(tmp_path, accel_only):
    # as a session started mid-run: its engine began from the gravity learnt before it
    from host_tools.trace import read_trace, write_trace

    tr = read_trace(os.path.join(DATA, EXCERPTS[0]))
    cut = tr.t_ms >= 4500.0
    t = tr.t_ms[cut] - tr.t_ms[cut][0]
    given, bare = str(tmp_path / "given.csv"), str(tmp_path / "bare.csv")
    write_trace(
        given, t, tr.acc_mg[cut], tr.gyro_dps[cut], dict(tr.meta, gravity_mg="-282,-14,-956")
    )
    write_trace(bare, t, tr.acc_mg[cut], tr.gyro_dps[cut], dict(tr.meta))
    assert read_trace(given).gravity_mg == (-282, -14, -956)
    for name, engine in (("a", "cpython"), ("b", "micropython")):
        replay_file(given, str(tmp_path / (name + ".csv")), engine, accel_only=accel_only)
    replay_file(bare, str(tmp_path / "c.csv"), "cpython", accel_only=accel_only)
    a, b, c = ((tmp_path / (n + ".csv")).read_bytes() for n in "abc")
    assert a == b and a != c


def test_an_offset_given_at_the_start_is_taken_off_from_the_first_sample(tmp_path):
    # Started mid-run (no standing to learn the offset from), a trace whose gyro reads 8, -6
    # and 10 deg/s too much, with that offset given, measures the strides of the clean one.
    import numpy as np

    from host_tools.trace import read_trace, write_trace

    tr = read_trace(os.path.join(DATA, EXCERPTS[0]))
    cut = tr.t_ms >= 4500.0  # past the standing start, in the run
    t = tr.t_ms[cut] - tr.t_ms[cut][0]
    clean, offset = str(tmp_path / "clean.csv"), str(tmp_path / "offset.csv")
    write_trace(clean, t, tr.acc_mg[cut], tr.gyro_dps[cut], dict(tr.meta))
    meta = dict(tr.meta, gyro_offset="8.00,-6.00,10.00")
    write_trace(offset, t, tr.acc_mg[cut], tr.gyro_dps[cut] + [8.0, -6.0, 10.0], meta)
    a = replay_file(clean, str(tmp_path / "a.csv"))
    b = replay_file(offset, str(tmp_path / "b.csv"))
    sa = [r.split(",")[5] for r in (tmp_path / "a.csv").read_text().splitlines()[1:]]
    sb = [r.split(",")[5] for r in (tmp_path / "b.csv").read_text().splitlines()[1:]]
    assert len(a.rows) == len(b.rows) > 10
    strides = [(float(x), float(y)) for x, y in zip(sa, sb) if x and y]
    assert len(strides) > 8
    assert np.allclose([x for x, _ in strides], [y for _, y in strides], rtol=0.005), strides
