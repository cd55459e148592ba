"""The relay behind the virtual board (`python -m host_tools board`, virtual_board.py): the
MicroPython unix port on a pseudo-terminal, made to behave as a board's USB serial port does.

The unix port has the REPL modes mpremote uses (raw REPL Ctrl-A, friendly REPL Ctrl-B, raw
paste Ctrl-E, end of input Ctrl-D); where it differs from a board, the relay makes up for it
(virtual_board.py says how).
"""

import os
import pty
import select
import signal
import subprocess
import threading
import time
import tty

from .replay import micropython_command

_RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
_FRIENDLY_BANNER = b'Type "help()" for more information.'
_PROMPT = b">>> "
# The unix port here is a CPython extension: until MicroPython runs, a SIGINT would stop
# CPython's start-up. Host input waits until the port first prints, or this long; and after a
# SIGINT, until the port answers it.
_WAIT_S = 3.0
# An ended port's last output is waited for this long at most (_relay).
_DRAIN_S = 0.5
# After a SIGINT, only the port's KeyboardInterrupt is its answer: what it printed for input
# sent before may come after the signal, from a port that the signal then ends (its code ended
# just then). Input held since is sent on once the port was not ended for this long.
_SIGINT_WAIT_S = 1.0


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
        self._interrupted = False  # the wait is for a SIGINT's answer
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
        self._interrupted = False
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
            elif self._waiting and time.monotonic() - self._waiting > (
                _SIGINT_WAIT_S if self._interrupted else _WAIT_S
            ):
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
                self._interrupted = True
                self._tail = b""  # (an earlier KeyboardInterrupt is no answer to this one)
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
        self._interrupted = False
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
        if self._waiting and (not self._interrupted or b"KeyboardInterrupt" in tail):
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
