"""Generic ESP32 DevKitC with an LIS3DH or MPU-6050 breakout on I2C (SDA GPIO21, SCL GPIO22).

Which breakout is fitted is found at run time: the first one that answers a bus scan.
"""

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


def sleep_ms(ms):
    """Between polls: time.sleep_ms lets FreeRTOS idle the CPU with BLE alive. Not
    machine.lightsleep: on this port it stops the BLE stack (micropython#6396)."""
    import time

    time.sleep_ms(ms)


def build_radio():
    from footfall.ble.radio_bluetooth import BluetoothRadio

    return BluetoothRadio()


def build_watchdog(timeout_ms):
    from machine import WDT

    return WDT(timeout=timeout_ms)


def keep_watchdog_fed(wdt):
    """After Ctrl-C stopped the app: feed the watchdog from a timer so the REPL stays up."""
    from machine import Timer

    Timer(0).init(period=1000, mode=Timer.PERIODIC, callback=lambda t: wdt.feed())


def build_button():
    """The BOOT button: (pin, value when pressed)."""
    from machine import Pin

    return Pin(PIN_BUTTON, Pin.IN, Pin.PULL_UP), 0
