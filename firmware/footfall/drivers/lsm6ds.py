"""ST LSM6DS3 / LSM6DS3TR-C / LSM6DSL and LSM6DSO / LSM6DSOX accelerometer + gyro on I2C.

The two generations keep the same control registers but organise the FIFO differently, and
WHO_AM_I tells which one answers:
- LSM6DS3 (0x69), LSM6DS3TR-C / LSM6DSL (0x6A): untagged 16-bit words in a repeating pattern,
  gyro X, Y, Z then accel X, Y, Z per sample (both at the same rate, no decimation);
  FIFO_STATUS3/4 say where in the pattern the next word is.
- LSM6DSO / LSM6DSOX (0x6C): 7-byte words, a tag byte (sensor in bits 7..3, a 2-bit
  timeslot counter in bits 2..1) and X, Y, Z; gyro and accel words of one timeslot are paired.
The FIFO runs in continuous mode; a burst read of the data registers pops consecutive words
because the chip wraps the register address back to the first data register.
"""

from micropython import const

from .imu_base import ImuBase, check_choice, decode_gyro_then_accel, sleep_ms

_WHO_AM_I = const(0x0F)
_CTRL1_XL = const(0x10)
_CTRL2_G = const(0x11)
_CTRL3_C = const(0x12)
_FIFO_STATUS1 = const(0x3A)
_OVERRUN = const(0x40)  # FIFO_STATUS2: OVER_RUN (DS3) / FIFO_OVR_IA (DSO)
_CTRL3_BDU_IF_INC = const(0x44)
_SW_RESET = const(0x01)
_FIFO_CONTINUOUS = const(6)
# LSM6DS3 / DS3TR-C
_DS3_FIFO_CTRL3 = const(0x08)
_DS3_FIFO_CTRL5 = const(0x0A)
_DS3_FIFO_DATA = const(0x3E)
_DS3_NO_DECIMATION = const(0x09)  # gyro and accel data sets both in the FIFO, undecimated
# LSM6DSO
_DSO_FIFO_CTRL3 = const(0x09)
_DSO_FIFO_CTRL4 = const(0x0A)
_DSO_FIFO_DATA = const(0x78)
_TAG_GYRO = const(0x01)
_TAG_ACCEL = const(0x02)

_ID_DS3 = const(0x69)
_ID_DS3TRC = const(0x6A)  # also LSM6DSL, LSM6DSM: same FIFO
_ID_DSO = const(0x6C)

_RATES_HZ = (26, 52, 104, 208, 416, 833, 1666)  # ODR code = index + 2 (CTRL1_XL, FIFO)
_ACCEL_FS = {2: 0, 4: 2, 8: 3, 16: 1}  # FS_XL bits
# mg per LSB as num / den (datasheet sensitivities 0.061 .. 0.488 mg/LSB)
_ACCEL_MG = {2: (61, 1000), 4: (122, 1000), 8: (244, 1000), 16: (488, 1000)}
_GYRO_FS = {125: 0x02, 250: 0x00, 500: 0x04, 1000: 0x08, 2000: 0x0C}  # FS_G | FS_125 bits
# 0.1 deg/s per LSB as num / den (4.375 .. 70 mdps/LSB)
_GYRO_DDPS = {
    125: (4375, 100000),
    250: (875, 10000),
    500: (175, 1000),
    1000: (35, 100),
    2000: (7, 10),
}


def LSM6DS3(i2c, address=0x6A, rate_hz=208, accel_range_g=16, gyro_range_dps=2000, batch=32):
    """Open the LSM6DS3/DS3TR-C/DSL or LSM6DSO/DSOX at address, whichever answers.

    rate_hz: 26, 52, 104, 208, 416, 833 or 1666 (accel, gyro and FIFO all at this rate);
    accel_range_g: 2, 4, 8, 16; gyro_range_dps: 125, 250, 500, 1000, 2000; batch: the most
    samples one I2C burst moves (the scratch buffers are sized for it here, once).
    A function rather than a class because WHO_AM_I decides which FIFO reader is built.
    """
    check_choice("rate_hz", rate_hz, _RATES_HZ)
    check_choice("accel_range_g", accel_range_g, (2, 4, 8, 16))
    check_choice("gyro_range_dps", gyro_range_dps, (125, 250, 500, 1000, 2000))
    probe = ImuBase(i2c, address, batch)
    chip = probe._check_who_am_i(_WHO_AM_I, (_ID_DS3, _ID_DS3TRC, _ID_DSO), "LSM6DS3/LSM6DSO")
    imu = (_Lsm6Tagged if chip == _ID_DSO else _Lsm6Pattern)(i2c, address, batch)
    imu.chip_id = chip
    imu._setup(rate_hz, accel_range_g, gyro_range_dps)
    return imu


LSM6DSO = LSM6DS3


class _Lsm6Common(ImuBase):
    chip_id = 0
    _status_len = 4

    def _arm(self):  # empty the FIFO and start it again, in continuous mode
        raise NotImplementedError

    def _setup(self, rate_hz, accel_range_g, gyro_range_dps):
        self._write_u8(_CTRL3_C, _SW_RESET)
        for _ in range(10):  # the reset takes tens of microseconds
            if not self._read_u8(_CTRL3_C) & _SW_RESET:
                break
            sleep_ms(1)
        else:
            raise OSError("LSM6DS at 0x%02X: software reset did not complete" % self.address)
        self._write_u8(_CTRL3_C, _CTRL3_BDU_IF_INC)
        self._odr = _RATES_HZ.index(rate_hz) + 2
        self._write_u8(_CTRL1_XL, (self._odr << 4) | (_ACCEL_FS[accel_range_g] << 2))
        self._write_u8(_CTRL2_G, (self._odr << 4) | _GYRO_FS[gyro_range_dps])
        self._an, self._ad = _ACCEL_MG[accel_range_g]
        self._gn, self._gd = _GYRO_DDPS[gyro_range_dps]
        self.rate_hz = rate_hz
        self._status = bytearray(self._status_len)
        self._arm()

    def _read_status(self):
        # FIFO_STATUS1.. into self._status; False, with the FIFO started again, after an overrun
        st = self._status
        self._i2c.readfrom_mem_into(self.address, _FIFO_STATUS1, st)
        if st[1] & _OVERRUN:
            self.overruns_ += 1
            self._arm()
            return False
        return True


class _Lsm6Pattern(_Lsm6Common):
    _fifo_reg = _DS3_FIFO_DATA
    _status_len = 4  # FIFO_STATUS1..4: level, flags, pattern position

    def __init__(self, i2c, address, batch):
        super().__init__(i2c, address, batch)
        self._alloc_views(batch, 12)
        self._word = memoryview(bytearray(2))

    def _arm(self):
        self._write_u8(_DS3_FIFO_CTRL5, 0)  # bypass: empties the FIFO, restarts the pattern
        self._write_u8(_DS3_FIFO_CTRL3, _DS3_NO_DECIMATION)
        self._write_u8(_DS3_FIFO_CTRL5, (self._odr << 3) | _FIFO_CONTINUOUS)

    def _available(self):
        if not self._read_status():
            return 0
        st = self._status
        words = st[0] | ((st[1] & 0x0F) << 8)
        pattern = st[2] | ((st[3] & 0x03) << 8)
        if pattern and words:
            # Not at a gyro X word (a read was cut short): drop words up to the next sample.
            skip = 6 - pattern if words >= 6 - pattern else words
            for _ in range(skip):
                self._i2c.readfrom_mem_into(self.address, _DS3_FIFO_DATA, self._word)
            words -= skip
        return words // 6

    _decode = decode_gyro_then_accel  # gyro words come first in each sample


class _Lsm6Tagged(_Lsm6Common):
    _fifo_reg = _DSO_FIFO_DATA
    _status_len = 2  # FIFO_STATUS1..2: level, flags

    def __init__(self, i2c, address, batch):
        super().__init__(i2c, address, batch)
        # Up to two words (gyro + accel) per sample in one burst.
        self._alloc_views(2 * batch, 7)
        self._pending = [0, 0, 0, 0, 0, 0]  # ax, ay, az, gx, gy, gz of the open timeslot
        self._have = 0  # bit 0: accel, bit 1: gyro of the open timeslot
        self._slot = -1

    def _arm(self):
        self._write_u8(_DSO_FIFO_CTRL4, 0)  # bypass: empties the FIFO
        self._write_u8(_DSO_FIFO_CTRL3, (self._odr << 4) | self._odr)  # batch both at the ODR
        self._write_u8(_DSO_FIFO_CTRL4, _FIFO_CONTINUOUS)
        self._have = 0
        self._slot = -1

    def _words(self):
        if not self._read_status():
            return 0
        st = self._status
        return st[0] | ((st[1] & 0x03) << 8)

    def read_fifo(self, samples, max_samples):
        if max_samples < 0 or len(samples) < max_samples * 6:
            raise ValueError(
                "samples holds %d values, max_samples=%d needs %d"
                % (len(samples), max_samples, max_samples * 6)
            )
        words = self._words()
        n = 0
        # Two words make a sample, so reading at most twice the room left can never overfill.
        while words and n < max_samples:
            c = 2 * (max_samples - n)
            if c > words:
                c = words
            if c > 2 * self._batch:
                c = 2 * self._batch
            buf = self._views[c]
            self._i2c.readfrom_mem_into(self.address, _DSO_FIFO_DATA, buf)
            n = self._pair(buf, c, samples, n)
            words -= c
        return n

    def _pair(self, buf, count, out, n):
        p = self._pending
        j = 0
        for _ in range(count):
            tag = buf[j]
            sensor = tag >> 3
            if sensor == _TAG_ACCEL or sensor == _TAG_GYRO:
                slot = (tag >> 1) & 3
                if slot != self._slot:
                    self._slot = slot  # a new timeslot: a lone half of the last one is dropped
                    self._have = 0
                base = 0 if sensor == _TAG_ACCEL else 3
                for a in range(3):
                    v = buf[j + 1 + 2 * a] | (buf[j + 2 + 2 * a] << 8)
                    if v & 0x8000:
                        v -= 0x10000
                    p[base + a] = v
                self._have |= 1 if sensor == _TAG_ACCEL else 2
                if self._have == 3:
                    self._have = 0
                    self._slot = -1
                    o = 6 * n
                    an = self._an
                    ad = self._ad
                    gn = self._gn
                    gd = self._gd
                    for a in range(3):
                        out[o + a] = (p[a] * an + (ad >> 1)) // ad
                        out[o + 3 + a] = (p[3 + a] * gn + (gd >> 1)) // gd
                    n += 1
            j += 7
        return n
