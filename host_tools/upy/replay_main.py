# Runs under the MicroPython unix port: replays a trace that host_tools/replay.py packed into
# integers, through the same engine and the same CSV formatting as the CPython replay.
# usage: micropython replay_main.py INPUT.bin EVENTS.csv
import sys
from array import array

from footfall.gait import GaitEngine
from footfall.gait.record import HEADER, N_FIELDS, format_row

_CHUNK = 256
_HEAD = 11  # magic, samples, rate, gyro, stride factor, gyro offset x, y, z, gravity x, y, z


def main(src, dst):
    head = array("i", bytes(4 * _HEAD))
    with open(src, "rb") as f:
        f.readinto(head)
    magic, n, rate, gyro, factor = head[:5]
    if magic != 0x46544633:
        raise ValueError("%s: not a packed footfall replay input" % src)
    k = 6 if gyro else 3
    offset = (head[5], head[6], head[7])
    gravity = (head[8], head[9], head[10])
    eng = GaitEngine(
        rate_hz=rate, gyro=bool(gyro), stride_factor=factor, gyro_offset=offset, gravity_mg=gravity
    )
    times = array("i", bytes(4 * _CHUNK))
    samples = array("h", bytes(2 * k * _CHUNK))
    rec = array("i", bytes(4 * N_FIELDS))
    ft = open(src, "rb")
    fs = open(src, "rb")
    ft.seek(4 * _HEAD)
    fs.seek(4 * _HEAD + 4 * n)
    out = open(dst, "w")
    out.write(HEADER + "\n")
    done = 0
    while done < n:
        c = n - done if n - done < _CHUNK else _CHUNK
        ft.readinto(memoryview(times)[:c])
        fs.readinto(memoryview(samples)[: k * c])
        eng.update_batch(times, samples, c)
        while eng.pop(rec):
            out.write(format_row(rec) + "\n")
        done += c
    eng.flush()
    while eng.pop(rec):
        out.write(format_row(rec) + "\n")
    out.close()
    ft.close()
    fs.close()
    print("totals", eng.strides_, eng.distance_mm_, eng.dropped_)


main(sys.argv[1], sys.argv[2])
