# The gait engine's tests that both interpreters run: pytest calls them through
# tests/test_engine_cases.py, the MicroPython unix port through tests/upy/run.py.
# Plain functions, plain asserts, no numpy: only what MicroPython has.
import os
from array import array

from footfall.gait import GaitEngine
from footfall.gait import record as R

DATA = os.getenv("FOOTFALL_TEST_DATA") or "tests/data"
RUN = DATA + "/pyshoe_run_excerpt"
WALK = DATA + "/gaitmap_walk_excerpt"
RUN100 = DATA + "/pyshoe_run100_excerpt"
WALK_SLOW = DATA + "/gaitmap_walk_slow_excerpt"
SHUFFLE = DATA + "/pyshoe_slow_walk_excerpt"
WALK_SLOWED = DATA + "/pyshoe_walk_slow_excerpt"
PUSHOFF = DATA + "/pyshoe_walk_pushoff_excerpt"
WALK_RUN = DATA + "/pyshoe_walk_run_excerpt"
SLOWWALK_RUN = DATA + "/pyshoe_slowwalk_run_excerpt"
SLOWWALK_STOP_RUN = DATA + "/pyshoe_slowwalk_stop_run_excerpt"
SLOWJOG_RESET = DATA + "/pyshoe_slowjog_reset_excerpt"


def load(name):
    """(rate, gyro, times array('i'), samples array('h')) from a committed excerpt."""
    meta = {}
    times = array("i")
    samples = array("h")
    cols = None
    with open(name + ".csv") as f:
        for line in f:
            line = line.strip()
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                meta[key.strip()] = value.strip()
                continue
            cells = line.split(",")
            if cols is None:
                cols = len(cells)
                continue
            times.append(_round(float(cells[0])))
            for k in range(1, 4):
                samples.append(_round(float(cells[k])))
            for k in range(4, cols):
                samples.append(_round(float(cells[k]) * 10))
    return int(float(meta["rate_hz"]) + 0.5), cols == 7, times, samples


def _round(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def truth_rows(name):
    """The reference kind and the rows (dicts of cells) of an excerpt's truth file."""
    rows = []
    kind = "contact"
    header = None
    with open(name + ".truth.csv") as f:
        for line in f:
            line = line.strip()
            if line.startswith("# reference="):
                kind = line.split("=", 1)[1]
            if not line or line.startswith("#"):
                continue
            cells = line.split(",")
            if header is None:
                header = cells
                continue
            rows.append(dict(zip(header, cells)))
    return kind, rows


def truth_contacts(name):
    """Reference contact times (ms), the foot-flat end where given, and the reference kind."""
    kind, rows = truth_rows(name)
    out = []
    for row in rows:
        end = row.get("flat_end_ms") or ""
        out.append((float(row["t_ms"]), float(end) if end else None))
    return kind, out


def truth_strides(name):
    """(reference time, stride length in m) where the truth file has one."""
    _, rows = truth_rows(name)
    return [(float(r["t_ms"]), float(r["stride_m"])) for r in rows if r.get("stride_m")]


def replay(rate, gyro, times, samples, batches=None):
    """All records from one engine; batches: sizes of the update_batch calls, cycled."""
    eng = GaitEngine(rate_hz=rate, gyro=gyro)
    k = 6 if gyro else 3
    rec = array("i", bytes(4 * R.N_FIELDS))
    out = []
    n = len(times)
    if batches is None:
        for i in range(n):
            j = k * i
            if gyro:
                eng.update(
                    times[i],
                    samples[j],
                    samples[j + 1],
                    samples[j + 2],
                    samples[j + 3],
                    samples[j + 4],
                    samples[j + 5],
                )
            else:
                eng.update(times[i], samples[j], samples[j + 1], samples[j + 2])
            while eng.pop(rec):
                out.append(list(rec))
    else:
        i = 0
        b = 0
        tbuf = array("i", bytes(4 * 64))
        sbuf = array("h", bytes(2 * 6 * 64))
        while i < n:
            c = min(batches[b % len(batches)], n - i, 64)
            b += 1
            for m in range(c):
                tbuf[m] = times[i + m]
            for m in range(k * c):
                sbuf[m] = samples[k * i + m]
            eng.update_batch(tbuf, sbuf, c)
            while eng.pop(rec):
                out.append(list(rec))
            i += c
    eng.flush()
    while eng.pop(rec):
        out.append(list(rec))
    return eng, out


def at_twice_the_rate(rate, times, samples, k):
    """Each sample twice, half a period apart (k values per sample): a stream at twice the
    rate, which the engine averages back in pairs (averaging.py). Made at their full size:
    arrays grown sample by sample copy themselves as they grow, and a 2 MB heap fragments."""
    n = len(times)
    t2 = array("i", bytes(4 * 2 * n))
    s2 = array("h", bytes(2 * k * 2 * n))
    for i in range(n):
        for r in range(2):
            j = 2 * i + r
            t2[j] = times[i] + r * 500 // rate
            for c in range(k):
                s2[k * j + c] = samples[k * i + c]
    return t2, s2


def accel_columns(samples, n):
    """The accelerometer's three of six interleaved columns: a board without a gyro."""
    acc = array("h")
    for i in range(n):
        acc.extend(samples[6 * i : 6 * i + 3])
    return acc


def replayed_against_truth(name, tol_ms=60):
    """Replay an excerpt: the engine, its records, how many reference contacts they matched,
    and the references."""
    rate, gyro, times, samples = load(name)
    eng, recs = replay(rate, gyro, times, samples)
    kind, refs = truth_contacts(name)
    return eng, recs, matched(recs, kind, refs, tol_ms), refs


def matched(records, kind, refs, tol_ms=60):
    """How many reference contacts have a detected contact in their window (one each)."""
    used = [False] * len(records)
    hits = 0
    for t, end in refs:
        lo, hi = (t - 250, end) if kind == "foot_flat" else (t - tol_ms, t + tol_ms)
        for i, r in enumerate(records):
            if not used[i] and lo <= r[R.IC_MS] <= hi:
                used[i] = True
                hits += 1
                break
    return hits


# ---- cases --------------------------------------------------------------------------------
def case_arguments_are_checked():
    for kwargs in (
        {"rate_hz": 20},
        {"rate_hz": 5000},
        {"stride_factor": 10},
        {"gyro_offset": (0, 0)},
        {"gyro_offset": (0, 0, 6000)},
        {"gravity_mg": (0, 0)},
        {"gravity_mg": (0, 0, 500)},
        {"gravity_mg": (0, 0, 700)},
        {"gravity_mg": (0, 1400, 0)},
    ):
        try:
            GaitEngine(**kwargs)
        except ValueError as e:
            (name,) = kwargs
            assert str(e).startswith(name + ":") or str(e).startswith(name + " "), (kwargs, e)
        else:
            raise AssertionError("no error for %r" % (kwargs,))


def case_results_are_named_with_a_trailing_underscore():
    eng = GaitEngine()
    for name in (
        "strides_",
        "steps_",
        "distance_mm_",
        "cadence_",
        "speed_mmps_",
        "activity_",
        "gct_ms_",
        "gravity_mg_",
        "dropped_",
        "overruns_",
    ):
        getattr(eng, name)
    assert eng.strides_ == 0 and eng.steps_ == 0 and eng.distance_mm_ == 0
    assert eng.gravity_mg_ == (0, 0, 0)  # not known before a sample
    assert GaitEngine(gravity_mg=(-280, 15, 955)).gravity_mg_ == (-280, 15, 955)
    assert GaitEngine(gravity_mg=(0, 0, 701)).gravity_mg_ == (0, 0, 701)  # all it can learn
    rec = array("i", bytes(4 * R.N_FIELDS))
    assert not eng.pop(rec)


def case_running_excerpt_finds_every_contact():
    eng, recs, hits, refs = replayed_against_truth(RUN)
    assert hits >= len(refs) - 1, (hits, len(refs))
    assert len(recs) <= len(refs) + 1, (len(recs), len(refs))
    assert eng.steps_ == 2 * eng.strides_ == 2 * len(recs)
    # cadence, both feet, as steps over time: the engine's contacts against the reference's
    run = [r[R.IC_MS] for r in recs if refs[1][0] - 300 <= r[R.IC_MS] <= refs[-1][1]]
    det = 1200000 * (len(run) - 1) // (run[-1] - run[0])
    ref = 1200000 * (len(refs) - 2) // int(refs[-1][0] - refs[1][0])
    assert abs(det - ref) <= 30, (det, ref)  # 3 steps/min
    assert 1200 < eng.cadence_ < 1800, eng.cadence_
    # running: most steps are labelled so (a stride that holds a turn's pause is a walk), and
    # the impact at the shoe is several g
    acts = [r[R.ACTIVITY] for r in recs if r[R.ACTIVITY] != R.UNKNOWN]
    assert acts.count(R.RUNNING) >= 0.7 * len(acts), acts
    impacts = sorted(r[R.IMPACT_MG] for r in recs)
    assert 4000 < impacts[len(impacts) // 2] < 14000, impacts


def case_walking_excerpt_times_contacts_within_60_ms():
    eng, recs, hits, refs = replayed_against_truth(WALK)
    assert hits >= len(refs) - 1, (hits, len(refs))
    contact = [r[R.GCT_MS] for r in recs if r[R.GCT_MS] != R.UNKNOWN]
    assert contact, "no contact time measured"
    assert all(400 < c < 900 for c in contact), contact  # walking: 0.5-0.8 s on the ground
    walks = [r[R.ACTIVITY] for r in recs if r[R.ACTIVITY] != R.UNKNOWN]
    assert walks.count(R.WALKING) >= len(walks) - 1, walks
    # a walker lands on the heel, toes up by 10-40 deg (foot-strike angle, heel above 8)
    strikes = [r[R.STRIKE] for r in recs if r[R.STRIKE] != R.UNKNOWN]
    assert strikes.count(R.STRIKE_HEEL) >= 0.9 * len(strikes), strikes
    angles = sorted(r[R.STRIKE_DECIDEG] for r in recs if r[R.STRIKE] != R.UNKNOWN)
    assert 100 <= angles[len(angles) // 2] <= 400, angles
    # the smoothed cadence follows the reference (both feet, steps over time) and varies less
    # from step to step than each stride's own
    ref = 1200000 * (len(refs) - 1) // int(refs[-1][0] - refs[0][0])
    cad = [r[R.CADENCE] for r in recs[4:]]
    avg = [r[R.CADENCE_AVG] for r in recs[4:]]
    assert max(abs(a - ref) for a in avg) <= 30, (avg, ref)
    assert max(avg) - min(avg) < max(cad) - min(cad), (avg, cad)


def case_a_slow_walk_counts_one_step_per_stride():
    # The walking excerpt played 1.5 times slower: 74 steps/min, a stride of 1.6 s. Its stance
    # is long enough for the other foot's strike to stir it in the middle, and its swing turns
    # slowly enough to look as quiet as a stance for 400 ms.
    # (timing errors are stretched 1.5 times too)
    eng, recs, hits, refs = replayed_against_truth(WALK_SLOW, tol_ms=90)
    assert hits >= len(refs) - 1, (hits, len(refs))
    assert len(recs) <= len(refs), (len(recs), len(refs))  # no jolt in a stance is a step
    assert 650 < eng.cadence_ < 850, eng.cadence_
    # a stride that holds a pause has a contact under half of it, and is still a walk
    assert R.RUNNING not in [r[R.ACTIVITY] for r in recs], [r[R.ACTIVITY] for r in recs]


def case_a_slow_walk_that_hardly_lifts_the_toes_counts_its_steps():
    # a real slow walk (70 steps/min) whose foot turns toes-up at under 80 deg/s in mid-swing
    eng, recs, hits, refs = replayed_against_truth(SHUFFLE)
    assert hits >= len(refs) - 1, (hits, len(refs))
    assert len(recs) <= len(refs) + 1, (len(recs), len(refs))


def case_steps_not_popped_in_time_lose_the_oldest_and_are_counted():
    rate, gyro, times, samples = load(RUN)
    _, every = replay(rate, gyro, times, samples)
    eng = GaitEngine(rate_hz=rate, gyro=gyro)
    eng.update_batch(times, samples, len(times))  # one batch, nothing popped on the way
    eng.flush()
    rec = array("i", bytes(4 * R.N_FIELDS))
    kept = []
    while eng.pop(rec):
        kept.append(list(rec))
    assert 0 < len(kept) < len(every), (len(kept), len(every))
    assert eng.overruns_ == len(every) - len(kept), (eng.overruns_, len(every), len(kept))
    assert kept == every[-len(kept) :]  # the newest steps, unchanged


def case_batches_of_any_size_give_the_same_steps():
    rate, gyro, times, samples = load(RUN)
    _, whole = replay(rate, gyro, times, samples)
    for sizes in ((1,), (7, 64, 3), (64,), (13, 1, 50, 29)):
        _, parts = replay(rate, gyro, times, samples, sizes)
        assert parts == whole, sizes


def case_standing_still_counts_nothing():
    eng = GaitEngine(rate_hz=100)
    for i in range(3000):
        eng.update(i * 10, 12, -5 + (i % 3), 1003, (i % 5) - 2, 1, -1)
    assert eng.flush() == 0 and eng.strides_ == 0


def case_time_going_backwards_is_refused_not_fatal():
    eng = GaitEngine(rate_hz=100)
    eng.update(1000, 0, 0, 1000, 0, 0, 0)
    eng.update(1000, 0, 0, 1000, 0, 0, 0)
    eng.update(990, 0, 0, 1000, 0, 0, 0)
    eng.update(1010, 0, 0, 1000, 0, 0, 0)
    assert eng.dropped_ == 2


def case_a_gap_in_time_loses_no_later_step():
    rate, gyro, times, samples = load(RUN)
    _, whole = replay(rate, gyro, times, samples)
    # 2 s of samples missing in the middle; the rest arrives with its own times
    cut = len(times) // 2
    n_gap = rate * 2
    t2 = array("i", times[:cut]) + array("i", times[cut + n_gap :])
    k = 6 if gyro else 3
    s2 = array("h", samples[: k * cut]) + array("h", samples[k * (cut + n_gap) :])
    _, parts = replay(rate, gyro, t2, s2)
    after = [r for r in whole if r[R.IC_MS] > times[cut + n_gap] + 3000]
    later = [r for r in parts if r[R.IC_MS] > times[cut + n_gap] + 3000]
    assert len(later) >= len(after) - 1 and len(after) > 3, (len(later), len(after))


def all_cases():
    """Every case: those above, and those of engine_cases_accel.py and engine_cases_motion.py
    (which use the helpers above) and of engine_cases_steps.py."""
    import engine_cases_accel
    import engine_cases_motion
    import engine_cases_steps

    found = dict(globals())
    found.update(engine_cases_accel.__dict__)
    found.update(engine_cases_motion.__dict__)
    found.update(engine_cases_steps.__dict__)
    return [v for k, v in sorted(found.items()) if k.startswith("case_")]
