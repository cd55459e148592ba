"""Form service, Battery Level, Device Information and the GATT table."""

import uuid

import pytest
from footfall import VERSION
from footfall.ble import central, form, gatt, info
from hypothesis import given
from hypothesis import strategies as st


def test_form_measurement_layout():
    buf = bytearray(form.FORM_SIZE)
    assert form.encode_form(buf, 70, 20, 10, 18, 245, 3120, -35) == 11
    assert buf.hex(" ") == "0f 46 14 0a 12 f5 00 30 0c dd ff"
    assert central.decode_form(buf) == {
        "heel_pct": 70,
        "mid_pct": 20,
        "fore_pct": 10,
        "window": 18,
        "contact_ms": 245,
        "impact_mg": 3120,
        "angle_decideg": -35,
    }


def test_form_unknowns_are_flagged_not_zero():
    buf = bytearray(form.FORM_SIZE)
    form.encode_form(buf, 50, 50, 0, 0, None, None, None)
    assert buf[0] == 0
    d = central.decode_form(buf)
    assert d["heel_pct"] is None and d["contact_ms"] is None and d["angle_decideg"] is None


@given(
    shares=st.tuples(*[st.integers(-5, 300)] * 3),
    window=st.integers(0, 400),
    contact=st.none() | st.integers(-5, 10**6),
    impact=st.none() | st.integers(-5, 10**6),
    angle=st.none() | st.integers(-(10**5), 10**5),
)
def test_form_round_trip_clamps(shares, window, contact, impact, angle):
    buf = bytearray(form.FORM_SIZE)
    form.encode_form(buf, *shares, window, contact, impact, angle)
    d = central.decode_form(buf)

    def clamp(v, lo, hi):
        return None if v is None else min(max(v, lo), hi)

    if window > 0:
        assert (d["heel_pct"], d["mid_pct"], d["fore_pct"]) == tuple(
            clamp(s, 0, 100) for s in shares
        )
    else:
        assert d["heel_pct"] is None
    assert d["window"] == min(window, 255)
    assert d["contact_ms"] == clamp(contact, 0, 0xFFFF)
    assert d["impact_mg"] == clamp(impact, 0, 0xFFFF)
    assert d["angle_decideg"] == clamp(angle, -32768, 32767)


def test_form_uuids_are_fixed_random_uuids():
    for u in (form.FORM_SERVICE_UUID, form.FORM_MEASUREMENT_UUID):
        assert uuid.UUID(u).version == 4  # generated once, written down, never changed
    assert form.FORM_SERVICE_UUID == "7343b610-d7c5-4157-a195-092c81398ee3"
    assert form.FORM_MEASUREMENT_UUID == "9043005b-23c3-439b-a4f2-d036f50b24de"
    with pytest.raises(ValueError, match="expected 11 bytes"):
        central.decode_form(b"\x00")


@pytest.mark.parametrize("pct, byte", [(-3, 0), (0, 0), (57, 57), (100, 100), (180, 100)])
def test_battery_level_clamps(pct, byte):
    assert info.encode_battery(pct) == bytes((byte,))
    assert central.decode_battery(info.encode_battery(pct)) == byte


def test_battery_decoder_and_device_information():
    with pytest.raises(ValueError, match="Battery Level"):
        central.decode_battery(b"\x65")
    assert info.device_info() == (b"Footfall project", b"Footfall insole", VERSION.encode())
    assert info.device_info("9.9")[2] == b"9.9"


def test_gatt_table_indices_match_the_services():
    flat = [c for _, chars in gatt.SERVICES for c in chars]
    assert len(flat) == gatt.N_CHARACTERISTICS
    assert flat[gatt.RSC_MEASUREMENT] == (0x2A53, gatt.NOTIFY)
    assert flat[gatt.RSC_FEATURE] == (0x2A54, gatt.READ)
    assert flat[gatt.SENSOR_LOCATION] == (0x2A5D, gatt.READ)
    assert flat[gatt.SC_CONTROL_POINT] == (0x2A55, gatt.WRITE | gatt.INDICATE)
    assert flat[gatt.BATTERY_LEVEL][0] == 0x2A19
    assert [flat[i][0] for i in (gatt.MANUFACTURER, gatt.MODEL, gatt.FIRMWARE)] == [
        0x2A29,
        0x2A24,
        0x2A26,
    ]
    assert flat[gatt.FORM_MEASUREMENT][0] == form.FORM_MEASUREMENT_UUID
    assert [s for s, _ in gatt.SERVICES] == [0x1814, 0x180F, 0x180A, form.FORM_SERVICE_UUID]


def test_uuids_go_on_the_air_little_endian():
    assert gatt.uuid_bytes(0x2A53) == b"\x53\x2a"
    assert gatt.uuid_bytes(form.FORM_SERVICE_UUID) == bytes(
        reversed(uuid.UUID(form.FORM_SERVICE_UUID).bytes)
    )
    with pytest.raises(ValueError, match="32 hex digits"):
        gatt.uuid_bytes("1234")
