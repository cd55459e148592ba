"""What a power cut (and a full or failing flash) leaves on the board, and what `pull` says of it:
an empty part cut as it was started is called that, a gap in the part numbers is called the
flash budget's only where the budget can have made it, a broken last events line is dropped
and said, and the logger's byte count stays the size of its folder (a file whose removal
failed, a file already gone, the copies aside a cut replace leaves)."""

import errno
import json
import os
from array import array

import pytest
from fakes.files import Opener
from footfall import logger as logger_module
from footfall import rawlog
from footfall.gait.record import HEADER
from footfall.logger import Logger

from host_tools.rawlogs import convert
from host_tools.trace import read_trace

ROW = "%d,%d,230,heel,170.0,1.200,3.000,run,3.000,10.0,170.0"


class PowerCut(BaseException):
    """The board loses its power: no OSError, so nothing in the firmware catches it."""


class CutFlash:
    """open() for a flash that holds only what was flushed or closed: written bytes wait in RAM
    until then, as in a file system's cache, and opening a file for writing makes it (empty).
    The power goes at the flush or close for which cut(name, pending) returns a number: that
    many of the pending bytes still reach the flash (0 on littlefs, whose commits are whole;
    on FAT a flush cut half-way can write part of them). Then PowerCut is raised and no byte
    more reaches any file."""

    def __init__(self, cut):
        self.cut = cut
        self.dead = False
        self.files = []

    def __call__(self, path, mode):
        if self.dead:
            raise PowerCut()
        f = _CutFile(self, path, mode)
        self.files.append(f)
        return f

    def power_off(self):
        self.dead = True
        for f in self.files:
            f.f.close()  # what waited in RAM is gone
        raise PowerCut()


class _CutFile:
    def __init__(self, flash, path, mode):
        self.flash = flash
        self.name = os.path.basename(path)
        self.f = open(path, mode, buffering=0)
        self.pending = b""

    def write(self, data):
        if self.flash.dead:
            raise PowerCut()
        self.pending += bytes(data)
        return len(data)

    def read(self, *args):
        return self.f.read(*args)

    def flush(self):
        if self.flash.dead:
            raise PowerCut()
        if not self.pending:  # nothing to write (a file read, or flushed already)
            return
        keep = self.flash.cut(self.name, self.pending)
        if keep is not None:
            self.f.write(self.pending[:keep])
            self.flash.power_off()
        self.f.write(self.pending)
        self.pending = b""

    def close(self):
        if not self.f.closed:
            self.flush()
            self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def on_disk(folder):
    return sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))


def batches(n, size=20):
    """n samples at 208 Hz in FIFO batches: (times, samples, count)."""
    times = [k * 1000 // 208 for k in range(n)]
    values = [(k % 500) - 250 + 1000 * (a == 2) for k in range(n) for a in range(6)]
    for i in range(0, n, size):
        c = min(size, n - i)
        yield array("i", times[i : i + c]), array("h", values[6 * i : 6 * (i + c)]), c


# ---- 1. an empty raw part cut as it was started; gaps in the numbers -----------------------
@pytest.mark.parametrize("kept", [0, 10])  # nothing of its header, or part of it (FAT)
def test_a_raw_part_cut_as_it_was_started_is_called_empty_and_the_rest_converted(tmp_path, kept):
    logs = tmp_path / "logs"
    flash = CutFlash(lambda name, pending: kept if name == "00001_002.raw" else None)
    lg = Logger(str(logs), budget=200000, opener=flash).start()  # raw parts of 25000 bytes
    lg.open_session(208, 6, raw=True)
    fed = 0
    with pytest.raises(PowerCut):
        for times, samples, count in batches(8000):
            lg.raw(times, samples, count)
            fed += count
    names = sorted(os.listdir(logs))
    assert names[:4] == ["00001_000.evt", "00001_000.raw", "00001_001.raw", "00001_002.raw"]
    assert names[4:] == ["session.txt"]
    assert os.path.getsize(logs / "00001_002.raw") == kept

    written, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == [
        "00001_002.raw: an empty raw part (%d of 32 header bytes), cut by a power loss as it "
        "was started; nothing lost beyond it (at most the block meant for it)" % kept,
        "session 1: no summary (still open, or the power was cut)",
    ]
    tr = read_trace(str(tmp_path / "out" / "b_00001.csv"))
    # every block before the one being written when the power went
    assert fed - rawlog.BLOCK_SAMPLES <= len(tr.t_ms) <= fed
    assert len(tr.t_ms) % rawlog.BLOCK_SAMPLES == 0

    # after the reboot: the next session is whole, the cut one is said the same way
    again = Logger(str(logs), budget=200000).start()
    assert again.used == on_disk(logs)
    again.open_session(208, 6, raw=True)
    for times, samples, count in batches(500):
        again.raw(times, samples, count)
    again.close_session(json.dumps({"session": again.session}))
    _, problems_after = convert(str(logs), str(tmp_path / "out2"), "b")
    assert problems_after == problems


def test_an_empty_raw_part_of_a_session_that_ended_is_not_blamed_on_a_power_cut(tmp_path):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=10**7).start()
    lg.open_session(208, 6, raw=True)
    for times, samples, count in batches(300):
        lg.raw(times, samples, count)
    lg.close_session(json.dumps({"session": 1}))
    (logs / "00001_001.raw").write_bytes(b"FFRA")  # a header write that failed and stayed
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == ["00001_001.raw: an empty raw part (4 of 32 header bytes)"]


def test_a_part_whose_first_write_failed_leaves_no_gap_in_the_numbers(tmp_path):
    logs = tmp_path / "logs"
    refused = []

    def refuse(path, data):  # the header of the first events part meets a failing flash
        if path.endswith("00001_000.evt") and not refused:
            refused.append(path)
            return True
        return False

    lg = Logger(str(logs), budget=10**7, opener=Opener(refuse, errno.EIO)).start()
    lg.open_session(208, 6, raw=False)
    rows = [ROW % (k * 700, k * 700 + 230) for k in range(5)]
    for r in rows:
        lg.event(r)
    lg.close_session(json.dumps({"session": 1}))
    assert refused and lg.errors == 1
    assert sorted(os.listdir(logs)) == ["00001.sum", "00001_000.evt", "session.txt"]
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == []  # not "parts evt 000 were removed (flash budget)": nothing was
    events = (tmp_path / "out" / "b_00001.events.csv").read_text()
    assert events == HEADER + "\n" + "".join(r + "\n" for r in rows)


def test_a_gap_after_the_first_part_there_is_not_called_the_flash_budget(tmp_path):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=200000).start()  # raw parts of 25000 bytes
    lg.open_session(208, 6, raw=True)
    for times, samples, count in batches(8000):
        lg.raw(times, samples, count)
    lg.close_session(json.dumps({"session": 1}))
    assert lg.deleted == 0 and (logs / "00001_004.raw").exists()
    # what the budget leaves (the oldest part gone), and a number skipped in the middle, as
    # firmware before this one did when a part's first write failed
    os.remove(logs / "00001_000.raw")
    os.remove(logs / "00001_002.raw")
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == [
        "session 1: parts raw 000 were removed (flash budget)",
        "session 1: parts raw 002 are missing after the first part there: never written (a "
        "write failed as the part began, see notes.log) or removed out of order (the flash "
        "budget removes the oldest first)",
    ]


# ---- 2. a broken last line in an events part ---------------------------------------------
def flushed_rows(logs, cut, n_rows=12):
    """Log n_rows events flushed every 3 rows on a flash whose power cut(name, pending) ends;
    returns the rows logged before the cut."""
    lg = Logger(str(logs), budget=10**7, opener=CutFlash(cut)).start()
    rows = []
    with pytest.raises(PowerCut):
        lg.open_session(208, 6, raw=False)
        for k in range(n_rows):
            rows.append(ROW % (k * 700, k * 700 + 230))
            lg.event(rows[-1])
            if k % 3 == 2:
                lg.flush()
    return rows


def test_a_flush_cut_half_way_on_fat_leaves_no_broken_row_in_the_events_csv(tmp_path):
    logs = tmp_path / "logs"
    flushes = []

    def cut(name, pending):  # the third flush of the events part gets half-way
        if name == "00001_000.evt":
            flushes.append(name)
            if len(flushes) == 3:
                return len(pending) // 2 + 5
        return None

    rows = flushed_rows(logs, cut)
    text = (logs / "00001_000.evt").read_text()
    assert not text.endswith("\n")  # the broken line is on the flash
    written, problems = convert(str(logs), str(tmp_path / "out"), "b")
    whole = text[: text.rindex("\n") + 1]
    broken = text[len(whole) :]
    assert problems == [
        "00001_000.evt:6: last line is not a whole row (%d bytes without a line end): a write "
        "cut short (power loss or full flash); dropped" % len(broken),
        "session 1: no summary (still open, or the power was cut)",
    ]
    events = (tmp_path / "out" / "b_00001.events.csv").read_text()
    # the header's flush, the first 3 rows', and the one row the cut flush got out whole
    assert events == HEADER + "\n" + "".join(r + "\n" for r in rows[:4])
    assert events == whole


def test_an_events_part_cut_in_its_header_still_gives_an_events_csv_with_its_header(tmp_path):
    logs = tmp_path / "logs"
    flushed_rows(logs, lambda name, pending: 9 if name == "00001_000.evt" else None)
    assert (logs / "00001_000.evt").read_bytes() == HEADER[:9].encode()
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems[0].startswith("00001_000.evt:1: last line is not a whole row (9 bytes")
    assert (tmp_path / "out" / "b_00001.events.csv").read_text() == HEADER + "\n"


class ShortWrite(Opener):
    """open() for a FAT flash that fills up in the middle of a line: the armed write to an
    events part stores the bytes that fit and raises ENOSPC, as MicroPython's FAT does."""

    def __init__(self, fit):
        super().__init__(lambda path, data: False)
        self.fit = fit
        self.armed = False

    def __call__(self, path, mode):
        f = super().__call__(path, mode)
        write = f.write

        def short(data):
            if self.armed and path.endswith(".evt") and len(data) > self.fit:
                self.armed = False
                self.failures += 1
                write(bytes(data)[: self.fit])
                raise OSError(errno.ENOSPC, "no space left on the flash")
            return write(data)

        f.write = short
        return f


def test_a_line_the_full_flash_took_only_part_of_is_dropped_not_glued_to_the_next(tmp_path):
    logs = tmp_path / "logs"
    flash = ShortWrite(fit=17)
    lg = Logger(str(logs), budget=10**7, opener=flash).start()
    lg.open_session(208, 6, raw=False)  # an older session: what the full flash frees
    lg.event(ROW % (700, 930))
    lg.close_session(json.dumps({"session": 1}))
    lg.open_session(208, 6, raw=False)
    rows = [ROW % (k * 700, k * 700 + 230) for k in range(8)]
    for k, r in enumerate(rows):
        flash.armed = k == 5  # the part is closed, the line written again in a new one
        lg.event(r)
    lg.close_session(json.dumps({"session": 2}))
    assert flash.failures == 1 and lg.dropped == 0 and lg.deleted == 1
    assert sorted(os.listdir(logs))[:4] == [
        "00001.sum",
        "00002.sum",
        "00002_000.evt",
        "00002_001.evt",
    ]
    assert (logs / "00002_001.evt").read_text() == "".join(r + "\n" for r in rows[5:])
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == [
        "00002_000.evt:7: last line is not a whole row (17 bytes without a line end): a write "
        "cut short (power loss or full flash); dropped"
    ]
    events = (tmp_path / "out" / "b_00002.events.csv").read_text()
    assert events == HEADER + "\n" + "".join(r + "\n" for r in rows)


def test_a_last_line_with_too_few_cells_is_dropped(tmp_path):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=10**7).start()
    lg.open_session(208, 6, raw=False)
    lg.event(ROW % (700, 930))
    lg.close_session(json.dumps({"session": 1}))
    with open(logs / "00001_000.evt", "a") as f:
        f.write("1400,1630,230\n")
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == [
        "00001_000.evt:3: last line is not a whole row (3 of 11 cells): a write cut short "
        "(power loss or full flash); dropped"
    ]
    events = (tmp_path / "out" / "b_00001.events.csv").read_text()
    assert events == HEADER + "\n" + ROW % (700, 930) + "\n"


# ---- 3. the logger's byte count ----------------------------------------------------------
def budget_sessions(lg, sessions, samples=1500):
    for _ in range(sessions):
        lg.open_session(208, 6, raw=True)
        for times, samples_, count in batches(samples):
            lg.raw(times, samples_, count)
        lg.close_session(json.dumps({"session": lg.session}))


def test_a_file_whose_removal_failed_is_removed_at_a_later_write(tmp_path, monkeypatch):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=60000).start()
    budget_sessions(lg, 2)
    assert lg.deleted == 0 and (logs / "00001_000.raw").exists()
    remove = os.remove
    failed = []

    def flaky(path):  # the flash refuses the first removal once
        if path.endswith("00001_000.raw") and not failed:
            failed.append(path)
            raise OSError(errno.EIO, "remove failed")
        remove(path)

    monkeypatch.setattr(logger_module.os, "remove", flaky)
    budget_sessions(lg, 2)
    assert failed and lg.errors == 1 and lg.deleted >= 2
    names = sorted(os.listdir(logs))
    assert "00001_000.raw" not in names  # tried again, not left there until a reboot
    assert lg.used == on_disk(logs) <= 60000


def test_a_file_already_gone_frees_its_bytes_in_the_count(tmp_path):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=60000).start()
    budget_sessions(lg, 2)
    os.remove(logs / "00001_000.raw")  # by hand, behind the logger's back
    budget_sessions(lg, 2)
    assert lg.used == on_disk(logs) <= 60000


def test_copies_aside_a_cut_replace_left_are_deleted_at_start_and_the_numbers_go_on(
    tmp_path, monkeypatch
):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=60000).start()
    budget_sessions(lg, 1)
    for n in os.listdir(logs):  # pulled with --delete: session.txt stays
        if n != "session.txt":
            os.remove(logs / n)
    rename = os.rename
    renames = []

    def fat_rename(src, dst):  # FAT renames onto no existing file; the power goes after
        renames.append(dst)  # session.txt was removed, before the copy is renamed
        if len(renames) == 2:
            raise PowerCut()
        if os.path.exists(dst):
            raise OSError(errno.EEXIST, "exists")
        rename(src, dst)

    monkeypatch.setattr(logger_module.os, "rename", fat_rename)
    lg = Logger(str(logs), budget=60000).start()
    with pytest.raises(PowerCut):
        lg.open_session(208, 6, raw=True)
    monkeypatch.undo()
    assert sorted(os.listdir(logs)) == ["session.txt.tmp"]

    lg = Logger(str(logs), budget=60000).start()  # the reboot
    assert os.listdir(logs) == [] and lg.used == 0
    assert lg.open_session(208, 6, raw=False) == 3  # not 1 again: that one was pulled


def test_a_summary_cut_while_written_aside_is_deleted_at_start(tmp_path):
    logs = tmp_path / "logs"
    flash = CutFlash(lambda name, pending: len(pending) // 2 if name == "00001.sum.tmp" else None)
    lg = Logger(str(logs), budget=60000, opener=flash).start()
    lg.open_session(208, 6, raw=False)
    lg.event(ROW % (700, 930))
    with pytest.raises(PowerCut):
        lg.close_session(json.dumps({"session": 1, "steps": 2}))
    assert 0 < os.path.getsize(logs / "00001.sum.tmp")

    again = Logger(str(logs), budget=60000).start()  # the reboot
    assert sorted(os.listdir(logs)) == ["00001_000.evt", "session.txt"]
    assert again.used == on_disk(logs) and again.session == 1
    _, problems = convert(str(logs), str(tmp_path / "out"), "b")
    assert problems == ["session 1: no summary (still open, or the power was cut)"]


def test_a_replace_that_fails_counts_the_copy_it_leaves(tmp_path, monkeypatch):
    logs = tmp_path / "logs"
    lg = Logger(str(logs), budget=60000).start()
    lg.open_session(208, 6, raw=False)
    lg.event(ROW % (700, 930))

    def refuse(src, dst):
        raise OSError(errno.EIO, "rename failed")

    monkeypatch.setattr(logger_module.os, "rename", refuse)
    lg.close_session(json.dumps({"session": 1}))
    monkeypatch.undo()
    assert (logs / "00001.sum.tmp").exists() and lg.errors >= 1
    assert lg.used == on_disk(logs)  # the copy aside is on the flash: counted
    again = Logger(str(logs), budget=60000).start()  # and gone after the reboot
    assert not (logs / "00001.sum.tmp").exists() and again.used == on_disk(logs)
