# The engine cases without a gyro: steps, contacts and stances from the accelerometer alone.
# Run by both interpreters like engine_cases.py, whose helpers they use. Plain functions, plain
# asserts, no numpy: only what MicroPython has.
from array import array

from engine_cases import (
    PUSHOFF,
    RUN,
    RUN100,
    SHUFFLE,
    SLOWJOG_RESET,
    SLOWWALK_STOP_RUN,
    WALK,
    WALK_SLOW,
    WALK_SLOWED,
    accel_columns,
    load,
    matched,
    replay,
    truth_contacts,
    truth_strides,
)
from footfall.gait import GaitEngine
from footfall.gait import record as R


def case_no_gyro_a_slow_walk_counts_no_lull_in_its_swing():
    # Without a gyro, the slow walk's mid-swing lull is as quiet as a running stance and at
    # the stance's attitude; only the missing impact before it tells it from one.
    rate, _, times, samples = load(WALK_SLOW)
    eng, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(WALK_SLOW)
    hits = matched(recs, kind, refs, tol_ms=90)
    assert hits >= len(refs) - 1, (hits, len(refs))
    # (the step before the first reference contact is the foot's first: not referenced)
    steps = [r for r in recs if r[R.IC_MS] > refs[0][0] - 300]
    assert len(steps) <= len(refs), ([r[R.IC_MS] for r in steps], refs)


def case_no_gyro_still_counts_steps():
    rate, _, times, samples = load(RUN)
    acc = accel_columns(samples, len(times))
    eng, recs = replay(rate, False, times, acc)
    kind, refs = truth_contacts(RUN)
    hits = matched(recs, kind, refs)
    assert hits >= len(refs) - 2, (hits, len(refs))


def case_no_gyro_stride_model_scales_with_the_factor_and_tracks_the_reference():
    rate, _, times, samples = load(RUN)
    acc = accel_columns(samples, len(times))
    lengths = {}
    for factor in (1000, 1500):
        eng = GaitEngine(rate_hz=rate, gyro=False, stride_factor=factor)
        out = []
        rec = array("i", bytes(4 * R.N_FIELDS))
        for i in range(len(times)):
            eng.update(times[i], acc[3 * i], acc[3 * i + 1], acc[3 * i + 2])
            while eng.pop(rec):
                out.append((rec[R.IC_MS], rec[R.STRIDE_MM], rec[R.SPEED_MMPS]))
        lengths[factor] = out
    modelled = [s for _, s, _ in lengths[1000] if s != R.UNKNOWN]
    assert len(modelled) >= len(lengths[1000]) - 3, lengths[1000]
    for (_, s1, v1), (_, s15, _) in zip(lengths[1000], lengths[1500]):
        if s1 != R.UNKNOWN:
            assert abs(s15 - s1 * 3 // 2) <= 2, (s1, s15)
            assert v1 > 0
    # uncalibrated, the model is within a third of the VICON strides (median): it measures
    # this runner's swing, not a constant
    kind, refs = truth_contacts(RUN)
    ratios = []
    for t, s in truth_strides(RUN):
        for ic, mm, _ in lengths[1000]:
            if mm != R.UNKNOWN and t - 250 <= ic <= t:
                ratios.append(mm / (1000 * s))
    ratios.sort()
    assert len(ratios) >= len(refs) // 2, ratios
    median = ratios[len(ratios) // 2]
    assert 0.67 < median < 1.33, ratios


def case_no_gyro_contact_is_the_heel_strike_not_the_forefoot_slap():
    # Without a gyro the contact search has no mid-swing to stop at; it must still take the
    # heel's impact, which comes up to 100 ms before the forefoot's slap: the contacts are
    # those the gyro finds, and those of motion capture
    for path in (WALK, RUN):
        rate, _, times, samples = load(path)
        _, with_gyro = replay(rate, True, times, samples)
        acc = accel_columns(samples, len(times))
        _, without = replay(rate, False, times, acc)
        offsets = []
        for r in without:
            near = min(with_gyro, key=lambda g: abs(g[R.IC_MS] - r[R.IC_MS]))
            if abs(near[R.IC_MS] - r[R.IC_MS]) <= 150:
                offsets.append(r[R.IC_MS] - near[R.IC_MS])
        offsets.sort()
        assert len(offsets) >= len(with_gyro) - 2, (len(offsets), len(with_gyro))
        assert abs(offsets[len(offsets) // 2]) <= 10, offsets  # the slap comes 30 ms later
        kind, refs = truth_contacts(path)
        if kind == "contact":
            assert matched(without, kind, refs, 40) >= len(refs) - 1


def case_no_gyro_a_slow_swing_quiet_for_long_is_no_stance_after_a_still_one():
    # A walk played 1.3 times slower: its swing is quiet enough, for 400 ms, to pass for a
    # stance that is not perfectly still, and was taken for one in every third stride. After
    # a still stance, such a stance must be 6 times quieter than the swing's peak: the swing's
    # lull is 3-6 times, a real stance 9 times or more.
    rate, _, times, samples = load(WALK_SLOWED)
    _, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(WALK_SLOWED)
    assert matched(recs, kind, refs) == len(refs), (recs, refs)
    within = [r for r in recs if refs[0][0] - 250 <= r[R.IC_MS] <= refs[-1][1]]
    assert len(within) <= len(refs) + 1, ([r[R.IC_MS] for r in within], refs)


def case_no_gyro_a_push_off_that_jolts_harder_than_the_heel_strike_is_no_contact():
    # At 12.9 s this walker's push-off jolts the foot 3 times harder than the gentle heel
    # strike 500 ms later. Without a gyro to find mid-swing, the contact was taken at the
    # push-off, 600 ms early: its stance unmatched, a step out of place. A contact comes at
    # least 200 ms after the swing's push-off.
    rate, _, times, samples = load(PUSHOFF)
    _, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(PUSHOFF)
    assert matched(recs, kind, refs) == len(refs), ([r[R.IC_MS] for r in recs], refs)
    within = [r for r in recs if refs[0][0] - 250 <= r[R.IC_MS] <= refs[-1][1]]
    assert len(within) == len(refs), ([r[R.IC_MS] for r in within], refs)


def case_no_gyro_at_100_hz_a_short_running_stance_is_still_a_stance():
    # At 100 Hz a running stance's quietest sample is less quiet, and the swing's peak lower,
    # than at 200 Hz: measured against the swing alone, some stances looked like the lull in
    # mid-swing, and every other stride of this run was lost
    rate, _, times, samples = load(RUN100)
    assert rate == 100
    acc = accel_columns(samples, len(times))
    _, recs = replay(rate, False, times, acc)
    kind, refs = truth_contacts(RUN100)
    assert matched(recs, kind, refs) >= len(refs) - 1, (matched(recs, kind, refs), len(refs))
    assert len(recs) <= len(refs) + 1, (len(recs), len(refs))


def case_no_gyro_a_stance_missed_at_the_start_does_not_halve_the_count():
    # The second stance of the run is shaken (+-0.9 g, alternating) so it cannot be found: the
    # first stride timed then spans two. A stance search guarded by 0.6 of that stride would
    # skip every other stance from then on; the count must pick up again at once.
    rate, _, times, samples = load(RUN100)
    acc = accel_columns(samples, len(times))
    kind, refs = truth_contacts(RUN100)
    t0, t1 = refs[1]
    for i in range(len(times)):
        if t0 - 50 <= times[i] <= t1 + 50:
            acc[3 * i] += 900 if i % 2 else -900
    _, recs = replay(rate, False, times, acc)
    later = [r for r in refs if r[0] > t1 + 100]
    assert matched(recs, kind, later) >= len(later) - 1, (matched(recs, kind, later), len(later))


def standing_on(times, acc, seconds, jolts_at):
    """The trace and `seconds` more of standing as it ends, with a knock (1.5 g then 0.7 g
    along gravity, two samples) `jolts_at` seconds after the end: the other foot landing."""
    rate_ms = (times[-1] - times[0]) / (len(times) - 1)
    gx, gy, gz = acc[-3], acc[-2], acc[-1]
    t2 = array("i", times)
    a2 = array("h", acc)
    jolt_n = [int(j * 1000 / rate_ms) for j in jolts_at]
    for k in range(1, int(seconds * 1000 / rate_ms)):
        t2.append(times[-1] + int(k * rate_ms + 0.5))
        f = 10
        for j in jolt_n:
            if k == j:
                f = 15
            elif k == j + 1:
                f = 7
        e = k % 3 - 1  # mg: the sensor's noise
        a2.extend(array("h", (gx * f // 10 + e, gy * f // 10 - e, gz * f // 10 + e)))
    return t2, a2


def case_no_gyro_a_knock_on_a_standing_foot_is_no_step():
    # Stopped after walking or running, the foot stands; the other foot landing or the weight
    # shifting knocks it once, as hard as a step's impact. A step swings the foot for 300 ms
    # or more: a knock for a few samples is none, soon after the last step or later.
    for path in (WALK, SHUFFLE, RUN100):
        rate, _, times, samples = load(path)
        acc = accel_columns(samples, len(times))
        t_calm, a_calm = standing_on(times, acc, 4, ())
        _, calm = replay(rate, False, t_calm, a_calm)
        t_knock, a_knock = standing_on(times, acc, 4, (0.3, 1.0, 3.0))
        _, knocked = replay(rate, False, t_knock, a_knock)
        assert len(calm) > 8 and len(knocked) == len(calm), (path, len(calm), len(knocked))


def case_no_gyro_a_run_after_a_pause_has_its_first_stances_counted():
    # A slow walk (76 steps/min), 2.6 s standing, then a run. The foot stood a few degrees off
    # its walking stance's attitude, so its motion level (the distance from the stance's
    # gravity) flickered about the still threshold and it never counted as standing: no
    # stance for 3 s restarted the stride; the restart kept the guard the walk had set (0.7 of
    # its 1.5 s stride), and the run's first two stances went by. Timed afresh, the next stance
    # is sought 400 ms on, as after a start; but the first still went by, as the foot had not
    # stood. Still for a third of a second, the foot's attitude is now the stance's gravity:
    # it stands, as with a gyro, and the run starts from standing.
    rate, _, times, samples = load(SLOWWALK_STOP_RUN)
    _, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(SLOWWALK_STOP_RUN)
    ics = [r[R.IC_MS] for r in recs]
    stop = [k for k in range(len(refs)) if refs[k][1] - refs[k][0] > 2000]
    assert len(stop) == 1, refs
    run = refs[stop[0] + 1 :]
    assert len(run) >= 5, run
    # every one but the last, which ends after the recording does
    assert matched(recs, kind, run[:-1]) == len(run) - 1, (ics, run)


def case_no_gyro_a_jog_from_mid_stride_learns_gravity_at_a_stance_quiet_for_long():
    # A jog at 118 steps/min (a run played 1.3 times slower) from mid-stride, as after a reset:
    # no standing to learn gravity from. A lull in the second swing, at 1 g, was taken for a
    # stance and taught a gravity 30 deg from the stance's; every stance after it was too loud
    # to be one, and four went by until the stride restarted. A stance quiet for 400 ms whose
    # force is 1 g is the foot standing: its attitude is gravity.
    rate, _, times, samples = load(SLOWJOG_RESET)
    _, recs = replay(rate, False, times, accel_columns(samples, len(times)))
    kind, refs = truth_contacts(SLOWJOG_RESET)
    assert len(refs) >= 8, refs
    # the first strides learn the stance's attitude; the last stance ends after the recording
    later = refs[3:-1]
    assert matched(recs, kind, later) == len(later), ([r[R.IC_MS] for r in recs], later)
