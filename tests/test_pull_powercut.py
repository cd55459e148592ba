"""What a power cut (and a full or failing flash) leaves on the board, and what `pull` says of it:
an empty part cut as it was started is called that, a gap in the part numbers is called the
flash budget's only where the budget can have made it, and a broken last events line is dropped
and said. The logger's byte count through such cuts: test_logger_byte_count.py."""

import errno
import json
import os

import pytest
from fakes.files import CutFlash, Opener, PowerCut, batches, on_disk
from footfall import rawlog
from footfall.gait.record import HEADER
from footfall.logger import Logger

from host_tools.rawlogs import convert
from host_tools.trace import read_trace

ROW = "%d,%d,230,heel,170.0,1.200,3.000,run,3.000,10.0,170.0"


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
