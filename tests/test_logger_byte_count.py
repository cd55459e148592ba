"""The logger's byte count stays the size of its folder through what a power cut or a failing
flash leaves: a file whose removal failed, a file already gone, the copies aside a cut replace
leaves, a replace that fails."""

import errno
import json
import os

import pytest
from fakes.files import CutFlash, PowerCut, batches, on_disk
from footfall import logger as logger_module
from footfall.logger import Logger

from host_tools.rawlogs import convert

ROW = "%d,%d,230,heel,170.0,1.200,3.000,run,3.000,10.0,170.0"


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
