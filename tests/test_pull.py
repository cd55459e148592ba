"""`python -m host_tools pull`: logs off a board into trace v1 CSV, events and summaries; what
was lost (flash budget, power cut) is said, not hidden."""

import json
import os
import subprocess
import sys
import time
from array import array

import pytest
from footfall import rawlog
from footfall.gait.record import HEADER
from footfall.logger import Logger

from host_tools.rawlogs import convert, group
from host_tools.replay import replay_file
from host_tools.trace import read_trace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def session(folder, n_samples, raw=True, budget=10**7, summary=True):
    lg = Logger(str(folder), budget).start()
    lg.open_session(208, 6, raw)
    times = array("i", [k * 1000 // 208 for k in range(n_samples)])
    samples = array(
        "h", [(k % 500) - 250 + 1000 * (a == 2) for k in range(n_samples) for a in range(6)]
    )
    lg.raw(times, samples, n_samples)
    for k in range(0, n_samples, 100):
        lg.event("%d,,,,,,,,,," % k)
    lg.close_session(json.dumps({"session": lg.session}) if summary else None)
    return lg


def test_pulled_files_become_a_trace_events_and_a_summary(tmp_path):
    logs = tmp_path / "logs"
    session(logs, 2000)
    written, problems = convert(str(logs), str(tmp_path / "out"), "xiao")
    assert problems == []
    assert sorted(os.path.basename(p) for p in written) == [
        "xiao_00001.csv",
        "xiao_00001.events.csv",
        "xiao_00001.json",
    ]
    tr = read_trace(str(tmp_path / "out" / "xiao_00001.csv"))  # the host's checked reader
    assert tr.rate_hz == 208 and tr.has_gyro and len(tr.t_ms) == 2000
    assert tr.t_ms[-1] == 1999 * 1000 // 208
    assert tr.acc_mg[5].tolist() == [-245.0, -245.0, 755.0] and tr.gyro_dps[5, 0] == -24.5
    events = (tmp_path / "out" / "xiao_00001.events.csv").read_text().splitlines()
    assert events[0] == HEADER and events[1] == "0,,,,,,,,,,"


def test_what_the_budget_removed_is_reported_and_the_rest_converted(tmp_path):
    logs = tmp_path / "logs"
    session(logs, 8000, budget=30000)
    names = sorted(os.listdir(logs))
    assert "00001_000.raw" not in names and "00001_000.evt" in names
    written, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert any("parts raw 000" in p and "removed (flash budget)" in p for p in problems)
    tr = read_trace(str(tmp_path / "out" / "b_00001.csv"))
    assert 0 < len(tr.t_ms) < 8000 and tr.meta["rate_hz"] == "208"


def test_a_session_without_summary_or_with_a_cut_block_is_reported(tmp_path):
    logs = tmp_path / "logs"
    session(logs, 1000, summary=False)
    raw = logs / "00001_000.raw"
    raw.write_bytes(raw.read_bytes()[:-300])  # the power went during the last block
    written, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert any("no summary" in p for p in problems)
    assert any("00001_000.raw at byte" in p and "cut short" in p for p in problems)
    tr = read_trace(str(tmp_path / "out" / "b_00001.csv"))
    assert len(tr.t_ms) == 7 * rawlog.BLOCK_SAMPLES  # the whole blocks before it


def test_group_sorts_parts_and_ignores_other_files():
    g = group(["00002_001.raw", "00002_000.raw", "notes.log", "00002.sum", "00003_000.evt"])
    assert (
        g[2]["raw"] == [(0, "00002_000.raw"), (1, "00002_001.raw")] and g[2]["sum"] == "00002.sum"
    )
    assert g[3] == {"raw": [], "evt": [(0, "00003_000.evt")], "sum": None}


def session_files(folder, number):
    return os.path.isdir(folder) and any(n.startswith(number) for n in os.listdir(folder))


def wait_for(condition, seconds=60):
    """Poll until condition() holds (a loaded machine starts the unix port slowly)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "still not so after %d s" % seconds
        time.sleep(0.2)


@pytest.mark.skipif(
    not os.path.exists(os.path.join(os.path.dirname(sys.executable), "micropython")),
    reason="needs the MicroPython unix port in .venv",
)
def test_pull_stops_a_running_app_cleanly_and_can_delete(tmp_path):
    from fakes.recorded import trace_path
    from test_virtual_board import Started, tool

    vb = Started(
        tmp_path / "flash", "--trace", trace_path("run"), "--speed", "1", "--record", "raw"
    )
    try:
        tool("-m", "host_tools.deploy", "--board", "sim", "--port", vb.port)  # resets: app runs
        wait_for(lambda: session_files(vb.root / "logs", "00001"))
        time.sleep(2)  # in real time: a few seconds into the trace
        out = tmp_path / "pulled"
        tool("-m", "host_tools.pull", "--port", vb.port, "--out", str(out), "--delete")
        left = os.listdir(vb.root / "logs")  # --delete: session 1 is gone, the count stays
        assert "session.txt" in left and not any(n.startswith("00001") for n in left)
        summary = json.loads((out / "sim_00001.json").read_text())
        assert summary["end"] == "interrupted" and 1 <= summary["duration_s"] <= 10
        events = (out / "sim_00001.events.csv").read_text()
        replay_file(str(out / "sim_00001.csv"), str(tmp_path / "r.csv"))
        assert (tmp_path / "r.csv").read_text() == events
        # pull restarted the app (soft reset): it records again
        wait_for(lambda: session_files(vb.root / "logs", "00002"))
    finally:
        vb.stop()


def test_pull_from_nothing_fails_clearly(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "host_tools.pull",
            "--port",
            "/dev/nonexistent",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "/dev/nonexistent: cannot reach the board" in r.stderr


def test_the_gyro_offset_and_gravity_a_session_began_with_go_into_the_trace(tmp_path):
    from footfall.gait import GaitEngine

    logs = tmp_path / "logs"
    lg = Logger(str(logs), 10**7).start()
    eng = GaitEngine(rate_hz=208, gyro_offset=(812, -605, 1000), gravity_mg=(-120, 35, 985))
    lg.open_session(208, 6, True, eng.gyro_offset_ + eng.gravity_mg_)
    n = 500
    lg.raw(array("i", range(0, 5 * n, 5)), array("h", [0, 0, 1000, 81, -60, 100] * n), n)
    lg.close_session(json.dumps({"session": lg.session}))
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == []
    tr = read_trace(str(tmp_path / "out" / "b_00001.csv"))
    assert tr.meta["gyro_offset"] == "8.12,-6.05,10.00" and tr.gyro_offset == (812, -605, 1000)
    assert tr.meta["gravity_mg"] == "-120,35,985" and tr.gravity_mg == (-120, 35, 985)


@pytest.mark.parametrize("version, size", [(1, 16), (2, 24)])
def test_older_raw_logs_still_read_with_what_their_header_has(tmp_path, version, size):
    from footfall import rawlog

    from host_tools.rawlogs import decode_raw

    data = bytearray(rawlog.header(208, 3, 7, 0, block_samples=4))
    old = data[:size]
    old[5] = version  # version 1: 16 header bytes, no offset; version 2: 24, no gravity
    if version == 2:
        old[16:22] = array("h", [120, -5, 7]).tobytes()  # its gyro offset
    block = bytearray(rawlog.block_size(3, 4))
    block[0:2] = rawlog.BLOCK_MAGIC
    block[2] = 2  # two samples
    block[4] = 100  # t0 = 100 ms
    block[8 + 1] = 5  # the second sample 5 ms later
    block[8 + 4 : 8 + 4 + 12] = array("h", [1, 2, 1000, 3, 4, 1001]).tobytes()
    head, t, s, problems = decode_raw(bytes(old + block), "old.raw")
    assert problems == [] and head["session"] == 7 and head["gravity_mg"] == (0, 0, 0)
    assert head["gyro_offset"] == ((0, 0, 0) if version == 1 else (120, -5, 7))
    assert t.tolist() == [100, 105] and s.tolist() == [[1, 2, 1000], [3, 4, 1001]]


class FakeLink:
    """A board over mpremote, as pull sees it; its reads fail if told to."""

    made = []

    def __init__(self, port, fail_read=False):
        self.calls = []
        self.fail_read = fail_read
        FakeLink.made.append(self)

    def exec(self, code):
        return "sim\n"

    def tree(self, folder):
        return {"logs/00001_000.raw": 3}

    def read(self, path):
        self.calls.append("read")
        if self.fail_read:
            from host_tools.deploy import DeployError

            raise DeployError("%s: the board stopped answering" % path)
        return b"abc"

    def reset(self):
        self.calls.append("reset")

    def close(self):
        self.calls.append("close")


def test_an_out_that_is_a_file_is_refused_before_the_board_is_touched(tmp_path, monkeypatch):
    from host_tools import pull

    FakeLink.made = []
    monkeypatch.setattr(pull, "Link", FakeLink)
    (tmp_path / "out").write_text("kept")
    with pytest.raises(OSError, match="is a file; expected a folder for the logs"):
        pull.pull("/dev/pts/99", str(tmp_path / "out"))
    assert FakeLink.made == [] and (tmp_path / "out").read_text() == "kept"


def test_a_copy_that_fails_half_way_restarts_the_app(tmp_path, monkeypatch):
    from host_tools import pull
    from host_tools.deploy import DeployError

    FakeLink.made = []
    monkeypatch.setattr(pull, "Link", lambda port: FakeLink(port, fail_read=True))
    with pytest.raises(DeployError, match="stopped answering"):
        pull.pull("/dev/pts/99", str(tmp_path / "out"), restart=True, log=lambda s: None)
    assert FakeLink.made[0].calls == ["read", "reset", "close"]  # counting again
    FakeLink.made = []
    with pytest.raises(DeployError):
        pull.pull("/dev/pts/99", str(tmp_path / "out"), restart=False, log=lambda s: None)
    assert FakeLink.made[0].calls == ["read", "close"]  # --no-restart: left stopped, as asked
