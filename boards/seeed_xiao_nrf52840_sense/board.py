"""Seeed XIAO nRF52840 Sense: LSM6DS3TR-C on the internal I2C bus, powered from a GPIO.

Imported by the app at run time only; building the bus is what touches the hardware.
Pins (nRF52840 port * 32 + pin, as the MicroPython nrf port numbers them): internal I2C
SDA P0.07, SCL P0.27; IMU power P1.08; IMU INT1 P0.11 (unused: the FIFO is polled).
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.nrf import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    sleep_ms,
)

NAME = "seeed_xiao_nrf52840_sense"
MCU = "nRF52840"
IMU = "LSM6DS3TR-C"
RADIO = "ubluepy"
MOUNTING = "flat in the sole under the midfoot, component side up, USB-C towards the heel"
IMU_ADDRESS = 0x6A
IMU_RATE_HZ = 208
I2C_ID = 0
PIN_SDA = 7  # P0.07
PIN_SCL = 27  # P0.27
PIN_IMU_POWER = 40  # P1.08
IMU_POWER_UP_MS = 10  # the regulator needs 3 ms, the LSM6DS3TR-C boots in 10 ms


def build_bus():
    """Power the IMU, wait for it to boot, and open the internal I2C bus (400 kHz)."""
    import time

    from machine import I2C, Pin

    Pin(PIN_IMU_POWER, Pin.OUT).value(1)
    time.sleep_ms(IMU_POWER_UP_MS)
    return I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)


def build_imu(bus=None):
    from footfall.drivers.lsm6ds import LSM6DS3

    return LSM6DS3(
        bus or build_bus(),
        address=IMU_ADDRESS,
        rate_hz=IMU_RATE_HZ,
        accel_range_g=16,
        gyro_range_dps=2000,
    )


# ---- for footfall.app ---------------------------------------------------------------------
POLL_MS = 200  # the LSM6DS3TR-C FIFO holds 1.6 s at 208 Hz
LOG_DIR = "logs"
LOG_BUDGET = 128 * 1024  # the nrf port's filesystem is in the internal flash: keep it small
PIN_BUTTON = None  # no user button; wire one from D1 (P0.03, 3) to GND and set 3


def build_button():
    """A push button from PIN_BUTTON to GND, if one is wired: (pin, value when pressed)."""
    return button(PIN_BUTTON)
