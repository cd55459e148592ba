"""M5StickC Plus: ESP32-PICO with an MPU-6886 on the internal I2C bus (SDA GPIO21, SCL GPIO22).

GPIO4 holds the power on when running from the battery: it is set before anything else.
The AXP192 power manager (0x34, same bus) measures the battery: 12 bits in 0x78 (high 8) and
0x79 (low 4), 1.1 mV each, once bit 7 of 0x82 enables that ADC.
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
AXP192_ADDRESS = 0x34
_AXP_ADC_EN1 = 0x82
_AXP_VBAT = 0x78
_made: list = []  # the bus, then True once the battery ADC is on


def build_bus():
    from machine import I2C, Pin

    Pin(PIN_POWER_HOLD, Pin.OUT).value(1)
    bus = I2C(I2C_ID, scl=Pin(PIN_SCL), sda=Pin(PIN_SDA), freq=400000)
    _made[:] = [bus]
    return bus


def battery_percent():
    """The cell's charge, 0..100, from the AXP192 (read once a minute by the app)."""
    from footfall.battery import lipo_percent

    bus = _made[0] if _made else build_bus()
    if len(_made) < 2:
        en = bus.readfrom_mem(AXP192_ADDRESS, _AXP_ADC_EN1, 1)[0]
        if not en & 0x80:
            bus.writeto_mem(AXP192_ADDRESS, _AXP_ADC_EN1, bytes((en | 0x80,)))
        _made.append(True)
    b = bus.readfrom_mem(AXP192_ADDRESS, _AXP_VBAT, 2)
    return lipo_percent(((b[0] << 4) | (b[1] & 0x0F)) * 11 // 10)


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
