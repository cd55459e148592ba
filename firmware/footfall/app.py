"""The insole: IMU FIFO -> gait engine -> BLE once a second, sessions and logs on the flash.

    import board
    from footfall.app import main
    main(board)                 # the board's main.py

Everything that touches hardware comes from the board module (boards/NAME/board.py), when
App is built, never at import. Only build_imu is required; the rest has defaults:
  build_bus(), build_imu(bus)     the IMU driver: read_fifo, rate_hz, has_gyro, overruns_
  build_radio()                   a BLE radio backend (footfall.ble), or None: no BLE
  ticks_ms(), ticks_diff(a, b)    the clock; sleep_ms(ms): the sleep between polls
  build_watchdog(timeout_ms)      something with feed(), or None
  build_button()                  (pin, value when pressed), or None
  battery_percent()               0..100, read once a minute
  done()                          True when the app should return (sim: end of the trace)
  LOG_DIR, LOG_BUDGET, SETTINGS_PATH, POLL_MS, RECORD_AT_BOOT (None, "events" or "raw"),
  RAW_BUTTON, RAW_AUTO, SESSION_START_SPM, SESSION_START_S, SESSION_STOP_S, BLE_NAME, VERBOSE
Each poll feeds the watchdog, reads the FIFO in batches, stamps the samples, runs the engine
and logs; once a second the live metrics go to BLE and the session rules run. A failed
read, an overrun or a full flash is noted (LOG_DIR/notes.log) and the app goes on counting.

Times are ms on the app's own clock (App.now), which starts at 0. Every 3.1 days (from 6.2
days up) all of them move back by the same 2**28 ms (_rebase), so the app runs for ever with
small ints: on a 32-bit MCU an int beyond +-2**30 is a heap object, and past 2**31 ms (24.9
days) the int32 sample times would overflow. Whatever stores an absolute time must be listed
in _rebase; the engine's times (from its first sample) do not move.
"""

import gc
import time

from micropython import const

from .ble.settings import Settings
from .live import LiveMetrics
from .logger import Logger
from .pipeline import Pipeline
from .session import START, STOP, LongPress, SessionControl, Sessions

_WATCHDOG_MS = const(10000)
_NOTE_EVERY_MS = const(10000)  # one kind of problem goes to notes.log at most this often
_IDLE_ENGINE_MS = const(3600000)  # outside sessions the engine restarts hourly when still
_MAX_CRASHES = const(10)
_REBASE_AT = const(0x20000000)  # 2**29 ms (6.2 days): app times move back from here...
_REBASE_BY = const(0x10000000)  # ...by 2**28 ms: app times stay within -1..2**29 + a poll

_ticks_ms = getattr(time, "ticks_ms", None) or (lambda: int(time.monotonic() * 1000))
_ticks_diff = getattr(time, "ticks_diff", None) or (lambda a, b: a - b)
_sleep_ms = getattr(time, "sleep_ms", None) or (lambda ms: time.sleep(ms / 1000))


class App(SessionControl, Pipeline):
    def __init__(self, board, record=None, logger=None, settings_path=None):
        self.board = b = board
        self.ticks_ms = getattr(b, "ticks_ms", _ticks_ms)
        self.ticks_diff = getattr(b, "ticks_diff", _ticks_diff)
        self.sleep_ms = getattr(b, "sleep_ms", _sleep_ms)
        self.poll_ms = getattr(b, "POLL_MS", 200)
        self.verbose = getattr(b, "VERBOSE", False)
        self.now = 0  # ms since the app started, less _REBASE_BY per rebase
        self._t = self.ticks_ms()
        self.notes = {}  # kind -> [count, when last written]
        self.crashes = 0
        self.heap_peak = 0  # the most heap in use after a collection (MicroPython)
        path = settings_path or getattr(b, "SETTINGS_PATH", "footfall_settings.json")
        self.settings = Settings(path).load()
        self.live = LiveMetrics()
        self.logger = logger or Logger(
            getattr(b, "LOG_DIR", "logs"), getattr(b, "LOG_BUDGET", 262144)
        )
        self.logger.start()
        self.sessions = Sessions(
            getattr(b, "SESSION_START_SPM", 140),
            getattr(b, "SESSION_START_S", 5),
            getattr(b, "SESSION_STOP_S", 180),
        )
        self.raw_button = getattr(b, "RAW_BUTTON", True)
        self.raw_auto = getattr(b, "RAW_AUTO", False)
        self._init_pipeline()
        self._in_row = self._log_errors = 0
        self._pending = -1  # a Recording Control op from BLE, handled at the next poll
        self._session = None  # (number, start reason, raw, errors before)
        self._next_second = 1000
        self._next_battery = 0
        button = b.build_button() if hasattr(b, "build_button") else None
        self.button = LongPress(button[0], button[1]) if button else None
        self.ble = self._start_ble()
        boot = getattr(b, "RECORD_AT_BOOT", None) if record is None else record
        # like a session's tuple: started with the first engine, when the IMU answers
        self._boot = (0, "boot", boot == "raw") if boot else None
        self._open_imu()
        self._t = self.ticks_ms()  # a simulated clock may start with the IMU
        # last: a board set up wrong stays in the REPL, not in resets
        self.watchdog = b.build_watchdog(_WATCHDOG_MS) if hasattr(b, "build_watchdog") else None

    # ---- set-up ---------------------------------------------------------------------------
    def _start_ble(self):
        if not hasattr(self.board, "build_radio"):
            return None
        try:
            from .ble.peripheral import RscPeripheral

            radio = self.board.build_radio()
            if radio is None:
                return None
            return RscPeripheral(
                radio,
                self.settings,
                getattr(self.board, "BLE_NAME", "Footfall"),
                on_stride_factor=self._set_factor,
                on_record=self._on_record,
            ).start()
        except Exception as e:  # no BLE is no reason to stop counting
            self.note("ble", repr(e))
            return None

    # ---- the loop -------------------------------------------------------------------------
    def run(self, polls=0):
        """Poll and sleep until board.done() says so (forever on a board) or polls ran.
        Between two polls, the app's times move back once they have grown large (_rebase)."""
        done = getattr(self.board, "done", None)
        count = 0
        while True:
            start = self._clock()
            while start >= _REBASE_AT:  # between two polls: no time is half-way used
                start = self._rebase()
            try:
                self.poll()
                self._in_row = 0
            except Exception as e:  # a bug must not stop the counting, unless it repeats
                self.crashes += 1
                self._in_row += 1
                self.note("crash", repr(e))
                if self._in_row > _MAX_CRASHES:
                    raise
            count += 1
            if (done is not None and done()) or (polls and count >= polls):
                return
            spent = self.now - start
            if spent < self.poll_ms:
                self.sleep_ms(self.poll_ms - spent)

    def poll(self):
        """One turn: watchdog, FIFO, once a second the BLE tick, then the controls."""
        self._clock()
        if self.watchdog is not None:
            self.watchdog.feed()
        if self.imu is None:
            if self.now >= self._retry_at:
                self._open_imu()
        else:
            self._read()
        if self.now >= self._next_second:
            self._second()
        self._controls()

    def _clock(self):
        t = self.ticks_ms()
        self.now += self.ticks_diff(t, self._t)
        self._t = t
        return self.now

    def _rebase(self):
        # every absolute time moves back by _REBASE_BY, so their differences, and what is
        # decided on them, stay the same. One that would fall below 0 is older than anything it
        # is compared with (an hour at most) and becomes -1, which reads as long ago or as
        # none wherever it is used (-1 marks none in several), so old times cannot grow without
        # bound while the app runs for weeks; a stale stamper line just starts a new one
        for o, names in (
            (self, ("now", "_next_second", "_next_battery", "_retry_at", "_last_step")),
            (self.stamper, ("last", "_t")),
            (self.sessions, ("since_ms",)),
            (self.button, ("_down_ms",)),
            (self.live, ("_last_ic",)),
            (self.ble, ("_last_save",)),  # the periodic save of the distance (peripheral.py)
        ):
            if o is not None:
                for name in names:
                    setattr(o, name, max(getattr(o, name) - _REBASE_BY, -1))
        for n in self.notes.values():
            n[1] = max(n[1] - _REBASE_BY, -1)
        if self._origin is not None:
            # exactly, never clamped: the engine's times (sample time - origin) and with them
            # the open session's raw log and events go on as if nothing happened
            self._origin -= _REBASE_BY
        return self.now

    def _second(self):
        now = self.now
        self._next_second += 1000
        if self._next_second <= now:
            self._next_second = now + 1000
        live = self.live.second(now)
        ble = self.ble
        if ble is not None:
            if now >= self._next_battery and hasattr(self.board, "battery_percent"):
                self._next_battery = now + 60000
                try:
                    ble.set_battery(self.board.battery_percent())
                except OSError:
                    self.bus_errors += 1  # the last level stands; the counting goes on
            ble.tick(now, live)
        act = self.sessions.second(now, live.cadence_x10, self._last_step)
        if act == START:
            self.start_session("auto", self.raw_auto)
        elif act == STOP:
            self.stop_session("idle")
        elif self._session is None and self._origin is not None and self.eng is not None:
            if now - self._origin > _IDLE_ENGINE_MS and now - self._last_step > 60000:
                self._restart_engine()  # keeps the engine's times small
        lg = self.logger
        lg.flush()
        if lg.errors != self._log_errors:
            self._log_errors = lg.errors
            self.note("flash", "log write failed: %s" % (lg.last_error,))
        gc.collect()
        if hasattr(gc, "mem_alloc"):
            self.heap_peak = max(self.heap_peak, gc.mem_alloc())

    def close(self, reason="stop"):
        """Stop for good: end the session, keep the settings."""
        self.stop_session(reason)
        self.settings.save()

    def note(self, kind, detail):
        """Write a problem or an event to notes.log, each kind at most every 10 s."""
        now = self.now
        n = self.notes.get(kind)
        if n is None:
            n = self.notes[kind] = [0, now - _NOTE_EVERY_MS]
        n[0] += 1
        if kind == "session":  # every start and end is written, and numbered already
            line = "%d %s" % (now, detail)
        elif now - n[1] < _NOTE_EVERY_MS:
            return
        else:
            line = "%d %s: %s (%d so far)" % (now, kind, detail, n[0])
        lg = self.logger
        errors = lg.errors
        lg.note(line)
        if lg.errors == errors:
            # only a line on the flash starts the 10 s: one that failed is tried again at the
            # next note of its kind, so a failing flash still gets its line once it recovers
            n[1] = now
        if self.verbose:
            print(line)


def main(board, **kw):
    """Run the app until board.done() (forever on a board); Ctrl-C ends it cleanly."""
    app = App(board, **kw)
    try:
        app.run()
    except KeyboardInterrupt:
        app.close("interrupted")
        if app.watchdog is not None and hasattr(board, "keep_watchdog_fed"):
            board.keep_watchdog_fed(app.watchdog)  # the REPL stays usable
        print("footfall: stopped (Ctrl-C); logs closed")
        return app
    app.close("end")
    return app
