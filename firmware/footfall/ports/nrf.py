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
    """machine.WDT where the port has one; the nrf port has none: its registers, then."""
    import machine

    wdt = getattr(machine, "WDT", None)
    if wdt is not None:
        return wdt(timeout=timeout_ms)
    from footfall.ports.nrf_watchdog import NrfWatchdog

    return NrfWatchdog(machine.mem32, timeout_ms)


def keep_watchdog_fed(wdt):
    """After Ctrl-C stopped the app: feed the watchdog from a timer so the REPL stays up.
    Timer 0 belongs to the BLE stack and timer 1 may drive soft PWM; the period is in us."""
    from machine import Timer

    Timer(2, period=1000000, mode=Timer.PERIODIC, callback=lambda t: wdt.feed()).start()


def button(pin):
    """A push button from `pin` to GND, if one is wired: (pin, value when pressed)."""
    if pin is None:
        return None
    from machine import Pin

    return Pin(pin, Pin.IN, Pin.PULL_UP), 0
