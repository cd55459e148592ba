"""Sample times for FIFO batches: the IMU gives none, so they come from the read time and rate.

Within a run of batches the samples are spaced exactly 1000/rate ms apart (kept in integers,
so the k-th sample is at first + floor(k * 1000 / rate)). Each batch's read time checks that
line: a last sample later than the read, or much earlier, means the IMU's clock and the
board's differ (they do, by up to a few percent); the line is then slewed by at most
1 + n/8 ms per batch of n samples, so times stay smooth. A gap over RESYNC_MS (an overrun, a
bus error, the first batch) starts a new line at the read time. Times always increase.
"""

from micropython import const

RESYNC_MS = const(250)


class Stamper:
    def __init__(self, rate_hz):
        self.rate = rate_hz
        self.period = 1000 // rate_hz
        self.last = 0  # time given to the latest sample
        self.started = False
        self.resyncs = 0  # new lines started (the first batch included)
        self.slewed_ms = 0  # total correction applied by slewing
        self._t = 0  # the next sample is at _t + _f / rate ms
        self._f = 0
        self._any = False

    def stamp(self, times, n, read_ms):
        """Fill times[0:n] (array('i')) for n samples read at read_ms; allocates nothing."""
        if n <= 0:
            return
        r = self.rate
        back = ((n - 1) * 1000) // r  # first to last sample, about
        if self.started:
            e = read_ms - (self._t + ((n - 1) * 1000 + self._f) // r)
            if e > RESYNC_MS or e < -RESYNC_MS:
                self._restart(read_ms - back)
            else:
                limit = 1 + (n >> 3)
                shift = 0
                if e < -self.period - 1:
                    shift = e + self.period + 1
                    if shift < -limit:
                        shift = -limit
                else:
                    slack = self.period + 2 + (n >> 2)
                    if e > slack:
                        shift = e - slack
                        if shift > limit:
                            shift = limit
                self._t += shift
                self.slewed_ms += shift
        else:
            self.started = True
            self._restart(read_ms - back)
        t = self._t
        f = self._f
        if self._any and t <= self.last:
            t = self.last + 1
            f = 0
        self._any = True
        for i in range(n):
            times[i] = t
            f += 1000
            q = f // r
            t += q
            f -= q * r
        self.last = times[n - 1]
        self._t = t
        self._f = f

    def _restart(self, first):
        self.resyncs += 1
        self._t = first
        self._f = 0
