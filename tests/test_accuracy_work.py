"""`make accuracy` keeps its conversion of the shared recordings between runs, but only for the
same recordings: another --datasets folder is converted afresh."""

import os

from host_tools import accuracy


def test_another_datasets_folder_is_converted_afresh(tmp_path, monkeypatch):
    calls = []

    def convert(src, out):
        calls.append(src)
        open(os.path.join(out, os.path.basename(src) + ".csv"), "w").close()

    monkeypatch.setattr(accuracy, "convert", convert)
    a, b, work = tmp_path / "a", tmp_path / "b", tmp_path / "work"
    a.mkdir()
    b.mkdir()
    ds = accuracy._fresh(str(work), str(a))
    for made in ("events", "variant_100hz", "notes"):
        (work / made).mkdir()
    assert accuracy._fresh(str(work), str(a)) == ds and calls == [str(a)]  # kept
    accuracy._fresh(str(work), str(b))
    assert calls == [str(a), str(b)]
    assert sorted(os.listdir(ds)) == [".converted", "b.csv"]
    assert sorted(os.listdir(work)) == ["notes", "traces"]  # what it made went; the rest stays
