"""Advertising data within 31 bytes, and the versioned Footfall broadcast."""

import pytest
from footfall.ble import adv, central
from hypothesis import given
from hypothesis import strategies as st


def test_advertising_data_has_flags_name_service_and_appearance():
    data = adv.advertising_data("Footfall")
    assert len(data) <= 31
    kinds = dict(central.iter_ad(data))
    # AD types from the Bluetooth assigned numbers: 0x01 flags, 0x19 appearance
    assert kinds[0x01] == b"\x06"
    assert kinds[adv.AD_UUID16_COMPLETE] == b"\x14\x18"
    assert kinds[0x19] == b"\x41\x04"
    assert kinds[adv.AD_NAME_COMPLETE] == b"Footfall"


@given(st.text(min_size=1, max_size=40))
def test_any_name_fits_shortened_if_it_must(name):
    data = adv.advertising_data(name)
    assert len(data) <= 31
    raw = name.encode()
    complete = central.find_ad(data, adv.AD_NAME_COMPLETE)
    short = central.find_ad(data, 0x08)  # the shortened local name
    # 31 bytes less flags (3), one 16-bit service UUID (4), appearance (4), the name's header (2)
    room = 31 - 3 - 4 - 4 - 2
    if len(raw) <= room:
        assert complete == raw and short is None
    else:
        assert complete is None and short == raw[:room]


def test_malformed_advertising_data_is_named():
    with pytest.raises(ValueError, match="says 9 bytes, only 3 left"):
        list(central.iter_ad(b"\x09\x09ab"))
    assert list(central.iter_ad(b"\x02\x01\x06\x00\x00")) == [(1, b"\x06")]


def test_broadcast_layout_version_1():
    b = adv.Broadcast()
    data = b.update(True, True, 3000, 1805, 123456, 245, 700, 250, 50)
    assert len(data) == 29
    assert data[:4] == bytes((28, 0xFF, 0xFF, 0xFF))  # length, manufacturer, company 0xFFFF
    payload = data[4:]
    assert payload[0] == 1 and payload[1] == 3 and payload[2] == 0  # version, flags, seq
    assert payload[3:5] == (768).to_bytes(2, "little")
    assert payload[5:7] == (1805).to_bytes(2, "little")
    assert payload[7:11] == (123456).to_bytes(4, "little")
    assert payload[11:13] == (245).to_bytes(2, "little")
    assert payload[13:25] == b"".join(v.to_bytes(4, "little") for v in (700, 250, 50))
    assert b.update(False, False, 0, 0, 0, None, 0, 0, 0)[6] == 1  # sequence counts up


@given(
    running=st.booleans(),
    moving=st.booleans(),
    speed=st.integers(-10, 300000),
    cadence=st.integers(-5, 70000),
    steps=st.integers(-1, 2**33),
    contact=st.none() | st.integers(-1, 70000),
    counts=st.tuples(*[st.integers(0, 2**33)] * 3),
)
def test_broadcast_round_trip_with_clamping(
    running, moving, speed, cadence, steps, contact, counts
):
    b = adv.Broadcast()
    data = b.update(running, moving, speed, cadence, steps, contact, *counts)
    d = central.decode_broadcast(central.find_ad(data, adv.AD_MANUFACTURER))
    clamp = lambda v, hi: min(max(v, 0), hi)  # noqa: E731
    assert d["version"] == 1 and d["running"] == running and d["moving"] == moving
    assert d["cadence_spm"] == clamp(cadence, 0xFFFF) / 10
    assert d["steps"] == clamp(steps, 0xFFFFFFFF)
    # 0xFFFF stands for unknown, so a known contact time stops at 0xFFFE
    assert d["contact_ms"] == (None if contact is None else clamp(contact, 0xFFFE))
    assert (d["heel"], d["mid"], d["fore"]) == tuple(clamp(c, 0xFFFFFFFF) for c in counts)
    assert abs(d["speed_mps"] - clamp(speed, 255996) / 1000) <= 1 / 512 + 1e-9


def test_later_versions_are_read_by_their_version_1_prefix():
    data = bytes(adv.Broadcast().update(True, True, 1000, 1500, 10, 200, 1, 2, 3))
    future = bytes((2,)) + data[5:] + b"\x99\x98"  # a version 2 that appends two bytes
    d = central.decode_broadcast_payload(future)
    assert d["version"] == 2 and d["steps"] == 10 and d["fore"] == 3


def test_broadcast_decoder_rejects_other_data():
    assert central.decode_broadcast(b"\x4c\x00\x02\x15") is None  # not company 0xFFFF
    with pytest.raises(ValueError, match="Footfall broadcast: expected version >= 1 and 25"):
        central.decode_broadcast(b"\xff\xff\x01\x00")
