"""`python -m host_tools board`: a virtual Footfall board on a pseudo-terminal (Linux).

The MicroPython unix port plays the board and a folder plays its flash (--root, default
build/virtual_board). It prints a /dev/pts/N that mpremote, `make deploy BOARD=sim PORT=...`
and `python -m host_tools pull --port ...` open exactly like a board's USB serial port.

The unix port has the REPL modes mpremote uses (raw REPL Ctrl-A, friendly REPL Ctrl-B, raw
paste Ctrl-E, end of input Ctrl-D). Two things differ from a board, and the relay between the
pty and the port makes up for them:
- A soft reset (Ctrl-D at an empty prompt, sys.exit) ends the unix process. The relay starts
  it again in the same folder, says "MPY: soft reboot" and goes back to the REPL mode it was
  in, as a board does: raw after a reset in the raw REPL (mpremote's), and after a reset in the
  friendly REPL main.py runs first (at start-up too).
- While code runs the port reads no input, so Ctrl-C would wait in the pipe. When the process
  has its SIGINT handler installed (it does while running code: /proc/PID/status, SigCgt),
  the relay sends SIGINT instead, which is KeyboardInterrupt as on a board; the input after
  it waits for the port's answer (its KeyboardInterrupt, or 1 s alive: what it prints for
  input sent before may come after the signal). One that arrives just as the code ends meets
  SIGINT's default and ends the port: the relay starts it again quietly, without main.py and
  in the REPL it was in, as a board takes a Ctrl-C at its prompt. (The port in .venv runs inside
  CPython, whose start-up a SIGINT would kill: input waits until the port first prints.)
Options --trace, --speed, --record and --log-budget set the sim board's FOOTFALL_SIM_* values;
host_tools.pull.sensor_trace writes a trace as the sim board's IMU serves it.
"""

import argparse
import os
import re
import signal
import sys
import threading

from . import ROOT
from .board_relay import VirtualBoard
from .trace import read_trace


def add_parser(subparsers):
    """Register `board` on the host_tools argument parser."""
    p = subparsers.add_parser("board", help="start a virtual board (unix port on a pty)")
    _arguments(p)
    p.set_defaults(func=run)
    return p


def _arguments(p):
    p.add_argument(
        "--root",
        default=os.path.join(ROOT, "build", "virtual_board"),
        help="the board's flash: a folder (default build/virtual_board)",
    )
    p.add_argument("--heap", default="256K", help="MicroPython heap size (default 256K)")
    p.add_argument("--trace", help="footfall trace the sim IMU plays (FOOTFALL_SIM_TRACE)")
    p.add_argument("--speed", default=None, help="trace speed, 0 = as fast as read")
    p.add_argument("--record", choices=("raw", "events"), help="record a session from boot")
    p.add_argument("--log-budget", type=int, help="bytes the logs may use")
    p.add_argument("--link", help="also make this symlink to the pty")


def _check(args):
    """Refuse bad options before a board starts, each named with what was expected."""
    if not re.fullmatch(r"[1-9][0-9]*[KkMm]?", args.heap):
        raise ValueError("--heap: expected a size such as 256K or 2M, got %r" % args.heap)
    if args.speed is not None:
        try:
            speed = float(args.speed)
        except ValueError:
            speed = -1.0
        if not 0.0 <= speed <= 1000.0:
            raise ValueError("--speed: expected 0 (as fast as read) to 1000, got %r" % args.speed)
    if args.trace:
        read_trace(args.trace)  # a bad trace is named here, with its line, not on the board
    if args.log_budget is not None and args.log_budget < 4096:
        raise ValueError("--log-budget: expected at least 4096 bytes, got %d" % args.log_budget)
    if os.path.exists(args.root) and not os.path.isdir(args.root):
        raise ValueError("--root %s: it is a file; expected a folder" % args.root)
    if args.link and os.path.lexists(args.link) and not os.path.islink(args.link):
        raise ValueError(
            "--link %s: it exists and is not a symlink; expected a new name" % args.link
        )


def run(args):
    _check(args)
    env = {}
    if args.trace:
        env["FOOTFALL_SIM_TRACE"] = os.path.abspath(args.trace)
    for key, value in (("SPEED", args.speed), ("RECORD", args.record)):
        if value is not None:
            env["FOOTFALL_SIM_" + key] = str(value)
    if args.log_budget:
        env["FOOTFALL_SIM_LOG_BUDGET"] = str(args.log_budget)
    board = VirtualBoard(args.root, args.heap, env).start()
    if args.link:
        if os.path.islink(args.link):  # an old board's link; never a file (_check)
            os.remove(args.link)
        os.symlink(board.port, args.link)
    print(
        "virtual board on %s (flash: %s, heap %s); Ctrl-C stops it"
        % (board.port, board.root, board.heap),
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        board.stop()
        if args.link and os.path.islink(args.link):
            os.remove(args.link)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.virtual_board", description=__doc__)
    _arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
