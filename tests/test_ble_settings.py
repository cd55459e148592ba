"""Settings kept across reboots: written aside then renamed; bad files are named, not fatal."""

import json
import os

import pytest
from footfall.ble.settings import Settings


def test_defaults_then_save_and_load(tmp_path):
    path = str(tmp_path / "s.json")
    s = Settings(path).load()
    assert (s.stride_factor, s.total_dm, s.error) == (1000, 0, None)
    s.stride_factor, s.total_dm = 1040, 123456
    assert s.save()
    assert not os.path.exists(path + ".new")  # renamed into place
    again = Settings(path).load()
    assert (again.stride_factor, again.total_dm, again.error) == (1040, 123456, None)


def test_the_gyro_offset_is_kept_and_a_file_from_before_it_still_loads(tmp_path):
    path = str(tmp_path / "s.json")
    s = Settings(path).load()
    assert s.gyro_offset == (0, 0, 0)
    s.gyro_offset = (812, -605, 5000)
    assert s.save()
    assert Settings(path).load().gyro_offset == (812, -605, 5000)
    with open(path, "w") as f:
        json.dump({"format": 1, "stride_factor": 990, "total_dm": 5}, f)
    old = Settings(path).load()
    assert (old.stride_factor, old.gyro_offset, old.error) == (990, (0, 0, 0), None)


def test_a_cut_between_remove_and_rename_falls_back_to_the_aside_copy(tmp_path):
    path = str(tmp_path / "s.json")
    with open(path + ".new", "w") as f:
        json.dump({"format": 1, "stride_factor": 980, "total_dm": 77}, f)
    s = Settings(path).load()
    assert (s.stride_factor, s.total_dm, s.error) == (980, 77, None)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not valid JSON"),
        ('{"format": 2, "stride_factor": 1000, "total_dm": 0}', '"format": 1'),
        ('{"format": 1, "stride_factor": 50, "total_dm": 0}', "stride_factor must be an integer"),
        ('{"format": 1, "stride_factor": 1000, "total_dm": -4}', "total_dm must be an integer"),
        (
            '{"format": 1, "stride_factor": 1000, "total_dm": 0, "gyro_offset": [1, 2]}',
            "gyro_offset must be 3 integers",
        ),
        (
            '{"format": 1, "stride_factor": 1000, "total_dm": 0, "gyro_offset": [1, 2, 9000]}',
            "gyro_offset must be 3 integers",
        ),
        (
            '{"format": 1, "stride_factor": 1000, "total_dm": 0, "gyro_offset": [1, "2", 3]}',
            "gyro_offset must be 3 integers",
        ),
    ],
)
def test_bad_files_keep_the_defaults_and_say_why(tmp_path, text, message):
    path = str(tmp_path / "s.json")
    with open(path, "w") as f:
        f.write(text)
    s = Settings(path).load()
    assert (s.stride_factor, s.total_dm, s.gyro_offset) == (1000, 0, (0, 0, 0))
    assert message in s.error and path in s.error


def test_save_failure_is_reported_not_raised(tmp_path):
    s = Settings(str(tmp_path / "no" / "such" / "dir" / "s.json"))
    assert s.save() is False
    assert "cannot save" in s.error


def test_rename_over_an_existing_file_replaces_it(tmp_path):
    path = str(tmp_path / "s.json")
    s = Settings(path)
    for total in (1, 2, 3):
        s.total_dm = total
        assert s.save()
    assert Settings(path).load().total_dm == 3 and s.saves == 3


def test_on_fat_which_will_not_rename_over_a_file_the_old_one_is_removed_first(
    tmp_path, monkeypatch
):
    import footfall.ble.settings as settings_module

    rename = os.rename

    def fat_rename(src, dst):  # as FAT: no rename onto a name that exists
        if os.path.exists(dst):
            raise OSError(17, "EEXIST")
        rename(src, dst)

    monkeypatch.setattr(settings_module.os, "rename", fat_rename)
    path = str(tmp_path / "s.json")
    s = Settings(path)
    for total in (1, 2, 3):
        s.total_dm = total
        assert s.save(), s.error
    assert Settings(path).load().total_dm == 3
    assert sorted(os.listdir(tmp_path)) == ["s.json"]  # no aside left behind
