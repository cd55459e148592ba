"""The nRF52840's watchdog through its registers: the nrf port of MicroPython has no
machine.WDT. The register block is passed in (machine.mem32 on the board, a fake in tests).

Registers (nRF52840 Product Specification, WDT): base 0x40010000; TASKS_START +0x000,
RUNSTATUS +0x400, CRV +0x504 (reload value: timeout = (CRV + 1) / 32768 s), RREN +0x508
(reload request registers enabled), CONFIG +0x50C (bit 0: keep counting while the CPU
sleeps; bit 3: keep counting while halted by a debugger, left off), RR[0] +0x600 (writing the
reload key restarts the count). Once started, nothing but a reset stops the watchdog or
changes its settings: a soft reset leaves it running, so a running one is only fed.
"""

from micropython import const

_TIMEOUT_MAX_MS = const(100000)  # the hardware allows 36 hours: 100 s is plenty, and small


class NrfWatchdog:
    def __init__(self, mem32, timeout_ms, base=0x40010000):
        if not 1 <= timeout_ms <= _TIMEOUT_MAX_MS:
            raise ValueError("timeout_ms must be 1..%d, got %r" % (_TIMEOUT_MAX_MS, timeout_ms))
        self._mem = mem32
        # addresses and the key are beyond MicroPython's small ints: made once, here, so that
        # feed() allocates nothing (it may run in a timer interrupt)
        self._rr0 = base + 0x600
        self._key = 0x6E524635
        self.was_running = bool(mem32[base + 0x400] & 1)
        if self.was_running:
            return  # started before a soft reset, with RR[0] enabled: keep feeding it
        mem32[base + 0x504] = timeout_ms * 32768 // 1000 - 1  # at least 31: above the minimum
        mem32[base + 0x508] = 1  # RR[0] only
        mem32[base + 0x50C] = 1  # run while sleeping, pause while halted by a debugger
        mem32[base] = 1  # TASKS_START
        self.feed()

    def feed(self):
        self._mem[self._rr0] = self._key
