# The engine cases of its step log (steps.py): what a finished step reports from its contact,
# toe-off and stride times. Run by both interpreters like engine_cases.py.
from array import array

from engine_cases import (
    SLOWWALK_RUN,
    WALK_RUN,
    accel_columns,
    load,
    matched,
    replay,
    truth_contacts,
)
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


def strides_timed_with_energy(stride_ms, energies):
    """Without a gyro: the stride time the log holds after each contact, `stride_ms` apart,
    each stride's energy (energy16, as the engine measures it) given."""
    log = StepLog(1000)
    out = []
    ic = 1000
    for e in energies:
        ic += stride_ms
        log.energy16 = e
        log.open(ic, R.UNKNOWN, R.UNKNOWN, 2000)
        log.close(ic + stride_ms // 2)
        out.append(log.stride_ms())
    return out


def case_without_a_gyro_a_stride_with_far_more_energy_times_the_strides_afresh():
    # Two running strides taken for one slow walker's stride have the energy of running: well
    # over half again the walk's. Over a second long, no runner's stride: a walker broke into
    # a run, and the walking strides are no guide to the next one.
    walk = [100] * 6
    assert strides_timed_with_energy(1500, walk + [170])[-1] == 0
    # the stride after it is timed afresh (its contact is a real one)
    assert strides_timed_with_energy(1500, walk + [170, 170])[-1] == 1500
    # a walker striding out keeps the timing, and so does a jogger speeding up
    assert strides_timed_with_energy(1500, walk + [150])[-1] == 1500
    assert strides_timed_with_energy(900, walk + [170])[-1] == 900
    # and the first strides, whose energy is not yet known well, too
    assert strides_timed_with_energy(1500, [100, 100, 170])[-1] == 1500


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


def case_without_a_gyro_a_slow_walker_breaking_into_a_run_has_every_running_stance_counted():
    # The same walk played 1.3 times slower (76 steps/min, host_tools/slowed.py), then the same
    # run: the walking stride is over twice the running one. Without a gyro, the engine took
    # each two running strides for one walking stride (its toe-off window reached the landing
    # passed by: a contact of half that stride) and passed every other running stance by, 6 of
    # the run's 13. The stride's energy, up by more than half, tells that the gait changed.
    rate, gyro, times, samples = load(SLOWWALK_RUN)
    assert gyro
    _, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(SLOWWALK_RUN)
    ics = [r[R.IC_MS] for r in recs]
    # the run: from the stance that comes under a second before the next one
    first = [k for k in range(1, len(refs)) if refs[k][0] - refs[k - 1][0] < 1000][0] - 1
    run = refs[first:]
    assert len(run) >= 12, run
    # one may go by at the change, and the last may end after the recording does; never two
    # in a row
    assert matched(recs, kind, run) >= len(run) - 2, (ics, run)
    for k in range(1, len(run) - 1):
        assert matched(recs, kind, run[k - 1 : k + 1]) >= 1, (run[k - 1 : k + 1], ics)
