"""The raw log: IMU samples on the board's flash, compact ("footfall raw", version 3).

A file is a 32-byte header and then blocks of one fixed size. A block is filled in RAM and
written whole, then the file is flushed: a power cut loses at most the block being written.
host_tools/rawlogs.py turns these files back into footfall trace v1 CSV.

Header, little-endian:
  magic b"FFRAW" | version u8 (3) | rate_hz u16 | axes u8 (3 or 6) | block_samples u16 |
  session u16 | part u16 | reserved u8 | gyro offset 3 x s16 (0.01 deg/s) |
  gravity 3 x s16 (mg) | reserved 4 bytes
The gyro offset and the gravity are those the session's engine started from (learnt before
the session, 0 where none was): the laptop's replay starts from them too, or its steps would
not be the board's. Versions 1 (16 bytes, neither) and 2 (24 bytes, no gravity) are still read.
Block (8 + block_samples * (1 + 2 * axes) bytes):
  magic b"FB" | count u16 (samples used, 1..block_samples) | t0 i32 (ms, the first sample)
  deltas: block_samples u8, ms from the previous sample (the first is 0)
  samples: block_samples * axes s16, ax, ay, az[, gx, gy, gz] in mg and 0.1 deg/s
Only the first `count` deltas and samples mean anything. Two samples further apart than
255 ms go in separate blocks.
"""

from array import array

from micropython import const

MAGIC = b"FFRAW"
VERSION = const(3)
HEADER_SIZE = const(32)
BLOCK_MAGIC = b"FB"
BLOCK_HEAD = const(8)
BLOCK_SAMPLES = const(128)  # 0.6 s at 208 Hz: what a power cut can cost at most


def block_size(axes, block_samples=BLOCK_SAMPLES):
    return BLOCK_HEAD + block_samples * (1 + 2 * axes)


def header(rate_hz, axes, session, part, start=(0, 0, 0, 0, 0, 0), block_samples=BLOCK_SAMPLES):
    """The header bytes of a raw log file; start: the engine's gyro offset and gravity."""
    h = bytearray(HEADER_SIZE)
    h[0:5] = MAGIC
    h[5] = VERSION
    _u16(h, 6, rate_hz)
    h[8] = axes
    _u16(h, 9, block_samples)
    _u16(h, 11, session)
    _u16(h, 13, part)
    for k in range(6):
        _u16(h, 16 + 2 * k, start[k])  # two's complement: the low 16 bits
    return h


def _u16(buf, at, v):
    buf[at] = v & 0xFF
    buf[at + 1] = (v >> 8) & 0xFF


class RawBlock:
    """Collects samples into one block; calls sink(head, deltas, samples) when it is full.

    `add` allocates nothing: the app calls it for every FIFO batch.
    """

    def __init__(self, axes, sink, block_samples=BLOCK_SAMPLES):
        self.axes = axes
        self.size = block_samples
        self.sink = sink
        self.head = bytearray(BLOCK_HEAD)
        self.head[0:2] = BLOCK_MAGIC
        self.deltas = bytearray(block_samples)
        self.samples = array("h", bytes(2 * axes * block_samples))
        self.n = 0
        self._last = 0

    def add(self, times, samples, count):
        """Append count samples (times in ms, samples interleaved as the FIFO read them)."""
        k = self.axes
        d = self.deltas
        s = self.samples
        j = 0
        for i in range(count):
            t = times[i]
            n = self.n
            if n:
                dt = t - self._last
                if dt < 1 or dt > 255:
                    self.emit()
                    n = 0
                else:
                    d[n] = dt
            if n == 0:
                d[0] = 0
                h = self.head
                h[4] = t & 0xFF
                h[5] = (t >> 8) & 0xFF
                h[6] = (t >> 16) & 0xFF
                h[7] = (t >> 24) & 0xFF
            self._last = t
            base = n * k
            for a in range(k):
                s[base + a] = samples[j + a]
            j += k
            n += 1
            self.n = n
            if n == self.size:
                self.emit()

    def emit(self):
        """Hand the block to the sink if it holds any sample, and start an empty one."""
        n = self.n
        if not n:
            return
        self.head[2] = n & 0xFF
        self.head[3] = n >> 8
        self.n = 0
        self.sink(self.head, self.deltas, self.samples)
