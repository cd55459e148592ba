"""Bad shared recordings given to `convert`, and board logs cut short given to `pull`'s
converter: named, and nothing half-written (principle 6; traces in test_cli_bad_input.py)."""

import json
import os
from array import array

import pytest
from fakes.bad_input import run, write
from footfall.logger import Logger

from host_tools import datasets
from host_tools.rawlogs import convert as convert_logs

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
