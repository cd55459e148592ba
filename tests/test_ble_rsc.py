"""RSC Measurement, Feature and Sensor Location payloads: round trips, limits, the test vector."""

import math
from fractions import Fraction

import pytest
from footfall.ble import central, rsc
from hypothesis import given
from hypothesis import strategies as st

U16 = 0xFFFF
U32 = 0xFFFFFFFF


def test_the_issue_test_vector():
    # 3.0 m/s, 180 /min, 1.20 m, 1234.5 m, running
    data = central.measurement_bytes(3000, 180, 1200, 12345, running=True)
    assert data.hex(" ") == "07 00 03 b4 78 00 39 30 00 00"
    assert central.decode_measurement(data) == (7, 768, 180, 120, 12345)


def test_optional_fields_are_left_out():
    assert central.measurement_bytes(1000, 90).hex() == "00" + "0001" + "5a"
    assert central.measurement_bytes(0, 0, stride_mm=500).hex() == "01" + "0000" + "00" + "3200"
    assert central.measurement_bytes(0, 0, distance_dm=1).hex() == "02000000" + "01000000"


def test_encoding_into_a_preallocated_buffer_reuses_it():
    buf = bytearray(rsc.MEASUREMENT_MAX)
    assert rsc.encode_measurement(buf, 3000, 180, 1200, 12345, True) == 10
    n = rsc.encode_measurement(buf, 1000, 90)
    assert n == 4 and bytes(buf[:n]) == bytes.fromhex("0000015a")


@pytest.mark.parametrize(
    "speed, raw", [(-5, 0), (0, 0), (1, 0), (2, 1), (255996, U16), (255995, 65535), (10**9, U16)]
)
def test_speed_rounds_and_clamps(speed, raw):
    assert rsc.speed_to_raw(speed) == raw


def test_every_field_clamps_at_its_limit_instead_of_wrapping():
    data = central.measurement_bytes(10**7, 256, 655360, 2**32, running=False)
    assert central.decode_measurement(data) == (3, U16, 255, U16, U32)
    data = central.measurement_bytes(-1, -1, -1, -1)
    assert central.decode_measurement(data) == (3, 0, 0, 0, 0)


@given(
    speed=st.integers(-(10**6), 10**6),
    cadence=st.integers(-100, 400),
    stride=st.none() | st.integers(-(10**3), 10**6),
    total=st.none() | st.integers(-10, 2**33),
    running=st.booleans(),
)
def test_round_trip_is_exact_in_range_and_clamped_outside(speed, cadence, stride, total, running):
    data = central.measurement_bytes(speed, cadence, stride, total, running)
    flags, s, c, sl, td = central.decode_measurement(data)
    assert bool(flags & rsc.FLAG_RUNNING) == running
    # nearest 1/256 m/s, halves up, then clamped
    assert s == min(max(math.floor(Fraction(speed * 256, 1000) + Fraction(1, 2)), 0), U16)
    assert c == min(max(cadence, 0), 255)
    if stride is None:
        assert sl is None and not flags & rsc.FLAG_STRIDE
    else:
        assert sl == min(max((stride + 5) // 10 if stride > 0 else 0, 0), U16)
    if total is None:
        assert td is None and not flags & rsc.FLAG_DISTANCE
    else:
        assert td == min(max(total, 0), U32)
    assert len(data) == 4 + 2 * (stride is not None) + 4 * (total is not None)


@given(st.binary(max_size=12))
def test_decoder_accepts_exactly_the_lengths_the_flags_announce(data):
    # flags, speed (2), cadence; then stride (2) if flag bit 0, total distance (4) if bit 1
    expected = None if len(data) < 4 else 4 + 2 * bool(data[0] & 1) + 4 * bool(data[0] & 2)
    if len(data) == expected:
        assert central.decode_measurement(data)[0] == data[0]
    else:
        with pytest.raises(ValueError, match="RSC Measurement"):
            central.decode_measurement(data)


def test_decoder_names_what_it_expected():
    with pytest.raises(ValueError, match="flags 0x03 need 10 bytes, got 6"):
        central.decode_measurement(bytes.fromhex("030003b47800"))
    with pytest.raises(ValueError, match="at least 4 bytes"):
        central.decode_measurement(b"\x00")


def test_feature_and_location():
    assert rsc.encode_feature() == b"\x1f\x00"
    assert central.decode_feature(rsc.encode_feature()) == (
        rsc.FEATURE_STRIDE
        | rsc.FEATURE_DISTANCE
        | rsc.FEATURE_RUNNING_STATUS
        | rsc.FEATURE_CALIBRATION
        | rsc.FEATURE_MULTIPLE_LOCATIONS
    )
    assert rsc.encode_location() == b"\x02"  # in shoe
    assert central.decode_location(b"\x02") == rsc.LOCATION_IN_SHOE
    assert rsc.SUPPORTED_LOCATIONS == bytes((rsc.LOCATION_IN_SHOE,))
    with pytest.raises(ValueError, match="RSC Feature"):
        central.decode_feature(b"\x1f")
    with pytest.raises(ValueError, match="0..255"):
        rsc.encode_location(256)


@given(st.integers(0, U16))
def test_feature_round_trip(bits):
    assert central.decode_feature(rsc.encode_feature(bits)) == bits
