"""The nRF52840 watchdog driven through its registers (the nrf port has no machine.WDT)."""

import os
import shutil
import subprocess
import sys
import types

import pytest
from fakes.mem32 import FakeMem32
from footfall.ports.nrf_watchdog import NrfWatchdog

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = 0x40010000
START, RUNSTATUS, CRV, RREN, CONFIG, RR0 = (
    BASE + o for o in (0, 0x400, 0x504, 0x508, 0x50C, 0x600)
)
KEY = 0x6E524635


def test_a_stopped_watchdog_is_set_up_then_started_then_fed():
    mem = FakeMem32()
    wdt = NrfWatchdog(mem, 10000)
    assert not wdt.was_running
    # the settings go in before the start task: the hardware ignores them afterwards
    assert mem.writes == [
        (CRV, 10000 * 32768 // 1000 - 1),
        (RREN, 1),
        (CONFIG, 1),
        (START, 1),
        (RR0, KEY),
    ]
    wdt.feed()
    assert mem.writes[-1] == (RR0, KEY) and len(mem.writes) == 6


def test_a_watchdog_left_running_by_a_soft_reset_is_only_fed():
    mem = FakeMem32({RUNSTATUS: 1})
    wdt = NrfWatchdog(mem, 10000)
    assert wdt.was_running
    assert mem.writes == []
    wdt.feed()
    assert mem.writes == [(RR0, KEY)]


def test_the_shortest_timeout_is_one_millisecond_of_the_32768_hz_clock():
    mem = FakeMem32()
    NrfWatchdog(mem, 1)
    assert mem.regs[CRV] == 31


@pytest.mark.parametrize("bad", [0, -5, 100001])
def test_a_timeout_out_of_range_is_refused_clearly(bad):
    with pytest.raises(ValueError, match="timeout_ms must be 1..100000, got %d" % bad):
        NrfWatchdog(FakeMem32(), bad)


def test_the_nrf_port_glue_uses_the_registers_when_machine_has_no_wdt(monkeypatch):
    mem = FakeMem32()
    monkeypatch.setitem(sys.modules, "machine", types.SimpleNamespace(mem32=mem))
    from footfall.ports import nrf

    wdt = nrf.build_watchdog(8000)
    assert isinstance(wdt, NrfWatchdog)
    assert mem.regs[CRV] == 8000 * 32768 // 1000 - 1 and mem.regs[START] == 1


_NOALLOC = """
import micropython
from fakes.mem32 import QuietMem32
from footfall.ports.nrf_watchdog import NrfWatchdog
mem = QuietMem32()
wdt = NrfWatchdog(mem, 10000)
micropython.heap_lock()
for _ in range(100):
    wdt.feed()
micropython.heap_unlock()
print("fed without allocating", hex(mem.last))
"""


def test_feeding_allocates_nothing_on_micropython():
    # feed() may run in a timer interrupt, where allocating fails: the key and the address
    # (beyond small ints on a 32-bit MCU) are made once, in __init__
    exe = os.path.join(ROOT, ".venv", "bin", "micropython")
    exe = exe if os.path.exists(exe) else shutil.which("micropython")
    if not exe:
        pytest.skip("the MicroPython unix port (.venv/bin/micropython) is not installed")
    env = dict(os.environ, MICROPYPATH="firmware:tests:host_tools/upy_shim")
    r = subprocess.run(
        [exe, "-c", _NOALLOC], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "fed without allocating 0x6e524635" in r.stdout
