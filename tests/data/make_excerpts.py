"""How the committed excerpts in tests/data were cut (run from the repository root):

    .venv/bin/python tests/data/make_excerpts.py ../shared/datasets

They are small parts of the shared recordings, with their attribution in the metadata:
- pyshoe_run_excerpt: PyShoe VICON-room trial 2017-11-27-11-18-11, standing then running,
  one IMU on the right shoe. Cite Wagstaff, Peretroukhin, Kelly, IEEE Sensors Journal 2020.
- pyshoe_run100_excerpt: PyShoe VICON-room trial 2017-11-27-11-11-24, running, made a 100 Hz
  recording by averaging each two samples (same citation).
- pyshoe_slow_walk_excerpt: PyShoe VICON-room trial 2018-02-09-11-29-43, a slow walk of
  about 70 steps/min whose toes-up turn stays under 80 deg/s (same citation).
- pyshoe_walk_pushoff_excerpt: PyShoe VICON-room trial 2017-11-22-11-26-05, standing then
  walking; at 12.9 s the foot's push-off jolts 3 times harder than the heel strike that follows
  (same citation).
- gaitmap_walk_excerpt: gaitmap example data (MIT licence), right foot, walking, with
  motion-capture contacts and toe-offs.
- gaitmap_walk_slow_excerpt: the same played 1.5 times slower (host_tools/slowed.py), a walk
  at 74 steps/min, its truth's times stretched too.
- pyshoe_walk_slow_excerpt: PyShoe VICON-room trial 2017-11-22-11-22-46, walking, its first
  17 s played 1.3 times slower (same citation).
- pyshoe_walk_run_excerpt: PyShoe VICON-room trials 2017-12-15-18-00-13 (walking, from 11 s)
  and 2017-12-15-18-02-28 (running, its first 14 s), one session with the same sensor on the
  same shoe, joined in the middle of a foot-flat stance (host_tools/joined.py): a walker at
  99 steps/min who breaks into a run at 159 (same citation).
- pyshoe_slowwalk_run_excerpt: the same, its walk played 1.3 times slower (host_tools/slowed.py):
  a walker at 76 steps/min, whose stride is over twice the running one.
- pyshoe_slowwalk_stop_run_excerpt: trial 2017-12-15-17-59-19 (walking) played 1.3 times slower,
  whose walker stands 5 s at its end, and 2017-12-15-18-01-18 (running), joined in the middle of
  that standing; 19.5-35 s of it: five slow strides, 2.6 s standing, a run (same citation).
- pyshoe_slowjog_reset_excerpt: PyShoe VICON-room trial 2017-11-27-11-25-12 (running) played
  1.3 times slower, a jog at 118 steps/min, cut to start 2.3 s after its first contact, in
  motion, as after a reset mid-stride (`make accuracy`'s slowstart variant); 9 s of it (same
  citation).
"""

import os
import sys
import tempfile

sys.path.insert(0, os.getcwd())

from host_tools.datasets import convert, excerpt  # noqa: E402
from host_tools.joined import join_at_stances  # noqa: E402
from host_tools.slowed import slow_down  # noqa: E402
from host_tools.truth import read_truth  # noqa: E402
from host_tools.variants import MOVING_AFTER_MS, MOVING_LEAD_MS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


_PYSHOE = os.path.join("pyshoe_vicon", "trials")
_CITE = "cite Wagstaff et al. 2020"
# source recording, converted trace, excerpt, from ms, to ms, note, samples averaged
EXCERPTS = [
    (
        os.path.join(_PYSHOE, "2017-11-27-11-18-11.csv"),
        "pyshoe_2017-11-27-11-18-11.csv",
        "pyshoe_run_excerpt.csv",
        7000,
        25000,
        "excerpt for tests and `make replay`; " + _CITE,
        1,
    ),
    (
        os.path.join(_PYSHOE, "2017-11-27-11-11-24.csv"),
        "pyshoe_2017-11-27-11-11-24.csv",
        "pyshoe_run100_excerpt.csv",
        2000,
        17000,
        "100 Hz copy (the mean of each two samples) for tests; " + _CITE,
        2,
    ),
    (
        os.path.join(_PYSHOE, "2018-02-09-11-29-43.csv"),
        "pyshoe_2018-02-09-11-29-43.csv",
        "pyshoe_slow_walk_excerpt.csv",
        10000,
        30000,
        "a slow walk, for tests; " + _CITE,
        1,
    ),
    (
        os.path.join(_PYSHOE, "2017-11-22-11-26-05.csv"),
        "pyshoe_2017-11-22-11-26-05.csv",
        "pyshoe_walk_pushoff_excerpt.csv",
        0,
        16000,
        "a walker whose push-off jolts harder than the heel strike, for tests; " + _CITE,
        1,
    ),
    (
        os.path.join("gaitmap_example", "imu_sample_not_rotated.csv"),
        "gaitmap_right.csv",
        "gaitmap_walk_excerpt.csv",
        0,
        16000,
        "excerpt for tests; gaitmap example data, MIT licence",
        1,
    ),
]


def main(datasets):
    with tempfile.TemporaryDirectory() as tmp:
        for src, converted, out, start, end, note, every in EXCERPTS:
            convert(os.path.join(datasets, src), tmp)
            excerpt(os.path.join(tmp, converted), os.path.join(HERE, out), start, end, note, every)
        parts = []
        for trial, start, end in (
            ("2017-12-15-18-00-13", 11000, 30000),
            ("2017-12-15-18-02-28", 0, 14000),
        ):
            convert(os.path.join(datasets, _PYSHOE, trial + ".csv"), tmp)
            parts.append(os.path.join(tmp, "part_%d.csv" % len(parts)))
            excerpt(os.path.join(tmp, "pyshoe_%s.csv" % trial), parts[-1], start, end, _CITE)
        join_at_stances(
            parts,
            os.path.join(HERE, "pyshoe_walk_run_excerpt.csv"),
            "a walk and a run of one session joined at a stance, for tests; " + _CITE,
        )
        # the same walk played 1.3 times slower (76 steps/min), then the same run
        slow_down(parts[0], parts[0][:-4] + "_slow.csv", 1.3, _CITE)
        join_at_stances(
            [parts[0][:-4] + "_slow.csv", parts[1]],
            os.path.join(HERE, "pyshoe_slowwalk_run_excerpt.csv"),
            "a slowed walk and a run of one session joined at a stance, for tests; " + _CITE,
        )
        # a slowed walk that ends standing, then a run: joined in the standing, 19.5-35 s of it
        for trial in ("2017-12-15-17-59-19", "2017-12-15-18-01-18"):
            convert(os.path.join(datasets, _PYSHOE, trial + ".csv"), tmp)
        walk = os.path.join(tmp, "walk_that_stops.csv")
        slow_down(os.path.join(tmp, "pyshoe_2017-12-15-17-59-19.csv"), walk, 1.3, _CITE)
        join_at_stances(
            [walk, os.path.join(tmp, "pyshoe_2017-12-15-18-01-18.csv")],
            os.path.join(tmp, "stop_run.csv"),
            _CITE,
        )
        excerpt(
            os.path.join(tmp, "stop_run.csv"),
            os.path.join(HERE, "pyshoe_slowwalk_stop_run_excerpt.csv"),
            19500,
            35000,
            "a slowed walk, a stop and a run of one session, for tests; " + _CITE,
        )
        convert(os.path.join(datasets, _PYSHOE, "2017-11-22-11-22-46.csv"), tmp)
        walk = os.path.join(tmp, "walk.csv")
        excerpt(os.path.join(tmp, "pyshoe_2017-11-22-11-22-46.csv"), walk, 0, 17000, _CITE, 1)
        slow_down(
            walk,
            os.path.join(HERE, "pyshoe_walk_slow_excerpt.csv"),
            1.3,
            "excerpt for tests, played 1.3 times slower; " + _CITE,
        )
        # a slowed jog, cut in motion as after a reset mid-stride
        convert(os.path.join(datasets, _PYSHOE, "2017-11-27-11-25-12.csv"), tmp)
        jog = os.path.join(tmp, "jog_slow.csv")
        slow_down(os.path.join(tmp, "pyshoe_2017-11-27-11-25-12.csv"), jog, 1.3, _CITE)
        start = read_truth(jog[:-4] + ".truth.csv").t_ms[0] + MOVING_AFTER_MS
        excerpt(
            jog,
            os.path.join(HERE, "pyshoe_slowjog_reset_excerpt.csv"),
            start,
            start + 9000,
            "a slowed jog from mid-stride, for tests, played 1.3 times slower; " + _CITE,
            1,
            MOVING_LEAD_MS,
        )
    slow_down(
        os.path.join(HERE, "gaitmap_walk_excerpt.csv"),
        os.path.join(HERE, "gaitmap_walk_slow_excerpt.csv"),
        1.5,
        "excerpt for tests, played 1.5 times slower; gaitmap example data, MIT licence",
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets")
