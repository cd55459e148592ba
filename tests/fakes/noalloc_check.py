"""Run by the MicroPython unix port (tests/test_driver_noalloc.py): read_fifo of every driver
under micropython.heap_lock(), which turns any heap allocation into a MemoryError.

The drivers are opened on the register fakes, then handed a bus that serves prepared FIFO
status and data bytes without allocating itself, so only the driver's own code is measured.
usage: MICROPYPATH=firmware:tests micropython tests/fakes/noalloc_check.py
"""

from array import array

import micropython

from fakes.bus import FakeI2C


class StaticBus:
    """Serves fixed bytes per register; a FIFO data register cycles through `data`."""

    def __init__(self, regs, fifo_reg, data):
        self.regs = regs
        self.fifo_reg = fifo_reg
        self.data = data
        self.pos = 0

    def readfrom_mem_into(self, addr, memaddr, buf, addrsize=8):
        if memaddr == self.fifo_reg:
            data = self.data
            pos = self.pos
            for i in range(len(buf)):
                buf[i] = data[pos]
                pos += 1
                if pos == len(data):
                    pos = 0
            self.pos = pos
            return
        src = self.regs[memaddr]
        for i in range(len(buf)):
            buf[i] = src[i]

    def writeto_mem(self, addr, memaddr, buf, addrsize=8):
        pass


def values(n):
    out = array("h")
    for k in range(n):
        out.extend(array("h", [k, -2 * k, 1000 + k, 3 * k, -k, 7]))
    return out


def check(name, imu, static, axes, want, last=None):
    buf = array("h", bytes(2 * axes * 40))
    imu._i2c = static
    imu.read_fifo(buf, 40)  # warm-up outside the lock
    micropython.heap_lock()
    try:
        n = imu.read_fifo(buf, 40)
    finally:
        micropython.heap_unlock()
    if n != want:
        raise SystemExit("%s: read %d samples, expected %d" % (name, n, want))
    if last is not None and list(buf[axes * (n - 1) : axes * n]) != last:
        raise SystemExit("%s: last sample %r, expected %r" % (name, buf[axes * (n - 1) :], last))
    print("no allocation:", name, n)


def main():
    from footfall.drivers.lis3dh import LIS3DH
    from footfall.drivers.lsm6ds import LSM6DS3
    from footfall.drivers.lsm9ds1 import LSM9DS1
    from footfall.drivers.mpu6050 import MPU6050

    from fakes.lis3dh import FakeLIS3DH
    from fakes.lsm6ds import FakeLSM6DS
    from fakes.lsm9ds1 import FakeLSM9DS1
    from fakes.mpu6050 import FakeMPU6050

    bus = FakeI2C()
    bus.attach(0x6A, FakeLSM6DS(values(8), who_am_i=0x6A))
    bus.attach(0x6B, FakeLSM6DS(values(8), who_am_i=0x6C))
    bus.attach(0x18, FakeLIS3DH(values(8)[:24]))
    bus.attach(0x68, FakeMPU6050(values(8)))
    bus.attach(0x6C, FakeLSM9DS1(values(8)))

    imu = LSM6DS3(bus, 0x6A)  # pattern FIFO: 240 words waiting, at the pattern start
    st = {0x3A: bytearray([240, 0, 0, 0])}
    check("LSM6DS3TR-C", imu, StaticBus(st, 0x3E, bytearray(range(24))), 6, 40)

    imu = LSM6DS3(bus, 0x6B)  # tagged FIFO: 80 words, gyro and accel of slots 0, 1, 2, 3
    words = bytearray()
    for slot in range(4):
        words.extend(bytearray([(1 << 3) | (slot << 1), 1, 2, 3, 4, 5, 6]))
        words.extend(bytearray([(2 << 3) | (slot << 1), 7, 8, 9, 10, 11, 12]))
    check("LSM6DSO", imu, StaticBus({0x3A: bytearray([80, 0])}, 0x78, words), 6, 40)

    imu = LIS3DH(bus)
    check("LIS3DH", imu, StaticBus({0x2F: bytearray([28])}, 0xA8, bytearray(range(6))), 3, 28)

    imu = MPU6050(bus)
    regs = {0x3A: bytearray([0]), 0x72: bytearray([0x02, 0x30])}  # 560 bytes: 40 packets
    check("MPU-6050", imu, StaticBus(regs, 0x74, bytearray(range(14))), 6, 40)

    imu = LSM9DS1(bus, 0x6C, batch=16)  # 32 levels; each sample gyro then accel words:
    # gyro 1000, 0, -1000 LSB, accel 1000, -1000, 2 LSB: 70.0, 0.0, -70.0 dps; 732, -732, 1 mg
    sample = bytearray([0xE8, 3, 0, 0, 0x18, 0xFC, 0xE8, 3, 0x18, 0xFC, 2, 0])
    last = [732, -732, 1, 700, 0, -700]
    check("LSM9DS1", imu, StaticBus({0x2F: bytearray([32])}, 0x18, sample), 6, 32, last)


main()
