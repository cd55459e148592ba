"""Register-level model of the ST LIS3DH accelerometer and its 32-sample FIFO.

Modelled: WHO_AM_I, CTRL_REG1 (rate, axes), CTRL_REG4 (range, high-resolution), CTRL_REG5
(FIFO enable), FIFO_CTRL_REG (bypass / stream), FIFO_SRC_REG (overrun, empty, level) and the
output registers, which in stream mode pop one FIFO sample per X, Y, Z read and wrap from
OUT_Z_H to OUT_X_L when the read auto-increments (register address bit 7 set).
"""

from .chip import FakeChip, le16, to_raw

_RATES = (0, 1, 10, 25, 50, 100, 200, 400, 1600, 1344)
_HR_MG = (1, 2, 4, 12)  # mg per digit, 12-bit high-resolution mode, by FS bits
_NORMAL_MG = (4, 8, 16, 48)  # 10-bit normal mode
DEPTH = 32


class FakeLIS3DH(FakeChip):
    def __init__(self, values, **kw):
        FakeChip.__init__(self, values, 3, **kw)

    def reset(self):
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[0x0F] = 0x33
        self.regs[0x20] = 0x07
        self.fifo_clear()

    def rate_hz(self):
        code = self.regs[0x20] >> 4
        return _RATES[code] if code < len(_RATES) else 0

    def _stream(self):
        return self.regs[0x24] & 0x40 and (self.regs[0x2E] >> 6) == 2

    def collecting(self):
        return bool(self.rate_hz() and (self.regs[0x20] & 7) == 7 and self._stream())

    def store(self, sample):
        fs = (self.regs[0x23] >> 4) & 3
        if self.regs[0x23] & 0x08:
            shift, mg = 4, _HR_MG[fs]
        else:
            shift, mg = 6, _NORMAL_MG[fs]
        lim = 1 << (15 - shift)
        raw = [to_raw(sample[a], mg, -lim, lim - 1) << shift for a in range(3)]
        if self.fifo_len() >= DEPTH:  # stream mode: the oldest sample makes room
            self.fifo_pop()
            self.samples_lost += 1
        self.fifo_push(raw)

    def start_read(self, reg, n):
        return reg & 0x7F, 1 if reg & 0x80 else 0

    def read_byte(self, addr, step):
        if addr == 0x2F:
            n = self.fifo_len()
            ovrn = 0x40 if n >= DEPTH else 0
            empty = 0x20 if n == 0 else 0
            return ovrn | empty | (n if n < DEPTH else DEPTH - 1), addr + step
        if 0x28 <= addr <= 0x2D and self._stream():
            sample = self.fifo_peek()
            i = addr - 0x28
            value = 0 if sample is None else le16(sample[i // 2])[i & 1]
            if addr == 0x2D:
                self.fifo_pop()
                return value, 0x28 if step else addr
            return value, addr + step
        return self.regs[addr], addr + step

    def write_reg(self, addr, value):
        addr &= 0x7F
        self.regs[addr] = value
        if addr == 0x2E and (value >> 6) == 0:  # bypass empties the FIFO
            self.fifo_clear()
