"""What every IMU driver shares: register access through a passed-in bus, argument checks, and
the FIFO read loop that fills the caller's array in preallocated bursts."""

import time

_sleep_ms = getattr(time, "sleep_ms", None)  # MicroPython; CPython only has time.sleep


def sleep_ms(ms):
    if _sleep_ms is not None:
        _sleep_ms(ms)
    else:
        time.sleep(ms / 1000)


class WrongChipError(RuntimeError):
    """The chip at the address is not the one the driver drives (WHO_AM_I mismatch)."""


def check_choice(name, value, allowed):
    """Raise ValueError naming the argument and its allowed values unless value is one of them."""
    if value not in allowed:
        raise ValueError(
            "%s must be one of %s, got %r" % (name, ", ".join([str(a) for a in allowed]), value)
        )
    return value


class ImuBase:
    """A FIFO IMU on an I2C bus.

    Subclasses set `_axes` (3 or 6) and `_fifo_reg` (the FIFO data register a burst starts
    at), call `_alloc_views(batch, bytes_per_sample)`, and implement `_available()` (read the
    FIFO status, deal with an overrun, return how many whole samples are waiting) and
    `_decode(buf, count, out, pos)`.
    """

    has_gyro = True
    _axes = 6
    _fifo_reg = 0

    def __init__(self, i2c, address, batch):
        if not 1 <= batch <= 128:
            raise ValueError("batch must be 1..128 samples, got %r" % (batch,))
        self._i2c = i2c
        self.address = address
        self.overruns_ = 0
        self.rate_hz = 0
        self._batch = batch
        self._reg = bytearray(1)
        self._views = []  # type: list

    def _alloc_views(self, units, unit_bytes):
        """One preallocated view per burst length of 0..units FIFO units of unit_bytes each:
        slicing a memoryview allocates on MicroPython, and readfrom_mem_into reads exactly
        len(buf) bytes, so every burst length needs its own view, made here once."""
        whole = memoryview(bytearray(units * unit_bytes))
        self._views = [whole[: n * unit_bytes] for n in range(units + 1)]

    # ---- register access (a bus error propagates as OSError) -------------------------------
    def _read_u8(self, reg):
        self._i2c.readfrom_mem_into(self.address, reg, self._reg)
        return self._reg[0]

    def _write_u8(self, reg, value):
        self._reg[0] = value
        self._i2c.writeto_mem(self.address, reg, self._reg)

    def _check_who_am_i(self, reg, expected, chip):
        found = self._read_u8(reg)
        if found not in expected:
            raise WrongChipError(
                "%s: WHO_AM_I (register 0x%02X) at I2C address 0x%02X is 0x%02X, expected %s"
                % (chip, reg, self.address, found, " or ".join(["0x%02X" % e for e in expected]))
            )
        return found

    # ---- the FIFO ---------------------------------------------------------------------------
    def read_fifo(self, samples, max_samples):
        """Move up to max_samples waiting samples into samples (array('h'), interleaved).

        Returns how many samples were written. After an overrun the FIFO is re-armed, the
        overrun counted in overruns_, and 0 returned: the caller just goes on reading.
        """
        k = self._axes
        if max_samples < 0 or len(samples) < max_samples * k:
            raise ValueError(
                "samples holds %d values, max_samples=%d needs %d"
                % (len(samples), max_samples, max_samples * k)
            )
        n = self._available()
        if n > max_samples:
            n = max_samples
        done = 0
        while done < n:
            c = n - done
            if c > self._batch:
                c = self._batch
            buf = self._views[c]
            self._i2c.readfrom_mem_into(self.address, self._fifo_reg, buf)
            self._decode(buf, c, samples, done * k)
            done += c
        return n

    def _available(self):
        raise NotImplementedError

    def _decode(self, buf, count, out, pos):
        raise NotImplementedError


def decode_gyro_then_accel(self, buf, count, out, pos):
    """ST's FIFO sample: gyro X, Y, Z then accel X, Y, Z, little-endian int16 (the LSM6DS3
    pattern FIFO and the LSM9DS1): convert into out as ax, ay, az, gx, gy, gz."""
    an = self._an
    ad = self._ad
    gn = self._gn
    gd = self._gd
    j = 0
    for _ in range(count):
        for a in range(3):
            g = buf[j] | (buf[j + 1] << 8)
            x = buf[j + 6] | (buf[j + 7] << 8)
            if g & 0x8000:
                g -= 0x10000
            if x & 0x8000:
                x -= 0x10000
            out[pos + a] = (x * an + (ad >> 1)) // ad
            out[pos + 3 + a] = (g * gn + (gd >> 1)) // gd
            j += 2
        j += 6
        pos += 6
