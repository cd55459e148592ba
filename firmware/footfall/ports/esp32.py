"""ESP32 boards: sleeping between polls, the radio, the watchdog, a button."""


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


def button(pin, pull_up):
    """A button to GND on `pin`: (pin, value when pressed); pull_up where the board has none."""
    from machine import Pin

    return (Pin(pin, Pin.IN, Pin.PULL_UP) if pull_up else Pin(pin, Pin.IN)), 0
