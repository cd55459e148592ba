"""Scoring: matching rules and the figures they give, on events whose answer is known."""

import numpy as np

from host_tools.evaluate import groups, score
from host_tools.evaluate_table import format_report
from host_tools.truth import Events, Truth


def truth(times, kind="contact", to=None, flat_end=None, stride=None, unscored=(), strike=None):
    n = len(times)
    nan = np.full(n, np.nan)
    return Truth(
        "t.truth.csv",
        {"reference": kind},
        np.array(times, float),
        np.array(to, float) if to else nan,
        strike or [""] * n,
        np.array(stride, float) if stride else nan,
        np.array(flat_end, float) if flat_end else nan,
        list(unscored),
    )


def events(times, gct=None, stride=None, strike=None, cadence=None):
    n = len(times)
    nan = np.full(n, np.nan)
    cols = {
        "t_ms": np.array(times, float),
        "gct_ms": np.array(gct, float) if gct else nan,
        "stride_m": np.array(stride, float) if stride else nan,
        "cadence_spm": np.array(cadence, float) if cadence else nan,
        "strike": strike or [""] * n,
    }
    return Events("e.csv", cols)


def test_contacts_within_60_ms_match_once():
    ref = truth([1000, 2000, 3000, 4000])
    det = events([1050, 1990, 1995, 3070, 5000])  # 1 dup, 1 too late, 1 extra
    s = score(det, ref)
    assert (s.tp, s.fp, s.fn) == (2, 3, 2)
    assert abs(s.f1 - 4 / 9) < 1e-9
    assert sorted(s.ic_err) == [-5, 50]  # the closest of two candidates


def test_foot_flat_reference_takes_one_contact_from_the_late_swing():
    ref = truth([1000, 2000], kind="foot_flat", flat_end=[1300, 2300])
    # the window of the second stance opens mid-swing (1650): 1700 and 1800 both fall in it,
    # the one closer to the stance counts and the other is an extra detection
    det = events([880, 1700, 1800])
    s = score(det, ref)
    assert (s.tp, s.fp, s.fn) == (2, 1, 0)
    assert sorted(s.flat_lead) == [120, 200]


def test_unscored_spans_count_for_nothing():
    ref = truth([1000, 2000, 3000], unscored=[(1500, 2500)])
    s = score(events([1000, 2100, 3000]), ref)
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)


def test_contact_time_stride_and_cadence_errors():
    t = [1000 + 700 * k for k in range(20)]
    ref = truth(t, to=[x + 250 for x in t], stride=[1.5] * 20)
    det_t = [x + 10 for x in t]
    det = events(
        det_t,
        gct=[260] * 20,
        stride=[1.53] * 20,
        cadence=[120000 / 700] * 20,
        strike=["heel"] * 20,
    )
    s = score(det, ref)
    assert np.allclose(s.gct_err, 10)
    assert np.allclose(s.stride_rel, 0.02)
    assert np.allclose(s.cad_trial_rate, 0, atol=1e-9) and len(s.cad_window) == 2
    assert np.allclose(s.to_err, 20)  # contact 10 ms late, and 10 ms too long
    table = format_report([s])
    columns = "trace refs F1 prec recall IC cad_med cad_rate cad_10s 10s_max 10s<=1 GCT_MAE"
    columns += " GCT_bias TO stride_err heel strike_ok"
    row = dict(zip(columns.split(), table.splitlines()[2].split()))
    assert row["refs"] == "20" and row["F1"] == row["prec"] == row["recall"] == "1.000"
    assert row["IC"] == "+10" and row["GCT_MAE"] == "10.0" and row["GCT_bias"] == "+10.0"
    assert row["TO"] == "+20"
    assert row["cad_rate"] == "0.00" and row["10s<=1"] == "100%"
    assert row["stride_err"] == "2.0%" and row["heel"] == "100%" and row["strike_ok"] == "-"
    assert groups([s])[""].tp == 20


def test_a_reference_whose_window_reaches_an_unscored_span_is_not_scored():
    # a VICON dropout just before the second stance: its contact may hide in the dropout
    ref = truth(
        [1000, 2000, 3000], kind="foot_flat", flat_end=[1300, 2300, 3300], unscored=[(1500, 1700)]
    )
    s = score(events([900, 1600, 1750, 2900]), ref)
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)  # 1750 lies in the unscored reference's window


def test_times_far_from_zero_score_as_from_zero():
    # epoch milliseconds: the per-window cadence visits only the windows with strides in them
    t = [1000 + 700 * k for k in range(20)]
    base = score(events([x + 10 for x in t]), truth(t))
    far = 1.7e12
    s = score(events([x + 10 + far for x in t]), truth([x + far for x in t]))
    assert (s.tp, s.fp, s.fn) == (20, 0, 0)
    assert len(s.cad_window) == len(base.cad_window) == 2


def test_events_and_references_that_never_meet_are_reported(tmp_path):
    from host_tools.evaluate import evaluate_paths

    (tmp_path / "ev").mkdir()
    (tmp_path / "tr").mkdir()
    header = "t_ms,to_ms,gct_ms,strike,cadence_spm,stride_m,speed_mps\n"
    (tmp_path / "ev" / "a.events.csv").write_text(header + "1000,,,,,,\n2000,,,,,,\n")
    (tmp_path / "tr" / "a.truth.csv").write_text("t_ms\n1.0\n2.0\n")  # seconds, not ms
    (tmp_path / "tr" / "b.truth.csv").write_text("t_ms\n1000\n")  # no b.events.csv
    notes = []
    (s,) = evaluate_paths(str(tmp_path / "ev"), str(tmp_path / "tr"), notes.append)
    assert s.tp == 0
    assert notes == [
        "%s: no events file %s; not scored"
        % (tmp_path / "tr" / "b.truth.csv", tmp_path / "ev" / "b.events.csv"),
        "%s: no contact matches %s: the events span 1000-2000 ms, the references 1-2 ms "
        "(the same units, from the same start?)"
        % (tmp_path / "ev" / "a.events.csv", tmp_path / "tr" / "a.truth.csv"),
    ]


def test_strike_agreement_counts_the_steps_where_both_give_a_strike():
    t = [1000 + 700 * k for k in range(8)]
    ref = truth(t, strike=["heel", "heel", "mid", "fore", "", "heel", "mid", "heel"])
    det = events(t, strike=["heel", "mid", "mid", "heel", "heel", "", "mid", "heel"])
    s = score(det, ref)
    assert s.strike_agree == [True, False, True, False, True, True]
    table = format_report([s])
    assert "strike ok" in table.splitlines()[0]
    assert table.splitlines()[2].split()[-2] == "67%"  # 4 of the 6 with both


def test_activity_agreement_scores_the_labels_against_the_recordings_activity():
    t = [1000 + 700 * k for k in range(6)]
    det = events(t)
    det.columns["activity"] = ["run", "walk", "run", "", "run", "run"]
    ref = truth(t)
    ref.meta["activity"] = "running"
    s = score(det, ref)
    assert s.activity_agree == [True, False, True, True, True]  # the unlabelled step left out
    table = format_report([s])
    assert table.splitlines()[0].rstrip().endswith("activity ok")
    assert table.splitlines()[2].rstrip().endswith("80%")
    ref.meta["activity"] = "walking"
    assert score(det, ref).activity_agree == [False, True, False, False, False]
    del ref.meta["activity"]  # a recording of no one activity: nothing to score
    assert score(det, ref).activity_agree == []
    assert format_report([score(det, ref)]).splitlines()[2].rstrip().endswith("-")


def test_a_toe_off_error_is_told_from_the_contacts():
    # contacts 30 ms late with toe-offs on time: contact times 30 ms short, toe-off error 0
    t = [1000 + 700 * k for k in range(6)]
    ref = truth(t, to=[x + 400 for x in t])
    s = score(events([x + 30 for x in t], gct=[370] * 6), ref)
    assert np.allclose(s.gct_err, -30) and np.allclose(s.to_err, 0)
    s = score(events([x - 20 for x in t], gct=[400, 410, 390, 400, 460, 400]), ref)
    assert sorted(s.to_err) == [-30, -20, -20, -20, -10, 40]
