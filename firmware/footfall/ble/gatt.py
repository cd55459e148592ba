"""The GATT table every radio backend registers, and where each value handle lands.

Services are (uuid, ((uuid, properties), ...)); a uuid is an int (16-bit SIG UUID) or a
128-bit UUID string. Properties are the ATT characteristic property bits, which MicroPython's
bluetooth.FLAG_* and ubluepy's Characteristic.PROP_* share. A backend returns one value handle
per characteristic, flattened in this order; the index constants below find them. Stacks add
the CCCD of each notifying or indicating characteristic themselves.
"""

from micropython import const

from .form import FORM_MEASUREMENT_UUID, FORM_SERVICE_UUID, RECORDING_UUID

READ = const(0x02)
WRITE = const(0x08)
NOTIFY = const(0x10)
INDICATE = const(0x20)

_RSC_SERVICE = const(0x1814)
RSC_MEASUREMENT_UUID = const(0x2A53)
RSC_FEATURE_UUID = const(0x2A54)
SENSOR_LOCATION_UUID = const(0x2A5D)
SC_CONTROL_POINT_UUID = const(0x2A55)
_BATTERY_SERVICE = const(0x180F)
BATTERY_LEVEL_UUID = const(0x2A19)
_DEVICE_INFO_SERVICE = const(0x180A)
MANUFACTURER_UUID = const(0x2A29)
MODEL_UUID = const(0x2A24)
FIRMWARE_UUID = const(0x2A26)

SERVICES = (
    (
        _RSC_SERVICE,
        (
            (RSC_MEASUREMENT_UUID, NOTIFY),
            (RSC_FEATURE_UUID, READ),
            (SENSOR_LOCATION_UUID, READ),
            (SC_CONTROL_POINT_UUID, WRITE | INDICATE),
        ),
    ),
    (_BATTERY_SERVICE, ((BATTERY_LEVEL_UUID, READ | NOTIFY),)),
    (
        _DEVICE_INFO_SERVICE,
        (
            (MANUFACTURER_UUID, READ),
            (MODEL_UUID, READ),
            (FIRMWARE_UUID, READ),
        ),
    ),
    (
        FORM_SERVICE_UUID,
        (
            (FORM_MEASUREMENT_UUID, NOTIFY),
            (RECORDING_UUID, READ | WRITE),
        ),
    ),
)

# index of each characteristic's value handle in what radio.start() returns
RSC_MEASUREMENT = const(0)
RSC_FEATURE = const(1)
SENSOR_LOCATION = const(2)
SC_CONTROL_POINT = const(3)
BATTERY_LEVEL = const(4)
MANUFACTURER = const(5)
MODEL = const(6)
FIRMWARE = const(7)
FORM_MEASUREMENT = const(8)
RECORDING = const(9)
N_CHARACTERISTICS = const(10)


def uuid_bytes(uuid):
    """A table UUID as it goes on the air: 2 bytes (16-bit) or 16 bytes, little-endian."""
    if isinstance(uuid, int):
        return bytes((uuid & 0xFF, uuid >> 8))
    digits = uuid.replace("-", "")
    if len(digits) != 32:
        raise ValueError("128-bit UUID: expected 32 hex digits, got %r" % (uuid,))
    return bytes(reversed(bytes.fromhex(digits)))
