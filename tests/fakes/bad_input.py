"""Shared by the bad-input tests (test_cli_bad_*.py): tiny traces, and the command line run
as a user runs it."""

import pytest

from host_tools.__main__ import main as cli
from host_tools.trace import TraceError

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
