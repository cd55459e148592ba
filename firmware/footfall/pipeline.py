"""The per-sample path: IMU FIFO batches -> times -> gait engine -> step records.

A base of footfall.app.App, kept apart because it is the part that runs for every batch:
`batch` allocates nothing (tests/test_app_upy.py checks it under heap_lock on the unix
port). It uses the App's board, settings, live, logger, note(), _session, _boot,
start_session() and stop_session().
"""

import gc
from array import array

from micropython import const

from .gait import GaitEngine
from .gait import record as R
from .stamp import Stamper

_BATCH = const(64)  # samples per FIFO read
# record.py's fields and codes, folded in (tests/test_engine_records.py checks them)
_UNKNOWN = const(-999999)
_IC_MS = const(0)
_TO_MS = const(1)
_STRIKE = const(3)
_N_FIELDS = const(11)
_MAX_READS = const(8)  # FIFO reads per poll at most
_REOPEN_AFTER = const(3)  # failed reads in a row before the IMU is set up again
_RETRY_MS = const(1000)


class Pipeline:
    def _init_pipeline(self):
        self.bus_errors = 0
        self.overruns = 0
        self._times = array("i", bytes(4 * _BATCH))
        self._samples = array("h", bytes(12 * _BATCH))
        self._rec = array("i", bytes(4 * _N_FIELDS))
        self._strikes = [0, 0, 0]
        self.imu = self.eng = self.stamper = self._bus = self._origin = None
        self._overruns = self._fails = self._retry_at = 0
        self._last_step = -1  # app time of the latest initial contact

    def _open_imu(self):
        b = self.board
        # the next try if this one fails, or else a second for the chip's first samples
        self._retry_at = self.now + _RETRY_MS
        try:
            if self._bus is None and hasattr(b, "build_bus"):
                self._bus = b.build_bus()
            self.imu = b.build_imu(self._bus) if self._bus is not None else b.build_imu()
        except OSError as e:  # nothing answers (yet): try again in a second
            self.imu = None
            self.note("imu", "cannot open the IMU: %r" % (e,))
            return
        imu = self.imu
        self._overruns = imu.overruns_
        eng = self.eng
        if eng is None or eng.rate_hz != imu.rate_hz or eng.gyro != imu.has_gyro:
            # an open session's files and engine are at the old rate and axes (another chip
            # may answer: an LIS3DH, no gyro, for an MPU-6050): it ends here and the recording
            # goes on in a new one; one asked for at boot starts with the IMU
            s = self._session or self._boot
            self._boot = None
            self.stop_session("imu")
            self.stamper = Stamper(imu.rate_hz)
            self._new_engine()
            if s:
                self.start_session(s[1], s[2])

    def _new_engine(self):
        # let the old engine go before the new one is built: two at once may not fit; the
        # gyro offset it learnt while the foot stood still belongs to the IMU and goes on, to
        # the next engine and (saved with the settings) past a reboot; the gravity it learnt
        # belongs to the foot's mounting and goes to the next engine (a session started
        # mid-run would learn it at the first stance it finds, which may be a swing's lull)
        gravity = (0, 0, 0)
        if self.eng is not None:
            self.settings.gyro_offset = self.eng.gyro_offset_
            gravity = self.eng.gravity_mg_
        offset = self.settings.gyro_offset
        self.eng = None
        gc.collect()
        imu = self.imu
        self.eng = GaitEngine(
            rate_hz=imu.rate_hz,
            gyro=imu.has_gyro,
            stride_factor=self.settings.stride_factor,
            gyro_offset=offset,
            gravity_mg=gravity,
        )
        self._origin = None  # engine time 0 is its first sample

    def _read(self):
        imu = self.imu
        for _ in range(_MAX_READS):
            try:
                n = imu.read_fifo(self._samples, _BATCH)
            except OSError as e:
                self.bus_errors += 1
                self._fails += 1
                self.note("i2c", "IMU read failed: %r" % (e,))
                if self._fails >= _REOPEN_AFTER:
                    self._fails = 0
                    self._open_imu()
                return
            self._fails = 0
            if imu.overruns_ != self._overruns:
                self.overruns += imu.overruns_ - self._overruns
                self._overruns = imu.overruns_
                self._retry_at = self.now + _RETRY_MS  # the driver has started its FIFO again
                self.note("overrun", "FIFO overrun: samples lost")
            if n:
                self._retry_at = self.now + _RETRY_MS
                self.batch(n, self._clock())
                self.drain()
            elif self.now > self._retry_at:
                # a second without a sample, yet no error: the chip lost its set-up (a power
                # blip resets it; a failed write may leave its FIFO off): set it up again
                self.note("imu", "no samples: IMU set up again")
                self._open_imu()
            if n < _BATCH:
                return

    def batch(self, n, read_ms):
        """Stamp, run and log one FIFO batch in self._samples (allocates nothing)."""
        times = self._times
        self.stamper.stamp(times, n, read_ms)
        o = self._origin
        if o is None:
            o = self._origin = times[0]
        for i in range(n):
            times[i] -= o
        self.eng.update_batch(times, self._samples, n)
        if self._session is not None:
            self.logger.raw(times, self._samples, n)

    def drain(self):
        """The engine's finished steps: to the session's events, then to the live metrics."""
        rec = self._rec
        o = self._origin
        while self.eng.pop(rec):
            if self._session is not None:
                self.logger.event(R.format_row(rec))
                s = rec[_STRIKE]
                if 1 <= s <= 3:
                    self._strikes[s - 1] += 1
            ic = rec[_IC_MS]
            if ic != _UNKNOWN:
                rec[_IC_MS] = self._last_step = ic + o  # the app's time base from here
            if rec[_TO_MS] != _UNKNOWN:
                rec[_TO_MS] += o
            self.live.add(rec)

    def _restart_engine(self):
        if self._session is None and self.eng is not None:
            self.eng.flush()
            self.drain()  # the waiting step still counts live
        if self.imu is None:
            self.eng = None  # a fresh one comes with the IMU (_open_imu)
            return
        self._new_engine()
