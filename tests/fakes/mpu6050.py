"""Register-level model of the InvenSense MPU-6050 and MPU-6886 (who_am_i 0x68 / 0x19).

Modelled: WHO_AM_I, PWR_MGMT_1 (reset, sleep), CONFIG / SMPLRT_DIV (rate), GYRO_CONFIG /
ACCEL_CONFIG (ranges), FIFO_EN (what goes in a packet, in register order: accel, temperature,
gyro), USER_CTRL (FIFO enable and reset), INT_STATUS (overflow flag, cleared by reading),
FIFO_COUNTH/L and FIFO_R_W. The FIFO is 1024 bytes; a full FIFO drops its oldest bytes (not
whole packets), which is why a driver must reset it after an overflow.
"""

from .chip import FakeChip, to_raw

WHO_AM_I_6050 = 0x68
WHO_AM_I_6886 = 0x19
DEPTH = 1024
_GYRO_LSB_PER_DPS = (131, 65.5, 32.8, 16.4)
_TEMP = (0x0B, 0x40)


class FakeMPU6050(FakeChip):
    def __init__(self, values, who_am_i=WHO_AM_I_6050, **kw):
        self.who_am_i = who_am_i
        FakeChip.__init__(self, values, 6, **kw)

    def reset(self):
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[0x75] = self.who_am_i
        self.regs[0x6B] = 0x40  # asleep after power-up
        self.fifo_clear()

    def rate_hz(self):
        if self.regs[0x6B] & 0x40:
            return 0
        dlpf = self.regs[0x1A] & 7
        base = 8000 if dlpf in (0, 7) else 1000
        return base / (1 + self.regs[0x19])

    def _parts(self):
        en = self.regs[0x23]
        if self.who_am_i == WHO_AM_I_6886:
            accel, gyro = en & 0x08, en & 0x10
            return accel, bool(accel or gyro), gyro
        return en & 0x08, en & 0x80, (en & 0x70) == 0x70

    def collecting(self):
        return bool(self.rate_hz() and self.regs[0x6A] & 0x40 and any(self._parts()))

    def store(self, sample):
        accel, temp, gyro = self._parts()
        lsb_mg = 1000 / (16384 >> ((self.regs[0x1C] >> 3) & 3))
        lsb_ddps = 10 / _GYRO_LSB_PER_DPS[(self.regs[0x1B] >> 3) & 3]
        packet = []
        if accel:
            for a in range(3):
                r = to_raw(sample[a], lsb_mg)
                packet += [(r >> 8) & 0xFF, r & 0xFF]
        if temp:
            packet += list(_TEMP)
        if gyro:
            for a in range(3):
                r = to_raw(sample[3 + a], lsb_ddps)
                packet += [(r >> 8) & 0xFF, r & 0xFF]
        if self.fifo_len() + len(packet) > DEPTH:
            if self.who_am_i == WHO_AM_I_6886 and self.regs[0x1A] & 0x40:
                self.samples_lost += 1  # FIFO_MODE 1: no more writes once full
                return
            for _ in range(self.fifo_len() + len(packet) - DEPTH):
                self.fifo_pop()
            self.samples_lost += 1
            self.regs[0x3A] |= 0x10  # FIFO_OFLOW_INT
        for b in packet:
            self.fifo_push(b)

    def read_byte(self, addr, step):
        if addr == 0x74:
            b = self.fifo_pop()
            return (0 if b is None else b), addr  # FIFO_R_W does not auto-increment
        if addr == 0x72:
            return (self.fifo_len() >> 8) & 0xFF, addr + step
        if addr == 0x73:
            return self.fifo_len() & 0xFF, addr + step
        value = self.regs[addr & 0xFF]
        if addr == 0x3A:
            self.regs[0x3A] = 0  # INT_STATUS clears when read
        return value, addr + step

    def write_reg(self, addr, value):
        if addr == 0x6B and value & 0x80:
            self.reset()  # DEVICE_RESET: back to power-up state, asleep
            return
        if addr == 0x6A and value & 0x04:
            self.fifo_clear()  # FIFO_RESET, a self-clearing bit
            value &= ~0x04
        self.regs[addr & 0xFF] = value
