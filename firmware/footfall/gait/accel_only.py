"""The gait engine's paths that only an accelerometer without a gyro takes.

Without a gyro nothing turns with the foot: swings, stances and steps are told from the
acceleration alone. Here are the motion level of one sample (its distance from the stance's
gravity, so that a tilt shows), 1 g held far from that gravity (gravity learnt wrong), the
push-off that gives toe-off, the movement that makes a step, and the lull in a slow walker's
swing. GaitEngine inherits them. They are bytecode, outside the engine's native per-sample loop
(engine.py): natively compiled, the motion level took 595 bytes more of the ESP32's .mpy, and
without the gyro's work a sample has the time.
"""

from micropython import const

_UNKNOWN = const(-999999)  # as in record.py
_STILL = const(60)  # as in engine.py: a motion level below it is still
_HELD_FAR = const(480)  # mg (L1): 1 g held this far from the stance's gravity (_held)
_SWING_MS = const(100)  # a step moves the foot for this long at least


class AccelOnly:
    def _motion(self, n, ax, ay, az, d, jump):
        # The motion level of one sample (d: |a^2 - g^2|, jump: |a^2 - a^2 before|, both as
        # the engine has them). A tilt must show in it: the distance from the stance's gravity
        # vector, not just from 1 g, or the level lull in mid-swing would pass for a stance.
        if self._u[3]:
            ex = ax - self._gvx
            ey = ay - self._gvy
            ez = az - self._gvz
            m = (ex if ex > 0 else -ex) + (ey if ey > 0 else -ey)
            m += (ez if ez > 0 else -ez) + (jump >> 12)
            # 1 g held, far from the stance's gravity (_held)
            held = m > _HELD_FAR and (d >> 10) + (jump >> 12) < 2 * _STILL
        else:
            m = (d >> 10) + (jump >> 12)
            # an accelerometer whose 1 g reads a few percent off (a zero-g offset, a scale
            # error) is never still by 1 g: held so for 300 ms, it stands
            held = m >= _STILL and (d >> 12) + (jump >> 10) < _STILL
        if held:
            self._held(n, ax, ay, az)
        return m

    def _held(self, n, ax, ay, az):
        # Without a gyro: the foot holds 1 g (and nearly no jerk), far from the stance's
        # gravity. Held for 300 ms, the foot stands: the gravity learnt was wrong (a lull in a
        # slow swing, taken for the first stance), and this is gravity.
        h = self._hold  # the sample number of the last such sample, how many in a row
        h[1] = h[1] + 1 if n - h[0] <= 4 else 1  # (a noisy sensor steps out now and then)
        h[0] = n
        if h[1] < self._hz * 3 // 10:
            return
        self._gx16 = ax << 4
        self._gy16 = ay << 4
        self._gz16 = az << 4
        self._g_seen = True
        self._learn_gravity(False)

    def _seek_toe_off(self, until, late):
        # Without a gyro, the push-off is sought in the acceleration until then, and its end
        # until late (_push_off)
        self._to_until = until
        self._to_late = late
        self._to_a2 = 0
        self._t_to_acc = self._t_to_end = _UNKNOWN

    def _push_off(self, t, a2):
        # The push-off's peak acceleration (the contact search starts after it, _open_step),
        # and toe-off where the acceleration then falls below 0.6 of it (a2: 3/8): the toes
        # thrust the foot until they leave the ground. The peak comes 40-50 ms before that on
        # gaitmap's walk. The early swing can hold half the peak (a brisk walk, 100 Hz, foam):
        # 0.6 is crossed on the steep fall itself (docs/engine.md, item 4). Where no fall is
        # seen, the peak stands for toe-off. (Peak sought until _to_until, end until _to_late.)
        if t < self._to_until and a2 > self._to_a2:
            self._to_a2 = a2
            self._t_to_acc = t
            self._t_to_end = _UNKNOWN
        elif (
            t < self._to_late
            and self._t_to_end == _UNKNOWN
            and a2 < (self._to_a2 >> 2) + (self._to_a2 >> 3)
        ):
            self._t_to_end = t

    def _moved(self, still):
        # Without a gyro: a knock on a standing foot (the other foot landing, the weight
        # shifting) stirs the motion level as much as a step, but for a few samples; a step
        # moves the foot, its acceleration away from the stance's gravity, for 300 ms or
        # more. Counted: the larger of the movement since the foot was last still for 40 ms
        # and the one before that stillness; a still stance uses them up, so one wrongly
        # found in a slow swing's lull (not still) leaves the swing to the stance after it.
        sw = max(self._sw, self._swp)
        if still:
            self._sw = self._swp = 0
        return sw * 1000 >= _SWING_MS * self._hz

    def _lull(self, ri, n, vmin):
        # Without a gyro, after a quiet (walking) stance: a slow walker's swing has a lull as
        # quiet as a running stance, at the stance's attitude. But a stance follows an impact,
        # and the lull only the push-off: with under a third of the last heel strike's jump
        # before it, it is the lull. Once: a walker who breaks into a run has loud stances
        # from then on.
        if vmin > _STILL and self._jolt(ri, n) * 3 < self._jref:
            self._jref = 0
            return True
        return False
