"""Recordings joined at a stance (host_tools/joined.py), and the engine on them."""

import os

import numpy as np
import pytest

from host_tools.joined import join_at_stances, joined_report, make_joined
from host_tools.trace import read_trace, write_trace
from host_tools.truth import read_truth, write_truth

DATASETS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")


def part(folder, name, n, stances, activity, gyro=True, reference="foot_flat"):
    """A 100 Hz trace of n samples whose ax counts the samples, with foot-flat stances
    (onset, end) in ms and one stride length each."""
    t = np.arange(n) * 10.0
    acc = np.zeros((n, 3))
    acc[:, 0] = np.arange(n)
    acc[:, 2] = 1000.0
    path = os.path.join(folder, name + ".csv")
    meta = {"rate_hz": 100, "source": name, "activity": activity}
    write_trace(path, t, acc, np.zeros((n, 3)) if gyro else None, meta)
    rows = [
        {"t_ms": a, "flat_end_ms": b, "stride_m": 1.0 + k / 10.0}
        for k, (a, b) in enumerate(stances)
    ]
    write_truth(path[:-4] + ".truth.csv", rows, {"reference": reference, "activity": activity})
    return path


def test_two_parts_meet_in_the_middle_of_a_stance(tmp_path):
    walk = part(str(tmp_path), "walk", 400, [(500, 1100), (1700, 2300), (2900, 3500)], "walking")
    run = part(str(tmp_path), "run", 300, [(200, 600), (1000, 1200), (1800, 2000)], "running")
    out = str(tmp_path / "joined.csv")
    join_at_stances([walk, run], out, "a test")
    tr = read_trace(out)
    # the walk up to the middle of its last stance (3200 ms), then the run from the middle of
    # its first (400 ms), one sample period on
    assert np.all(np.diff(tr.t_ms) == 10.0)
    assert tr.acc_mg[:, 0].tolist() == list(range(320)) + list(range(40, 300))
    assert tr.meta["activity"] == "walking + running" and tr.meta["note"] == "a test"
    truth = read_truth(out[:-4] + ".truth.csv")
    # the run's first stance is the walk's last one: its contact is the walk's, its end the run's
    assert truth.t_ms.tolist() == [500, 1700, 2900, 3800, 4600]
    assert truth.flat_end_ms.tolist() == [1100, 2300, 3200 + 600 - 400, 4000, 4800]
    assert truth.stride_m.tolist() == pytest.approx([1.0, 1.1, 1.2, 1.1, 1.2])
    assert truth.kind == "foot_flat" and truth.meta["activity"] == "walking + running"


def test_three_parts_keep_the_middle_one_between_its_stances(tmp_path):
    a = part(str(tmp_path), "a", 100, [(200, 400), (600, 800)], "walking")
    b = part(str(tmp_path), "b", 100, [(100, 300), (500, 700), (800, 900)], "running")
    c = part(str(tmp_path), "c", 100, [(100, 300), (600, 700)], "walking")
    out = str(tmp_path / "abc.csv")
    join_at_stances([a, b, c], out, "")
    tr = read_trace(out)
    # a to 700 ms, b from 200 to 850 (its rows at 1000 and 1300 ms), c from 200 (1350 ms) on
    assert tr.acc_mg[:, 0].tolist() == list(range(70)) + list(range(20, 85)) + list(range(20, 100))
    assert read_truth(out[:-4] + ".truth.csv").t_ms.tolist() == [200, 600, 1000, 1300, 1750]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"reference": "contact"}, "needs a foot-flat reference"),
        ({"stances": [(200, 400)]}, "two stances or more"),
        ({"gyro": False}, "needs the gyro columns"),
    ],
)
def test_a_part_that_cannot_be_joined_is_named(tmp_path, kwargs, expected):
    good = part(str(tmp_path), "good", 100, [(200, 400), (600, 800)], "walking")
    args = {"stances": [(200, 400), (600, 800)], **kwargs}
    stances = args.pop("stances")
    bad = part(str(tmp_path), "bad", 100, stances, "running", **args)
    out = str(tmp_path / "joined.csv")
    with pytest.raises(ValueError, match=expected) as err:
        join_at_stances([good, bad], out, "")
    assert "bad.csv" in str(err.value)
    assert not os.path.exists(out)
    with pytest.raises(ValueError, match="two parts or more"):
        join_at_stances([good], out, "")


def test_a_walker_breaking_into_a_run_and_back_keeps_every_stride(tmp_path):
    # PyShoe's session of 2017-12-15, its walks and runs joined at stances both ways round.
    # With a gyro the engine passed every other running stance by after a walk of 99
    # steps/min (12 of 148 stances missed, recall 0.92): 0.6 of the walking stride is longer
    # than a running one. It now loses one at most at each change.
    from host_tools.datasets import convert
    from host_tools.joined import RUNS, WALKS

    trials = os.path.join(DATASETS, "pyshoe_vicon", "trials")
    if not os.path.isdir(trials):
        pytest.skip("needs ../shared/datasets/pyshoe_vicon (the shared datasets)")
    traces = str(tmp_path / "traces")
    for name in WALKS + RUNS:
        convert(os.path.join(trials, "2017-12-15-%s.csv" % name), traces)
    assert len(make_joined(traces, str(tmp_path / "joined"))) == 4
    lines = joined_report(traces, str(tmp_path)).splitlines()
    gyro = [line.split() for line in lines if " gyro " in line]
    assert len(gyro) == 4, lines
    for _, _, f1, recall, missed, _, _ in gyro:
        # 7 changes of gait in each
        assert float(f1) >= 0.98 and float(recall) >= 0.97 and int(missed) <= 7, lines
    # Without a gyro, after the walks played 1.3 times slower (76 steps/min, a stride over
    # twice a running one), the engine passed every other running stance by for 11 s (13
    # stances missed in all). It now loses about one at each change.
    accel = {f[0]: f for f in (line.split() for line in lines if " accel " in line)}
    assert int(accel["slowwalk_run"][4]) <= 7, lines
    assert make_joined(str(tmp_path / "nothing"), str(tmp_path / "j2")) == []
