"""A trace split anywhere into FIFO batches gives the same steps as sample by sample."""

import os
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "upy"))
os.environ.setdefault("FOOTFALL_TEST_DATA", os.path.join(os.path.dirname(__file__), "data"))

import engine_cases  # noqa: E402

RUN = engine_cases.load(engine_cases.RUN)
WALK = engine_cases.load(engine_cases.WALK)


# at twice the rate: the engine averages pairs, which a batch can split
RUN400 = (2 * RUN[0], RUN[1]) + engine_cases.at_twice_the_rate(RUN[0], RUN[2], RUN[3], 6)
DATA = {"run": RUN, "walk": WALK, "run400": RUN400}
WHOLE = {name: engine_cases.replay(*data)[1] for name, data in DATA.items()}


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(("run", "walk", "run400")),
    sizes=st.lists(st.integers(1, 64), min_size=1, max_size=12),
    accel_only=st.booleans(),
)
def test_any_split_into_batches_gives_identical_steps(name, sizes, accel_only):
    rate, gyro, times, samples = DATA[name]
    if accel_only:
        acc = engine_cases.accel_columns(samples, len(times))
        whole = engine_cases.replay(rate, False, times, acc)[1]
        parts = engine_cases.replay(rate, False, times, acc, sizes)[1]
    else:
        whole = WHOLE[name]
        parts = engine_cases.replay(rate, gyro, times, samples, sizes)[1]
    assert parts == whole
    assert len(whole) > 5
