"""ST LIS3DH accelerometer (no gyro) on I2C, read through its 32-sample FIFO in stream mode.

High-resolution mode: 12-bit samples, left-justified in 16 bits. A multi-byte read needs bit 7
of the register address set (auto-increment); reading OUT_X_L..OUT_Z_H pops one FIFO sample
and the address wraps from OUT_Z_H back to OUT_X_L, so one burst moves many samples.
"""

from micropython import const

from .imu_base import ImuBase, check_choice

_WHO_AM_I = const(0x0F)
_ID = const(0x33)
_CTRL_REG1 = const(0x20)
_CTRL_REG2 = const(0x21)
_CTRL_REG3 = const(0x22)
_CTRL_REG4 = const(0x23)
_CTRL_REG5 = const(0x24)
_FIFO_CTRL_REG = const(0x2E)
_FIFO_SRC_REG = const(0x2F)
_OUT_X_L = const(0x28)
_AUTO_INCREMENT = const(0x80)
_XYZ_ON = const(0x07)
_BDU_HR = const(0x88)  # block data update, high resolution
_FIFO_EN = const(0x40)
_BYPASS = const(0x00)
_STREAM = const(0x80)
_OVRN = const(0x40)  # FIFO_SRC_REG: the FIFO holds 32 samples and the oldest go next
_FSS = const(0x1F)

_RATES_HZ = (10, 25, 50, 100, 200, 400, 1344)
_RATE_CODE = (2, 3, 4, 5, 6, 7, 9)
_FS = {2: 0, 4: 1, 8: 2, 16: 3}
_MG_PER_DIGIT = {2: 1, 4: 2, 8: 4, 16: 12}  # high-resolution mode, datasheet table 4


class LIS3DH(ImuBase):
    """LIS3DH(i2c, address=0x18, rate_hz=200, accel_range_g=16, batch=32).

    rate_hz: 10, 25, 50, 100, 200, 400 or 1344; accel_range_g: 2, 4, 8, 16 (address 0x19 when
    SA0 is high). Read at least every 31 samples: a full FIFO counts as an overrun.
    """

    has_gyro = False
    _axes = 3
    _fifo_reg = _OUT_X_L | _AUTO_INCREMENT

    def __init__(self, i2c, address=0x18, rate_hz=200, accel_range_g=16, batch=32):
        check_choice("rate_hz", rate_hz, _RATES_HZ)
        check_choice("accel_range_g", accel_range_g, (2, 4, 8, 16))
        if batch > 32:
            raise ValueError("batch must be 1..32 samples (the FIFO depth), got %r" % (batch,))
        super().__init__(i2c, address, batch)
        self._check_who_am_i(_WHO_AM_I, (_ID,), "LIS3DH")
        self._alloc_views(batch, 6)
        self._mg = _MG_PER_DIGIT[accel_range_g]
        self._write_u8(_CTRL_REG1, (_RATE_CODE[_RATES_HZ.index(rate_hz)] << 4) | _XYZ_ON)
        self._write_u8(_CTRL_REG2, 0)  # no high-pass filter
        self._write_u8(_CTRL_REG3, 0)  # no interrupts on INT1
        self._write_u8(_CTRL_REG4, _BDU_HR | (_FS[accel_range_g] << 4))
        self._write_u8(_CTRL_REG5, _FIFO_EN)
        self.rate_hz = rate_hz
        self._arm()

    def _arm(self):
        self._write_u8(_FIFO_CTRL_REG, _BYPASS)  # empties the FIFO
        self._write_u8(_FIFO_CTRL_REG, _STREAM)

    def _available(self):
        src = self._read_u8(_FIFO_SRC_REG)
        if src & _OVRN:
            self.overruns_ += 1
            self._arm()
            return 0
        return src & _FSS

    def _decode(self, buf, count, out, pos):
        mg = self._mg
        j = 0
        for _ in range(3 * count):
            v = buf[j] | (buf[j + 1] << 8)
            if v & 0x8000:
                v -= 0x10000
            out[pos] = (v >> 4) * mg  # 12 bits, left-justified
            pos += 1
            j += 2
