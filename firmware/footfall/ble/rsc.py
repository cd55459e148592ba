"""Running Speed and Cadence (Bluetooth SIG service 0x1814) characteristic payloads.

RSC Measurement 0x2A53, little-endian:
  flags u8   bit 0 stride length present, bit 1 total distance present, bit 2 running
  speed u16  1/256 m/s
  cadence u8 1/min (steps per minute, both feet, as Garmin, Stryd and Polar report it)
  stride u16 1/100 m  (if bit 0)
  total u32  1/10 m   (if bit 1)
Values out of a field's range are clamped to it, never wrapped: a watch showing 255 steps/min
is wrong in an obvious way, one showing 4 after a wrap is wrong in a misleading one.

RSC Feature 0x2A54 is a u16 of the FEATURE_* bits; Sensor Location 0x2A5D a u8.
"""

import struct

from micropython import const

FLAG_STRIDE = const(0x01)
FLAG_DISTANCE = const(0x02)
FLAG_RUNNING = const(0x04)

FEATURE_STRIDE = const(0x0001)  # instantaneous stride length measurement
FEATURE_DISTANCE = const(0x0002)  # total distance measurement
FEATURE_RUNNING_STATUS = const(0x0004)  # walking or running status
FEATURE_CALIBRATION = const(0x0008)  # calibration procedure
FEATURE_MULTIPLE_LOCATIONS = const(0x0010)  # needed for the supported-locations request
# What Footfall measures: all of the above.
_FEATURES = const(0x001F)

_LOCATION_OTHER = const(0)
_LOCATION_TOP_OF_SHOE = const(1)
LOCATION_IN_SHOE = const(2)
_LOCATION_HIP = const(3)
# The locations a Footfall insole can be in (it sits in the shoe, nowhere else).
SUPPORTED_LOCATIONS = b"\x02"

MEASUREMENT_MAX = const(10)  # bytes, with every optional field

_U8 = const(0xFF)
_U16 = const(0xFFFF)
_U32 = const(0xFFFFFFFF)  # beyond a 32-bit board's small ints: a constant object where used
_MAX_MMPS = const(255996)  # mm/s that still round below 65535.5 / 256 m/s


def clamp(value, top):
    """value within 0..top: clamped to it, never wrapped (adv.py and form.py use it too)."""
    if value < 0:
        return 0
    if value > top:
        return top
    return value


def speed_to_raw(speed_mmps):
    """mm/s -> the field's 1/256 m/s, rounded, clamped to u16."""
    if speed_mmps >= _MAX_MMPS:
        return _U16
    if speed_mmps <= 0:
        return 0
    return clamp((speed_mmps * 256 + 500) // 1000, _U16)


def encode_measurement(
    buf, speed_mmps, cadence_spm, stride_mm=None, distance_dm=None, running=False
):
    """Pack an RSC Measurement into buf (a bytearray of at least MEASUREMENT_MAX bytes).

    speed_mmps: mm/s; cadence_spm: steps/min (both feet); stride_mm: mm, or None when unknown;
    distance_dm: total distance in 0.1 m, or None when not reported. Returns the length used.
    """
    flags = FLAG_RUNNING if running else 0
    struct.pack_into("<BHB", buf, 0, 0, speed_to_raw(speed_mmps), clamp(cadence_spm, _U8))
    n = 4
    if stride_mm is not None:
        flags |= FLAG_STRIDE
        cm = 0 if stride_mm <= 0 else (stride_mm + 5) // 10
        struct.pack_into("<H", buf, n, clamp(cm, _U16))
        n += 2
    if distance_dm is not None:
        flags |= FLAG_DISTANCE
        struct.pack_into("<I", buf, n, clamp(distance_dm, _U32))
        n += 4
    buf[0] = flags
    return n


def encode_feature(features=_FEATURES):
    return struct.pack("<H", features & _U16)


def encode_location(location=LOCATION_IN_SHOE):
    if not 0 <= location <= _U8:
        raise ValueError("sensor location: expected 0..255, got %r" % (location,))
    return bytes((location,))
