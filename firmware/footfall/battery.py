"""A lithium-polymer cell's charge from its voltage, for the Battery Service: the voltage is
read once a minute by a board's `battery_percent` hook, so plain integers, no hurry.

The curve is a typical single-cell LiPo discharge at a light load (an insole draws a few mA);
a cell's own curve differs by a few percent, and a charger holds the voltage up while it works.
"""

# (mV, %), falling
_CURVE = (
    (4200, 100),
    (4100, 90),
    (4000, 79),
    (3900, 66),
    (3800, 50),
    (3750, 40),
    (3700, 28),
    (3650, 17),
    (3600, 9),
    (3500, 4),
    (3300, 0),
)


def lipo_percent(mv):
    """0..100 from the cell's voltage in mV, linear between the points of the curve."""
    hi_mv, hi_pc = _CURVE[0]
    if mv >= hi_mv:
        return 100
    for lo_mv, lo_pc in _CURVE[1:]:
        if mv >= lo_mv:
            return lo_pc + (mv - lo_mv) * (hi_pc - lo_pc) // (hi_mv - lo_mv)
        hi_mv, hi_pc = lo_mv, lo_pc
    return 0


def divided_mv(raw_u16, full_scale_mv, top_ohm, bottom_ohm):
    """The voltage above a divider (top from it to the ADC pin, bottom from the pin to
    ground), from an ADC's read_u16 reading and the voltage its full scale stands for."""
    pin_mv = raw_u16 * full_scale_mv // 65535
    return pin_mv * (top_ohm + bottom_ohm) // bottom_ohm
