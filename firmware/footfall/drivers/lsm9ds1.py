"""ST LSM9DS1 accelerometer + gyro (the "A/G" half of the chip) on I2C; the magnetometer, a
separate device at 0x1C/0x1E, is left alone.

With both sensors on, the accelerometer runs at the gyro's ODR (CTRL_REG1_G) and each of the
32 FIFO levels holds one gyro X, Y, Z and one accel X, Y, Z reading, 16-bit little-endian.
The FIFO is read through the output registers: with IF_ADD_INC set, a burst read that starts
at OUT_X_L_G (0x18) runs to OUT_Z_H_G (0x1D), jumps to OUT_X_L_XL (0x28), and after
OUT_Z_H_XL (0x2D) pops the level and starts again at 0x18, so one burst moves many levels,
12 bytes each, gyro first. FIFO_SRC (0x2F) holds the level count (FSS) and the overrun flag.
"""

from micropython import const

from .imu_base import ImuBase, check_choice, decode_gyro_then_accel, sleep_ms

_WHO_AM_I = const(0x0F)
_ID = const(0x68)
_CTRL_REG1_G = const(0x10)  # ODR_G [7:5], FS_G [4:3], BW_G [1:0]
_CTRL_REG6_XL = const(0x20)  # ODR_XL [7:5], FS_XL [4:3], BW_SCAL_ODR, BW_XL
_CTRL_REG8 = const(0x22)  # BOOT, BDU, H_LACTIVE, PP_OD, SIM, IF_ADD_INC, BLE, SW_RESET
_CTRL_REG9 = const(0x23)  # SLEEP_G, FIFO_TEMP_EN, DRDY_mask, I2C_DISABLE, FIFO_EN, STOP_ON_FTH
_OUT_X_L_G = const(0x18)
_FIFO_CTRL = const(0x2E)  # FMODE [7:5], FTH [4:0]
_FIFO_SRC = const(0x2F)  # FTH, OVRN, FSS [5:0]

_SW_RESET = const(0x01)
_BDU_IF_ADD_INC = const(0x44)
_FIFO_EN = const(0x02)  # STOP_ON_FTH left 0: all 32 levels in use
_BYPASS = const(0x00)  # empties the FIFO
_CONTINUOUS = const(0xC0)  # FMODE 110: the oldest level is overwritten when full
_OVRN = const(0x40)
_FSS = const(0x3F)
_DEPTH = const(32)
_LEVEL = const(12)  # bytes per FIFO level: gyro X, Y, Z, accel X, Y, Z

# ODR codes 1..6: 14.9, 59.5, 119, 238, 476, 952 Hz; the two slow ones are given as whole
# numbers because the rest of the firmware counts samples per second in integers.
_RATES_HZ = (15, 60, 119, 238, 476, 952)
_ACCEL_FS = {2: 0, 4: 2, 8: 3, 16: 1}  # FS_XL bits (in CTRL_REG6_XL [4:3])
# mg per LSB as num / den (datasheet: 0.061, 0.122, 0.244 and, at 16 g, 0.732 mg/LSB)
_ACCEL_MG = {2: (61, 1000), 4: (122, 1000), 8: (244, 1000), 16: (732, 1000)}
_GYRO_FS = {245: 0, 500: 1, 2000: 3}  # FS_G bits (in CTRL_REG1_G [4:3]); 10 is not a range
# 0.1 deg/s per LSB as num / den (8.75, 17.5, 70 mdps/LSB)
_GYRO_DDPS = {245: (875, 10000), 500: (175, 1000), 2000: (7, 10)}


class LSM9DS1(ImuBase):
    """LSM9DS1(i2c, address=0x6B, rate_hz=238, accel_range_g=16, gyro_range_dps=2000, batch=32).

    rate_hz: 15, 60, 119, 238, 476 or 952 (15 and 60 select the chip's 14.9 and 59.5 Hz);
    accel_range_g: 2, 4, 8, 16; gyro_range_dps: 245, 500, 2000; batch: 1..32 FIFO levels per
    I2C burst. Address 0x6A when SDO_A/G is low. Read at least every 31 samples (130 ms at
    238 Hz): once the 32 levels are full the next sample counts as an overrun.
    """

    _fifo_reg = _OUT_X_L_G

    def __init__(
        self, i2c, address=0x6B, rate_hz=238, accel_range_g=16, gyro_range_dps=2000, batch=32
    ):
        check_choice("rate_hz", rate_hz, _RATES_HZ)
        check_choice("accel_range_g", accel_range_g, (2, 4, 8, 16))
        check_choice("gyro_range_dps", gyro_range_dps, (245, 500, 2000))
        if batch > _DEPTH:
            raise ValueError("batch must be 1..32 samples (the FIFO depth), got %r" % (batch,))
        super().__init__(i2c, address, batch)
        self.chip_id = self._check_who_am_i(_WHO_AM_I, (_ID,), "LSM9DS1")
        self._alloc_views(batch, _LEVEL)
        self._an, self._ad = _ACCEL_MG[accel_range_g]
        self._gn, self._gd = _GYRO_DDPS[gyro_range_dps]
        self._write_u8(_CTRL_REG8, _SW_RESET)
        for _ in range(10):  # registers back to their defaults; the bit clears itself
            if not self._read_u8(_CTRL_REG8) & _SW_RESET:
                break
            sleep_ms(1)
        else:
            raise OSError("LSM9DS1 at 0x%02X: software reset did not complete" % address)
        self._write_u8(_CTRL_REG8, _BDU_IF_ADD_INC)
        odr = _RATES_HZ.index(rate_hz) + 1
        self._write_u8(_CTRL_REG1_G, (odr << 5) | (_GYRO_FS[gyro_range_dps] << 3))
        # With the gyro on the accelerometer follows ODR_G; ODR_XL only has to be non-zero.
        self._write_u8(_CTRL_REG6_XL, (odr << 5) | (_ACCEL_FS[accel_range_g] << 3))
        self._write_u8(_CTRL_REG9, _FIFO_EN)
        self._fth = batch if batch < _DEPTH else _DEPTH - 1  # FIFO_SRC.FTH: a burst is waiting
        self.rate_hz = rate_hz
        self._arm()

    def _arm(self):
        self._write_u8(_FIFO_CTRL, _BYPASS)  # empties the FIFO and clears OVRN
        self._write_u8(_FIFO_CTRL, _CONTINUOUS | self._fth)

    def _available(self):
        src = self._read_u8(_FIFO_SRC)
        if src & _OVRN:
            self.overruns_ += 1
            self._arm()
            return 0
        return src & _FSS

    _decode = decode_gyro_then_accel  # gyro words come first in each sample
