"""Every firmware module (and every board.py) compiles with mpy-cross for the boards' CPUs."""

import os
import subprocess

import pytest

from host_tools import mpy_size
from host_tools.replay import micropython_command

ROOT = mpy_size.ROOT
BOARD_FILES = sorted(
    os.path.join("boards", name, "board.py")
    for name in os.listdir(os.path.join(ROOT, "boards"))
    if os.path.isfile(os.path.join(ROOT, "boards", name, "board.py"))
)


def _have_mpy_cross():
    try:
        mpy_size.mpy_cross_exe()
    except FileNotFoundError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _have_mpy_cross(), reason="mpy-cross is not installed")


@pytest.mark.parametrize("arch", mpy_size.ARCHES)
def test_every_module_compiles(arch, tmp_path):
    modules = [os.path.join("firmware", m) for m in mpy_size.python_modules()] + BOARD_FILES
    assert any(m.endswith(os.path.join("drivers", "lsm6ds.py")) for m in modules)
    errors = []
    for i, rel in enumerate(modules):
        try:
            size = mpy_size.compile_module(os.path.join(ROOT, rel), arch, str(tmp_path / str(i)))
            assert size > 0
        except mpy_size.CompileError as e:
            errors.append(str(e))
    assert not errors, "\n".join(errors)


def test_a_module_that_does_not_compile_is_reported(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n    pass\n")
    with pytest.raises(mpy_size.CompileError, match="bad.py"):
        mpy_size.compile_module(str(bad), "armv7emsp", str(tmp_path / "bad.mpy"))


def test_firmware_size_is_the_sum_of_its_modules():
    sizes = mpy_size.firmware_sizes("armv7emsp")
    assert set(sizes) == set(mpy_size.python_modules())
    assert mpy_size.firmware_mpy_size("armv7emsp") == sum(sizes.values()) > 0
    packages = mpy_size.by_package(sizes)
    assert sum(packages.values()) == sum(sizes.values())
    assert os.path.join("footfall", "drivers") in packages


def test_unknown_architecture_is_refused(tmp_path):
    with pytest.raises(ValueError, match="armv7emsp"):
        mpy_size.compile_module(__file__, "z80", str(tmp_path / "x.mpy"))


def test_a_module_compiled_without_line_numbers_raises_without_them(tmp_path):
    # what the boards get for the gait engine: the unix port runs both builds of one module
    src = tmp_path / "boom.py"
    src.write_text("def f():\n    x = 1\n    raise ValueError(x)\n")
    told = {}
    for lines in (True, False):
        out = tmp_path / ("with" if lines else "without")
        out.mkdir()
        mpy_size.compile_module(
            str(src), "x64", str(out / "boom.mpy"), source_name="boom.py", line_numbers=lines
        )
        run = subprocess.run(
            [
                micropython_command(),
                "-c",
                "import sys; sys.path.insert(0, %r)\nimport boom\nboom.f()" % str(out),
            ],
            capture_output=True,
            text=True,
        )
        told[lines] = run.stdout + run.stderr  # the unix port prints tracebacks to stdout
        assert "ValueError: 1" in told[lines]
    assert 'File "boom.py", line 3' in told[True]
    # without them, every frame says line 1
    assert 'File "boom.py", line 3' not in told[False] and 'File "boom.py"' in told[False]


def test_only_what_the_laptop_runs_unchanged_goes_without_line_numbers():
    # the engine, the BLE logic, the live metrics (simulate) and the raw log format (pull)
    assert not mpy_size.keeps_line_numbers(os.path.join("footfall", "gait", "engine.py"))
    assert not mpy_size.keeps_line_numbers("footfall/gait/strapdown.py")
    assert not mpy_size.keeps_line_numbers(os.path.join("footfall", "ble", "rsc.py"))
    assert not mpy_size.keeps_line_numbers("footfall/ble/peripheral.py")
    assert not mpy_size.keeps_line_numbers("footfall/live.py")
    assert not mpy_size.keeps_line_numbers(os.path.join("footfall", "rawlog.py"))
    assert not mpy_size.keeps_line_numbers("footfall/pipeline.py")  # (the sim board runs it)
    assert not mpy_size.keeps_line_numbers("footfall/stamp.py")
    for rel in (
        "footfall/app.py",
        "footfall/logger.py",
        "footfall/session.py",
        "footfall/logfolder.py",
        "footfall/ble/radio_bluetooth.py",
        os.path.join("footfall", "ble", "radio_ubluepy.py"),
        "footfall/ports/esp32.py",
    ):
        assert mpy_size.keeps_line_numbers(rel), rel
