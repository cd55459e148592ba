"""Bad truth and events files, and bad plot arguments: the file, the line and what was
expected, exit status 2, nothing written half-way (principle 6; traces in
test_cli_bad_input.py)."""

import os

import pytest
from fakes.bad_input import EVENTS_HEADER, HEADER, refused, run, samples, write

from host_tools.truth import read_events, read_truth

# ---- truth and events --------------------------------------------------------------------
EVENTS = EVENTS_HEADER + "\n1000,1300,300,heel,,,,,,,\n1800,2100,300,mid,150.0,,,,,,\n"
TRUTH = "# footfall-truth v1\nt_ms,to_ms,strike,stride_m,flat_end_ms\n1000,,,,\n1800,,,,\n"


def test_truth_and_events_with_a_byte_order_mark_read(tmp_path):
    truth = read_truth(write(tmp_path, "\ufeff" + TRUTH, "a.truth.csv"))
    assert truth.t_ms.tolist() == [1000, 1800]
    assert len(read_events(write(tmp_path, "\ufeff" + EVENTS, "a.events.csv")).columns) == 11


def test_a_duplicated_events_column_is_named(tmp_path, capsys):
    ev = write(tmp_path, EVENTS_HEADER + ",t_ms\n1000,,,,,,,,,,,1\n1800,,,,,,,,,,,2\n", "e.csv")
    status, err = run(capsys, "evaluate", ev, write(tmp_path, TRUTH, "t.truth.csv"))
    assert status == 2 and "%s:1: column 't_ms' appears twice" % ev in err


@pytest.mark.parametrize(
    "given, words",
    [
        ("trace", "this is a trace (it has ax_mg)"),
        ("events", "this is an events file (it has gct_ms)"),
    ],
)
def test_a_trace_or_events_file_given_as_truth_is_named(tmp_path, capsys, given, words):
    ev = write(tmp_path, EVENTS, "e.csv")
    other = ev if given == "events" else write(tmp_path, HEADER + "\n" + samples(), "t.csv")
    status, err = run(capsys, "evaluate", ev, other)
    assert status == 2 and err.startswith(
        "error: %s:1: %s; expected a truth file" % (other, words)
    )


@pytest.mark.parametrize(
    "rows, line, words",
    [
        (",1300,300,heel,,,,,,,", 2, "column t_ms: expected a time in ms, got ''"),
        ("nan,,,,,,,,,,", 2, "column t_ms: expected a time in ms, got 'nan'"),
        ("1000,inf,,,,,,,,,", 2, "column to_ms: expected a number or nothing, got 'inf'"),
        ("1000,,,,,,,,,,\n900,,,,,,,,,,", 3, "t_ms must increase: 900 after 1000"),
        ("1000,,,toe,,,,,,,", 2, "column strike: expected heel, mid, fore or nothing"),
    ],
)
def test_bad_events_rows_are_named(tmp_path, rows, line, words):
    refused(read_events, write(tmp_path, EVENTS_HEADER + "\n" + rows + "\n"), line, words)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("t_ms\n1000\n1000\n", 3, "t_ms must increase: 1000 after 1000"),
        ("t_ms,to_ms\n,1300\n", 2, "column t_ms: expected a time in ms"),
        ("t_ms,strike\n1000,toe\n", 2, "column strike"),
        ("t_ms,t_ms\n1000,1000\n", 1, "appears twice"),
        ("# reference=footflat\nt_ms\n1000\n", 1, "reference: expected contact or foot_flat"),
        ("# unscored_ms=abc\nt_ms\n1000\n", 1, "unscored_ms: expected START-END"),
        ("# unscored_ms=0-100;500\nt_ms\n1000\n", 1, "got '500'"),
        ("# unscored_ms=500-100\nt_ms\n1000\n", 1, "START <= END"),
    ],
)
def test_bad_truth_is_named(tmp_path, text, line, words):
    refused(read_truth, write(tmp_path, text), line, words)


def test_an_unscored_span_from_before_the_start_reads_as_written(tmp_path):
    # pyshoe.vicon_stances marks a dropout at the start from -100 ms: "%d-%d" writes "-100-..."
    truth = read_truth(write(tmp_path, "# unscored_ms=-100-250;900-1000\nt_ms\n1000\n"))
    assert truth.unscored == [(-100.0, 250.0), (900.0, 1000.0)]


def test_a_missing_events_folder_is_named_as_missing(tmp_path, capsys):
    (tmp_path / "truth").mkdir()
    status, err = run(capsys, "evaluate", tmp_path / "events", tmp_path / "truth")
    assert status == 2 and err == "error: %s: no such file or folder\n" % (tmp_path / "events")


# ---- plot --------------------------------------------------------------------------------
@pytest.fixture
def plot_inputs(tmp_path):
    trace = write(tmp_path, HEADER + "\n" + samples(200))
    return trace, write(tmp_path, EVENTS_HEADER + "\n", "e.csv")


def test_a_plot_goes_exactly_where_asked(tmp_path, capsys, plot_inputs):
    trace, events = plot_inputs
    out = tmp_path / "picture"
    status, _ = run(capsys, "plot", trace, "--events", events, "--out", out)
    assert status == 0 and out.read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["e.csv", "picture", "t.csv"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--out", "{tmp}/p.txt"], "{tmp}/p.txt: cannot draw a .txt file; expected one of"),
        (["--start", "100"], "--start 100 s: expected 0 to 1.0 s (the length of {tmp}/t.csv)"),
        (["--seconds", "-5"], "--seconds -5: expected a length above 0 s"),
        (["--seconds", "0"], "--seconds 0: expected a length above 0 s"),
    ],
)
def test_bad_plot_arguments_are_refused(tmp_path, capsys, plot_inputs, args, words):
    trace, events = plot_inputs
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "p.png")]
    status, err = run(capsys, "plot", trace, "--events", events, *args)
    assert status == 2 and err.startswith("error: %s" % words.format(tmp=tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["e.csv", "t.csv"]
