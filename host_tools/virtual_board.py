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
  it waits for the port's answer. One that arrives just as the code ends meets SIGINT's
  default and ends the port: the relay starts it again quietly, without main.py and in the
  REPL it was in, as a board takes a Ctrl-C at its prompt. (The port in .venv runs inside
  CPython, whose start-up a SIGINT would kill: input waits until the port first prints.)
Options --trace, --speed, --record and --log-budget set the sim board's FOOTFALL_SIM_* values;
host_tools.pull.sensor_trace writes a trace as the sim board's IMU serves it.
"""

import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time
import tty

from . import ROOT
from .replay import micropython_command
from .trace import read_trace

_RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
_FRIENDLY_BANNER = b'Type "help()" for more information.'
_PROMPT = b">>> "
# The unix port here is a CPython extension: until MicroPython runs, a SIGINT would stop
# CPython's start-up. Host input waits until the port first prints, or this long; and after a
# SIGINT, until the port answers it.
_WAIT_S = 3.0
# An ended port's last output is waited for this long at most (_relay).
_DRAIN_S = 0.5


def _sigint_handled(pid):
    """Does the process catch SIGINT now (the unix port does while it runs code)?"""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    except OSError:
        pass
    return False


class VirtualBoard:
    def __init__(self, root, heap="256K", env=None, exe=None):
        if not os.path.isdir("/proc/self"):
            raise RuntimeError("the virtual board needs Linux (/proc): it is not available here")
        self.root = os.path.abspath(root)
        self.heap = heap
        self.env = dict(env or {})
        self.exe = exe or micropython_command()
        self.port = None
        self.resets = 0  # soft resets (process restarts)
        self.raw = False  # the REPL mode the port is in, as its output says
        self._tail = b""
        # a restarted port's output is swallowed until it ends with _mute; then the first of
        # _steps (ending, to the port, to the host) is done, and the next ending awaited
        self._mute = b""
        self._steps = []
        # since when host input waits for the port to say something: since it was started,
        # or sent a SIGINT (which may end it)
        self._waiting = 0.0
        self._held = b""  # host input held while muted or booting
        self._stop = threading.Event()
        self._thread = None
        self.child = None

    # ---- life cycle ---------------------------------------------------------------------
    def start(self):
        os.makedirs(self.root, exist_ok=True)
        self.master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self.master, False)
        self.port = os.ttyname(self._slave)
        self._spawn(run_main=True)
        self._thread = threading.Thread(target=self._relay, name="virtual-board", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self._kill()
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def _spawn(self, run_main):
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
        env.update(self.env)
        env["MICROPYPATH"] = ".frozen:lib"  # as on a board: '' (the flash root) comes first
        script = ["-c", "pass"]  # -i after a command: its SIGINT handler is off at the prompt
        if run_main and os.path.exists(os.path.join(self.root, "main.py")):
            script = ["main.py"]
        cm, cs = pty.openpty()
        tty.setraw(cs)  # bytes through unchanged, as on a USB serial port
        self.child = subprocess.Popen(
            [self.exe, "-X", "heapsize=" + self.heap, "-i"] + script,
            stdin=cs,
            stdout=cs,
            stderr=cs,
            cwd=self.root,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(cs)
        self._cm = cm
        self._waiting = time.monotonic()
        self._ended = 0.0  # when the port was first seen ended (_relay)

    def _kill(self):
        c = self.child
        if c is not None and c.poll() is None:
            c.kill()
            c.wait(5)
        try:
            os.close(self._cm)
        except OSError:
            pass

    # ---- the relay ----------------------------------------------------------------------
    def _relay(self):
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master, self._cm], [], [], 0.1)
            except (OSError, ValueError):
                ready = []
            if self.master in ready:
                try:
                    data = os.read(self.master, 4096)
                except (BlockingIOError, OSError):
                    data = b""
                if data:
                    self._from_host(data)
            if self._cm in ready:
                try:
                    data = os.read(self._cm, 4096)
                except OSError:  # EIO: the process has gone
                    data = b""
                if data:
                    self._from_port(data)
                else:
                    self._soft_reboot()
            elif self.child.poll() is not None:
                # The port has ended, but what it wrote last may not have reached the pty's
                # master yet (the kernel passes it on a moment later): the read above gets it,
                # then EIO. Only if that never comes does the relay stop waiting for it.
                now = time.monotonic()
                if not self._ended:
                    self._ended = now
                elif now - self._ended > _DRAIN_S:
                    self._soft_reboot()
            elif self._waiting and time.monotonic() - self._waiting > _WAIT_S:
                self._spoke()

    def _from_host(self, data):
        if self._mute or self._waiting:
            self._held += data
            return
        while data:
            i = data.find(b"\x03")
            if i < 0:
                self._to_port(data)
                return
            self._to_port(data[:i])
            if _sigint_handled(self.child.pid):
                os.kill(self.child.pid, signal.SIGINT)  # code runs: KeyboardInterrupt
                # what follows waits until the port answers (its traceback) or, ended by the
                # SIGINT as its code ended, has been started again (_soft_reboot)
                self._waiting = time.monotonic()
                self._held += data[i + 1 :]
                return
            else:
                self._to_port(b"\x03")  # at a prompt: the REPL clears its line
            data = data[i + 1 :]

    def _to_port(self, data):
        if data:
            try:
                os.write(self._cm, data)
            except OSError:
                pass

    def _spoke(self):
        self._waiting = 0.0
        if not self._mute:
            held, self._held = self._held, b""
            if held:
                self._from_host(held)

    def _from_port(self, data):
        tail = self._tail + data
        if self._mute:
            if tail.endswith(self._mute):  # the restarted port got this far
                _, to_port, to_host = self._steps.pop(0)
                self._to_port(to_port)
                self._to_host(to_host)
                self._mute = self._steps[0][0] if self._steps else b""
                self._tail = b""
                if not self._mute:
                    self._spoke()
            else:
                self._tail = tail[-64:]
            return
        if self._waiting:
            self._spoke()
        raw, friendly = tail.rfind(_RAW_BANNER), tail.rfind(_FRIENDLY_BANNER)
        if raw != friendly:  # the later banner says which REPL the port is in
            self.raw = raw > friendly
        self._tail = tail[-64:]
        self._to_host(data)

    def _to_host(self, data):
        # like a UART with nobody listening: wait a little for room, then drop
        deadline = time.monotonic() + 2
        while data and time.monotonic() < deadline:
            try:
                data = data[os.write(self.master, data) :]
            except BlockingIOError:
                select.select([], [self.master], [], 0.1)
            except OSError:
                return

    def _soft_reboot(self):
        if self._stop.is_set():
            return
        self._kill()
        run_main = not self.raw
        if self.child.returncode == -signal.SIGINT:
            # A Ctrl-C (as SIGINT) reached the port just as its code ended, and SIGINT's default
            # ended it. A board would have taken it at its prompt: start the port again quietly,
            # without main.py, back in the REPL it was in.
            run_main = False
            if self.raw:
                self._steps = [(_PROMPT, b"\x01", b""), (_RAW_BANNER + b">", b"", b"")]
            else:
                self._steps = [(_PROMPT, b"", b"\r\n" + _PROMPT)]
        else:
            self.resets += 1
            self._to_host(b"MPY: soft reboot\r\n")
            # after a reset in the raw REPL, back to it (its banner is shown, as a board's is)
            self._steps = [(_PROMPT, b"\x01", b"")] if self.raw else []
        self._tail = b""
        self._mute = self._steps[0][0] if self._steps else b""
        self._spawn(run_main=run_main)


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
