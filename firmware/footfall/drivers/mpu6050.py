"""InvenSense MPU-6050 and MPU-6886 accelerometer + gyro on I2C, read through the FIFO.

Both chips write packets of accel X, Y, Z, temperature, gyro X, Y, Z (big-endian, 14 bytes)
into a 1 KB FIFO; the MPU-6886 always adds the temperature, so the MPU-6050 is asked for it
too and one decoder serves both. FIFO_R_W does not auto-increment: a burst read of it pops
consecutive FIFO bytes. After an overflow the packets are no longer aligned to the read
position, so the FIFO is reset.
"""

from micropython import const

from .imu_base import ImuBase, check_choice, sleep_ms

_SMPLRT_DIV = const(0x19)
_CONFIG = const(0x1A)
_GYRO_CONFIG = const(0x1B)
_ACCEL_CONFIG = const(0x1C)
_ACCEL_CONFIG2 = const(0x1D)  # MPU-6886 only
_FIFO_EN = const(0x23)
_INT_ENABLE = const(0x38)
_INT_STATUS = const(0x3A)
_USER_CTRL = const(0x6A)
_PWR_MGMT_1 = const(0x6B)
_FIFO_COUNTH = const(0x72)
_FIFO_R_W = const(0x74)
_WHO_AM_I = const(0x75)
_ID_6050 = const(0x68)
_ID_6886 = const(0x19)

_DEVICE_RESET = const(0x80)
_CLK_PLL = const(0x01)
_FIFO_OFLOW = const(0x10)  # INT_ENABLE / INT_STATUS bit
_USER_FIFO_EN = const(0x40)
_USER_FIFO_RESET = const(0x04)
_FIFO_EN_6050 = const(0xF8)  # temperature, gyro X, Y, Z, accel
_FIFO_EN_6886 = const(0x18)  # gyro, accel (temperature comes along)
_PACKET = const(14)

_RATES_HZ = (50, 100, 125, 200, 250, 500, 1000)  # 1 kHz / (1 + SMPLRT_DIV)
_DLPF = (4, 3, 3, 2, 2, 1, 1)  # low-pass below half the rate: 20, 42, 42, 98, 98, 188, 188 Hz
_ACCEL_MG = {2: (125, 2048), 4: (125, 1024), 8: (125, 512), 16: (125, 256)}  # 1000 / LSB per g
_GYRO_DDPS = {250: (10, 131), 500: (20, 131), 1000: (25, 82), 2000: (25, 41)}  # 10 / LSB per dps


class MPU6050(ImuBase):
    """MPU6050(i2c, address=0x68, rate_hz=200, accel_range_g=16, gyro_range_dps=2000, batch=32).

    Also drives the MPU-6886 (told apart by WHO_AM_I). rate_hz: 50, 100, 125, 200, 250, 500
    or 1000; accel_range_g: 2, 4, 8, 16; gyro_range_dps: 250, 500, 1000, 2000.
    """

    _fifo_reg = _FIFO_R_W

    def __init__(
        self, i2c, address=0x68, rate_hz=200, accel_range_g=16, gyro_range_dps=2000, batch=32
    ):
        check_choice("rate_hz", rate_hz, _RATES_HZ)
        check_choice("accel_range_g", accel_range_g, (2, 4, 8, 16))
        check_choice("gyro_range_dps", gyro_range_dps, (250, 500, 1000, 2000))
        super().__init__(i2c, address, batch)
        self.chip_id = self._check_who_am_i(_WHO_AM_I, (_ID_6050, _ID_6886), "MPU-6050/MPU-6886")
        self._alloc_views(batch, _PACKET)
        self._count = bytearray(2)
        self._an, self._ad = _ACCEL_MG[accel_range_g]
        self._gn, self._gd = _GYRO_DDPS[gyro_range_dps]
        self._write_u8(_PWR_MGMT_1, _DEVICE_RESET)
        sleep_ms(100)  # the register map says to wait 100 ms after a device reset
        self._write_u8(_PWR_MGMT_1, _CLK_PLL)
        k = _RATES_HZ.index(rate_hz)
        self._write_u8(_CONFIG, _DLPF[k])  # FIFO_MODE (6886) 0: overwrite the oldest when full
        if self.chip_id == _ID_6886:
            self._write_u8(_ACCEL_CONFIG2, _DLPF[k])
        self._write_u8(_SMPLRT_DIV, 1000 // rate_hz - 1)
        self._write_u8(_GYRO_CONFIG, (250, 500, 1000, 2000).index(gyro_range_dps) << 3)
        self._write_u8(_ACCEL_CONFIG, (2, 4, 8, 16).index(accel_range_g) << 3)
        self._write_u8(_INT_ENABLE, _FIFO_OFLOW)
        self.rate_hz = rate_hz
        self._arm()

    def _arm(self):
        self._write_u8(_USER_CTRL, 0)  # FIFO_RESET only acts while the FIFO is off
        self._write_u8(_FIFO_EN, _FIFO_EN_6886 if self.chip_id == _ID_6886 else _FIFO_EN_6050)
        self._write_u8(_USER_CTRL, _USER_FIFO_RESET)
        self._write_u8(_USER_CTRL, _USER_FIFO_EN)
        self._read_u8(_INT_STATUS)  # reading clears a stale overflow flag

    def _available(self):
        if self._read_u8(_INT_STATUS) & _FIFO_OFLOW:
            self.overruns_ += 1
            self._arm()
            return 0
        c = self._count
        self._i2c.readfrom_mem_into(self.address, _FIFO_COUNTH, c)
        return ((c[0] << 8) | c[1]) // _PACKET

    def _decode(self, buf, count, out, pos):
        an = self._an
        ad = self._ad
        gn = self._gn
        gd = self._gd
        j = 0
        for _ in range(count):
            for a in range(3):
                x = (buf[j] << 8) | buf[j + 1]
                g = (buf[j + 8] << 8) | buf[j + 9]  # after accel (6) and temperature (2)
                if x & 0x8000:
                    x -= 0x10000
                if g & 0x8000:
                    g -= 0x10000
                out[pos + a] = (x * an + (ad >> 1)) // ad
                out[pos + 3 + a] = (g * gn + (gd >> 1)) // gd
                j += 2
            j += _PACKET - 6
            pos += 6


MPU6886 = MPU6050
