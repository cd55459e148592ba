"""Battery level: a LiPo's charge from its voltage, the divider arithmetic, the XIAO's
battery_percent hook on a fake ADC and the M5StickC Plus's on a fake AXP192."""

import sys
import types

import pytest
from fakes.bus import FakeI2C
from footfall import battery
from footfall.battery import divided_mv, lipo_percent
from hypothesis import given
from hypothesis import strategies as st
from test_boards import load_board


def test_the_curve_ends_and_points():
    # a LiPo cell is full at 4.2 V and empty at 3.3 V (under a light load)
    assert lipo_percent(4350) == 100 and lipo_percent(4200) == 100
    assert lipo_percent(3300) == 0 and lipo_percent(2500) == 0
    # between two points of the table, a straight line: its middle is their mean
    for (hi_mv, hi_pc), (lo_mv, lo_pc) in zip(battery._CURVE, battery._CURVE[1:]):
        assert lipo_percent(hi_mv) == hi_pc and lipo_percent(lo_mv) == lo_pc
        assert abs(lipo_percent((hi_mv + lo_mv) // 2) - (hi_pc + lo_pc) / 2) <= 0.5


@given(st.integers(2000, 4500), st.integers(2000, 4500))
def test_more_voltage_is_never_less_charge(a, b):
    lo, hi = min(a, b), max(a, b)
    assert 0 <= lipo_percent(lo) <= lipo_percent(hi) <= 100


def test_a_divider_reading_gives_back_the_cell_voltage():
    # 3.9 V over 1 M / 510 k is 1.317 V at the pin: 26155 of 65535 at 3.3 V full scale
    pin_mv = 3900 * 510 // 1510
    raw = pin_mv * 65535 // 3300
    assert abs(divided_mv(raw, 3300, 1000000, 510000) - 3900) <= 5
    assert divided_mv(0, 3300, 1000000, 510000) == 0


def test_the_xiao_reads_its_cell_through_ain7_with_the_divider_switched_on(monkeypatch):
    made, pins = [], {}

    class ADC:
        def __init__(self, channel):
            made.append(channel)

        def read_u16(self):
            return (3900 * 510 // 1510) * 65535 // 3300

    class Pin:
        OUT = 1

        def __init__(self, number, mode):
            self.number = number

        def value(self, v):
            pins[self.number] = v

    monkeypatch.setitem(sys.modules, "machine", types.SimpleNamespace(ADC=ADC, Pin=Pin))
    board = load_board("seeed_xiao_nrf52840_sense")
    assert board.battery_percent() in (65, 66)
    assert board.battery_percent() in (65, 66)
    assert made == [7] and pins == {14: 0}  # set up once: P0.14 low, AIN7


class FakeAXP192:
    """The AXP192's registers that matter here: the ADC enable and the battery voltage."""

    answering = True

    def __init__(self, mv, adc_on=False):
        code = mv * 10 // 11
        self.regs = {0x82: 0x80 if adc_on else 0x03, 0x78: code >> 4, 0x79: code & 0x0F}

    def sync(self):
        pass

    def read(self, reg, n):
        if reg == 0x78 and not self.regs[0x82] & 0x80:
            return [0] * n  # the ADC is off: no measurement
        return [self.regs.get(reg + k, 0) for k in range(n)]

    def write(self, reg, data):
        for k, v in enumerate(data):
            self.regs[reg + k] = v


@pytest.mark.parametrize("adc_on", [False, True])
def test_the_m5stickc_reads_its_cell_from_the_axp192(adc_on):
    board = load_board("m5stickc_plus")
    bus = FakeI2C()
    axp = bus.attach(0x34, FakeAXP192(3800, adc_on))
    board._made[:] = [bus]
    assert board.battery_percent() in (49, 50)
    assert axp.regs[0x82] & 0x80  # the battery ADC was switched on, the other bits kept
    assert axp.regs[0x82] & 0x03 == (0 if adc_on else 0x03)
    axp.answering = False
    with pytest.raises(OSError):
        board.battery_percent()  # the app counts it as a bus error and carries on
