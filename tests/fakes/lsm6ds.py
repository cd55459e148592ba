"""Register-level model of the ST LSM6DS3 / LSM6DS3TR-C (pattern FIFO) and LSM6DSO (tagged FIFO).

Modelled: WHO_AM_I, CTRL1_XL / CTRL2_G (rate and range), CTRL3_C (software reset, address
auto-increment), the FIFO control registers, FIFO_STATUS1..4 (level, overrun, empty, pattern)
and the FIFO data registers with their address wrap-around. The FIFO fills only when it is
set up the way a single-rate accel + gyro reader needs (continuous mode, both sensors batched
at the sensor rate); any other set-up leaves it empty, so a wrong driver gets no data.
"""

from .chip import FakeChip, le16, to_raw

_RATES = (0, 12.5, 26, 52, 104, 208, 416, 833, 1666, 3333, 6666)
_ACCEL_LSB_MG = (0.061, 0.488, 0.122, 0.244)  # by FS_XL bits: 2, 16, 4, 8 g
_GYRO_LSB_DDPS = (0.0875, 0.175, 0.35, 0.7)  # by FS_G bits: 250, 500, 1000, 2000 dps
_GYRO_LSB_125 = 0.04375

WHO_AM_I_DS3 = 0x69
WHO_AM_I_DS3TRC = 0x6A
WHO_AM_I_DSO = 0x6C


class FakeLSM6DS(FakeChip):
    """who_am_i picks the generation: 0x69 / 0x6A pattern FIFO, 0x6C tagged FIFO.
    capacity: FIFO size in samples. gyro_first: order of the two tagged words of a timeslot.
    gyro_late: the gyro starts this many samples after the accelerometer (it needs tens of ms
    to settle), so the first timeslots of a tagged FIFO hold accelerometer words alone."""

    def __init__(
        self, values, who_am_i=WHO_AM_I_DS3TRC, capacity=None, gyro_first=True, gyro_late=0, **kw
    ):
        self.who_am_i = who_am_i
        self.gyro_late = gyro_late
        self.tagged = who_am_i == WHO_AM_I_DSO
        self.capacity = capacity or (256 if self.tagged else 341)
        self.gyro_first = gyro_first
        FakeChip.__init__(self, values, 6, **kw)

    def reset(self):
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[0x0F] = self.who_am_i
        self.regs[0x12] = 0x04  # IF_INC
        self.overrun = False
        self.popped = 0  # words read since the FIFO was emptied: the pattern position
        self.slot = 0
        self.fifo_clear()

    # ---- configuration -----------------------------------------------------------------
    def _odr_code(self):
        return self.regs[0x10] >> 4

    def rate_hz(self):
        code = self._odr_code()
        return _RATES[code] if code < len(_RATES) else 0

    def collecting(self):
        odr = self._odr_code()
        if not odr or (self.regs[0x11] >> 4) != odr:
            return False
        if self.tagged:
            return (self.regs[0x0A] & 7) == 6 and self.regs[0x09] == (odr << 4) | odr
        ctrl5 = self.regs[0x0A]
        return (ctrl5 & 7) == 6 and (ctrl5 >> 3) & 0x0F == odr and self.regs[0x08] == 0x09

    def _lsb(self):
        fs_xl = (self.regs[0x10] >> 2) & 3
        ctrl2 = self.regs[0x11]
        gyro = _GYRO_LSB_125 if ctrl2 & 0x02 else _GYRO_LSB_DDPS[(ctrl2 >> 2) & 3]
        return _ACCEL_LSB_MG[fs_xl], gyro

    # ---- the FIFO ------------------------------------------------------------------------
    def store(self, sample):
        lsb_a, lsb_g = self._lsb()
        acc = [to_raw(sample[a], lsb_a) for a in range(3)]
        gyr = [to_raw(sample[3 + a], lsb_g) for a in range(3)]
        if self.tagged:
            words_per_sample = 2
            tag_g = (0x01 << 3) | (self.slot << 1)
            tag_a = (0x02 << 3) | (self.slot << 1)
            self.slot = (self.slot + 1) & 3
            g = [tag_g] + [b for v in gyr for b in le16(v)]
            a = [tag_a] + [b for v in acc for b in le16(v)]
            words = [g, a] if self.gyro_first else [a, g]
            if self.gyro_late > 0:
                self.gyro_late -= 1
                words = [a]
        else:
            words_per_sample = 6
            words = gyr + acc  # data set 1 is the gyro, data set 2 the accelerometer
        if self.fifo_len() + len(words) > self.capacity * words_per_sample:
            # continuous mode: the oldest words are overwritten
            for _ in range(len(words)):
                self.fifo_pop()
            self.samples_lost += 1
            self.overrun = True
        for w in words:
            self.fifo_push(w)

    def _status(self, addr):
        n = self.fifo_len()
        if addr == 0x3A:
            return n & 0xFF
        if addr == 0x3B:
            full = n >= self.capacity * (2 if self.tagged else 6)
            high = (n >> 8) & (0x03 if self.tagged else 0x0F)
            empty = 0 if self.tagged else (0x10 if n == 0 else 0)
            return (0x40 if self.overrun else 0) | (0x20 if full else 0) | empty | high
        if self.tagged:
            return 0
        pattern = self.popped % 6
        return pattern & 0xFF if addr == 0x3C else pattern >> 8

    # ---- bus side --------------------------------------------------------------------------
    def start_read(self, reg, n):
        return reg, 1 if self.regs[0x12] & 0x04 else 0

    def read_byte(self, addr, step):
        if 0x3A <= addr <= 0x3D:
            return self._status(addr), addr + step
        if not self.tagged and addr in (0x3E, 0x3F):
            word = self.fifo_peek()
            value = 0 if word is None else le16(word)[addr - 0x3E]
            if addr == 0x3F:
                self._pop_word()
                return value, 0x3E if step else addr
            return value, addr + step
        if self.tagged and 0x78 <= addr <= 0x7E:
            word = self.fifo_peek()
            value = 0 if word is None else word[addr - 0x78]
            if addr == 0x7E:
                self._pop_word()
                return value, 0x78 if step else addr
            return value, addr + step
        return self.regs[addr & 0xFF], addr + step

    def _pop_word(self):
        if self.fifo_pop() is not None:
            self.popped += 1
            self.overrun = False

    def write_reg(self, addr, value):
        if addr == 0x12 and value & 0x01:
            self.reset()  # SW_RESET: registers to defaults, the bit clears itself
            return
        self.regs[addr & 0xFF] = value
        mode_reg = 0x0A
        if addr == mode_reg and (value & 7) == 0:  # bypass empties the FIFO
            self.fifo_clear()
            self.overrun = False
            self.popped = 0
            self.slot = 0
