"""The gait engine: one foot's IMU samples in, one record per step out, integers only."""

from array import array

from micropython import const

from .fixmath import ONE, isqrt, unit3
from .record import (
    ACTIVITY, CADENCE, CADENCE_AVG, GCT_MS, IC_MS, IMPACT_MG, N_FIELDS, RUNNING, SPEED_MMPS,
    STRIDE_MM, STRIKE, STRIKE_DECIDEG, STRIKE_FORE, STRIKE_HEEL, STRIKE_MID, TO_MS, UNKNOWN,
    WALKING,
)
from .strapdown import Strapdown

_SWING = const(0)  # moving: between two stances
_SEEK = const(1)  # the swing has ended: looking for the quietest sample of the stance
_STAND = const(2)  # standing still (or not started)

_ACC_LIMIT = const(16000)  # mg: inputs are clamped to +-16 g
_GYRO_LIMIT = const(20000)  # 0.1 deg/s: inputs are clamped to +-2000 deg/s
_G2 = const(1000000)  # (1 g in mg) squared

_N_RECORDS = const(8)  # finished steps waiting for the caller
_BIG = const(0x3FFFFFFF)
_SAMPLE_WRAP = const(0x20000000)

_MS_MIN = const(800)  # 80 deg/s: a mid-swing pitch rate below this is no swing
_IC_DIP = const(500)  # 50 deg/s: the pitch-rate dip that marks contact
_ZC_BEFORE_IMPACT_MS = const(100)  # a toes-up rotation ending this soon before impact: contact
_HEEL_DECIDEG = const(80)  # foot-strike angle above 8 deg: rearfoot (Altman & Davis 2012)
_FORE_DECIDEG = const(-16)  # below -1.6 deg: forefoot
_PK_MIN = const(300)  # a swing must move at least this much (motion units) to be a step


class GaitEngine:
    """Streaming gait analysis of one foot.

    Feed samples with `update` (or FIFO batches with `update_batch`): time in ms, acceleration
    in mg, rotation in 0.1 deg/s, in the sensor's own axes mounted any way round. Finished steps
    come out with `pop`; running totals are the attributes ending in `_`.
    """

    def __init__(self, rate_hz=200, gyro=True, stride_factor=1000):
        if not 50 <= rate_hz <= 1000:
            raise ValueError("rate_hz must be 50..1000, got %r" % (rate_hz,))
        if not 200 <= stride_factor <= 5000:
            raise ValueError("stride_factor is per mille, 200..5000, got %r" % (stride_factor,))
        self.rate_hz = rate_hz
        self.gyro = bool(gyro)
        self.stride_factor = stride_factor
        # results
        self.strides_ = 0  # steps of the instrumented foot
        self.steps_ = 0  # both feet: twice the strides
        self.distance_mm_ = 0
        self.cadence_ = 0  # smoothed, 0.1 steps/min
        self.speed_mmps_ = 0
        self.activity_ = UNKNOWN
        self.dropped_ = 0  # samples refused: time not increasing
        self.overruns_ = 0  # finished steps lost because nobody popped them
        # timing
        self._t = -1
        self._gap_ms = max(30, 3000 // rate_hz)
        self._n = 0
        self._min_stride_ms = 250
        self._stand_ms = 1500
        # motion statistic
        self._decay = 1 if rate_hz <= 120 else (2 if rate_hz <= 240 else 3)
        self._ms = 0
        self._g2 = _G2
        self._still_thr = 60
        self._still_run = 0
        self._still_n = max(2, rate_hz * 40 // 1000)  # 40 ms of stillness confirms a stance
        self._stand_n = rate_hz * self._stand_ms // 1000
        # gravity estimate (mg * 16), updated on still samples
        self._gx16 = 0
        self._gy16 = 0
        self._gz16 = 16000
        self._u = array("i", bytes(4 * 4))  # unit up vector (Q14) of the stance; [3]: known
        self._va = array("i", bytes(4 * 3))  # acceleration at the quietest stance sample
        # phase
        self._ph = _STAND
        self._pk = 0
        self._vmin = 0
        self._t_rise = -1
        self._rise_ms = 100
        self._t_v = -1  # quietest sample of the current stance
        self._n_v = 0
        self._t_vprev = -1
        self._have_prev = False
        # recent acceleration magnitudes (a^2 >> 15) for finding the impact
        self._rn = rate_hz * 3 // 4
        self._ring = array("h", bytes(2 * self._rn))
        self._ri = 0
        # gyro: strapdown, pitch axis, contact events
        self._sd = Strapdown(rate_hz)
        self._snap = array("i", bytes(4 * 8))
        self._disp = array("i", bytes(4 * 2))
        self._tmp = array("i", bytes(4 * 6))
        self._m = array("i", bytes(4 * 3))  # pitch axis (Q14), 0 until found
        self._m_ok = False
        self._macc = array("i", bytes(4 * 3))  # this stride's sign-aligned rotation sum
        self._pol = 0  # +-1: which way round the pitch axis points (toes up positive)
        self._pol_score = 0
        self._theta = 0  # integrated pitch rate since the last stance, toes up positive
        self._theta_raw = 0  # the same along the axis as found, before the polarity is known
        self._th_hi = 0
        self._th_lo = 0
        self._th_v_raw = 0
        self._th_v = 0
        self._wp_prev = 0
        self._ev = 0  # 0: seeking toe-off and mid-swing, 1: seeking contact, 2: contact found
        self._ms_thr = _MS_MIN  # half the last mid-swing peak: smaller wiggles are no swing
        self._to_min = _BIG
        self._t_to = -1
        self._sw_max = -_BIG
        self._t_zc = -1
        self._th_zc = 0
        self._ic_min = 0
        self._t_icmin = -1
        self._th_icmin = 0
        self._a2p = 0
        self._imp = 0
        self._t_imp = -1
        self._th_imp = 0
        self._t_zc_imp = -1
        self._th_zc_imp = 0
        # steps
        self._ic_prev = -1
        self._stride16 = 0  # smoothed stride time, ms * 16
        self._pend = array("i", [UNKNOWN] * N_FIELDS)
        self._pending = False
        self._recs = array("i", [UNKNOWN] * (N_FIELDS * _N_RECORDS))
        self._rhead = 0
        self._rcount = 0

    # ---- input -------------------------------------------------------------------------
    def update(self, t, ax, ay, az, gx=0, gy=0, gz=0):
        """Process one sample; returns how many finished steps are waiting in `pop`."""
        if self._t >= 0:
            dt = t - self._t
            if dt <= 0:
                self.dropped_ += 1
                return self._rcount
            if dt > self._gap_ms:
                self._gap()
        self._t = t
        n = self._n + 1
        if n >= _SAMPLE_WRAP:
            self._gap()
            n = 1
        self._n = n
        if abs(ax) + abs(ay) + abs(az) > _ACC_LIMIT:
            ax = _clamp(ax, _ACC_LIMIT)
            ay = _clamp(ay, _ACC_LIMIT)
            az = _clamp(az, _ACC_LIMIT)
        a2 = ax * ax + ay * ay + az * az
        jump = a2 - self._a2p
        self._a2p = a2
        d = a2 - self._g2
        if d < 0:
            d = -d
        ri = self._ri
        self._ring[ri] = a2 >> 15
        ri += 1
        self._ri = 0 if ri == self._rn else ri
        if self.gyro:
            w1 = abs(gx) + abs(gy) + abs(gz)
            if w1 > _GYRO_LIMIT:
                gx = _clamp(gx, _GYRO_LIMIT)
                gy = _clamp(gy, _GYRO_LIMIT)
                gz = _clamp(gz, _GYRO_LIMIT)
                w1 = abs(gx) + abs(gy) + abs(gz)
            m = (w1 >> 3) + (d >> 12)
            self._sd.step(ax, ay, az, gx, gy, gz)
            self._pitch(t, gx, gy, gz, w1, jump)
        else:
            m = d >> 11
        ms = self._ms
        if m >= ms:
            ms = m
        else:
            ms -= (ms - m) >> self._decay
        self._ms = ms
        if ms < self._still_thr:
            self._still_run += 1
            # gravity: slow average of the acceleration while still
            self._gx16 += ax - (self._gx16 >> 4)
            self._gy16 += ay - (self._gy16 >> 4)
            self._gz16 += az - (self._gz16 >> 4)
        else:
            self._still_run = 0
        ph = self._ph
        if ph == _SWING:
            if ms > self._pk:
                self._pk = ms
            if self._still_run >= self._stand_n:
                self._stand()
            elif t - self._t_vprev >= self._min_stride_ms and ms < (self._pk >> 2):
                self._ph = _SEEK
                self._vmin = _BIG
                self._t_rise = -1
        elif ph == _SEEK:
            if ms < self._vmin and self._flat(ax, ay, az, a2):
                self._vmin = ms
                self._new_min(t, ax, ay, az)
                self._t_rise = -1
            if self._still_run >= self._still_n:
                self._on_valley()
            elif self._t_rise < 0:
                if self._vmin < _BIG and ms > 3 * self._vmin + 40:
                    self._t_rise = t
            elif t - self._t_rise >= self._rise_ms:
                # moving again for a while with no quieter sample: the quietest one was the
                # stance, if it was quiet enough compared with the swing
                if self._vmin <= (self._pk >> 3) or self._vmin <= self._still_thr:
                    self._on_valley()
                else:
                    self._ph = _SWING  # a lull within the swing, not a stance
        else:
            if ms > 2 * self._still_thr:
                self._start_moving(t)
            else:
                self._sd.restart()
        return self._rcount

    def update_batch(self, times, samples, count):
        """Process `count` samples from caller-owned buffers, as a FIFO read delivers them.

        times[i] is the time of sample i in ms; samples holds ax, ay, az (and gx, gy, gz with a
        gyro) per sample, interleaved. Returns how many finished steps are waiting.
        """
        if self.gyro:
            j = 0
            for i in range(count):
                self.update(times[i], samples[j], samples[j + 1], samples[j + 2],
                            samples[j + 3], samples[j + 4], samples[j + 5])
                j += 6
        else:
            j = 0
            for i in range(count):
                self.update(times[i], samples[j], samples[j + 1], samples[j + 2])
                j += 3
        return self._rcount

    # ---- output ------------------------------------------------------------------------
    def pop(self, out):
        """Copy the oldest finished step into `out` (N_FIELDS ints); False if there is none."""
        if self._rcount == 0:
            return False
        base = self._rhead * N_FIELDS
        recs = self._recs
        for k in range(N_FIELDS):
            out[k] = recs[base + k]
        self._rhead = (self._rhead + 1) % _N_RECORDS
        self._rcount -= 1
        return True

    def flush(self):
        """End of input: finish the step still waiting for its toe-off."""
        if self._pending:
            self._finish()
        return self._rcount

    # ---- pitch-rate events: toe-off, mid-swing, contact --------------------------------
    def _pitch(self, t, gx, gy, gz, w1, jump):
        mv = self._m
        if not self._m_ok:
            if w1 > 2000:  # the first brisk rotation seeds the pitch axis
                self._m_ok = unit3(gx, gy, gz, mv)
            return
        wp = (mv[0] * gx + mv[1] * gy + mv[2] * gz) >> 14
        macc = self._macc
        if wp >= 0:
            macc[0] += gx
            macc[1] += gy
            macc[2] += gz
        else:
            macc[0] -= gx
            macc[1] -= gy
            macc[2] -= gz
        th = self._theta_raw + wp
        self._theta_raw = th
        if th > self._th_hi:
            self._th_hi = th
        elif th < self._th_lo:
            self._th_lo = th
        if self._pol == 0:
            return
        if self._pol < 0:
            wp = -wp
        self._theta += wp
        ev = self._ev
        if ev == 0:
            if wp < self._to_min:
                self._to_min = wp
                self._t_to = t
                self._sw_max = wp
            elif wp > self._sw_max:
                self._sw_max = wp
            elif self._sw_max > self._ms_thr and wp < (self._sw_max >> 1):
                # past the mid-swing peak: the toe-off was the deepest dip before it
                self._ms_thr = max(_MS_MIN, self._sw_max >> 1)
                self._ev = 1
                self._t_zc = -1
                self._ic_min = 0
                self._t_icmin = -1
                self._imp = 0
                self._t_imp = -1
                if self._pending:
                    self._set_toe_off(self._t_to)
        elif ev == 1:
            if wp <= 0 < self._wp_prev:
                self._t_zc = t
                self._th_zc = self._theta
            if jump < 0:
                jump = -jump
            if jump > self._imp:
                # the sharpest change of acceleration: the impact of contact
                self._imp = jump
                self._t_imp = t
                self._th_imp = self._theta
                self._t_zc_imp = self._t_zc
                self._th_zc_imp = self._th_zc
            if wp < self._ic_min:
                self._ic_min = wp
                self._t_icmin = t
                self._th_icmin = self._theta
            elif self._ic_min < -_IC_DIP and wp > (self._ic_min >> 1):
                self._ev = 2
        self._wp_prev = wp

    # ---- stance ------------------------------------------------------------------------
    def _flat(self, ax, ay, az, a2):
        # Is the foot at its stance attitude (within 30 deg)? The lull in mid-swing is as quiet
        # as some stances, but there the foot is pitched far from flat.
        u = self._u
        if u[3] == 0:
            return True  # attitude not known yet
        dot = (ax * u[0] + ay * u[1] + az * u[2]) >> 14
        return dot > 0 and dot * dot >= (a2 >> 2) * 3

    def _new_min(self, t, ax, ay, az):
        self._t_v = t
        self._n_v = self._n
        self._th_v = self._theta
        self._th_v_raw = self._theta_raw
        va = self._va
        va[0] = ax
        va[1] = ay
        va[2] = az
        if self.gyro:
            self._sd.snapshot(ax, ay, az, self._snap)

    def _on_valley(self):
        t_v = self._t_v
        if self._pol != 0:
            # a swing turns the foot toes-up at mid-swing; a jolt in stance does not
            is_step = self._ev >= 1 and self._have_prev
        else:
            is_step = self._pk >= _PK_MIN and self._have_prev
        stride_mm = UNKNOWN
        if self.gyro:
            length = self._sd.close_stride(self._snap, self._disp)
            if length >= 0 and is_step:
                stride_mm = length * self.stride_factor // 1000
            self._learn_axes()
        # the quiet sample of a stance measures gravity too, unless the foot was loaded there
        va = self._va
        a2 = va[0] * va[0] + va[1] * va[1] + va[2] * va[2]
        if (a2 - self._g2 if a2 > self._g2 else self._g2 - a2) < (self._g2 >> 3):
            self._gx16 += (va[0] - (self._gx16 >> 4)) << 2
            self._gy16 += (va[1] - (self._gy16 >> 4)) << 2
            self._gz16 += (va[2] - (self._gz16 >> 4)) << 2
        self._learn_gravity()
        if is_step:
            self._new_step(t_v, stride_mm)
        self._theta -= self._th_v
        self._ev = 0
        self._to_min = _BIG
        self._sw_max = -_BIG
        self._pk = self._ms
        self._t_vprev = t_v
        self._have_prev = True
        self._ph = _SWING

    def _new_step(self, t_v, stride_mm):
        if self._pending:
            self._finish()
        rec = self._pend
        ic = UNKNOWN
        angle = UNKNOWN
        if self._pol != 0 and self._ev >= 1 and self._t_imp >= 0:
            # Contact: the impact, or the moment just before it when the foot stopped turning
            # toes-up (a heel strike, as motion capture marks it).
            ic = self._t_imp
            th = self._th_imp
            zc = self._t_zc_imp
            if zc >= 0 and ic - zc <= _ZC_BEFORE_IMPACT_MS:
                ic = zc
                th = self._th_zc_imp
            angle = (th - self._th_v) // self.rate_hz
        impact_at = self._impact_search()
        if ic == UNKNOWN:
            ic = t_v - (self._n_v - impact_at) * 1000 // self.rate_hz
        rec[IC_MS] = ic
        rec[TO_MS] = UNKNOWN
        rec[GCT_MS] = UNKNOWN
        rec[STRIKE_DECIDEG] = angle
        if angle == UNKNOWN:
            rec[STRIKE] = UNKNOWN
        elif angle > _HEEL_DECIDEG:
            rec[STRIKE] = STRIKE_HEEL
        elif angle < _FORE_DECIDEG:
            rec[STRIKE] = STRIKE_FORE
        else:
            rec[STRIKE] = STRIKE_MID
        rec[IMPACT_MG] = self._impact_mg
        rec[STRIDE_MM] = stride_mm
        rec[CADENCE] = UNKNOWN
        rec[SPEED_MMPS] = UNKNOWN
        if self._ic_prev >= 0:
            st = ic - self._ic_prev
            if 250 <= st <= 2500:
                rec[CADENCE] = 1200000 // st
                if self._stride16 == 0:
                    self._stride16 = st << 4
                else:
                    self._stride16 += ((st << 4) - self._stride16) >> 2
                self.cadence_ = 19200000 // self._stride16
                if stride_mm != UNKNOWN:
                    rec[SPEED_MMPS] = stride_mm * 1000 // st
        rec[CADENCE_AVG] = self.cadence_ if self._stride16 else UNKNOWN
        self._ic_prev = ic
        self._pending = True
        self.strides_ += 1
        self.steps_ = 2 * self.strides_

    def _impact_search(self):
        # The contact is the largest acceleration in the 250 ms before the stance's quietest
        # sample; the impact is the peak in the 100 ms after it. Returns the contact's sample.
        ring = self._ring
        rn = self._rn
        back = self._n - self._n_v
        span = self.rate_hz // 4
        if back + span >= rn:
            span = rn - back - 1
        best = -1
        at = self._n_v
        i = self._ri - 1 - back
        for k in range(span):
            i = i + rn if i < 0 else i
            v = ring[i]
            if v > best:
                best = v
                at = self._n_v - k
            i -= 1
        self._impact_mg = isqrt(best << 15) if best > 0 else UNKNOWN
        return at

    def _set_toe_off(self, t_to):
        rec = self._pend
        ic = rec[IC_MS]
        if t_to > ic + 40:
            rec[TO_MS] = t_to
            rec[GCT_MS] = t_to - ic
        self._finish()

    def _finish(self):
        rec = self._pend
        st = UNKNOWN
        if rec[CADENCE] != UNKNOWN:
            st = 1200000 // rec[CADENCE]
        if rec[GCT_MS] != UNKNOWN and st != UNKNOWN:
            rec[ACTIVITY] = RUNNING if rec[GCT_MS] * 2 < st else WALKING
        elif rec[CADENCE] != UNKNOWN:
            rec[ACTIVITY] = RUNNING if rec[CADENCE] >= 1400 else WALKING
        else:
            rec[ACTIVITY] = UNKNOWN
        self.activity_ = rec[ACTIVITY]
        if rec[STRIDE_MM] != UNKNOWN:
            self.distance_mm_ += rec[STRIDE_MM]
        if rec[SPEED_MMPS] != UNKNOWN:
            self.speed_mmps_ = rec[SPEED_MMPS]
        self._push(rec)
        self._pending = False

    def _push(self, rec):
        if self._rcount == _N_RECORDS:
            self._rhead = (self._rhead + 1) % _N_RECORDS
            self._rcount -= 1
            self.overruns_ += 1
        base = ((self._rhead + self._rcount) % _N_RECORDS) * N_FIELDS
        recs = self._recs
        for k in range(N_FIELDS):
            recs[base + k] = rec[k]
        self._rcount += 1

    # ---- learning the mounting ---------------------------------------------------------
    def _learn_gravity(self):
        gx = self._gx16 >> 4
        gy = self._gy16 >> 4
        gz = self._gz16 >> 4
        g = isqrt(gx * gx + gy * gy + gz * gz)
        if 700 < g < 1300:
            self._g2 = g * g
            self._sd.g_mg = g
            u = self._u
            unit3(gx, gy, gz, u)
            u[3] = 1

    def _learn_axes(self):
        tmp = self._tmp
        macc = self._macc
        if unit3(macc[0], macc[1], macc[2], tmp, 0):
            mv = self._m
            if unit3(3 * mv[0] + tmp[0], 3 * mv[1] + tmp[1], 3 * mv[2] + tmp[2], tmp, 3):
                mv[0] = tmp[3]
                mv[1] = tmp[4]
                mv[2] = tmp[5]
        macc[0] = macc[1] = macc[2] = 0
        # Which way round the pitch axis points: over a stride the foot's largest excursion
        # from flat is toes-down (heel rise and push-off), never toes-up, whatever the mounting
        # and the handedness of the axes.
        hi = self._th_hi - self._th_v_raw
        lo = self._th_v_raw - self._th_lo
        if self._pk >= _PK_MIN and (hi > 0 or lo > 0):
            if lo > hi + (hi >> 2):
                self._pol_score = min(self._pol_score + 1, 8)
            elif hi > lo + (lo >> 2):
                self._pol_score = max(self._pol_score - 1, -8)
            self._pol = 1 if self._pol_score > 0 else (-1 if self._pol_score < 0 else 0)
        self._theta_raw -= self._th_v_raw
        self._th_hi = self._th_lo = self._theta_raw

    # ---- standing, gaps ----------------------------------------------------------------
    def _stand(self):
        if self._pending:
            self._finish()
        self._ph = _STAND
        self._ic_prev = -1
        self._stride16 = 0
        self._learn_gravity()

    def _start_moving(self, t):
        self._learn_gravity()
        self._sd.restart()
        self._sd.level(self._gx16, self._gy16, self._gz16)
        self._theta = 0
        self._ev = 0
        self._to_min = _BIG
        self._sw_max = -_BIG
        self._pk = self._ms
        self._t_vprev = t
        self._have_prev = True
        self._ph = _SWING

    def _gap(self):
        # Samples are missing: the stride in progress cannot be measured; start afresh.
        if self._pending:
            self._finish()
        self._ph = _STAND
        self._have_prev = False
        self._ic_prev = -1
        self._stride16 = 0
        self._still_run = 0
        self._sd.restart()
        self._macc[0] = self._macc[1] = self._macc[2] = 0


def _clamp(x, limit):
    if x > limit:
        return limit
    if x < -limit:
        return -limit
    return x
