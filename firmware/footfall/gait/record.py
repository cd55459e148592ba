"""One finished step of the instrumented foot, as the engine reports it, and its CSV form.

A record is a preallocated int array indexed by the constants below; a field the engine could
not measure holds UNKNOWN. `format_row` is the one place that turns a record into text, so that
the board's log, the CPython replay and the MicroPython replay write byte-identical files.
"""

from micropython import const

IC_MS = const(0)  # initial contact, ms since the first sample
TO_MS = const(1)  # the toe-off that ends this contact
GCT_MS = const(2)  # ground contact time: TO - IC
STRIKE = const(3)  # STRIKE_HEEL, STRIKE_MID, STRIKE_FORE or UNKNOWN
CADENCE = const(4)  # steps/min counting both feet, from this stride, in 0.1 steps/min
STRIDE_MM = const(5)  # distance this foot travelled in the swing before this contact
SPEED_MMPS = const(6)  # stride length / stride time
ACTIVITY = const(7)  # WALKING, RUNNING or UNKNOWN
IMPACT_MG = const(8)  # peak acceleration magnitude at contact
STRIKE_DECIDEG = const(9)  # foot pitch at contact, toes up positive, 0.1 deg
CADENCE_AVG = const(10)  # smoothed cadence, 0.1 steps/min
N_FIELDS = const(11)

UNKNOWN = const(-999999)
STRIKE_HEEL = const(1)
STRIKE_MID = const(2)
STRIKE_FORE = const(3)
WALKING = const(1)
RUNNING = const(2)

HEADER = (
    "t_ms,to_ms,gct_ms,strike,cadence_spm,stride_m,speed_mps,"
    "activity,impact_g,strike_deg,cadence_avg_spm"
)
STRIKE_NAMES = ("", "heel", "mid", "fore")
ACTIVITY_NAMES = ("", "walk", "run")


def _fixed(value, decimals):
    # value is an int in units of 10**-decimals; integer formatting keeps both interpreters equal
    if value == UNKNOWN:
        return ""
    sign = "-" if value < 0 else ""
    value = -value if value < 0 else value
    if decimals == 1:
        return "%s%d.%d" % (sign, value // 10, value % 10)
    return "%s%d.%03d" % (sign, value // 1000, value % 1000)


def _int(value):
    return "" if value == UNKNOWN else "%d" % value


def _name(names, code):
    return names[code] if 0 <= code < len(names) else ""


def format_row(rec):
    """The events-CSV line for one record, without the newline."""
    return ",".join(
        (
            _int(rec[IC_MS]),
            _int(rec[TO_MS]),
            _int(rec[GCT_MS]),
            _name(STRIKE_NAMES, rec[STRIKE]),
            _fixed(rec[CADENCE], 1),
            _fixed(rec[STRIDE_MM], 3),
            _fixed(rec[SPEED_MMPS], 3),
            _name(ACTIVITY_NAMES, rec[ACTIVITY]),
            _fixed(rec[IMPACT_MG], 3),
            _fixed(rec[STRIKE_DECIDEG], 1),
            _fixed(rec[CADENCE_AVG], 1),
        )
    )
