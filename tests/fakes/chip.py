"""The part every chip model shares: a register file and a FIFO fed from a trace.

Time is simulated: `advance(n)` lets the chip take n samples at its configured rate,
`advance_ms(ms)` lets ms pass, and a `clock` (a function returning milliseconds) makes the
chip catch up by itself before each bus transaction, which is how the `sim` board runs in real
time. The k-th sample the chip takes is trace sample k, or, when the trace's own rate is given,
the trace sample at the same time (sample-and-hold), so a 204.8 Hz recording can be served at
104 Hz. Samples taken while the FIFO is off are gone, as on the chip.
"""


class FakeChip:
    """values: flat sequence of ints, `axes` per sample (ax, ay, az[, gx, gy, gz]) in mg and
    0.1 deg/s. loop: start the trace again at its end instead of going quiet."""

    answering = True

    def __init__(self, values, axes, trace_rate_hz=None, clock=None, loop=False):
        if axes not in (3, 6):
            raise ValueError("axes must be 3 or 6, got %r" % (axes,))
        if len(values) % axes:
            raise ValueError("values must hold a whole number of %d-axis samples" % axes)
        self._values = values
        self.axes = axes
        self.n_trace = len(values) // axes
        self.trace_rate_hz = trace_rate_hz
        self.loop = loop
        self._clock = clock
        self._last_ms = clock() if clock else 0
        self._phase = 0
        self.samples_taken = 0  # samples the chip has taken since power-up
        self.samples_lost = 0  # samples overwritten in (or refused by) a full FIFO
        self.finished = False
        self.regs = bytearray(256)
        self._fifo = []
        self._head = 0
        self.reset()

    # ---- time --------------------------------------------------------------------------
    def sync(self):
        if self._clock is not None:
            now = self._clock()
            self.advance_ms(now - self._last_ms)
            self._last_ms = now

    def advance_ms(self, ms):
        rate = self.rate_hz()
        if not rate:
            return 0
        self._phase += ms * rate
        n = int(self._phase // 1000)
        self._phase -= n * 1000
        return self.advance(n)

    def advance(self, n):
        """Take n samples at the configured rate; returns how many reached the FIFO."""
        stored = 0
        rate = self.rate_hz()
        for _ in range(n):
            k = self.samples_taken
            if self.trace_rate_hz and rate:
                k = int(k * self.trace_rate_hz / rate)
            if k >= self.n_trace:
                if not self.loop:
                    self.finished = True
                    break
                k %= self.n_trace
            self.samples_taken += 1
            if self.collecting():
                base = k * self.axes
                self.store(self._values[base : base + self.axes])
                stored += 1
        return stored

    def trace_sample(self, k):
        base = k * self.axes
        return list(self._values[base : base + self.axes])

    # ---- FIFO storage (a list used as a queue) ------------------------------------------
    def fifo_len(self):
        return len(self._fifo) - self._head

    def fifo_clear(self):
        self._fifo = []
        self._head = 0

    def fifo_push(self, item):
        self._fifo.append(item)

    def fifo_peek(self):
        return self._fifo[self._head] if self.fifo_len() else None

    def fifo_pop(self):
        if not self.fifo_len():
            return None
        item = self._fifo[self._head]
        self._head += 1
        if self._head > 256:
            self._fifo = self._fifo[self._head :]
            self._head = 0
        return item

    # ---- bus side --------------------------------------------------------------------------
    def read(self, reg, n):
        out = bytearray(n)
        addr, step = self.start_read(reg, n)
        for i in range(n):
            out[i], addr = self.read_byte(addr, step)
        return out

    def write(self, reg, data):
        addr = self.start_write(reg)
        for b in data:
            self.write_reg(addr, b)
            addr += 1

    # ---- for the chip models -------------------------------------------------------------
    def start_read(self, reg, n):
        """(first address, auto-increment step) of a read starting at reg."""
        return reg, 1

    def start_write(self, reg):
        return reg

    def read_byte(self, addr, step):
        return self.regs[addr & 0xFF], addr + step

    def write_reg(self, addr, value):
        self.regs[addr & 0xFF] = value

    def reset(self):
        raise NotImplementedError

    def rate_hz(self):
        raise NotImplementedError

    def collecting(self):
        raise NotImplementedError

    def store(self, sample):
        raise NotImplementedError


def to_raw(value, lsb, lo=-32768, hi=32767):
    """A value in the trace's units as the chip's integer output with lsb units per count."""
    raw = int(round(value / lsb))
    return lo if raw < lo else (hi if raw > hi else raw)


def le16(raw):
    return raw & 0xFF, (raw >> 8) & 0xFF
