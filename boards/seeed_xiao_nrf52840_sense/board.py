"""Seeed XIAO nRF52840 Sense: LSM6DS3TR-C on the internal I2C bus, powered from a GPIO.

Imported by the app at run time only; building the bus is what touches the hardware.
Pins (nRF52840 port * 32 + pin, as the MicroPython nrf port numbers them): internal I2C
SDA P0.07, SCL P0.27; IMU power P1.08; IMU INT1 P0.11 (unused: the FIFO is polled);
battery: P0.14 low connects a 1 M / 510 k divider from the cell to P0.31 (AIN7).
"""

# footfall.app looks these hooks up on the board; the port's shared glue provides them
from footfall.ports.nrf import (  # noqa: F401
    build_radio,
    build_watchdog,
    button,
    keep_watchdog_fed,
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


PIN_VBAT_ENABLE = 14  # P0.14
ADC_VBAT = 7  # AIN7, P0.31: the nrf port numbers its ADCs by analog input
VBAT_DIVIDER_OHM = (1000000, 510000)  # cell to P0.31, P0.31 to ground
ADC_FULL_SCALE_MV = 3300  # the nrf port samples at gain 1/4 against VDD/4: full scale is VDD
_vbat: list = []  # the ADC, once set up


def battery_percent():
    """The cell's charge, 0..100 (read once a minute by the app)."""
    from footfall.battery import divided_mv, lipo_percent

    if not _vbat:
        from machine import ADC, Pin

        # left low for good: Seeed warns that P0.31 may see more than it can take with
        # P0.14 high while the cell charges; the divider draws about 3 uA
        Pin(PIN_VBAT_ENABLE, Pin.OUT).value(0)
        _vbat.append(ADC(ADC_VBAT))
    raw = _vbat[0].read_u16()
    return lipo_percent(divided_mv(raw, ADC_FULL_SCALE_MV, *VBAT_DIVIDER_OHM))


def build_button():
    """A push button from PIN_BUTTON to GND, if one is wired: (pin, value when pressed)."""
    return button(PIN_BUTTON)
