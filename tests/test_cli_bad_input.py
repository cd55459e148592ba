"""Bad input to the laptop tools: one clear line naming the file (and line) and what was
expected, exit status 2, no traceback, and no half-written output (principle 6). Traces and
replay's outputs here; truth, events and plots in test_cli_bad_scores.py; the shared datasets
and board logs in test_cli_bad_datasets.py."""

import os
import pickle
import subprocess
import warnings

import pytest
from fakes.bad_input import HEADER, refused, run, samples, write

from host_tools import replay
from host_tools.__main__ import main as cli
from host_tools.outfiles import atomic_write
from host_tools.trace import TraceError, read_trace


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
