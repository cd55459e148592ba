"""`python -m host_tools import`: a researcher's CSV (own column names, order, delimiter and
units) becomes a trace that replays to the very steps of the recording it came from; a unit
that does not fit the numbers, or a bad cell, is refused with its file, line and what was
expected, and nothing is written."""

import numpy as np
import pytest

from host_tools.__main__ import main as cli
from host_tools.replay import replay_file
from host_tools.trace import read_trace

G = 9.80665
EXCERPT = "tests/data/pyshoe_run_excerpt.csv"
FOREIGN_ARGS = ["--skip", "1", "--time", "time_s:s", "--acc", "acc_x,acc_y,acc_z:m/s2"]
GYRO_ARGS = ["--gyro", "gyr_x,gyr_y,gyr_z:rad/s"]


def run(capsys, *argv):
    status = cli([str(a) for a in argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return status, out.out, out.err


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """The running excerpt as another logger writes it: a line above the header, ';' between
    cells, columns in another order with a text column, seconds from 12.5, m/s^2, rad/s."""
    tr = read_trace(EXCERPT)
    path = tmp_path_factory.mktemp("foreign") / "logger.csv"
    rows = ["exported by a logger", "gyr_x;acc_z;time_s;acc_x;acc_y;gyr_y;gyr_z;marker"]
    for t, a, g in zip(tr.t_ms.tolist(), tr.acc_mg.tolist(), np.radians(tr.gyro_dps).tolist()):
        cells = (g[0], a[2] * G / 1000, t / 1000 + 12.5, a[0] * G / 1000, a[1] * G / 1000)
        rows.append(";".join(repr(v) for v in cells + (g[1], g[2])) + ";x")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_foreign_csv_imports_to_a_trace_that_replays_to_the_same_steps(
    foreign, tmp_path, capsys
):
    out = tmp_path / "imported.csv"
    status, printed, err = run(
        capsys, "import", foreign, out, *FOREIGN_ARGS, *GYRO_ARGS, "--foot", "right"
    )
    assert status == 0, err
    assert "3600 samples" in printed and "with gyro" in printed
    tr, src = read_trace(str(out)), read_trace(EXCERPT)
    assert tr.meta["foot"] == "right" and tr.meta["source"] == "logger.csv"
    assert tr.meta["source_start"] == "time_s=12.5 s"  # where time 0 is in the source's clock
    assert np.abs(tr.t_ms - src.t_ms).max() < 1e-3
    assert np.abs(tr.acc_mg - src.acc_mg).max() < 0.051
    assert np.abs(tr.gyro_dps - src.gyro_dps).max() < 0.0051
    replay_file(str(out), str(tmp_path / "a.csv"))
    replay_file(EXCERPT, str(tmp_path / "b.csv"))
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_without_a_time_column_the_rate_gives_the_times(tmp_path, capsys):
    # no header, tab between cells, acceleration in g, a blank line among the samples
    rows = ["%r\t%r\t%r" % (0.01 * (k % 3), 0.0, 1.0 + 0.001 * k) for k in range(300)]
    rows.insert(150, "")
    src = tmp_path / "plain.tsv"
    src.write_text("\n".join(rows) + "\n")
    out = tmp_path / "plain.csv"
    args = ("import", src, out, "--no-header", "--rate", "100", "--acc", "1,2,3:g")
    status, printed, err = run(capsys, *args)
    assert status == 0, err
    tr = read_trace(str(out))
    assert tr.rate_hz == 100 and not tr.has_gyro and len(tr.t_ms) == 300
    assert np.allclose(tr.t_ms, np.arange(300) * 10.0)
    assert np.allclose(tr.acc_mg[:, 2], 1000.0 + np.arange(300), atol=0.051)
    assert np.allclose(tr.acc_mg[:, 0], 10.0 * (np.arange(300) % 3), atol=0.051)


def misread(option):
    """What the excerpt's numbers say when the foreign file's unit is taken for another."""
    src = read_trace(EXCERPT)
    if option == "--acc":  # m/s^2 read as g, in mg
        norm = np.median(np.linalg.norm(src.acc_mg, axis=1)) * G
        return "median acceleration at %.0f" % norm
    if option == "--time":  # 5 ms as seconds, read as ms
        return "samples %.4g ms apart" % (np.median(np.diff(src.t_ms)) / 1000)
    turn = np.percentile(np.linalg.norm(np.radians(src.gyro_dps), axis=1), 99)
    return "turns at %.3g deg/s" % turn  # rad/s read as deg/s


@pytest.mark.parametrize(
    "change",
    [
        ("--acc", "acc_x,acc_y,acc_z:g"),
        ("--time", "time_s:ms"),
        ("--gyro", "gyr_x,gyr_y,gyr_z:dps"),
    ],
)
def test_a_unit_that_does_not_fit_is_refused_with_the_one_that_would(
    foreign, tmp_path, capsys, change
):
    words = misread(change[0])
    args = FOREIGN_ARGS + GYRO_ARGS
    k = args.index(change[0])
    args = args[:k] + list(change) + args[k + 2 :]
    out = tmp_path / "t.csv"
    status, _, err = run(capsys, "import", foreign, out, *args)
    assert status == 2 and words in err, err
    right = {"--acc": "m/s2", "--time": "s", "--gyro": "rad/s"}[change[0]]
    assert "is it in %s? (then :%s)" % (right, right) in err
    assert str(foreign) in err and not out.exists()


BAD_ROWS = "t,ax,ay,az\n0,0,0,1\n10,0,0,1\n"


@pytest.mark.parametrize(
    "text, args, where, words",
    [
        (BAD_ROWS + "20,0,x,1\n", (), ":4:", "column 'ay': expected a number, got 'x'"),
        (BAD_ROWS + "20,0,,1\n", (), ":4:", "column 'ay': expected a number, got ''"),
        (BAD_ROWS + "20,0,0\n", (), ":4:", "column 'az': expected a number, got ''"),
        (BAD_ROWS + "20,0,nan,1\n", (), ":4:", "column 'ay': expected a number, got 'nan'"),
        (BAD_ROWS + "\n5,0,0,1\n", (), ":5:", "time must increase (column 't')"),
        (BAD_ROWS, ("--rate", "200"), "--rate 200", "samples 10 ms apart (100 Hz)"),
        (BAD_ROWS, ("--acc", "ax,ay,z:g"), ":1:", "no column 'z'; the header row has t, ax"),
        (BAD_ROWS, ("--acc", "ax,ay:g"), "--acc", "expected 3 columns before the ':'"),
        (BAD_ROWS, ("--acc", "ax,ay,az"), "--acc", "expected COLUMNS:UNIT"),
        (BAD_ROWS, ("--acc", "ax,ay,az:G"), "--acc", "unknown unit 'G'; expected one of g, mg"),
        (BAD_ROWS, ("--time", None), "", "give the time column (--time COLUMN:UNIT)"),
        (BAD_ROWS, ("--time", None, "--rate", "5"), "--rate", "expected 50 to 1000 (Hz)"),
        ("t,ax,ay,az\n", (), ":2", "no samples"),
        ("t,ax,ay,az,ax\n0,0,0,1,0\n", (), ":1:", "has 'ax' 2 times (columns 2, 5); give"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(tmp_path, capsys, text, args, where, words):
    src = tmp_path / "in.csv"
    src.write_text(text)
    opts = {"--time": "t:ms", "--acc": "ax,ay,az:g"}
    extra = []
    for k in range(0, len(args), 2):
        if args[k] in opts and args[k + 1] is None:
            del opts[args[k]]
        elif args[k] in opts:
            opts[args[k]] = args[k + 1]
        else:
            extra += [args[k], args[k + 1]]
    argv = [a for kv in opts.items() for a in kv] + extra
    out = tmp_path / "out.csv"
    status, _, err = run(capsys, "import", src, out, *argv)
    assert status == 2 and where in err and words in err, err
    assert not out.exists()


def test_a_line_above_the_header_is_named_with_the_option_that_skips_it(foreign, capsys):
    args = FOREIGN_ARGS[2:]  # without --skip 1
    status, _, err = run(capsys, "import", foreign, foreign.with_suffix(".out.csv"), *args)
    assert status == 2 and ":1: --time: no column 'time_s'" in err
    assert "the header row has exported by a logger; lines above" in err and "--skip N" in err


def test_the_output_may_not_replace_the_input(foreign, capsys):
    status, _, err = run(capsys, "import", foreign, foreign, *FOREIGN_ARGS)
    assert status == 2 and "would replace the input" in err
    assert foreign.read_text().startswith("exported by a logger")


def test_a_file_that_is_not_utf8_is_named_with_the_line(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_bytes(b"t,ax,ay,az\n0,0,0,1\n10,0,\xff,1\n")
    status, _, err = run(
        capsys, "import", src, tmp_path / "o.csv", "--acc", "ax,ay,az:g", "--rate", "100"
    )
    assert status == 2 and "in.csv:3: expected UTF-8 text, got the byte 0xff" in err, err
    assert not (tmp_path / "o.csv").exists()
