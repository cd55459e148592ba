"""How the committed excerpts in tests/data were cut (run from the repository root):

    .venv/bin/python tests/data/make_excerpts.py ../shared/datasets

They are small parts of the shared recordings, with their attribution in the metadata:
- pyshoe_run_excerpt: PyShoe VICON-room trial 2017-11-27-11-18-11, standing then running,
  one IMU on the right shoe. Cite Wagstaff, Peretroukhin, Kelly, IEEE Sensors Journal 2020.
- gaitmap_walk_excerpt: gaitmap example data (MIT licence), right foot, walking, with
  motion-capture contacts and toe-offs.
"""

import os
import sys
import tempfile

sys.path.insert(0, os.getcwd())

from host_tools.datasets import convert, excerpt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main(datasets):
    with tempfile.TemporaryDirectory() as tmp:
        convert(os.path.join(datasets, "pyshoe_vicon", "trials", "2017-11-27-11-18-11.csv"), tmp)
        excerpt(
            os.path.join(tmp, "pyshoe_2017-11-27-11-18-11.csv"),
            os.path.join(HERE, "pyshoe_run_excerpt.csv"),
            7000,
            25000,
            "excerpt for tests and `make replay`; cite Wagstaff et al. 2020",
        )
        convert(os.path.join(datasets, "gaitmap_example", "imu_sample_not_rotated.csv"), tmp)
        excerpt(
            os.path.join(tmp, "gaitmap_right.csv"),
            os.path.join(HERE, "gaitmap_walk_excerpt.csv"),
            0,
            16000,
            "excerpt for tests; gaitmap example data, MIT licence",
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets")
