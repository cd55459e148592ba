# The engine's tests on the MicroPython unix port: the shared cases, the BLE checks, and the
# proof that the per-sample path allocates nothing (heap locked over more than 60 s of real
# samples). Run by `make test-micropython`:
#   MICROPYPATH=firmware:tests/upy:tests micropython -X heapsize=2M tests/upy/run.py
import gc
import sys
from array import array

import engine_cases
import micropython
from footfall.gait import GaitEngine
from footfall.gait import record as R


def heap_locked_replay(gyro, up=1):
    # The real running excerpt four times over (each a new run after a pause), the first one
    # joined mid-run (an engine started in motion), the last losing 6 samples in every 100 (a
    # lossy radio link: the engine bridges the gaps): over a minute of samples, every batch
    # fed and every step popped with the heap locked; with its gyro and without (the stride
    # model's path). up=2: each sample twice, at twice the rate (the engine averages them,
    # averaging.py).
    gc.collect()  # the cases before leave garbage behind
    rate, _, t1, s1 = engine_cases.load(engine_cases.RUN)
    k = 6 if gyro else 3

    def kept(copy, i):
        return not (copy == 0 and t1[i] < 4000) and not (copy == 3 and i % 100 >= 94)

    # made at their full size: grown sample by sample they would copy themselves as they grow
    n = sum(1 for copy in range(4) for i in range(len(t1)) if kept(copy, i))
    times = array("i", bytes(4 * n))
    samples = array("h", bytes(2 * k * n))
    offset = 0
    j = 0
    for copy in range(4):
        for i in range(len(t1)):
            if kept(copy, i):
                times[j] = t1[i] + offset
                for c in range(k):
                    samples[k * j + c] = s1[6 * i + c]
                j += 1
        offset = times[j - 1] + 3000
    if up == 2:
        t1 = s1 = None
        gc.collect()
        times, samples = engine_cases.at_twice_the_rate(rate, times, samples, k)
    seconds = (times[-1] - times[0]) // 1000
    assert seconds >= 60, seconds
    eng = GaitEngine(rate_hz=rate * up, gyro=gyro)
    rec = array("i", bytes(4 * R.N_FIELDS))
    tbuf = array("i", bytes(4 * 32))
    sbuf = array("h", bytes(2 * 6 * 32))
    n = len(times)
    i = 0
    steps = 0
    gc.collect()
    while i < n:
        c = 32 if n - i >= 32 else n - i
        for m in range(c):
            tbuf[m] = times[i + m]
        for m in range(k * c):
            sbuf[m] = samples[k * i + m]
        micropython.heap_lock()
        try:
            eng.update_batch(tbuf, sbuf, c)
            while eng.pop(rec):
                steps += 1
        finally:
            micropython.heap_unlock()
        i += c
    assert steps > 60, steps
    print(
        "heap locked over %d s of samples at %d Hz%s: %d steps, no allocation"
        % (seconds, rate * up, "" if gyro else " without the gyro", steps)
    )


def main():
    failed = 0
    for case in engine_cases.all_cases():
        try:
            case()
            print("ok  ", case.__name__)
        except Exception as e:  # report every case, then fail
            failed += 1
            print("FAIL", case.__name__, repr(e))
            sys.print_exception(e)
    for gyro, up in ((True, 1), (False, 1), (True, 2)):
        try:
            heap_locked_replay(gyro, up)
        except Exception as e:
            failed += 1
            print("FAIL heap_locked_replay", gyro, up, repr(e))
            sys.print_exception(e)
    import test_ble_upy  # noqa: F401  (runs its checks on import and prints "ok")

    if failed:
        print("%d failed" % failed)
        sys.exit(1)
    print("all passed")


main()
