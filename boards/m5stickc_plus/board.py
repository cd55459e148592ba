"""M5StickC Plus: ESP32-PICO with an MPU-6886 on the internal I2C bus (SDA GPIO21, SCL GPIO22).

GPIO4 holds the power on when running from the battery: it is set before anything else.
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.esp32 import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    keep_watchdog_fed,
    sleep_ms,
)

NAME = "m5stickc_plus"
MCU = "ESP32"
IMU = "MPU-6886"
RADIO = "bluetooth"
MOUNTING = "strapped to the shoe's heel counter, screen outwards (too thick for the sole)"
I2C_ID = 0
PIN_SDA = 21
PIN_SCL = 22
PIN_POWER_HOLD = 4
IMU_ADDRESS = 0x68
IMU_RATE_HZ = 200


def build_bus():
    from machine import I2C, Pin

    Pin(PIN_POWER_HOLD, Pin.OUT).value(1)
    return I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)


def build_imu(bus=None):
    from footfall.drivers.mpu6050 import MPU6886

    return MPU6886(
        bus or build_bus(),
        address=IMU_ADDRESS,
        rate_hz=IMU_RATE_HZ,
        accel_range_g=16,
        gyro_range_dps=2000,
    )


# ---- for footfall.app ---------------------------------------------------------------------
POLL_MS = 150  # the MPU-6886 FIFO (1 KB) holds about 0.4 s at 200 Hz
LOG_DIR = "logs"
LOG_BUDGET = 1024 * 1024  # of the ~2 MB filesystem of a 4 MB ESP32 (less if it is fuller)
PIN_BUTTON = 37  # button A (M5 on the front), pulled up on the board


def build_button():
    """(pin, value when pressed)."""
    return button(PIN_BUTTON, False)  # pulled up on the board
