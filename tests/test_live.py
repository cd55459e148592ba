"""footfall.live: step records in, once-a-second live values out."""

from array import array

import pytest
from footfall.gait import record as R
from footfall.live import LiveMetrics
from hypothesis import given
from hypothesis import strategies as st

U = R.UNKNOWN


def step(
    ic,
    strike=R.STRIKE_HEEL,
    gct=230,
    cadence=1800,
    stride=2000,
    speed=3000,
    activity=R.RUNNING,
    impact=3000,
    angle=120,
    cadence_avg=U,
):
    rec = array("i", [U] * R.N_FIELDS)
    rec[R.IC_MS] = ic
    rec[R.TO_MS] = ic + gct if gct != U else U
    rec[R.GCT_MS] = gct
    rec[R.STRIKE] = strike
    rec[R.CADENCE] = cadence
    rec[R.STRIDE_MM] = stride
    rec[R.SPEED_MMPS] = speed
    rec[R.ACTIVITY] = activity
    rec[R.IMPACT_MG] = impact
    rec[R.STRIKE_DECIDEG] = angle
    rec[R.CADENCE_AVG] = cadence_avg
    return rec


def test_nothing_yet():
    live = LiveMetrics().second(1000)
    assert (live.moving, live.speed_mmps, live.cadence_spm, live.steps) == (False, 0, 0, 0)
    assert live.stride_mm is None and live.contact_ms is None and live.window == 0


def test_steady_running():
    live = LiveMetrics()
    for k in range(12):
        live.add(step(1000 + 667 * k))
    live.second(1000 + 667 * 11 + 300)
    assert live.moving and live.running
    assert live.strides == 12 and live.steps == 24  # cadence and steps count both feet
    assert live.distance_mm == 24000
    assert (live.speed_mmps, live.cadence_x10, live.cadence_spm) == (3000, 1800, 180)
    assert live.stride_mm == 2000 and live.contact_ms == 230 and live.impact_mg == 3000
    assert (live.heel_pct, live.mid_pct, live.fore_pct, live.window) == (100, 0, 0, 12)
    assert live.angle_decideg == 120


def test_smoothing_moves_a_quarter_per_step_and_prefers_the_engine_average():
    live = LiveMetrics()
    live.add(step(0, gct=200, speed=2000, cadence=1700, cadence_avg=1750))
    live.add(step(700, gct=300, speed=4000, cadence=1900, cadence_avg=1760, angle=-40))
    live.second(800)
    assert live.contact_ms == 225 and live.speed_mmps == 2500
    assert live.cadence_x10 == 1760 and live.cadence_spm == 176
    assert live.angle_decideg == 120 + (-40 - 120) // 4


def test_unknown_fields_are_skipped_not_counted_as_zero():
    live = LiveMetrics()
    live.add(step(0, strike=U, gct=U, stride=U, speed=U, impact=U, angle=U, cadence=U, activity=U))
    live.second(500)
    assert live.steps == 2 and live.distance_mm == 0
    assert live.stride_mm is None and live.contact_ms is None and live.window == 0
    assert live.cadence_spm == 0 and live.speed_mmps == 0 and not live.running


def test_stopping_zeroes_speed_and_cadence_but_keeps_totals():
    live = LiveMetrics(idle_ms=3000)
    for k in range(5):
        live.add(step(667 * k))
    assert live.second(2668 + 3000).moving
    live.second(2668 + 3001)
    assert not live.moving and live.speed_mmps == 0 and live.cadence_spm == 0
    assert live.steps == 10 and live.distance_mm == 10000 and live.stride_mm == 2000


def test_strike_shares_cover_the_latest_window():
    live = LiveMetrics(window=4)
    for s in (R.STRIKE_FORE,) * 4 + (R.STRIKE_HEEL,) * 3:
        live.add(step(0, strike=s))
    live.second(10)
    assert (live.heel_pct, live.mid_pct, live.fore_pct, live.window) == (75, 0, 25, 4)
    assert (live.heel, live.mid, live.fore) == (3, 0, 4)  # counts are since the start


@given(
    st.lists(st.sampled_from([R.STRIKE_HEEL, R.STRIKE_MID, R.STRIKE_FORE, U]), max_size=80),
    st.integers(1, 30),
)
def test_shares_match_a_recount_of_the_window(strikes, window):
    live = LiveMetrics(window=window)
    for s in strikes:
        live.add(step(0, strike=s))
    live.second(0)
    known = [s for s in strikes if s != U][-window:]
    assert live.window == len(known)
    for code, pct in (
        (R.STRIKE_HEEL, live.heel_pct),
        (R.STRIKE_MID, live.mid_pct),
        (R.STRIKE_FORE, live.fore_pct),
    ):
        if known:
            assert abs(pct - 100 * known.count(code) / len(known)) <= 0.5


def test_bad_window_is_refused():
    with pytest.raises(ValueError, match="window must be 1..255"):
        LiveMetrics(window=0)
