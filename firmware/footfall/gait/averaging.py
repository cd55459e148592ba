"""Sampled faster than 250 Hz: each k samples in a row are averaged into one for the engine.

The engine's thresholds and filters are made, and measured on real recordings, for 100 to 250
Hz. Sampled faster, an impact's jump from one sample to the next is smaller (at 400 Hz about
half of it) and the motion level falls by less per sample, so a swing's lull passes for a
stance or a stance is missed. Rather than a second set of rules, the samples are averaged down
to the rate the engine was measured at: 2 to 1 from 300 Hz (400 Hz -> 200 Hz), 5 to 1 at 1 kHz.
The average is also the low-pass filter such a decimation needs, and the engine then does half
the work or less.

GaitEngine inherits this and routes its input through `_averaged` only when its rate needs it:
at 250 Hz and below it costs nothing per sample.
"""

from array import array

from micropython import const

_OUT_N = const(16)  # averaged samples handed to the engine at a time
# _ast: how samples are averaged, and the group being summed
_A_SIZE = const(0)  # samples summed so far
_A_LAST = const(1)  # the last sample's time (-1: none yet)
_A_FIRST = const(2)  # the group's first time
_A_K = const(3)  # samples averaged into one
_A_HOLD = const(4)  # ms: a sample this long after the one before starts a new group


class Averaging:
    def _avg_init(self, rate_hz):
        # Returns the rate the engine works at: rate_hz, or above 250 Hz rate_hz / k with k = 2
        # from 300 Hz, 5 at 1 kHz (the samples then go through _averaged).
        k = (rate_hz + 100) // 200
        if k < 2:
            return rate_hz
        # a sample 1.5 periods after the one before (at the input rate) starts a new group:
        # samples are averaged only with their neighbours
        self._ast = array("i", (0, -1, 0, k, 1500 // rate_hz))
        self._at = array("i", bytes(4 * _OUT_N))  # averaged times
        self._as = array("h", bytes(2 * 6 * _OUT_N))  # averaged samples, as update_batch has them
        self._asum = array("i", bytes(4 * 6))  # the group's sums so far
        self.update_batch = self._averaged  # (on the instance: the class's is the engine's own)
        return rate_hz // k

    def _averaged(self, times, samples, count):
        # update_batch above 250 Hz: the same buffers, averaged k to 1 and passed on to the
        # engine's own update_batch
        w = 6 if self.gyro else 3
        s = self._asum
        st = self._ast
        m = 0
        j = -w
        for i in range(count):
            j += w
            t = times[i]
            if t <= st[_A_LAST]:
                self.dropped_ += 1  # time not increasing: refused, as the engine refuses it
                continue
            if st[_A_SIZE] and t - st[_A_LAST] > st[_A_HOLD]:
                # samples missing: the group so far goes on as it is, so that the engine sees
                # the gap where it was, and how long it was
                m = self._a_emit(m, w)
            if st[_A_SIZE] == 0:
                st[_A_FIRST] = t
            st[_A_LAST] = t
            for c in range(w):
                s[c] += samples[j + c]
            st[_A_SIZE] += 1
            if st[_A_SIZE] == st[_A_K]:
                m = self._a_emit(m, w)
        # (m may be 0: the engine's update_batch then only returns the count of steps waiting)
        return type(self).update_batch(self, self._at, self._as, m)

    def _a_emit(self, m, w):
        # the group summed so far, averaged, becomes averaged sample m; a full buffer of them
        # goes to the engine. Returns the next m.
        st = self._ast
        k = st[_A_SIZE]
        st[_A_SIZE] = 0
        self._at[m] = st[_A_FIRST] + (st[_A_LAST] - st[_A_FIRST]) // 2  # the group's middle
        b = m * w
        s = self._asum
        for c in range(w):
            self._as[b + c] = (2 * s[c] + k) // (2 * k)  # rounded to the nearest
            s[c] = 0
        m += 1
        if m == _OUT_N:
            type(self).update_batch(self, self._at, self._as, m)
            m = 0
        return m
