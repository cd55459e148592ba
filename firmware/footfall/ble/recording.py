"""Recording Control: start or stop logging on the insole from a phone or a laptop.

A characteristic of the Footfall form service (UUID in form.py), read + write:
  write 1 byte   0x00 stop, 0x01 start (step events and summary), 0x02 start with raw samples
  read 3 bytes   state u8 (0 idle, 1 recording, 2 recording with raw samples),
                 session number u16 (the current or the last session; 0: none yet)
A write of any other length or value is ignored and counted. Starting while a session runs
switches the raw samples on or off for the next session only; see footfall/app.py.
"""

from micropython import const

OP_STOP = const(0)
OP_START = const(1)
OP_START_RAW = const(2)
STATE_SIZE = const(3)


def decode_command(data):
    """A written value -> OP_STOP, OP_START or OP_START_RAW, or -1 if it is not one."""
    if len(data) != 1 or data[0] > OP_START_RAW:
        return -1
    return data[0]


def encode_state(state, session):
    """The readable value: state 0..2 and the session number (clamped to u16)."""
    if session < 0:
        session = 0
    elif session > 0xFFFF:
        session = 0xFFFF
    return bytes((state & 0xFF, session & 0xFF, session >> 8))
