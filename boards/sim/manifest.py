# ruff: noqa: F821  (include, package, module: given by MicroPython's tools/manifestfile.py)
# Freezes Footfall, the chip fakes and this board.py into the unix port (optional: the sim
# board also runs from source with MICROPYPATH=firmware:tests:boards/sim):
#   make -C ports/unix \
#       FROZEN_MANIFEST=$FOOTFALL/boards/sim/manifest.py
# Paths are relative to this file (MicroPython's manifest rules).
include("$(PORT_DIR)/variants/manifest.py")
package("footfall", base_path="../../firmware")
package(
    "fakes",
    files=["__init__.py", "bus.py", "chip.py", "lsm6ds.py", "tracefile.py"],
    base_path="../../tests",
)
module("board.py")
