# Runs under the MicroPython unix port for `make bench`: the gait engine's RAM after
# construction, and its cost per sample against filtering three axes with one integer biquad
# each, both timed in this process on the same samples.
# usage: micropython bench_main.py INPUT.bin [base|copy|engine|biquads]
# With a second argument it runs only that part, once: `make bench` counts the instructions of
# each under valgrind and takes differences, which no other load on the machine can disturb.
import gc
import sys
import time
from array import array

from footfall.gait import GaitEngine
from footfall.gait.record import N_FIELDS

_CHUNK = 256
_ROUNDS = 11  # odd, so that the median is one round's


class Biquad3:
    # one integer biquad (Q14 coefficients, a 10 Hz low-pass at 200 Hz) on each of three axes,
    # written as a streaming filter would be: state in attributes, one call per sample
    def __init__(self):
        self.b0 = 333
        self.b1 = 666
        self.b2 = 333
        self.a1 = -25810
        self.a2 = 10758
        self.x1 = self.x2 = self.y1 = self.y2 = 0
        self.u1 = self.u2 = self.v1 = self.v2 = 0
        self.p1 = self.p2 = self.q1 = self.q2 = 0

    def update(self, x, u, p):
        y = (
            self.b0 * x
            + self.b1 * self.x1
            + self.b2 * self.x2
            - self.a1 * self.y1
            - self.a2 * self.y2
        ) >> 14
        self.x2 = self.x1
        self.x1 = x
        self.y2 = self.y1
        self.y1 = y
        v = (
            self.b0 * u
            + self.b1 * self.u1
            + self.b2 * self.u2
            - self.a1 * self.v1
            - self.a2 * self.v2
        ) >> 14
        self.u2 = self.u1
        self.u1 = u
        self.v2 = self.v1
        self.v1 = v
        q = (
            self.b0 * p
            + self.b1 * self.p1
            + self.b2 * self.p2
            - self.a1 * self.q1
            - self.a2 * self.q2
        ) >> 14
        self.p2 = self.p1
        self.p1 = p
        self.q2 = self.q1
        self.q1 = q
        return y


def run_engine(rate, gyro, factor, times, samples, n, k, dry=False):
    eng = GaitEngine(rate_hz=rate, gyro=bool(gyro), stride_factor=factor)
    rec = array("i", bytes(4 * N_FIELDS))
    # as the board runs it: FIFO batches of 32 samples in caller-owned buffers
    tb = array("i", bytes(4 * 32))
    sb = array("h", bytes(2 * k * 32))
    spent = 0
    i = 0
    while i < n:
        c = 32 if n - i >= 32 else n - i
        for m in range(c):
            tb[m] = times[i + m]
        for m in range(k * c):
            sb[m] = samples[k * i + m]
        t0 = time.ticks_us()
        if not dry and eng.update_batch(tb, sb, c):
            while eng.pop(rec):
                pass
        spent += time.ticks_diff(time.ticks_us(), t0)
        i += c
    return spent


def run_biquads(samples, n, k):
    filt = Biquad3().update
    t0 = time.ticks_us()
    for i in range(n):
        j = k * i
        filt(samples[j], samples[j + 1], samples[j + 2])
    return time.ticks_diff(time.ticks_us(), t0)


def main(src):
    head = array("i", bytes(44))  # host_tools/replay.py pack_input (offset, gravity unused)
    with open(src, "rb") as f:
        f.readinto(head)
        magic, n, rate, gyro, factor = head[:5]
        times = array("i", bytes(4 * n))
        f.readinto(times)
        k = 6 if gyro else 3
        samples = array("h", bytes(2 * k * n))
        f.readinto(samples)
    part = sys.argv[2] if len(sys.argv) > 2 else None
    if part is not None:
        if part in ("engine", "copy"):
            # "copy" fills the batch buffers as "engine" does, without running the engine
            run_engine(rate, gyro, factor, times, samples, n, k, part == "copy")
        elif part == "biquads":
            run_biquads(samples, n, k)
        print("part", part)
        return
    gc.collect()
    before = gc.mem_alloc()
    eng = GaitEngine(rate_hz=rate, gyro=bool(gyro), stride_factor=factor)
    gc.collect()
    ram = gc.mem_alloc() - before
    assert eng.strides_ == 0  # (and keeps the engine alive until measured)
    # engine and biquads timed in turn, round after round: a shared machine's slow spells then
    # fall on both alike, and the median of the rounds' ratios leaves out the rounds they split
    ratios = []
    t_engine = t_biquad = None
    for _ in range(_ROUNDS):
        te = run_engine(rate, gyro, factor, times, samples, n, k)
        tq = run_biquads(samples, n, k)
        ratios.append(te / tq)
        t_engine = te if t_engine is None else min(t_engine, te)
        t_biquad = tq if t_biquad is None else min(t_biquad, tq)
    ratios.sort()
    print("samples", n)
    print("ram_bytes", ram)
    print("engine_us_per_sample", t_engine / n)
    print("biquad3_us_per_sample", t_biquad / n)
    print("ratio_median", ratios[_ROUNDS // 2])
    print("rounds", _ROUNDS)


main(sys.argv[1])
