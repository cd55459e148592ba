# The engine cases of its step log (steps.py): what a finished step reports from its contact,
# toe-off and stride times. Run by both interpreters like engine_cases.py.
from array import array

from engine_cases import WALK_RUN, load, matched, replay, truth_contacts
from footfall.gait import record as R
from footfall.gait.steps import StepLog


def logged(model_factor, strides):
    """(cadence, activity) of each step of a log given (stride before it, contact time) pairs,
    in ms, and the stride time the log holds at the end."""
    log = StepLog(model_factor)
    rec = array("i", bytes(4 * R.N_FIELDS))
    out = []
    ic = 1000
    for stride, gct in strides:
        ic += stride
        log.open(ic, R.UNKNOWN, R.UNKNOWN, 2000)
        log.close(ic + gct)
        while log.pop(rec):
            out.append((rec[R.CADENCE], rec[R.ACTIVITY]))
    return out, log.stride_ms()


def activities(model_factor, stride_ms, gct_ms, n=3):
    """The activity of each step after the first, steps `stride_ms` apart in contact for
    `gct_ms` each, as the engine without a gyro (model_factor > 0) or with one (0) logs them."""
    out, _ = logged(model_factor, [(stride_ms, gct_ms)] * n)
    out = [activity for cadence, activity in out if cadence != R.UNKNOWN]
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


def case_a_contact_under_a_third_of_a_long_stride_times_the_strides_afresh():
    # With a gyro, toe-off is the pitch rate's: a contact of 300 ms after a stride of 1.5 s is
    # no walker's and no runner's. A walker broke into a run, or the engine passed a running
    # stance by; the walking strides are no guide to the next one.
    walk = [(1200, 720)] * 5
    out, stride = logged(0, walk + [(1500, 300), (1540, 290)])
    assert [c for c, _ in out[1:5]] == [1000] * 4, out  # 100 steps/min, in 0.1 steps/min
    assert out[5][0] != R.UNKNOWN and out[6][0] == R.UNKNOWN, out
    assert stride == 0, stride
    # a walker's contact over half the stride, however long, keeps the timing
    out, stride = logged(0, walk + [(1500, 900), (1540, 920)])
    assert out[6][0] != R.UNKNOWN and stride > 1200, (out, stride)
    # a runner at 150 steps/min keeps it too (contact a third of the stride, but 800 ms)
    out, stride = logged(0, [(800, 240)] * 6)
    assert R.UNKNOWN not in [c for c, _ in out[1:]] and stride == 800, (out, stride)
    # without a gyro toe-off is the acceleration's, too often early or late to tell
    out, stride = logged(1000, walk + [(1500, 300), (1540, 290)])
    assert out[6][0] != R.UNKNOWN and stride > 1200, (out, stride)


def case_a_walker_breaking_into_a_run_has_every_running_stance_counted():
    # A walk at 99 steps/min, then a run at 159 (one session, the same shoe, joined at a
    # stance). The engine seeks no stance before 0.6 of the stride: timed by the walking
    # strides that is longer than a running stride, and it passed every other running stance
    # by, for as long as the run went on (the strides it timed were two each).
    rate, gyro, times, samples = load(WALK_RUN)
    assert gyro
    _, recs = replay(rate, gyro, times, samples)
    kind, refs = truth_contacts(WALK_RUN)
    ics = [r[R.IC_MS] for r in recs]
    # one running stance may go by at the change; not two in a row, nor two in all
    hits = matched(recs, kind, refs)
    assert hits >= len(refs) - 2, (hits, ics, refs)
    for k in range(1, len(refs)):
        pair = refs[k - 1 : k + 1]
        assert matched(recs, kind, pair) >= 1, (pair, ics)
