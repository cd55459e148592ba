"""Generic ESP32 DevKitC with an LIS3DH or MPU-6050 breakout on I2C (SDA GPIO21, SCL GPIO22).

Which breakout is fitted is found at run time: the first one that answers a bus scan.
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.esp32 import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    keep_watchdog_fed,
    sleep_ms,
)

NAME = "esp32_devkitc"
MCU = "ESP32"
IMU = "LIS3DH or MPU-6050 (detected)"
RADIO = "bluetooth"
MOUNTING = "breakout flat in the sole under the midfoot, wired to the DevKitC on the ankle"
I2C_ID = 0
PIN_SDA = 21
PIN_SCL = 22
IMU_RATE_HZ = 200
LIS3DH_ADDRESSES = (0x18, 0x19)
MPU6050_ADDRESSES = (0x68, 0x69)


def build_bus():
    from machine import I2C, Pin

    return I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)


def build_imu(bus=None):
    """The driver of whichever breakout answers; OSError (retry later) when none does."""
    bus = bus or build_bus()
    found = bus.scan()
    for address in LIS3DH_ADDRESSES:
        if address in found:
            from footfall.drivers.lis3dh import LIS3DH

            return LIS3DH(bus, address=address, rate_hz=IMU_RATE_HZ, accel_range_g=16)
    for address in MPU6050_ADDRESSES:
        if address in found:
            from footfall.drivers.mpu6050 import MPU6050

            return MPU6050(
                bus, address=address, rate_hz=IMU_RATE_HZ, accel_range_g=16, gyro_range_dps=2000
            )
    raise OSError(
        "esp32_devkitc: no IMU on I2C (SDA %d, SCL %d): looked for an LIS3DH at 0x18/0x19 "
        "and an MPU-6050 at 0x68/0x69, found %s"
        % (PIN_SDA, PIN_SCL, ", ".join(["0x%02X" % a for a in found]) or "nothing")
    )


# ---- for footfall.app ---------------------------------------------------------------------
POLL_MS = 100  # the LIS3DH FIFO holds 32 samples: 160 ms at 200 Hz (the MPU-6050: 0.4 s)
LOG_DIR = "logs"
LOG_BUDGET = 1024 * 1024  # of the ~2 MB filesystem of a 4 MB ESP32 (less if it is fuller)
PIN_BUTTON = 0  # the BOOT button (GPIO0 to GND when pressed)


def build_button():
    """(pin, value when pressed)."""
    return button(PIN_BUTTON, True)
