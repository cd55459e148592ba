"""The other end: what a phone, a watch or the laptop does with what the insole sends.

The decoders of every payload the insole's services and broadcast carry, and the SC Control
Point requests a client writes. The insole itself only encodes, so this module is never
deployed to a board (host_tools/deploy.py leaves it out): it runs on CPython for
`host_tools monitor` and `simulate`, and on the MicroPython unix port in the tests, which
check each decoder against the very encoder the board runs. Layouts: the modules named in
each function, and docs/ble.md.
"""

import struct

from .adv import BCAST_MOVING, BCAST_RUNNING, BROADCAST_V1_LAYOUT, BROADCAST_V1_SIZE
from .control import (
    OP_REQUEST_LOCATIONS,
    OP_RESPONSE,
    OP_SET_CUMULATIVE,
    OP_START_CALIBRATION,
    OP_UPDATE_LOCATION,
)
from .form import FORM_ANGLE, FORM_CONTACT, FORM_IMPACT, FORM_LAYOUT, FORM_SHARES, FORM_SIZE
from .recording import STATE_SIZE
from .rsc import FLAG_DISTANCE, FLAG_STRIDE, MEASUREMENT_MAX, encode_measurement

# ---- Running Speed and Cadence (rsc.py) ----------------------------------------------------


def measurement_bytes(speed_mmps, cadence_spm, stride_mm=None, distance_dm=None, running=False):
    """rsc.encode_measurement, as new bytes (host and tests; not for hot paths)."""
    buf = bytearray(MEASUREMENT_MAX)
    n = encode_measurement(buf, speed_mmps, cadence_spm, stride_mm, distance_dm, running)
    return bytes(buf[:n])


def decode_measurement(data):
    """RSC Measurement bytes -> (flags, speed 1/256 m/s, cadence 1/min, stride cm or None,
    total distance dm or None). Raises ValueError naming what was expected."""
    if len(data) < 4:
        raise ValueError(
            "RSC Measurement: expected at least 4 bytes (flags, speed, cadence), "
            "got %d" % len(data)
        )
    flags, speed, cadence = struct.unpack_from("<BHB", data, 0)
    need = 4 + (2 if flags & FLAG_STRIDE else 0) + (4 if flags & FLAG_DISTANCE else 0)
    if len(data) != need:
        raise ValueError(
            "RSC Measurement: flags 0x%02x need %d bytes, got %d" % (flags, need, len(data))
        )
    n = 4
    stride = None
    total = None
    if flags & FLAG_STRIDE:
        stride = struct.unpack_from("<H", data, n)[0]
        n += 2
    if flags & FLAG_DISTANCE:
        total = struct.unpack_from("<I", data, n)[0]
    return flags, speed, cadence, stride, total


def decode_feature(data):
    """RSC Feature -> its FEATURE_* bits."""
    if len(data) != 2:
        raise ValueError("RSC Feature: expected 2 bytes, got %d" % len(data))
    return struct.unpack("<H", data)[0]


def decode_location(data):
    """Sensor Location -> one of the LOCATION_* values."""
    if len(data) != 1:
        raise ValueError("Sensor Location: expected 1 byte, got %d" % len(data))
    return data[0]


# ---- SC Control Point (control.py) ---------------------------------------------------------


def encode_request(op, value=None):
    """A control-point write, as a client sends it."""
    if op == OP_SET_CUMULATIVE:
        if value is None or not 0 <= value <= 0xFFFFFFFF:
            raise ValueError(
                "Set Cumulative Value: expected a total distance 0..4294967295 "
                "(0.1 m), got %r" % (value,)
            )
        return struct.pack("<BI", op, value)
    if op == OP_UPDATE_LOCATION:
        if value is None or not 0 <= value <= 255:
            raise ValueError(
                "Update Sensor Location: expected a location 0..255, got %r" % (value,)
            )
        return bytes((op, value))
    if op in (OP_START_CALIBRATION, OP_REQUEST_LOCATIONS):
        return bytes((op,))
    raise ValueError("unknown SC Control Point op code %r; expected 1..4" % (op,))


def decode_response(data):
    """An indication -> (request op code, result, response parameters as bytes)."""
    if len(data) < 3 or data[0] != OP_RESPONSE:
        raise ValueError(
            "SC Control Point response: expected 0x10, request op code, result; "
            "got %s" % bytes(data).hex()
        )
    return data[1], data[2], bytes(data[3:])


# ---- advertising and the broadcast (adv.py) ------------------------------------------------


def iter_ad(data):
    """Yield (AD type, value bytes) for each AD structure; raises ValueError if malformed."""
    i = 0
    n = len(data)
    while i < n:
        length = data[i]
        if length == 0:  # the rest is padding
            return
        if i + 1 + length > n:
            raise ValueError(
                "advertising data: structure at byte %d says %d bytes, only %d left"
                % (i, length, n - i - 1)
            )
        yield data[i + 1], bytes(data[i + 2 : i + 1 + length])
        i += 1 + length


def find_ad(data, ad_type):
    """The value of the first AD structure of this type, or None."""
    for kind, value in iter_ad(data):
        if kind == ad_type:
            return value
    return None


def decode_broadcast(mfr):
    """Manufacturer data (company ID first, as in the AD structure) -> dict, or None if it is
    not a Footfall broadcast. Raises ValueError for a Footfall header with a short payload."""
    if len(mfr) < 3 or mfr[0] != 0xFF or mfr[1] != 0xFF:
        return None
    return decode_broadcast_payload(bytes(mfr[2:]))


def decode_broadcast_payload(p):
    """The payload after the company ID -> dict of the version-1 fields (see docs/ble.md).
    Later versions only append fields, so this reads the start of any version."""
    if len(p) < BROADCAST_V1_SIZE or p[0] < 1:
        raise ValueError(
            "Footfall broadcast: expected version >= 1 and %d bytes, got %d bytes "
            "(%s)" % (BROADCAST_V1_SIZE, len(p), bytes(p[:4]).hex())
        )
    v = struct.unpack_from(BROADCAST_V1_LAYOUT, p, 0)
    return {
        "version": v[0],
        "running": bool(v[1] & BCAST_RUNNING),
        "moving": bool(v[1] & BCAST_MOVING),
        "seq": v[2],
        "speed_mps": v[3] / 256,
        "cadence_spm": v[4] / 10,
        "steps": v[5],
        "contact_ms": None if v[6] == 0xFFFF else v[6],
        "heel": v[7],
        "mid": v[8],
        "fore": v[9],
    }


# ---- the Footfall form service (form.py, recording.py) and the battery (info.py) -----------


def decode_form(data):
    """Form Measurement bytes -> dict (absent values are None)."""
    if len(data) != FORM_SIZE:
        raise ValueError("Form Measurement: expected %d bytes, got %d" % (FORM_SIZE, len(data)))
    f, heel, mid, fore, window, contact, impact, angle = struct.unpack(FORM_LAYOUT, bytes(data))
    shares = bool(f & FORM_SHARES)
    return {
        "heel_pct": heel if shares else None,
        "mid_pct": mid if shares else None,
        "fore_pct": fore if shares else None,
        "window": window,
        "contact_ms": contact if f & FORM_CONTACT else None,
        "impact_mg": impact if f & FORM_IMPACT else None,
        "angle_decideg": angle if f & FORM_ANGLE else None,
    }


def decode_state(data):
    """Recording Control's readable value -> (state, session number)."""
    if len(data) != STATE_SIZE:
        raise ValueError("Recording state: expected %d bytes, got %d" % (STATE_SIZE, len(data)))
    return data[0], data[1] | (data[2] << 8)


def decode_battery(data):
    """Battery Level -> percent."""
    if len(data) != 1 or data[0] > 100:
        raise ValueError("Battery Level: expected 1 byte 0..100, got %s" % bytes(data).hex())
    return data[0]
