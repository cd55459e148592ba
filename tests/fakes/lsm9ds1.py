"""Register-level model of the accelerometer + gyro of an ST LSM9DS1 (who_am_i 0x68).

Modelled: WHO_AM_I; CTRL_REG1_G (gyro ODR and range) and CTRL_REG6_XL (accelerometer on, and
its range; with the gyro on the accelerometer runs at the gyro's ODR); CTRL_REG8 (SW_RESET,
IF_ADD_INC); CTRL_REG9 (FIFO_EN, STOP_ON_FTH); FIFO_CTRL (mode, threshold); FIFO_SRC (FTH,
OVRN, FSS); and the output registers, which serve the oldest FIFO level: a read with address
auto-increment runs OUT_X_L_G..OUT_Z_H_G (0x18-0x1D), jumps to OUT_X_L_XL..OUT_Z_H_XL
(0x28-0x2D), and reading 0x2D pops the level and goes back to 0x18. An empty FIFO serves the
last level again. The FIFO fills only when a single-rate accel + gyro reader needs it to: both
sensors on, FIFO_EN set and continuous mode; any other set-up leaves it empty, so a wrong
driver gets no data. Not modelled: the magnetometer, filters, interrupts, BDU, the other FIFO
modes, accelerometer-only operation.
"""

from .chip import FakeChip, le16, to_raw

_RATES = (0, 14.9, 59.5, 119, 238, 476, 952)  # by ODR_G
_ACCEL_LSB_MG = (0.061, 0.732, 0.122, 0.244)  # by FS_XL bits: 2, 16, 4, 8 g
_GYRO_LSB_DDPS = (0.0875, 0.175, None, 0.7)  # by FS_G bits: 245, 500, (none), 2000 dps

WHO_AM_I = 0x68
DEPTH = 32

_CTRL_REG1_G = 0x10
_CTRL_REG4 = 0x1E
_CTRL_REG5_XL = 0x1F
_CTRL_REG6_XL = 0x20
_CTRL_REG8 = 0x22
_CTRL_REG9 = 0x23
_FIFO_CTRL = 0x2E
_FIFO_SRC = 0x2F
_READ_ONLY = set(range(0x14, 0x1E)) | set(range(0x26, 0x2E)) | {0x0F, _FIFO_SRC}


class FakeLSM9DS1(FakeChip):
    """values: ax, ay, az, gx, gy, gz per sample (mg, 0.1 deg/s); see FakeChip for the rest."""

    def __init__(self, values, who_am_i=WHO_AM_I, **kw):
        self.who_am_i = who_am_i
        self._last = [0] * 6
        FakeChip.__init__(self, values, 6, **kw)

    def reset(self):
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[0x0F] = self.who_am_i
        self.regs[_CTRL_REG4] = 0x38  # gyro X, Y, Z outputs on
        self.regs[_CTRL_REG5_XL] = 0x38  # accelerometer X, Y, Z outputs on
        self.regs[_CTRL_REG8] = 0x04  # IF_ADD_INC
        self.overrun = False
        self.fifo_clear()

    # ---- configuration -----------------------------------------------------------------
    def rate_hz(self):
        code = self.regs[_CTRL_REG1_G] >> 5
        return _RATES[code] if code < len(_RATES) else 0  # code 7 is not a rate

    def _lsb(self):
        fs_xl = (self.regs[_CTRL_REG6_XL] >> 3) & 3
        fs_g = (self.regs[_CTRL_REG1_G] >> 3) & 3
        return _ACCEL_LSB_MG[fs_xl], _GYRO_LSB_DDPS[fs_g]

    def capacity(self):
        if self.regs[_CTRL_REG9] & 0x01:  # STOP_ON_FTH: depth limited to FTH + 1
            return (self.regs[_FIFO_CTRL] & 0x1F) + 1
        return DEPTH

    def collecting(self):
        gyro_on = self.rate_hz() > 0 and self._lsb()[1] is not None
        accel_on = self.regs[_CTRL_REG6_XL] >> 5 != 0
        fifo_on = self.regs[_CTRL_REG9] & 0x02 and self.regs[_FIFO_CTRL] >> 5 == 6
        return bool(gyro_on and accel_on and fifo_on)

    # ---- the FIFO ------------------------------------------------------------------------
    def store(self, sample):
        lsb_a, lsb_g = self._lsb()
        level = [to_raw(sample[3 + a], lsb_g) for a in range(3)]
        level += [to_raw(sample[a], lsb_a) for a in range(3)]
        if self.fifo_len() >= self.capacity():  # continuous mode: the oldest is overwritten
            self.fifo_pop()
            self.samples_lost += 1
            self.overrun = True
        self.fifo_push(level)

    def _fifo_src(self):
        n = self.fifo_len()
        fth = self.regs[_FIFO_CTRL] & 0x1F
        return (0x80 if fth and n >= fth else 0) | (0x40 if self.overrun else 0) | n

    # ---- bus side --------------------------------------------------------------------------
    def start_read(self, reg, n):
        return reg, 1 if self.regs[_CTRL_REG8] & 0x04 else 0

    def read_byte(self, addr, step):
        if addr == _FIFO_SRC:
            return self._fifo_src(), addr + step
        if 0x18 <= addr <= 0x1D or 0x28 <= addr <= 0x2D:
            level = self.fifo_peek() or self._last
            word = (addr - 0x18) // 2 if addr < 0x28 else 3 + (addr - 0x28) // 2
            value = le16(level[word])[addr & 1]
            if addr == 0x1D:
                return value, 0x28 if step else addr
            if addr == 0x2D:
                popped = self.fifo_pop()
                if popped is not None:
                    self._last = popped
                    self.overrun = False
                return value, 0x18 if step else addr
            return value, addr + step
        return self.regs[addr & 0xFF], addr + step

    def write_reg(self, addr, value):
        if addr in _READ_ONLY:
            return
        if addr == _CTRL_REG8 and value & 0x01:
            self.reset()  # SW_RESET: registers to their defaults, the bit clears itself
            return
        self.regs[addr & 0xFF] = value
        if addr == _FIFO_CTRL and value >> 5 == 0:  # bypass empties the FIFO
            self.fifo_clear()
            self.overrun = False
