"""Bad input to the laptop tools: one clear line naming the file (and line) and what was
expected, exit status 2, no traceback, and no half-written output (principle 6)."""

import json
import os
import pickle
import subprocess
import warnings
from array import array

import pytest
from footfall.logger import Logger

from host_tools import datasets, replay
from host_tools.__main__ import main as cli
from host_tools.outfiles import atomic_write
from host_tools.rawlogs import convert as convert_logs
from host_tools.trace import TraceError, read_trace
from host_tools.truth import read_events, read_truth

HEADER = "t_ms,ax_mg,ay_mg,az_mg"
EVENTS_HEADER = (
    "t_ms,to_ms,gct_ms,strike,cadence_spm,stride_m,speed_mps,activity,impact_g,strike_deg,"
    "cadence_avg_spm"
)


def samples(n=40, start=0):
    return "".join("%d,1,0,1000\n" % (5 * k) for k in range(start, start + n))


def write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", newline="")
    return str(p)


def run(capsys, *argv):
    """The command line's exit status and its stderr."""
    status = cli([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def refused(read, path, line, words):
    with pytest.raises(TraceError) as e:
        read(path)
    assert (e.value.path, e.value.line) == (path, line), str(e.value)
    assert words in str(e.value)


# ---- traces ------------------------------------------------------------------------------
def test_a_trace_saved_with_a_byte_order_mark_reads(tmp_path):
    path = write(
        tmp_path, "\ufeff# footfall-trace v1\n# rate_hz=200\n" + HEADER + "\n" + samples()
    )
    tr = read_trace(path)
    assert tr.meta["rate_hz"] == "200" and len(tr.t_ms) == 40


@pytest.mark.parametrize("rate", ["abc", "", "nan", "inf", "0", "-200", "5000"])
def test_a_bad_rate_hz_names_its_line(tmp_path, capsys, rate):
    path = write(tmp_path, "# footfall-trace v1\n# rate_hz=%s\n%s\n%s" % (rate, HEADER, samples()))
    status, err = run(capsys, "replay", path)
    assert status == 2 and err.startswith("error: %s:2: rate_hz: expected 50 to 1000" % path)


@pytest.mark.parametrize("meta", ["", "# rate_hz=200\n"])
def test_times_in_seconds_are_refused(tmp_path, meta):
    body = "".join("%g,1,0,1000\n" % (0.005 * k) for k in range(40))
    path = write(tmp_path, meta + HEADER + "\n" + body)
    refused(read_trace, path, 2 + bool(meta), "t_ms must be in milliseconds")


@pytest.mark.parametrize(
    "rate, ok", [("100", False), ("400", False), ("208", True), ("170", True)]
)
def test_a_rate_hz_the_times_disagree_with_is_refused_on_its_line(tmp_path, rate, ok):
    # samples 5 ms apart: 200 Hz; the engine counts durations in samples by rate_hz
    path = write(tmp_path, "# rate_hz=%s\n%s\n%s" % (rate, HEADER, samples()))
    if ok:
        assert read_trace(path).rate_hz == float(rate)
    else:
        refused(read_trace, path, 1, "rate_hz=%s, but the samples are 5 ms apart (200 Hz)" % rate)


def gyro_trace(tmp_path, scale):
    # a foot turning at up to 400 deg/s while its acceleration reaches 3 g, the gyro in deg/s
    # times scale
    rows = []
    for k in range(400):
        w = 400.0 * abs(((k % 100) - 50) / 50.0) * scale
        rows.append("%d,0,0,%d,%.4f,0,0\n" % (5 * k, 3000 if k % 100 < 3 else 1000, w))
    return write(tmp_path, HEADER + ",gx_dps,gy_dps,gz_dps\n" + "".join(rows))


def test_a_gyro_in_rad_per_s_is_refused(tmp_path):
    refused(read_trace, gyro_trace(tmp_path, 3.14159 / 180), 2, "(these look like rad/s)")
    refused(read_trace, gyro_trace(tmp_path, 0.0), 2, "a gyro that reads nothing: leave its")
    assert read_trace(gyro_trace(tmp_path, 1.0)).has_gyro


def test_times_the_engine_cannot_hold_are_refused(tmp_path):
    # an int32 replay would wrap 2**32 ms round to the start: steps after it in the wrong place
    body = samples(20) + "".join("%d,1,0,1000\n" % (2**32 + 5 * k) for k in range(20))
    refused(read_trace, write(tmp_path, HEADER + "\n" + body), 22, "24.8 days")


def test_an_empty_line_in_the_samples_keeps_the_line_numbers_right(tmp_path):
    path = write(tmp_path, HEADER + "\n0,1,0,1000\n\n5,1,0,1000\n4,1,0,1000\n")
    refused(read_trace, path, 3, "got an empty line")


def test_a_comment_among_the_samples_is_refused_on_its_line(tmp_path):
    path = write(tmp_path, HEADER + "\n" + samples(5) + "# note\n" + samples(5, 5))
    refused(read_trace, path, 7, "expected 4 values, got 1")


def test_a_python_style_number_is_named_on_its_line(tmp_path):
    path = write(tmp_path, HEADER + "\n" + samples(5) + "1_000,1,0,1000\n")
    refused(read_trace, path, 7, "got '1_000'")


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"# footfall-trace v1\n# note=caf\xe9\n" + HEADER.encode() + b"\n")
    refused(read_trace, str(p), 2, "expected UTF-8 text")


def test_values_near_the_float_limit_give_the_error_and_no_warning(tmp_path):
    path = write(tmp_path, HEADER + "\n" + samples().replace(",1000\n", ",1e300\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        refused(read_trace, path, 2, "milli-g")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_trace_in_a_folder_is_named_and_the_others_replayed(tmp_path, capsys, jobs):
    folder = tmp_path / "traces"
    folder.mkdir()
    write(folder, HEADER + "\n" + samples(), "a.csv")
    bad = write(folder, HEADER + "\n" + samples(5) + "25,x,0,1000\n", "b.csv")
    write(folder, HEADER + "\n" + samples(), "c.csv")
    e = TraceError(bad, 7, "column 2: expected a number, got 'x'")
    assert str(pickle.loads(pickle.dumps(e))) == str(e)  # it crosses the process boundary
    status = cli(["replay", str(folder), "--events", str(tmp_path / "ev"), "--jobs", jobs])
    out, err = capsys.readouterr()
    assert status == 2 and err == "error: %s:7: column 2: expected a number, got 'x'\n" % bad
    assert "events written to %s (2 of 3 traces)" % (tmp_path / "ev") in out
    assert sorted(os.listdir(tmp_path / "ev")) == ["a.events.csv", "c.events.csv"]


def test_a_folder_replay_on_no_processes_is_refused(tmp_path, capsys):
    write(tmp_path, HEADER + "\n" + samples(), "a.csv")
    status, err = run(capsys, "replay", tmp_path, "--jobs", "0")
    assert status == 2 and err == "error: --jobs: expected 1 or more processes, got 0\n"


def test_ctrl_c_is_a_line_and_no_traceback(tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(replay, "replay_file", interrupted)
    status, err = run(capsys, "replay", write(tmp_path, HEADER + "\n" + samples()))
    assert (status, err) == (130, "interrupted\n")


# ---- outputs -----------------------------------------------------------------------------
def test_an_unwritable_output_names_it_and_leaves_no_part_file(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(OSError) as e:
        atomic_write(str(tmp_path / "taken"), "text")
    assert str(e.value) == "%s: cannot write: it is a folder; expected a file name" % (
        tmp_path / "taken"
    )
    assert os.listdir(tmp_path) == ["taken"]


@pytest.mark.parametrize(
    "argv, out",
    [
        (["replay", "{t}", "--events", "{t}"], "{t}"),
        (["simulate", "{t}", "--pcap", "{t}", "--connect-at", "0"], "{t}"),
        (["plot", "{t}", "--out", "{png}", "--events", "{png}"], "{png}"),
    ],
)
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, capsys, argv, out):
    trace = write(tmp_path, HEADER + "\n" + samples())
    png = write(tmp_path, "t_ms\n", "x.png")  # an input (events) given the output's name
    status, err = run(capsys, *[a.format(t=trace, png=png) for a in argv])
    path = out.format(t=trace, png=png)
    assert status == 2
    assert err == (
        "error: %s: cannot write: it is the input file %s; expected another file name\n"
        % (path, path)
    )
    assert (tmp_path / "t.csv").read_text() == HEADER + "\n" + samples()
    assert (tmp_path / "x.png").read_text() == "t_ms\n"


@pytest.mark.parametrize("engine", ["cpython", "micropython"])
def test_events_for_a_missing_folder_are_refused_before_the_replay(tmp_path, capsys, engine):
    trace = write(tmp_path, HEADER + "\n" + samples())
    out = tmp_path / "nowhere" / "e.csv"
    status, err = run(capsys, "replay", trace, "--engine", engine, "--events", out)
    assert status == 2
    assert err == "error: %s: cannot write: no folder %s\n" % (out, tmp_path / "nowhere")


def test_a_failed_micropython_replay_leaves_no_part_file(tmp_path, monkeypatch):
    trace = read_trace(write(tmp_path, HEADER + "\n" + samples()))
    out = str(tmp_path / "e.csv")

    def crashed(cmd, **kw):
        with open(cmd[-1], "w") as f:
            f.write("t_ms\n1")  # what the port had written when it failed
        return subprocess.CompletedProcess(cmd, 1, "", "MemoryError\n")

    monkeypatch.setattr(replay, "micropython_command", lambda: "micropython")
    monkeypatch.setattr(replay.subprocess, "run", crashed)
    with pytest.raises(RuntimeError, match="MemoryError"):
        replay.replay_micropython(trace, out)
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]


def test_a_file_given_as_the_events_folder_is_named(tmp_path, capsys):
    folder = tmp_path / "traces"
    folder.mkdir()
    write(folder, HEADER + "\n" + samples(), "a.csv")
    taken = write(tmp_path, "keep me\n", "notes.txt")
    status, err = run(capsys, "replay", folder, "--events", taken)
    assert status == 2 and "%s: cannot write the events there: it is a file" % taken in err
    assert open(taken).read() == "keep me\n"


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


# ---- convert -----------------------------------------------------------------------------
PYSHOE = datasets.PYSHOE_HEADER + ",vicon_x_m,vicon_y_m,vicon_z_m,stance_vicon_derived\n"


def pyshoe_rows(n=400, start=0):
    return "".join(
        "%.5f,0.1,0.2,9.8,0.001,0.002,0.003,0.5,0.5,0.1,1\n" % (0.005 * k)
        for k in range(start, start + n)
    )


def test_a_pyshoe_trial_with_a_byte_order_mark_is_recognised(tmp_path):
    src = write(tmp_path, "\ufeff" + PYSHOE + pyshoe_rows(), "trial.csv")
    assert datasets.detect_layout(src) == "pyshoe"


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("", 2, "expected at least 10 rows of samples, got 0"),
        (pyshoe_rows(3), 2, "expected at least 10 rows of samples, got 3"),
        (pyshoe_rows(50) + "0.25,abc,1,1,1,1,1,1,1,1,1\n", 52, "column 2: expected a number"),
        (pyshoe_rows(50) + "0.25,1,1\n", 52, "expected 11 values, got 3"),
        (pyshoe_rows(50) + "0.25,nan,1,1,1,1,1,1,1,1,1\n", 52, "column 2: expected a finite"),
        (pyshoe_rows(50) + pyshoe_rows(50), 52, "time must increase: t_s 0 after 0.245"),
    ],
)
def test_a_bad_pyshoe_trial_is_named_and_nothing_is_written(tmp_path, capsys, body, line, words):
    src = write(tmp_path, PYSHOE + body, "trial.csv")
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2 and err.startswith("error: %s:%d: %s" % (src, line, words)), err
    assert os.listdir(tmp_path / "out") == []


def test_an_output_folder_that_is_a_file_is_named(tmp_path, capsys):
    src = write(tmp_path, PYSHOE + pyshoe_rows(), "trial.csv")
    out = write(tmp_path, "kept", "out")
    status, err = run(capsys, "convert", src, out)
    assert (status, err) == (
        2,
        "error: %s: it is a file; expected a folder for the traces\n" % out,
    )
    assert (tmp_path / "out").read_text() == "kept"


def test_a_missing_source_is_named_and_no_output_folder_made(tmp_path, capsys):
    status, err = run(capsys, "convert", tmp_path / "nothing", tmp_path / "out")
    assert status == 2 and err == "error: %s: no such file or folder\n" % (tmp_path / "nothing")
    assert not (tmp_path / "out").exists()


def gaitmap(tmp_path, feet=("left", "right")):
    axes = ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
    sensors = ["sensor"] + ["%s_sensor" % f for f in feet for _ in axes]
    names = ["axis"] + [a for _ in feet for a in axes]
    rows = "".join(",".join(["%d" % k] + ["0,0,9.8,0,0,0"] * len(feet)) + "\n" for k in range(30))
    text = ",".join(sensors) + "\n" + ",".join(names) + "\n" + rows
    return write(tmp_path, text, "imu_sample_not_rotated.csv")


def test_a_gaitmap_file_without_its_reference_writes_no_trace(tmp_path, capsys):
    src = gaitmap(tmp_path)  # and no stride_events_sample.csv beside it
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2 and err == (
        "error: %s: its reference %s is missing; expected it beside the recording\n"
        % (src, tmp_path / "stride_events_sample.csv")
    )
    assert os.listdir(tmp_path / "out") == []


def test_a_pyshoe_trial_without_vicon_columns_is_named(tmp_path, capsys):
    header = datasets.PYSHOE_HEADER + "\n"
    body = "".join("%.3f,0.1,0.2,9.8,0,0,0\n" % (0.005 * k) for k in range(50))
    src = write(tmp_path, header + body, "trial.csv")
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2 and err.startswith("error: %s:1: expected 10 columns or more" % src), err
    assert "vicon_x_m" in err and err.endswith("got 7\n")


def test_a_pyshoe_summary_without_its_columns_is_named(tmp_path, capsys):
    (tmp_path / "trials").mkdir()
    src = write(tmp_path / "trials", PYSHOE + pyshoe_rows(), "trial.csv")
    summary = write(tmp_path, "name,class\ntrial,walking\n", "summary_per_trial.csv")
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2
    assert err == (
        "error: %s:1: expected the columns trial, motion_class_derived; "
        "trial, motion_class_derived missing\n" % summary
    )


STRIDE_EVENTS = "s_id,foot,start,end,ic,tc,pre_ic\n"


@pytest.mark.parametrize(
    "table, words",
    [
        ("s_id,side,start,end,ic,tc,pre_ic\n0,left,1,2,3,4,5\n", ":1: expected the columns foot,"),
        (
            STRIDE_EVENTS + "0,right,1,20,10,5,1\n",
            ": expected strides of the left foot; found none",
        ),
        (STRIDE_EVENTS + "0,left,1,x,10,5,1\n", ":2: end: expected a number, got 'x'"),
    ],
)
def test_a_bad_gaitmap_reference_is_named(tmp_path, capsys, table, words):
    src = gaitmap(tmp_path)
    events = write(tmp_path, table, "stride_events_sample.csv")
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2 and err.startswith("error: %s%s" % (events, words)), err
    assert os.listdir(tmp_path / "out") == []


def test_a_gaitmap_file_with_one_foot_is_named(tmp_path, capsys):
    src = gaitmap(tmp_path, feet=("left",))
    status, err = run(capsys, "convert", src, tmp_path / "out")
    assert status == 2
    assert err.startswith("error: %s:2: no acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z" % src)


# ---- pull's converter --------------------------------------------------------------------
def board_logs(folder, sessions=2):
    lg = Logger(str(folder), 10**7).start()
    for _ in range(sessions):
        lg.open_session(208, 6, True)
        n = 300
        times = array("i", [k * 1000 // 208 for k in range(n)])
        values = array("h", [1000 * (a == 2) for k in range(n) for a in range(6)])
        lg.raw(times, values, n)
        lg.event("100,,,,,,,,,,")
        lg.close_session(json.dumps({"session": lg.session}))


def test_a_cut_summary_is_reported_and_the_other_sessions_converted(tmp_path):
    logs = tmp_path / "logs"
    board_logs(logs)
    (logs / "00001.sum").write_text('{"session": ')  # the power went while it was written
    written, problems = convert_logs(str(logs), str(tmp_path / "out"), "b")
    assert problems == [
        "00001.sum: not a JSON summary (Expecting value: line 1 column 13 (char 12)); skipped"
    ]
    assert sorted(os.path.basename(p) for p in written) == [
        "b_00001.csv",
        "b_00001.events.csv",
        "b_00002.csv",
        "b_00002.events.csv",
        "b_00002.json",
    ]


def test_events_that_are_not_text_are_reported_and_the_rest_converted(tmp_path):
    logs = tmp_path / "logs"
    board_logs(logs, 1)
    (logs / "00001_000.evt").write_bytes(b"100,,,,\n\xff\xfe\n")
    written, problems = convert_logs(str(logs), str(tmp_path / "out"), "b")
    assert problems == ["00001_000.evt:2: not text (byte 0xff); events not written"]
    assert sorted(os.path.basename(p) for p in written) == ["b_00001.csv", "b_00001.json"]


def test_a_raw_log_claiming_zero_hz_writes_no_trace(tmp_path):
    logs = tmp_path / "logs"
    board_logs(logs, 1)
    raw = logs / "00001_000.raw"
    data = bytearray(raw.read_bytes())
    data[6:8] = b"\x00\x00"  # rate_hz in the header
    raw.write_bytes(bytes(data))
    written, problems = convert_logs(str(logs), str(tmp_path / "out"), "b")
    assert len(problems) == 1 and "00001_000.raw" in problems[0] and "at 0 Hz" in problems[0]
    assert not (tmp_path / "out" / "b_00001.csv").exists()
