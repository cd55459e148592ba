# The engine cases of its step log (steps.py): what a finished step reports from its contact,
# toe-off and stride times. Run by both interpreters like engine_cases.py.
from array import array

from footfall.gait import record as R
from footfall.gait.steps import StepLog


def activities(model_factor, stride_ms, gct_ms, n=3):
    """The activity of each step after the first, steps `stride_ms` apart in contact for
    `gct_ms` each, as the engine without a gyro (model_factor > 0) or with one (0) logs them."""
    log = StepLog(model_factor)
    rec = array("i", bytes(4 * R.N_FIELDS))
    out = []
    for k in range(n):
        ic = 1000 + k * stride_ms
        log.open(ic, R.UNKNOWN, R.UNKNOWN, 2000)
        log.close(ic + gct_ms)
        while log.pop(rec):
            if rec[R.CADENCE] != R.UNKNOWN:
                out.append(rec[R.ACTIVITY])
    assert len(out) == n - 1, out
    return out


def case_without_a_gyro_a_contact_just_over_half_the_stride_is_still_running():
    # Without a gyro, toe-off comes from the acceleration, and is found late rather than early
    # (by up to 75 ms, by where the sensor sits): a runner's contact can read a little over
    # half the stride. With a gyro, half the stride is the line between running and walking.
    assert activities(1000, 857, 460) == [R.RUNNING] * 2  # 140 steps/min, 0.54 of the stride
    assert activities(0, 857, 460) == [R.WALKING] * 2
    assert activities(1000, 857, 420) == [R.RUNNING] * 2
    assert activities(0, 857, 420) == [R.RUNNING] * 2
    # a walker is on the ground 0.6 of the stride or more, with a gyro or without
    for factor in (0, 1000):
        assert activities(factor, 1000, 600) == [R.WALKING] * 2
        assert activities(factor, 923, 560) == [R.WALKING] * 2  # a brisk walk, 130 steps/min
