"""Arduino Nano 33 BLE Sense (nRF52840): IMU not supported yet (see README.md here).

Rev1 carries an LSM9DS1 (accel + gyro at 0x6B), Rev2 a BMI270 (0x68); Footfall has a driver
for neither, so build_imu names the chip that answered and what is missing. The MicroPython
nrf port powers the sensors (P0.22) and the I2C pull-ups (P1.00) at boot.
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.nrf import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    sleep_ms,
)

NAME = "arduino_nano33_ble_sense"
MCU = "nRF52840"
IMU = None  # LSM9DS1 (Rev1) or BMI270 (Rev2): no driver yet
RADIO = "ubluepy"
MOUNTING = "flat in the sole under the midfoot, component side up, USB towards the heel"
I2C_ID = 1
PIN_SDA = 14  # P0.14, internal I2C
PIN_SCL = 15  # P0.15
LSM9DS1_ADDRESS = 0x6B
BMI270_ADDRESS = 0x68


def build_bus():
    from machine import I2C, Pin

    return I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)


def build_imu(bus=None):
    bus = bus or build_bus()
    found = bus.scan()
    if LSM9DS1_ADDRESS in found:
        chip = "an LSM9DS1 at 0x6B (Rev1)"
    elif BMI270_ADDRESS in found:
        chip = "a BMI270 at 0x68 (Rev2)"
    else:
        chip = "no known IMU (found %s)" % ", ".join(["0x%02X" % a for a in found])
    raise NotImplementedError(
        "arduino_nano33_ble_sense: %s; Footfall has no driver for this board's IMU yet "
        "(boards/arduino_nano33_ble_sense/README.md)" % chip
    )


# ---- for footfall.app ---------------------------------------------------------------------
POLL_MS = 200  # the LSM6DS3TR-C FIFO holds 1.6 s at 208 Hz
LOG_DIR = "logs"
LOG_BUDGET = 128 * 1024  # the nrf port's filesystem is in the internal flash: keep it small
PIN_BUTTON = None  # no user button; wire one from D2 (P1.11, 43) to GND and set 43


def build_button():
    """A push button from PIN_BUTTON to GND, if one is wired: (pin, value when pressed)."""
    return button(PIN_BUTTON)
