"""Advertising data, and the connectionless Footfall broadcast (layout: docs/ble.md).

The advertising packet (31 bytes at most) carries what a watch looks for when it searches for a
foot pod: flags, the complete name, the RSC service UUID 0x1814 and the appearance 0x0441
(Running Walking Sensor: In-Shoe). The broadcast rides in the scan response, as manufacturer
specific data under company ID 0xFFFF, the Bluetooth SIG's ID reserved for tests and not
assigned to anyone: [0xFF, 0xFF, version, payload...]. Later versions only append fields, so a
version-1 reader decodes the first BROADCAST_V1_SIZE bytes of any version.
"""

import struct

from micropython import const

from .rsc import clamp, speed_to_raw

_AD_FLAGS = const(0x01)
_AD_UUID16_INCOMPLETE = const(0x02)
AD_UUID16_COMPLETE = const(0x03)
_AD_UUID128_COMPLETE = const(0x07)
_AD_NAME_SHORT = const(0x08)
AD_NAME_COMPLETE = const(0x09)
_AD_APPEARANCE = const(0x19)
AD_MANUFACTURER = const(0xFF)

_FLAGS_LE_GENERAL = const(0x06)  # LE General Discoverable, BR/EDR not supported
_APPEARANCE_IN_SHOE = const(0x0441)  # Running Walking Sensor: In-Shoe
_RSC_SERVICE = const(0x1814)
_COMPANY_ID = const(0xFFFF)  # SIG test/unassigned ID: nobody's, so no one else's format
_ADV_MAX = const(31)

_BROADCAST_VERSION = const(1)
BROADCAST_V1_SIZE = const(25)  # payload bytes after the company ID
# version, flags, sequence, speed, cadence, steps, contact, heel, mid, fore
BROADCAST_V1_LAYOUT = "<BBBHHIHIII"
BCAST_RUNNING = const(0x01)
BCAST_MOVING = const(0x02)
_HEADER = const(4)  # length, AD type, company ID
_BROADCAST_AD_SIZE = const(_HEADER + BROADCAST_V1_SIZE)
_U32 = const(0xFFFFFFFF)  # the counts' fields


def advertising_data(name, uuids16=(_RSC_SERVICE,), appearance=_APPEARANCE_IN_SHOE):
    """The advertising payload; a name too long to fit is sent shortened (AD type 0x08)."""
    out = bytearray((2, _AD_FLAGS, _FLAGS_LE_GENERAL))
    if uuids16:
        out += bytes((1 + 2 * len(uuids16), AD_UUID16_COMPLETE))
        for u in uuids16:
            out += struct.pack("<H", u)
    if appearance is not None:
        out += bytes((3, _AD_APPEARANCE)) + struct.pack("<H", appearance)
    raw = name.encode() if isinstance(name, str) else bytes(name)
    room = _ADV_MAX - len(out) - 2
    if room < 1:
        raise ValueError("advertising data: no room for the name after %d bytes" % len(out))
    kind = AD_NAME_COMPLETE if len(raw) <= room else _AD_NAME_SHORT
    raw = raw[:room]
    out += bytes((1 + len(raw), kind)) + raw
    return bytes(out)


class Broadcast:
    """The scan-response payload with the live broadcast, rebuilt in place once a second."""

    def __init__(self):
        self.data = bytearray(_BROADCAST_AD_SIZE)
        struct.pack_into(
            "<BBH", self.data, 0, _BROADCAST_AD_SIZE - 1, AD_MANUFACTURER, _COMPANY_ID
        )
        self.seq = 0xFF  # the first update() sends sequence 0
        self.update(False, False, 0, 0, 0, None, 0, 0, 0)
        self.seq = 0xFF

    def update(self, running, moving, speed_mmps, cadence_x10, steps, contact_ms, heel, mid, fore):
        """Pack the latest values (cadence in 0.1 steps/min; contact_ms None when unknown)."""
        flags = (BCAST_RUNNING if running else 0) | (BCAST_MOVING if moving else 0)
        self.seq = (self.seq + 1) & 0xFF
        # contact: 0xFFFF means unknown, so a known time stops at 0xFFFE
        contact = 0xFFFF if contact_ms is None else clamp(contact_ms, 0xFFFE)
        struct.pack_into(
            BROADCAST_V1_LAYOUT,
            self.data,
            _HEADER,
            _BROADCAST_VERSION,
            flags,
            self.seq,
            speed_to_raw(speed_mmps),
            clamp(cadence_x10, 0xFFFF),
            clamp(steps, _U32),
            contact,
            clamp(heel, _U32),
            clamp(mid, _U32),
            clamp(fore, _U32),
        )
        return self.data
