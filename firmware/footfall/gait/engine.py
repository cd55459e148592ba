"""The gait engine: one foot's IMU samples in, one record per step out, integers only.

Per sample: a motion level from the gyro and the acceleration magnitude finds the stances (the
quietest sample between two swings, at the foot's stance attitude); the pitch tracker follows
the swing; the strapdown integrates the foot's path. At each stance the stride is closed: its
contact is the impact just before the stance (refined by the gyro), its length comes from the
strapdown (or a model without a gyro), and the step before it gets its toe-off.
"""

from array import array

import micropython
from micropython import const

from .accel_only import AccelOnly
from .averaging import Averaging
from .contact import ContactFinder
from .fixmath import clamp
from .offset import OFFSET_MAX, GyroOffset
from .pitch import PitchTracker
from .stances import StrideEnds
from .steps import Results, StepLog
from .strapdown import Strapdown

_SWING = const(0)  # moving: between two stances
_SEEK = const(1)  # the swing has ended: looking for the stance's quietest sample
_STAND = const(2)  # standing still (or not started)

_ACC_LIMIT = const(16000)  # mg: inputs are clamped to +-16 g
_GYRO_LIMIT = const(20000)  # 0.1 deg/s: inputs are clamped to +-2000 deg/s
_A2_LIMIT = const(768000000)  # 3 * 16000**2
_BIG = const(0x3FFFFFFF)
_SAMPLE_WRAP = const(0x20000000)
_STILL = const(60)  # motion below this is standing still
_QUIET_ACC = const(30)  # the acceleration's part of the motion level, below which it is quiet
_ENERGY_N = const(4096)  # samples of a stride's acceleration energy at most (4 s at 1 kHz)
_SWUNG = const(200)  # without a gyro: a motion level above this is the foot moving (mg)
_RISE_MS = const(100)  # moving again this long after the quietest sample: was it a stance?
_PLATEAU_MS = const(400)  # quiet this long, if not still: a stance (as quiet as one)


class GaitEngine(StrideEnds, GyroOffset, AccelOnly, Results, Averaging):
    """Streaming gait analysis of one foot.

    Feed samples with `update` (or FIFO batches with `update_batch`): time in ms, acceleration
    in mg, rotation in 0.1 deg/s, in the sensor's own axes mounted any way round. Finished steps
    come out with `pop` (see record.py for the fields); running totals are the attributes
    ending in `_`.
    """

    def __init__(
        self,
        rate_hz=200,
        gyro=True,
        stride_factor=1000,
        gyro_offset=(0, 0, 0),
        gravity_mg=(0, 0, 0),
    ):
        if not 50 <= rate_hz <= 1000:
            raise ValueError("rate_hz must be 50..1000, got %r" % (rate_hz,))
        if not 200 <= stride_factor <= 5000:
            raise ValueError("stride_factor is per mille, 200..5000, got %r" % (stride_factor,))
        if (
            len(gyro_offset) != 3
            or max(gyro_offset) > OFFSET_MAX
            or min(gyro_offset) < -OFFSET_MAX
        ):
            raise ValueError(
                "gyro_offset: 3 values of 0.01 deg/s, +-5000, got %r" % (gyro_offset,)
            )
        self.rate_hz = rate_hz
        self.gyro = bool(gyro)
        # above 250 Hz, samples are averaged in twos or more (averaging.py): the engine works
        # at the rate its thresholds were measured at
        rate_hz = self._hz = self._avg_init(rate_hz)
        self.stride_factor = stride_factor
        self.dropped_ = 0  # samples refused: time not increasing
        self._log = StepLog(0 if self.gyro else stride_factor)
        self._t = -1
        # a gap longer than this ends the stride in progress; a shorter one is bridged
        self._gap_ms = max(150, 3000 // rate_hz)
        self._n = 0
        self._decay = 1 if rate_hz <= 120 else (2 if rate_hz <= 240 else 3)
        # the gyro's zero-rate offset: given (from an earlier engine), then learnt while the
        # foot stands still or, until then, in walking (offset.py)
        self._rest_init(rate_hz, gyro_offset)
        self._stance_init(rate_hz)
        # the last second of impact jumps, acceleration and pitch rate, for finding contact
        self._cf = ContactFinder(rate_hz)
        self._rn = self._cf.n
        self._rj = self._cf.jump
        self._ra = self._cf.acc
        self._rw = self._cf.pitch
        self._ri = 0
        # gyro only
        # strapdown and pitch run on blocks of 1 to 4 samples, at 100 Hz or a little more
        self._blk = min(4, max(1, rate_hz // 100))
        self._bc = 0
        self._wr = 0
        self._bs = array("i", bytes(4 * 6))  # block sums: gyro x, y, z, acceleration x, y, z
        self._one = array("h", bytes(2 * 6))  # for update(): a batch of one
        self._one_t = array("i", bytes(4))
        # without a gyro: the stride's acceleration energy (sum of |a^2 - g^2| >> 14, samples)
        self._se = 0
        self._sn = 0
        # without a gyro: samples of movement since the foot was last still for 40 ms, and
        # before that (accel_only.py _moved)
        self._sw = 0
        self._swp = 0
        self._sd = Strapdown(rate_hz) if self.gyro else None
        self._pt = PitchTracker(rate_hz) if self.gyro else None
        self._snap = array("i", bytes(4 * 8))  # strapdown state at the stance's quietest sample
        self._give_gravity(gravity_mg)  # (offset.py)

    # ---- input --------------------------------------------------------------------------
    def update(self, t, ax, ay, az, gx=0, gy=0, gz=0):
        """Process one sample; returns how many finished steps are waiting in `pop`."""
        b = self._one
        b[0] = ax
        b[1] = ay
        b[2] = az
        b[3] = gx
        b[4] = gy
        b[5] = gz
        self._one_t[0] = t
        return self.update_batch(self._one_t, b, 1)

    @micropython.native
    def update_batch(self, times, samples, count):
        """Process `count` samples from caller-owned buffers, as a FIFO read delivers them.

        times[i] is the time of sample i in ms; samples holds ax, ay, az (and gx, gy, gz with a
        gyro) per sample, interleaved. Returns how many finished steps are waiting.
        """
        # The per-sample work keeps its state in local names, written back to the object
        # only before the rarer calls that read it and at the end of the batch.
        gyro = self.gyro
        stride = 6 if gyro else 3
        rj = self._rj
        ra = self._ra
        rw = self._rw
        rn = self._rn
        ri = self._ri
        n = self._n
        t0 = self._t
        hold_ms = 1500 // self._hz  # a sample period and a half: a sample is missing
        a2p = self._a2p
        g2 = self._g2
        ms = self._ms
        decay = self._decay
        still = self._still_run
        stand_n = self._stand_n
        ph = self._ph
        pk = self._pk
        seek_at = self._seek_at
        restart_at = self._restart_at
        se = self._se
        sn = self._sn
        sw = self._sw
        swp = self._swp
        still_n = self._still_n
        # the strapdown and the pitch tracker run on blocks of samples at about 100 Hz
        blk = self._blk
        bc = self._bc
        wr = self._wr
        bs = self._bs
        sd = self._sd
        pt = self._pt
        sgx = bs[0]
        sgy = bs[1]
        sgz = bs[2]
        sax = bs[3]
        say = bs[4]
        saz = bs[5]
        gb = self._goff
        bx = gb[0]
        by = gb[1]
        bz = gb[2]
        known = gb[3]  # an offset is known (offset.py _KNOWN)
        gx = gy = gz = 0  # without a gyro: no rotation
        j = -stride
        for i in range(count):
            j += stride
            t = times[i]
            if t0 >= 0:
                if t <= t0:
                    self.dropped_ += 1
                    continue
                if t - t0 > hold_ms:
                    # samples missing: bridged, or after a longer gap a fresh start (offset.py)
                    k = self._bridge(ri, t - t0, t, samples, j)
                    if k < 0:
                        still = 0
                        ph = _STAND
                    else:
                        n += k
                        ri = self._ri
            t0 = t
            n += 1
            if n >= _SAMPLE_WRAP:
                self._gap()
                still = 0
                ph = _STAND
                n = 1
            ax = samples[j]
            ay = samples[j + 1]
            az = samples[j + 2]
            a2 = ax * ax + ay * ay + az * az
            if a2 > _A2_LIMIT:
                # beyond +-16 g on every axis: clamp, so every product below stays under 2**30
                ax = clamp(ax, _ACC_LIMIT)
                ay = clamp(ay, _ACC_LIMIT)
                az = clamp(az, _ACC_LIMIT)
                a2 = ax * ax + ay * ay + az * az
            if a2p < 0:  # the engine's first sample: no jump from nothing to 1 g
                a2p = a2
            jump = a2 - a2p if a2 > a2p else a2p - a2
            a2p = a2
            d = a2 - g2 if a2 > g2 else g2 - a2
            rj[ri] = (jump >> 12) if jump < 0x7FFF000 else 0x7FFF
            ra[ri] = a2 >> 15
            if gyro:
                gx = samples[j + 3] - bx
                gy = samples[j + 4] - by
                gz = samples[j + 5] - bz
                w1 = (gx if gx > 0 else -gx) + (gy if gy > 0 else -gy) + (gz if gz > 0 else -gz)
                if w1 > _GYRO_LIMIT:
                    gx = clamp(gx, _GYRO_LIMIT)
                    gy = clamp(gy, _GYRO_LIMIT)
                    gz = clamp(gz, _GYRO_LIMIT)
                    w1 = _GYRO_LIMIT
                sgx += gx
                sgy += gy
                sgz += gz
                sax += ax
                say += ay
                saz += az
                bc += 1
                if bc == blk:
                    if ph != _STAND:
                        sd.step(sax, say, saz, sgx, sgy, sgz, bc)
                        wr = pt.step(t, sgx, sgy, sgz, bc)
                    else:
                        # standing: nothing to integrate, no angle to keep (moving again
                        # restarts both); the contact search still reads the pitch rate
                        wr = pt.rate(sgx, sgy, sgz, bc)
                    if wr > 0x7FFF:
                        wr = 0x7FFF
                    elif wr < -0x7FFF:
                        wr = -0x7FFF
                    sgx = sgy = sgz = sax = say = saz = bc = 0
                rw[ri] = wr
                m = (w1 >> 3) + (d >> 12)
            else:
                if sn < _ENERGY_N:
                    se += d >> 14
                    sn += 1
                # (and gravity learnt afresh if held far from it: accel_only.py)
                m = self._motion(n, ax, ay, az, d, jump)
                g2 = self._g2
                if m > _SWUNG and sw < _BIG:
                    sw += 1
            ri += 1
            if ri == rn:
                ri = 0
            if m >= ms:
                ms = m
            else:
                ms -= (ms - m) >> decay
            # gravity and the gyro's offset are learnt while still (offset.py); and while
            # only the accelerometer is quiet, if no offset is known: a large one keeps the
            # motion level above still by itself (offset.py then checks that neither the gyro
            # nor gravity's direction changed)
            rest = ms < _STILL
            if rest:
                if still < stand_n:
                    still += 1
                    if still == still_n and sw:
                        # still for 40 ms: what moved before is one movement (_moved)
                        swp = sw
                        sw = 0
            else:
                still = 0
                rest = not known and gyro and (d >> 12) + (jump >> 12) < _QUIET_ACC
            if rest and self._at_rest(n, still, ax, ay, az, gx + bx, gy + by, gz + bz):
                bx = gb[0]
                by = gb[1]
                bz = gb[2]
                known = 1
            if ph == _STAND:
                if ms <= 2 * _STILL:
                    continue
                self._ms = ms
                self._start_moving(t)
            elif t > restart_at:
                self._ms = ms
                self._restart_stride(t)
                sw = swp = 0  # what moved is no step's now (_moved)
            elif ph == _SWING:
                if ms > pk:
                    pk = ms
                if not gyro:
                    self._push_off(t, a2)  # toe-off (accel_only.py)
                if still >= stand_n:
                    self._stand()
                    g2 = self._g2
                    ph = _STAND
                elif t >= seek_at and ms < (pk >> 2):
                    ph = _SEEK
                    self._n_seek = n
                    self._vmin = _BIG
                    self._t_rise = -1
                continue
            else:
                # _SEEK: the quietest sample at the stance attitude, once the swing is over
                vmin = self._vmin
                if ms > pk and vmin > _STILL and vmin > (pk >> 4) and self._t_rise < 0:
                    # louder than the swing, with nothing as quiet as a stance before and no rise
                    # from it: the foot is still landing (a slow swing can settle before its
                    # impact); seek afresh
                    pk = ms
                    vmin = self._vmin = _BIG
                if ms < vmin:
                    vmin = self._seek_min(t, n, ms, ax, ay, az, a2)  # stances.py
                elif ms > vmin + vmin + 2 * _STILL:
                    self._q_gap = True  # the quiet spell is broken
                confirm = still >= still_n
                if not confirm and vmin < _BIG:
                    if self._t_rise < 0:
                        if ms > 3 * vmin + 40:
                            self._t_rise = t
                        elif t - self._t_q >= _PLATEAU_MS:
                            confirm = self._plateau(vmin, pk)  # quiet for a while (stances.py)
                    elif t - self._t_rise >= _RISE_MS:
                        # moving again for a while with no quieter sample (stances.py)
                        confirm = self._after_rise(ri, n, vmin, pk)
                        if not confirm:
                            ph = _SWING
                if not confirm:
                    continue
                self._n = n
                self._ri = ri
                self._ms = ms
                self._pk = pk
                self._se = se
                self._sn = sn
                self._sw = sw
                self._swp = swp
                self._on_valley()
                sw = self._sw  # a still stance used them (_moved)
                swp = self._swp
                bx = gb[0]  # a walking stance may have taught the offset (offset.py)
                by = gb[1]
                bz = gb[2]
            # a stride began (_begin_stride)
            se = sn = 0
            g2 = self._g2
            ph = _SWING
            pk = ms
            seek_at = self._seek_at
            restart_at = self._restart_at
        self._ph = ph
        self._pk = pk
        self._ri = ri
        self._n = n
        self._t = t0
        self._a2p = a2p
        self._ms = ms
        self._still_run = still
        self._bc = bc
        self._wr = wr
        self._se = se
        self._sn = sn
        self._sw = sw
        self._swp = swp
        bs[0] = sgx
        bs[1] = sgy
        bs[2] = sgz
        bs[3] = sax
        bs[4] = say
        bs[5] = saz
        return self._log.count
