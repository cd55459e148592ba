"""The foot at rest: what it teaches (gravity, the gyro's zero-rate offset), and what the
engine does when the foot stands, starts to move, or samples go missing.

Gravity (its direction in the sensor's axes and its size) is a slow average of the
acceleration while the foot stands still and at each quiet stance (`_learn_gravity`).

A cheap IMU's gyro reads several deg/s at rest. Uncorrected, that turns the strapdown's frame by
as much every second: tilted, gravity leaks into the horizontal acceleration and the strides
come out 10-20% wrong. The offset is, in order of trust:
- given by the caller (learnt by an earlier engine with the same IMU);
- learnt while the foot stands still (`_at_rest`): what the gyro reads then is the offset;
- while none is known, learnt from walking (`_offset_from_tilt`): a walker's stance is still
  enough for its force to be gravity, so the frame's tilt since the stance before is what the
  offset turned it by over the stride. A recording that starts in motion, or never stands still,
  gets its offset this way. Standing still replaces what was learnt so.

Standing (`_stand`), moving again (`_start_moving`), a stride with no stance for too long
(`_restart_stride`) and a gap in time (`_gap`) each start a stride afresh (`_begin_stride`).

GaitEngine inherits these; the per-sample loop reads `_goff` and `_g2`.
"""

from array import array

from micropython import const

from .fixmath import clamp, isqrt, unit3

# rest learning (_at_rest): indices into its state array
_R_PREV = const(3)  # [3:6] the last full block's sums ([0:3]: the block being summed)
_R_AT = const(6)  # the sample number of the last still sample seen
_R_K = const(7)  # samples summed in the current block
_R_HELD = const(8)  # the last full block waits for the next to agree with it
_R_LEN = const(9)  # samples in a block: 0.25 s
_R_ACC = const(10)  # [10:13] the acceleration's sums in the block being summed
_R_ACC_PREV = const(13)  # [13:16] in the last full block
_R_SIZE = const(16)
_G2 = const(1000000)  # (1 g in mg) squared
_KNOWN = const(3)  # _goff[3]: an offset is known (learnt while still, or given)
OFFSET_MAX = const(5000)  # 0.01 deg/s: a gyro at rest reading more is broken, not offset
# Learning in walking: a walker's stride tilts the frame by 1-3 deg/s worth of offset with no
# offset at all (the stance's force is not exactly gravity); within that, the estimate moves by
# 1/16 of what a stride shows, beyond it by half more of the excess, so a large offset is learnt
# in a few strides and a small one is not swamped by the noise of single strides.
_TILT_NOISE = const(300)  # 0.01 deg/s
_GYRO_LIMIT = const(20000)  # 0.1 deg/s: as in engine.py, inputs are clamped to +-2000 deg/s
# the engine's phases, as in engine.py
_SWING = const(0)
_STAND = const(2)
_MAX_STRIDE_MS = const(3000)  # no stride takes longer; past it, the integration restarts
_LEVEL_STANCES = const(8)  # started in motion: the strapdown is levelled by this many stances


class GyroOffset:
    def _rest_init(self, rate_hz, offset):
        self._gbias = array("i", offset)  # the gyro's offset, 0.01 deg/s
        # the same rounded to 0.1 deg/s, as samples are: the per-sample loop reads it as is,
        # and [_KNOWN]: whether there is one
        self._goff = array("i", bytes(4 * 4))
        self._goff[_KNOWN] = offset[0] != 0 or offset[1] != 0 or offset[2] != 0
        # rest-learning state, indexed by the _R_* names: sums of the block being summed and
        # of the last full one, and the counters (one array: few names on the board)
        self._rs = array("i", bytes(4 * _R_SIZE))
        self._rs[_R_AT] = -2
        self._rs[_R_LEN] = rate_hz // 4
        self._round_offset()
        # gravity: learnt while still and at quiet stances (1 g along +z until then)
        self._g2 = _G2
        self._gx16 = 0
        self._gy16 = 0
        self._gz16 = 16000
        self._u = array("i", bytes(4 * 4))  # stance "up" in sensor axes (Q14); [3]: known
        self._g_seen = False
        self._hold = array("i", bytes(4 * 2))  # without a gyro: 1 g held elsewhere (_held)
        self._gvx = 0  # the stance's gravity vector, mg
        self._gvy = 0
        self._gvz = 1000

    def _round_offset(self):
        for i in range(3):
            self._goff[i] = (self._gbias[i] + 5) // 10

    def _at_rest(self, n, still, ax, ay, az, gx, gy, gz):
        """A sample while still (`still` of them in a row; 0: only the acceleration is quiet),
        with the gyro's raw reading: learn gravity and the gyro's offset from it; true when the
        offset estimate changed.

        Gravity is a slow average of the acceleration. A foot standing still does not turn, so
        the gyro reads its zero-rate offset (several deg/s on cheap IMUs). Samples are summed
        in 0.25 s blocks, and a block counts only when the next one agrees with it (within
        1 deg/s over the three axes) and gravity's direction stayed within about 1 deg: a foot
        starting to move turns slowly before the motion level shows it, and one swaying as its
        wearer stands turns one way, then the other; a steady turn shows in the acceleration.
        """
        if still:
            if self._g_seen:
                self._gx16 += ax - (self._gx16 >> 4)
                self._gy16 += ay - (self._gy16 >> 4)
                self._gz16 += az - (self._gz16 >> 4)
            elif still >= self._still_n:
                # the first gravity measured (the starting guess is no knowledge), once the
                # foot has been still for 40 ms: a recording that starts mid-stride can start
                # on a few quiet samples of a foot pitched in its stance
                self._gx16 = ax << 4
                self._gy16 = ay << 4
                self._gz16 = az << 4
                self._g_seen = True
            if not self.gyro:
                if still == self._hz // 3 and self._u[3]:
                    # Without a gyro the motion level is the distance from the stance's gravity
                    # (engine.py), published only at stances and standing. A foot that stops at
                    # an attitude a few degrees off its walking stance's (the weight shifted)
                    # measures about the still threshold: its stillness breaks off again and
                    # again and never lasts the 1.5 s of standing. Still for a third of a
                    # second, its attitude is the stance's gravity from now on.
                    self._learn_gravity(False)
                return False
            if still < self._still_n:
                # the first 40 ms of stillness are not summed; while no offset is known, they
                # do not break a run either: an offset that keeps the motion level about the
                # threshold would break every run
                if self._goff[_KNOWN]:
                    return False
                if self._rs[_R_AT] == n - 1:
                    self._rs[_R_AT] = n
                return False
        # still == 0: the motion level is not still, but an offset not learnt yet may keep
        # it up by itself: no gravity from it (a swinging foot passes through 1 g too)
        r = self._rs
        if n != r[_R_AT] + 1:  # standing was broken since: drop what was not confirmed
            r[_R_K] = r[_R_HELD] = 0
            for i in range(3):
                r[i] = r[_R_ACC + i] = 0  # r[0:3]: this block's gyro sums
        r[_R_AT] = n
        r[0] += gx
        r[1] += gy
        r[2] += gz
        r[_R_ACC] += ax
        r[_R_ACC + 1] += ay
        r[_R_ACC + 2] += az
        r[_R_K] += 1
        k = r[_R_LEN]
        if r[_R_K] < k:
            return False
        d = 0
        da = 0
        for i in range(3):
            d += abs(r[i] - r[_R_PREV + i])
            da += abs(r[_R_ACC + i] - r[_R_ACC_PREV + i])
        changed = r[_R_HELD] and d <= 10 * k and da <= 15 * k
        if changed:
            b = self._gbias
            known = self._goff[_KNOWN]
            for i in range(3):
                mean = r[_R_PREV + i] * 10 // k
                m = mean if not known else b[i] + ((mean - b[i]) >> 2)
                b[i] = -OFFSET_MAX if m < -OFFSET_MAX else (OFFSET_MAX if m > OFFSET_MAX else m)
            self._goff[_KNOWN] = 1
            self._round_offset()
        for i in range(3):
            r[_R_PREV + i] = r[i]
            r[_R_ACC_PREV + i] = r[_R_ACC + i]
            r[i] = r[_R_ACC + i] = 0
        r[_R_K] = 0
        r[_R_HELD] = 1
        return changed

    def _offset_from_tilt(self, tilt, n):
        """While no offset is known: a walking stance's tilt of the frame (sensor axes, Q14 rad)
        over the n samples of the stride before it."""
        b = self._gbias
        rate = self._hz
        for i in range(3):
            # the offset that turns the frame so (0.01 deg/s): Q14 rad * 18000 / pi * rate / n;
            # the frame was turned by the offset's excess, so the correction is against it
            r = -((tilt[i] * 179) >> 9) * rate // n
            if r > _TILT_NOISE:
                z = r - _TILT_NOISE
            elif r < -_TILT_NOISE:
                z = r + _TILT_NOISE
            else:
                z = 0
            m = b[i] + (r >> 4) + (z >> 1)
            b[i] = -OFFSET_MAX if m < -OFFSET_MAX else (OFFSET_MAX if m > OFFSET_MAX else m)
        self._round_offset()

    def _force_off_g2(self):
        # how far the squared force at the stance's quietest sample is from gravity's
        va = self._va
        a2 = va[0] * va[0] + va[1] * va[1] + va[2] * va[2]
        return a2 - self._g2 if a2 > self._g2 else self._g2 - a2

    def _give_gravity(self, g):
        # Gravity at the stance (mg, sensor axes) as an earlier engine on the same foot learnt
        # it: known from the first sample, as after standing still. An engine started in motion
        # (a session that starts mid-run) otherwise learns it at the first stance it finds,
        # which may be a lull in a swing. (0, 0, 0): not known.
        x, y, z = g if len(g) == 3 else (0, 0, 1)  # (1: refused below)
        n = isqrt(x * x + y * y + z * z)
        if n == 0:
            return
        if not 700 < n < 1300:  # as _learn_gravity takes it: what gravity_mg_ gives passes
            raise ValueError("gravity_mg: x, y, z in mg, 0.7-1.3 g, or 0, 0, 0; got %r" % (g,))
        self._gx16 = x << 4
        self._gy16 = y << 4
        self._gz16 = z << 4
        self._g_seen = True
        self._learn_gravity(False)

    def _learn_gravity(self, valley):
        # the quiet sample of a stance measures gravity too, unless the foot was loaded there
        if valley:
            va = self._va
            if self._force_off_g2() < (self._g2 >> 3):
                if not self._g_seen:
                    # the first gravity measured: the starting guess is no knowledge
                    self._gx16 = va[0] << 4
                    self._gy16 = va[1] << 4
                    self._gz16 = va[2] << 4
                self._g_seen = True
                self._gx16 += (va[0] - (self._gx16 >> 4)) << 2
                self._gy16 += (va[1] - (self._gy16 >> 4)) << 2
                self._gz16 += (va[2] - (self._gz16 >> 4)) << 2
        if not self._g_seen:
            return  # nothing measured yet: the starting guess is no knowledge
        gx = self._gx16 >> 4
        gy = self._gy16 >> 4
        gz = self._gz16 >> 4
        g = isqrt(gx * gx + gy * gy + gz * gz)
        if 700 < g < 1300:
            self._gvx = gx
            self._gvy = gy
            self._gvz = gz
            self._g2 = g * g
            if self._sd is not None:
                self._sd.g_mg = g
            u = self._u
            unit3(gx, gy, gz, u)
            u[3] = 1

    # ---- standing, gaps -----------------------------------------------------------------
    def _stand(self):
        self._log.stop()
        self._ph = _STAND
        self._learn_gravity(False)

    def _start_moving(self, t):
        self._learn_gravity(False)
        if self.gyro:
            self._sd.restart()
            self._sd.level(self._gx16, self._gy16, self._gz16, self._g_seen)
            self._guessed = 0 if self._g_seen else _LEVEL_STANCES
            self._pt.restart()
        else:
            # gravity is known (learnt while the foot stood still, or at stances before a
            # gap): a stance must be as quiet as a walker's (a slow walker's first swing has a
            # plateau a fifth of its peak)
            self._still_known = self._u[3]
            # the first swing's push-off comes soon after the foot starts to move (_open_step)
            self._seek_toe_off(t + 300, t + 300)
        self._begin_stride(t, 400)
        self._have_prev = True

    def _begin_stride(self, t, min_stride_ms):
        # a stride starts at t: the next stance is sought from t + min_stride_ms on, and past
        # _MAX_STRIDE_MS without one, the integration restarts
        self._t_vprev = t
        self._seek_at = t + min_stride_ms
        self._restart_at = t + _MAX_STRIDE_MS
        self._pk = self._ms
        self._ph = _SWING

    def _restart_stride(self, t):
        # No stance for longer than any stride (the foot waved in the air, a bike pedal...):
        # what was integrated means nothing; carry on from here.
        self._log.stop()
        if self.gyro:
            self._sd.restart()
            self._pt.restart()
        elif not self._still_known:
            # Without a gyro, and no still stance since gravity was learnt: a wrong gravity (a
            # lull in a swing taken for the first stance) makes every stance too loud to be
            # one. Forget it, learn it again.
            self._u[3] = 0
            self._g_seen = False
        # the stride timing is gone (stop): seek the next stance as soon as after a start. The
        # guard the last strides set (0.7 of a slow walker's stride) would pass by the first
        # stances of a run that followed a pause too short to count as standing
        self._begin_stride(t, 400)

    def _bridge(self, ri, dt, t, samples, j):
        # Sample j comes dt ms after the one before. After a long gap, start afresh (-1); after
        # a short one (a lost radio packet, a late FIFO read) it stands in for each sample
        # missing, so that the strapdown and the pitch tracker turn and move the foot through
        # the gap as it was turning and moving, and the rings, indexed by sample, keep their
        # timing. Returns how many (the rings' next index goes to _ri).
        if dt > self._gap_ms:
            self._gap()
            return -1
        k = (dt * self._hz + 500) // 1000 - 1
        cf = self._cf
        w = 0
        if self.gyro:
            b = self._goff
            ax = samples[j]  # (int16: a block of them keeps the strapdown within range)
            ay = samples[j + 1]
            az = samples[j + 2]
            gx = clamp(samples[j + 3] - b[0], _GYRO_LIMIT)
            gy = clamp(samples[j + 4] - b[1], _GYRO_LIMIT)
            gz = clamp(samples[j + 5] - b[2], _GYRO_LIMIT)
            c = k
            while c > 0:
                m = min(c, self._blk)  # (the native loop's block keeps the strapdown in range)
                self._sd.step(ax * m, ay * m, az * m, gx * m, gy * m, gz * m, m)
                w = clamp(self._pt.step(t, gx * m, gy * m, gz * m, m), 0x7FFF)
                c -= m
        a = cf.acc[ri - 1]  # (the acceleration before the gap: ri - 1 is -1 at the start)
        for _ in range(k):
            cf.jump[ri] = 0
            cf.acc[ri] = a
            cf.pitch[ri] = w
            ri = ri + 1 if ri + 1 < cf.n else 0
        self._ri = ri
        return k

    def _gap(self):
        # Samples missing for longer than a bridge can span (_bridge): the stride in progress
        # cannot be measured; start afresh.
        self._log.stop()
        self._ph = _STAND
        self._have_prev = False
        self._still_run = 0
        if self.gyro:
            self._sd.restart()
            self._pt.restart()
