"""SC Control Point: every op code, every error result, and garbage that must not crash."""

import pytest
from footfall.ble import central
from footfall.ble import control as C
from footfall.ble.rsc import SUPPORTED_LOCATIONS
from hypothesis import given
from hypothesis import strategies as st


class Target:
    def __init__(self, ok=True, boom=False):
        self.ok = ok
        self.boom = boom
        self.calls = []

    def _do(self, *call):
        self.calls.append(call)
        if self.boom:
            raise OSError("flash full")
        return self.ok

    def set_total_distance(self, dm):
        return self._do("total", dm)

    def start_calibration(self):
        return self._do("calibrate")

    def set_location(self, loc):
        return self._do("location", loc)


def answer(cp, data):
    return central.decode_response(bytes(cp.handle(data)))


def test_set_cumulative_value():
    t = Target()
    cp = C.ControlPoint(t)
    assert answer(cp, central.encode_request(C.OP_SET_CUMULATIVE, 12345)) == (
        1,
        C.RESULT_SUCCESS,
        b"",
    )
    assert t.calls == [("total", 12345)]
    assert central.encode_request(C.OP_SET_CUMULATIVE, 0x01020304).hex() == "0104030201"


def test_start_calibration_and_locations():
    t = Target()
    cp = C.ControlPoint(t)
    assert answer(cp, b"\x02") == (2, C.RESULT_SUCCESS, b"")
    assert answer(cp, b"\x04") == (4, C.RESULT_SUCCESS, SUPPORTED_LOCATIONS)
    assert answer(cp, b"\x03\x02") == (3, C.RESULT_SUCCESS, b"")
    assert answer(cp, b"\x03\x07") == (3, C.RESULT_INVALID_PARAMETER, b"")  # not supported
    assert t.calls == [("calibrate",), ("location", 2)]
    assert cp.errors == 1


@pytest.mark.parametrize(
    "data, result",
    [
        (b"\x01\x00\x00", C.RESULT_INVALID_PARAMETER),  # total distance needs 4 bytes
        (b"\x01\x00\x00\x00\x00\x00", C.RESULT_INVALID_PARAMETER),
        (b"\x02\x00", C.RESULT_INVALID_PARAMETER),
        (b"\x03", C.RESULT_INVALID_PARAMETER),
        (b"\x04\x01", C.RESULT_INVALID_PARAMETER),
        (b"\x05", C.RESULT_NOT_SUPPORTED),  # Update... no: 0x05 is not an RSC op code
        (b"\x10\x01\x01", C.RESULT_NOT_SUPPORTED),  # a client cannot send a response
        (b"\xff\xff\xff", C.RESULT_NOT_SUPPORTED),
        (b"", C.RESULT_NOT_SUPPORTED),
    ],
)
def test_errors_are_the_standard_result_codes(data, result):
    t = Target()
    cp = C.ControlPoint(t)
    req, res, extra = answer(cp, data)
    assert (req, res, extra) == (data[0] if data else 0, result, b"")
    assert t.calls == [] and cp.errors == 1


def test_a_failing_handler_is_operation_failed_not_a_crash():
    assert answer(C.ControlPoint(Target(ok=False)), b"\x02")[1] == C.RESULT_FAILED
    assert answer(C.ControlPoint(Target(boom=True)), b"\x01\x01\x00\x00\x00")[1] == C.RESULT_FAILED


@given(st.binary(max_size=24))
def test_any_write_gets_a_well_formed_response(data):
    t = Target()
    rsp = bytes(C.ControlPoint(t).handle(data))
    req, result, extra = central.decode_response(rsp)
    assert req == (data[0] if data else 0)
    assert result in (C.RESULT_SUCCESS, C.RESULT_NOT_SUPPORTED, C.RESULT_INVALID_PARAMETER)
    assert (result == C.RESULT_SUCCESS) == (len(t.calls) == 1 or (data == b"\x04"))


@given(st.integers(0, 0xFFFFFFFF))
def test_cumulative_value_round_trip(value):
    t = Target()
    answer(C.ControlPoint(t), central.encode_request(C.OP_SET_CUMULATIVE, value))
    assert t.calls == [("total", value)]


def test_request_encoder_refuses_what_it_cannot_send():
    with pytest.raises(ValueError, match="total distance"):
        central.encode_request(C.OP_SET_CUMULATIVE, -1)
    with pytest.raises(ValueError, match="total distance"):
        central.encode_request(C.OP_SET_CUMULATIVE, 2**32)
    with pytest.raises(ValueError, match="location"):
        central.encode_request(C.OP_UPDATE_LOCATION, 300)
    with pytest.raises(ValueError, match="op code"):
        central.encode_request(9)
    with pytest.raises(ValueError, match="expected 0x10"):
        central.decode_response(b"\x01\x02\x03")
