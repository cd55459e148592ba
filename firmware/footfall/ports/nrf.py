"""nRF52840 boards: sleeping between polls, the radio, the watchdog, a button."""


def sleep_ms(ms):
    """Between polls: time.sleep_ms waits with WFE between the port's RTC ticks, BLE alive.
    machine.lightsleep on this port is a bare WFE that ignores its time argument."""
    import time

    time.sleep_ms(ms)


def build_radio():
    from footfall.ble.radio_ubluepy import UbluepyRadio

    return UbluepyRadio()


def build_watchdog(timeout_ms):
    """machine.WDT where the port has one; the nrf port has none yet: no watchdog."""
    import machine

    wdt = getattr(machine, "WDT", None)
    return wdt(timeout=timeout_ms) if wdt is not None else None


def button(pin):
    """A push button from `pin` to GND, if one is wired: (pin, value when pressed)."""
    if pin is None:
        return None
    from machine import Pin

    return Pin(pin, Pin.IN, Pin.PULL_UP), 0
