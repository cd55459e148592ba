"""evaluate --csv and --matches: the scores and every match as CSV, read back by the csv module."""

import csv
import io

import pytest
from test_evaluate import events, truth

from host_tools.__main__ import main as cli
from host_tools.evaluate import score
from host_tools.evaluate_csv import (
    MATCH_COLUMNS,
    SCORE_COLUMNS,
    match_rows,
    matches_csv,
    scores_csv,
)

EVENTS = (
    "t_ms,to_ms,gct_ms,strike,cadence_spm,stride_m,speed_mps\n"
    "1040,1340,300,heel,,1.2,\n"
    "1990,2290,300,mid,,1.4,\n"
    "2500,,,,,,\n"
)
TRUTH = (
    "# footfall-truth v1\n# activity=walking\n"
    "t_ms,to_ms,strike,stride_m,flat_end_ms\n"
    "1000,1290,heel,1.25,\n2000,2310,,1.5,\n3000,,,,\n"
)


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_every_reference_and_extra_detection_is_one_row_in_time():
    ref = truth([1000, 2000, 3000], to=[1290, 2310, 3300], stride=[1.25, 1.5, 1.4])
    det = events([1040, 1990, 2500], gct=[300, 310, 0], stride=[1.2, 1.4, 0.5])
    got = rows(matches_csv(match_rows("walk, left", det, ref)))
    assert [(r["result"], r["ref_t_ms"], r["det_t_ms"]) for r in got] == [
        ("hit", "1000.0", "1040.0"),
        ("hit", "2000.0", "1990.0"),
        ("extra", "", "2500.0"),
        ("missed", "3000.0", ""),
    ]
    hit = got[0]
    assert hit["trace"] == "walk, left"  # quoted in the file, whole when read back
    assert (hit["error_ms"], hit["ref_gct_ms"], hit["det_gct_ms"]) == ("40.0", "290.0", "300.0")
    assert (hit["ref_stride_m"], hit["det_stride_m"]) == ("1.2500", "1.2000")
    assert got[2]["error_ms"] == got[3]["error_ms"] == ""
    assert list(got[0]) == list(MATCH_COLUMNS)


def test_a_foot_flat_reference_gives_its_interval_and_strikes_both_sides():
    ref = truth([1000, 2000], kind="foot_flat", flat_end=[1300, 2300], strike=["heel", "fore"])
    det = events([880, 1800], strike=["heel", "mid"])
    got = rows(matches_csv(match_rows("t", det, ref)))
    assert [(r["reference"], r["ref_flat_end_ms"], r["error_ms"]) for r in got] == [
        ("foot_flat", "1300.0", "-120.0"),
        ("foot_flat", "2300.0", "-200.0"),
    ]
    assert [(r["ref_strike"], r["det_strike"]) for r in got] == [("heel", "heel"), ("fore", "mid")]
    assert [r["det_activity"] for r in got] == ["", ""]  # events without the column
    det.columns["activity"] = ["walk", "run"]
    got = rows(matches_csv(match_rows("t", det, ref)))
    assert [r["det_activity"] for r in got] == ["walk", "run"]


def test_the_scores_are_the_tables_figures_per_trace_then_per_group():
    a = score(events([1050, 1990, 3020]), truth([1000, 2000, 3000]), "a", "x walking")
    b = score(events([1000, 2000]), truth([1000, 2000, 3000]), "b", "x walking")
    got = rows(scores_csv([a, b]))
    assert [(r["trace"], r["kind"]) for r in got] == [
        ("a", "trace"),
        ("b", "trace"),
        ("x walking", "group"),
    ]
    assert [(r["refs"], r["hits"], r["missed"], r["extra"]) for r in got] == [
        ("3", "3", "0", "0"),
        ("3", "2", "1", "0"),
        ("6", "5", "1", "0"),
    ]
    assert float(got[1]["f1"]) == pytest.approx(b.f1)
    assert float(got[2]["recall"]) == pytest.approx(5 / 6)
    assert float(got[0]["ic_error_median_ms"]) == 20.0  # the median of +50, -10 and +20 ms
    assert got[0]["flat_lead_median_ms"] == got[0]["gct_mae_ms"] == ""  # unknown: empty
    assert got[0]["to_error_median_ms"] == got[0]["to_mae_ms"] == ""
    t = [1000, 2000, 3000]
    c = score(events(t, gct=[420, 370, 400]), truth(t, to=[x + 400 for x in t]), "c", "y")
    c_row = rows(scores_csv([c]))[0]
    assert float(c_row["to_error_median_ms"]) == 0.0  # of +20, -30 and 0 ms
    assert float(c_row["to_mae_ms"]) == pytest.approx(50 / 3, abs=1e-3)
    assert list(got[0]) == list(SCORE_COLUMNS)


def test_the_command_line_writes_both_files(tmp_path, capsys):
    ev, tr = tmp_path / "w.events.csv", tmp_path / "w.truth.csv"
    ev.write_text(EVENTS)
    tr.write_text(TRUTH)
    out, matches = tmp_path / "scores.csv", tmp_path / "matches.csv"
    assert cli(["evaluate", str(ev), str(tr), "--csv", str(out), "--matches", str(matches)]) == 0
    assert "w" in capsys.readouterr().out  # the table is printed as before
    assert [r["result"] for r in rows(matches.read_text())] == ["hit", "hit", "extra", "missed"]
    scores = rows(out.read_text())
    assert [(r["trace"], r["group"], r["hits"]) for r in scores] == [
        ("w", "w walking", "2"),
        ("w walking", "w walking", "2"),
    ]


@pytest.mark.parametrize("option", ["--csv", "--matches"])
def test_an_output_that_cannot_be_written_is_named_before_scoring(tmp_path, capsys, option):
    ev, tr = tmp_path / "w.events.csv", tmp_path / "w.truth.csv"
    ev.write_text(EVENTS)
    tr.write_text(TRUTH)
    bad = tmp_path / "no" / "such.csv"
    assert cli(["evaluate", str(ev), str(tr), option, str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: %s: cannot write: no folder %s\n" % (bad, bad.parent)
    assert captured.out == ""  # refused before any table
    assert cli(["evaluate", str(ev), str(tr), option, str(tr)]) == 2  # nor over an input
    assert "it is the input file" in capsys.readouterr().err
    assert tr.read_text() == TRUTH
