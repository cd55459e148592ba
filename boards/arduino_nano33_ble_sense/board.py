"""Arduino Nano 33 BLE Sense (nRF52840): Rev1's LSM9DS1 on the internal I2C bus.

Rev1 carries an LSM9DS1 (accel + gyro at 0x6B, magnetometer at 0x1E, unused), Rev2 a BMI270
(0x68) for which Footfall has no driver yet (see README.md here): build_imu scans the bus and
opens whichever answers, or says what it found. The MicroPython nrf port powers the sensors
(P0.22) and the I2C pull-ups (P1.00) at boot.
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.nrf import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    keep_watchdog_fed,
    sleep_ms,
)

NAME = "arduino_nano33_ble_sense"
MCU = "nRF52840"
IMU = "LSM9DS1"  # Rev1; a Rev2 carries a BMI270, which has no driver yet
RADIO = "ubluepy"
MOUNTING = "flat in the sole under the midfoot, component side up, USB towards the heel"
I2C_ID = 1
PIN_SDA = 14  # P0.14, internal I2C
PIN_SCL = 15  # P0.15
LSM9DS1_ADDRESS = 0x6B
BMI270_ADDRESS = 0x68
IMU_RATE_HZ = 238


def build_bus():
    from machine import I2C, Pin

    return I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)


def build_imu(bus=None):
    """The LSM9DS1 driver on a Rev1; NotImplementedError on a Rev2 (BMI270), OSError (the app
    tries again) when neither answers."""
    bus = bus or build_bus()
    found = bus.scan()
    if LSM9DS1_ADDRESS in found:
        from footfall.drivers.lsm9ds1 import LSM9DS1

        return LSM9DS1(
            bus,
            address=LSM9DS1_ADDRESS,
            rate_hz=IMU_RATE_HZ,
            accel_range_g=16,
            gyro_range_dps=2000,
        )
    if BMI270_ADDRESS in found:
        raise NotImplementedError(
            "arduino_nano33_ble_sense: a BMI270 at 0x68 answers, so this is a Rev2 board; "
            "Footfall has no BMI270 driver yet, only the Rev1's LSM9DS1 "
            "(boards/arduino_nano33_ble_sense/README.md)"
        )
    raise OSError(
        "arduino_nano33_ble_sense: no IMU on the internal I2C (SDA P0.14, SCL P0.15): looked "
        "for an LSM9DS1 at 0x6B (Rev1) and a BMI270 at 0x68 (Rev2), found %s"
        % (", ".join(["0x%02X" % a for a in found]) or "nothing")
    )


# ---- for footfall.app ---------------------------------------------------------------------
POLL_MS = 50  # the LSM9DS1 FIFO holds 32 samples: 134 ms at 238 Hz
LOG_DIR = "logs"
LOG_BUDGET = 128 * 1024  # the nrf port's filesystem is in the internal flash: keep it small
PIN_BUTTON = None  # no user button; wire one from D2 (P1.11, 43) to GND and set 43


def build_button():
    """A push button from PIN_BUTTON to GND, if one is wired: (pin, value when pressed)."""
    return button(PIN_BUTTON)
