"""The board's logs (footfall.logger, footfall.rawlog): raw blocks decode back exactly, a power
cut costs at most the last block, the budget drops the oldest files, a full flash is
survived, and the byte accounting matches the files."""

import os
from array import array

import numpy as np
import pytest
from fakes.files import Opener
from footfall import rawlog
from footfall.gait.record import HEADER
from footfall.logfolder import file_name, parse_name
from footfall.logger import Logger
from hypothesis import given, settings
from hypothesis import strategies as st

from host_tools.rawlogs import RawLogError, decode_raw


def write_raw(folder, batches, axes=6, budget=10**7, rate=208):
    """Log batches [(times, samples)] as session 1; returns (logger, raw files' bytes)."""
    lg = Logger(str(folder), budget).start()
    lg.open_session(rate, axes, raw=True)
    for times, samples in batches:
        lg.raw(array("i", times), array("h", samples), len(times))
    lg.close_session("{}")
    parts = sorted(n for n in os.listdir(folder) if n.endswith(".raw"))
    return lg, [(folder / n).read_bytes() for n in parts]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=700),
    st.sampled_from([3, 6]),
    st.integers(0, 2**31 - 10**6),
)
def test_raw_blocks_decode_to_the_same_times_and_samples(tmp_path_factory, steps, axes, t0):
    times = list(np.cumsum([t0] + steps[1:]).astype(int)) if steps else []
    times[0] = t0
    rng = np.random.default_rng(len(steps))
    samples = rng.integers(-32768, 32768, size=(len(times), axes)).astype(int)
    batches = []
    for i in range(0, len(times), 37):
        batches.append((times[i : i + 37], samples[i : i + 37].ravel().tolist()))
    folder = tmp_path_factory.mktemp("raw")
    _, files = write_raw(folder, batches, axes)
    got_t, got_s = [], []
    for data in files:
        head, t, s, problems = decode_raw(data)
        assert problems == [] and head["axes"] == axes and head["rate_hz"] == 208
        got_t += t.tolist()
        got_s += s.tolist()
    assert got_t == times  # gaps over 255 ms start a new block, nothing is lost
    assert got_s == samples.tolist()


def _run_batches(n_samples, start=0):
    times = [start + k * 1000 // 208 for k in range(n_samples)]
    samples = [(k * 7 + a) % 3000 - 1500 for k in range(n_samples) for a in range(6)]
    return [(times[i : i + 20], samples[6 * i : 6 * (i + 20)]) for i in range(0, n_samples, 20)]


def test_a_power_cut_loses_at_most_the_block_being_written(tmp_path):
    _, (data,) = write_raw(tmp_path, _run_batches(1000))
    size = rawlog.block_size(6)
    whole = (len(data) - rawlog.HEADER_SIZE) // size
    assert whole == 8  # 1000 samples: 7 full blocks and a last one of 104
    start = rawlog.HEADER_SIZE + 3 * size  # the power goes while block 4 is written
    for cut in list(range(start, start + size, 97)) + [start + size - 1]:
        _, t, s, problems = decode_raw(data[:cut], "00001_000.raw")
        assert len(t) == len(s) == 3 * rawlog.BLOCK_SAMPLES  # blocks 1-3 whole
        if cut > start:
            assert "00001_000.raw at byte %d: last block cut short" % start in problems[0]
        else:
            assert problems == []


def test_garbage_in_a_raw_log_is_named(tmp_path):
    _, (data,) = write_raw(tmp_path, _run_batches(400))
    bad = bytearray(data)
    pos = rawlog.HEADER_SIZE + rawlog.block_size(6)
    bad[pos : pos + 2] = b"XX"
    _, t, _, problems = decode_raw(bytes(bad), "f.raw")
    assert len(t) == rawlog.BLOCK_SAMPLES and "f.raw at byte %d: not a block" % pos in problems[0]
    with pytest.raises(RawLogError, match="f.raw: not a footfall raw log"):
        decode_raw(b"hello", "f.raw")


def test_file_names_round_trip():
    for key in [(1, 0, 0), (12, 1, 3), (99999, 0, 999), (7, 2, 0)]:
        assert parse_name(file_name(*key)) == key
    for name in ["notes.log", "00001.raw", "00001_000.sum", "x_000.raw", "00001_a.evt", "0001"]:
        assert parse_name(name) is None


def test_budget_drops_the_oldest_data_first_and_keeps_summaries(tmp_path):
    lg = Logger(str(tmp_path), budget=60000).start()
    t = 0
    for session in range(1, 6):
        lg.open_session(208, 6, raw=True)
        for times, samples in _run_batches(1500, t):
            lg.raw(array("i", times), array("h", samples), len(times))
        for k in range(50):
            lg.event("%d,row" % k)
        lg.close_session('{"session": %d}' % session)
        t += 20000
    names = sorted(os.listdir(tmp_path))
    on_disk = sum(os.path.getsize(tmp_path / n) for n in names)
    assert lg.used == on_disk <= 60000  # the accounting is the files' real size
    assert [n for n in names if n.endswith(".sum")] == ["0000%d.sum" % k for k in range(1, 6)]
    sessions = {parse_name(n)[0] for n in names if n.endswith(".raw")}
    assert 5 in sessions and 1 not in sessions  # the newest data stays
    again = Logger(str(tmp_path), budget=60000).start()  # after a reboot
    assert again.used == on_disk and again.session == 5


def test_events_parts_carry_the_header_once(tmp_path):
    lg = Logger(str(tmp_path), budget=20000).start()  # events parts of 1250 bytes
    lg.open_session(208, 6, raw=False)
    rows = [
        "%d,%d,230,heel,170.0,1.200,3.000,run,3.000,10.0,170.0" % (k, k + 230) for k in range(60)
    ]
    for r in rows:
        lg.event(r)
    lg.close_session(None)
    parts = sorted(n for n in os.listdir(tmp_path) if n.endswith(".evt"))
    assert len(parts) >= 3
    text = "".join((tmp_path / n).read_text() for n in parts)
    assert text == HEADER + "\n" + "".join(r + "\n" for r in rows)


class Flaky(Opener):
    """open() whose files fail writes while `full` is set (ENOSPC)."""

    def __init__(self):
        super().__init__(lambda path, data: self.full)
        self.full = False


def test_a_failed_write_closes_the_part_and_goes_on_in_a_new_one(tmp_path):
    flaky = Flaky()
    lg = Logger(str(tmp_path), budget=10**7, opener=flaky).start()
    for _ in range(2):  # two older sessions: what a full flash gives up first
        lg.open_session(208, 6, raw=True)
        for times, samples in _run_batches(300):
            lg.raw(array("i", times), array("h", samples), len(times))
        lg.close_session("{}")
    lg.open_session(208, 6, raw=True)
    batches = _run_batches(1200)
    for i, (times, samples) in enumerate(batches):
        flaky.full = 15 <= i < 22  # a few blocks hit a full flash
        lg.raw(array("i", times), array("h", samples), len(times))
    lg.close_session("{}")
    assert lg.errors >= 1 and lg.dropped >= 1 and lg.deleted >= 1
    assert not (tmp_path / "00001_000.raw").exists()  # the oldest data made room
    parts = sorted(
        n for n in os.listdir(tmp_path) if n.startswith("00003_") and n.endswith(".raw")
    )
    assert len(parts) >= 2 and parts[0] == "00003_000.raw"
    decoded = [decode_raw((tmp_path / n).read_bytes(), n) for n in parts]
    assert all(problems == [] for _, _, _, problems in decoded)  # every file reads whole
    t = np.concatenate([d[1] for d in decoded])
    assert np.all(np.diff(t) > 0) and 900 < len(t) < 1200
    assert (tmp_path / "00003.sum").exists()


def test_notes_stay_small(tmp_path):
    lg = Logger(str(tmp_path)).start()
    for k in range(400):
        lg.note("%d i2c: IMU read failed: OSError(19) (%d so far)" % (k, k))
    assert (tmp_path / "notes.old").exists()
    assert os.path.getsize(tmp_path / "notes.log") < 8192
    assert "399 i2c" in (tmp_path / "notes.log").read_text()
    assert lg.used == sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path))


def test_raw_block_add_allocates_nothing_per_batch_on_cpython_too(tmp_path):
    # a proxy of the unix-port heap_lock check: the block keeps its buffers between batches
    blocks = []
    block = rawlog.RawBlock(6, lambda h, d, s: blocks.append((bytes(h), id(d), id(s))))
    for times, samples in _run_batches(600):
        block.add(array("i", times), array("h", samples), len(times))
    block.emit()
    assert (
        len(blocks) == 5 and len({b[1] for b in blocks}) == 1 and len({b[2] for b in blocks}) == 1
    )


def test_a_notes_line_the_flash_refuses_closes_its_file(tmp_path):
    from footfall.notes import Notes

    opened = []
    failing = Opener(lambda path, data: True)

    def opener(path, mode):
        opened.append(failing(path, mode))
        return opened[-1]

    notes = Notes(str(tmp_path), opener)
    for _ in range(3):
        with pytest.raises(OSError):
            notes.write("imu: cannot open the IMU")
    assert len(opened) == 3 and all(f.closed for f in opened)  # none left open to leak


def test_a_summary_whose_rename_finds_the_flash_full_makes_room_and_is_kept(tmp_path, monkeypatch):
    import errno

    lg = Logger(str(tmp_path), 10**7).start()
    for _ in range(2):  # an older session: the file to make room with
        lg.open_session(208, 6, False)
        lg.event("1,,,,,,,,,,")
        lg.close_session('{"session": %d}' % lg.session)
    lg.open_session(208, 6, False)
    rename = os.rename
    refused = []

    def full_once(src, dst):
        # littlefs: the rename of a new file can need a block the full flash has not got
        if dst.endswith(".sum") and not refused:
            refused.append(dst)
            raise OSError(errno.ENOSPC, "no space")
        return rename(src, dst)

    monkeypatch.setattr(os, "rename", full_once)
    lg.close_session('{"session": 3}')
    assert refused and os.path.exists(os.path.join(str(tmp_path), "00003.sum"))
    assert lg.last_error.endswith("00003.sum: [Errno %d] no space" % errno.ENOSPC)
