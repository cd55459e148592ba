# ruff: noqa: F821  (include, package, module: given by MicroPython's tools/manifestfile.py)
# Freezes Footfall and this board's board.py into the MicroPython firmware:
#   make -C ports/esp32 BOARD=ESP32_GENERIC \
#       FROZEN_MANIFEST=$FOOTFALL/boards/esp32_devkitc/manifest.py
# Paths are relative to this file (MicroPython's manifest rules).
include("$(PORT_DIR)/boards/manifest.py")
package("footfall", base_path="../../firmware")
module("board.py")
