"""SC Control Point 0x2A55 of the RSC service: the server's handler (a client's side: central.py).

A client writes [op code, parameters...]; the server answers with an indication
[0x10, request op code, result, response parameters...]. Footfall supports:
  0x01 Set Cumulative Value       u32 total distance in 0.1 m
  0x02 Start Sensor Calibration   no parameter (see peripheral.py for how it ends)
  0x03 Update Sensor Location     u8 location, one of the supported ones
  0x04 Request Supported Sensor Locations -> the list of u8 locations
An unknown op code gets "op code not supported"; a known one with the wrong length or value
gets "invalid parameter"; a handler that fails gets "operation failed". Nothing a client
writes raises out of `ControlPoint.handle`.
"""

import struct

from micropython import const

from .rsc import SUPPORTED_LOCATIONS

OP_SET_CUMULATIVE = const(0x01)
OP_START_CALIBRATION = const(0x02)
OP_UPDATE_LOCATION = const(0x03)
OP_REQUEST_LOCATIONS = const(0x04)
OP_RESPONSE = const(0x10)

RESULT_SUCCESS = const(0x01)
RESULT_NOT_SUPPORTED = const(0x02)
RESULT_INVALID_PARAMETER = const(0x03)
RESULT_FAILED = const(0x04)

_LENGTHS = (0, 5, 1, 2, 1)  # expected write length per op code 0x01..0x04 (index = op)


class ControlPoint:
    """Answers control-point writes. `target` provides:

    set_total_distance(dm) -> bool   Set Cumulative Value
    start_calibration() -> bool      Start Sensor Calibration
    set_location(location) -> bool   Update Sensor Location (a supported one)
    """

    def __init__(self, target, locations=SUPPORTED_LOCATIONS):
        self.target = target
        self.locations = bytes(locations)
        self._buf = bytearray(3 + len(self.locations))
        self._buf[0] = OP_RESPONSE
        self._mv = memoryview(self._buf)
        self.errors = 0  # requests answered with anything but success

    def handle(self, data):
        """One write -> the response to indicate (a memoryview into a reused buffer)."""
        n = len(data)
        op = data[0] if n else 0
        extra = 0
        if op < 1 or op > OP_REQUEST_LOCATIONS:
            result = RESULT_NOT_SUPPORTED
        elif n != _LENGTHS[op]:
            result = RESULT_INVALID_PARAMETER
        elif op == OP_UPDATE_LOCATION and data[1] not in self.locations:
            result = RESULT_INVALID_PARAMETER
        elif op == OP_REQUEST_LOCATIONS:
            result = RESULT_SUCCESS
            extra = len(self.locations)
            self._buf[3 : 3 + extra] = self.locations
        else:
            result = self._call(op, data)
        if result != RESULT_SUCCESS:
            self.errors += 1
        buf = self._buf
        buf[1] = op
        buf[2] = result
        return self._mv[: 3 + extra]

    def _call(self, op, data):
        t = self.target
        try:
            if op == OP_SET_CUMULATIVE:
                ok = t.set_total_distance(struct.unpack_from("<I", data, 1)[0])
            elif op == OP_START_CALIBRATION:
                ok = t.start_calibration()
            else:
                ok = t.set_location(data[1])
        except Exception:  # a failing handler is the client's "operation failed", not a crash
            return RESULT_FAILED
        return RESULT_SUCCESS if ok else RESULT_FAILED
