"""Reading footfall traces: good files in every allowed shape, bad ones refused clearly."""

import os

import numpy as np
import pytest

from host_tools.__main__ import main as cli
from host_tools.trace import TraceError, read_trace, write_trace

GOOD = """# footfall-trace v1
# rate_hz=200
# foot=right
t_ms,ax_mg,ay_mg,az_mg,gx_dps,gy_dps,gz_dps
0,12.5,-3.1,998.2,0.5,-1.2,0.3
5,13.0,-2.9,1001.0,0.4,-1.1,0.2
10,12.0,-3.0,999.0,0.6,-1.0,0.1
"""


def write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_the_issue_example_reads(tmp_path):
    tr = read_trace(write(tmp_path, GOOD))
    assert tr.meta == {"rate_hz": "200", "foot": "right"}
    assert tr.has_gyro and tr.rate_hz == 200
    t, acc, gyro = tr.engine_input()
    assert t.tolist() == [0, 5, 10]
    assert acc[0].tolist() == [12, -3, 998]  # 12.5 rounds half to even
    assert gyro[0].tolist() == [5, -12, 3]  # 0.1 deg/s


def test_gyro_columns_are_optional_and_metadata_too(tmp_path):
    text = "t_ms,ax_mg,ay_mg,az_mg\n0,0,0,1000\n10,0,0,1001\n20,1,0,999\n"
    tr = read_trace(write(tmp_path, text))
    assert not tr.has_gyro and tr.rate_hz == 100 and tr.meta == {}


def test_columns_may_come_in_any_order_and_times_need_not_start_at_zero(tmp_path):
    text = "az_mg,t_ms,ay_mg,ax_mg\n1000,500,0,1\n1001,510,0,2\n999,520,0,3\n"
    tr = read_trace(write(tmp_path, text))
    assert tr.t_ms.tolist() == [0, 10, 20]
    assert tr.acc_mg[:, 0].tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("t_ms,ax_mg,az_mg\n0,1,1000\n", 1, "missing column ay_mg"),
        ("t_ms,ax_mg,ay_mg,az_mg,gx_dps\n0,1,0,1000,3\n", 1, "all three"),
        ("t_ms,ax_mg,ay_mg,az_mg\n0,1,0,1000\n5,x,0,1000\n", 3, "expected a number"),
        ("t_ms,ax_mg,ay_mg,az_mg\n0,1,0,1000\n5,1,0\n", 3, "expected 4 values"),
        ("t_ms,ax_mg,ay_mg,az_mg\n0,1,0,1000\n5,nan,0,1000\n", 3, "NaN"),
        ("t_ms,ax_mg,ay_mg,az_mg\n0,1,0,1000\n5,1,0,1000\n4,1,0,1000\n", 4, "time must increase"),
        ("t_ms,ax_mg,ay_mg,az_mg\n0,0.1,0.2,9.8\n5,0.1,0.2,9.8\n", 2, "m/s^2"),
        ("# footfall-trace v1\n", 1, "header row"),
    ],
)
def test_bad_input_names_file_line_and_expectation(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(TraceError) as e:
        read_trace(path)
    assert e.value.path == path and e.value.line == line
    assert str(e.value).startswith("%s:%d: " % (path, line))
    assert words in str(e.value)


def test_replay_of_a_bad_trace_writes_nothing_and_keeps_old_events(tmp_path, capsys):
    bad = write(tmp_path, "t_ms,ax_mg,ay_mg,az_mg\n0,1,0,1000\n5,oops,0,1000\n")
    events = tmp_path / "events.csv"
    events.write_text("previous results\n")
    assert cli(["replay", bad, "--events", str(events)]) == 2
    assert events.read_text() == "previous results\n"
    err = capsys.readouterr().err
    assert "t.csv:3" in err and "expected a number" in err


def test_write_then_read_round_trips(tmp_path):
    rng = np.random.default_rng(3)
    t = np.arange(50) * 4.807
    acc = rng.normal(0, 300, (50, 3)) + [0, 0, 1000]
    gyro = rng.normal(0, 100, (50, 3))
    path = str(tmp_path / "w.csv")
    write_trace(path, t, acc, gyro, {"rate_hz": 208, "foot": "left"})
    tr = read_trace(path)
    assert tr.meta["foot"] == "left"
    assert np.allclose(tr.t_ms, t, atol=1e-3)
    assert np.allclose(tr.acc_mg, acc, atol=0.05) and np.allclose(tr.gyro_dps, gyro, atol=0.005)
    assert not os.path.exists(path + ".part")


@pytest.mark.parametrize(
    "value, why",
    [
        ("1,2", "expected three numbers"),
        ("1,x,3", "expected three numbers"),
        ("1,nan,3", "expected three numbers"),
        ("60,0,0", "within"),
    ],
)
def test_a_bad_gyro_offset_is_named_at_its_line(tmp_path, value, why):
    p = tmp_path / "t.csv"
    rows = "\n".join("%d,0,0,1000,0,0,0" % (5 * k) for k in range(20))
    p.write_text(
        "# rate_hz=200\n# gyro_offset=%s\nt_ms,ax_mg,ay_mg,az_mg,gx_dps,gy_dps,gz_dps\n%s\n"
        % (value, rows)
    )
    with pytest.raises(TraceError, match=r"t\.csv:2: gyro_offset: .*%s" % why):
        read_trace(str(p))


@pytest.mark.parametrize("value", ["1,2", "0,0,1.5", "0,0,x", "0,0,700", "0,1300,0"])
def test_a_bad_gravity_is_named_at_its_line(tmp_path, value):
    p = tmp_path / "t.csv"
    rows = "\n".join("%d,0,0,1000" % (5 * k) for k in range(20))
    p.write_text("# rate_hz=200\n# gravity_mg=%s\nt_ms,ax_mg,ay_mg,az_mg\n%s\n" % (value, rows))
    with pytest.raises(TraceError, match=r"t\.csv:2: gravity_mg: expected three integers"):
        read_trace(str(p))


def test_gravity_given_or_not(tmp_path):
    p = tmp_path / "t.csv"
    rows = "\n".join("%d,0,0,1000" % (5 * k) for k in range(20))
    p.write_text("# gravity_mg=-12,30,990\nt_ms,ax_mg,ay_mg,az_mg\n%s\n" % rows)
    assert read_trace(str(p)).gravity_mg == (-12, 30, 990)
    p.write_text("t_ms,ax_mg,ay_mg,az_mg\n%s\n" % rows)
    assert read_trace(str(p)).gravity_mg == (0, 0, 0)


def test_a_gyro_offset_without_a_gyro_is_refused(tmp_path):
    p = tmp_path / "t.csv"
    rows = "\n".join("%d,0,0,1000" % (5 * k) for k in range(20))
    p.write_text("# gyro_offset=1,2,3\nt_ms,ax_mg,ay_mg,az_mg\n%s\n" % rows)
    with pytest.raises(TraceError, match=r"t\.csv:1: gyro_offset given, but there are no gyro"):
        read_trace(str(p))
