"""Footfall's laptop tools: replay, evaluate, plot, convert, accuracy, simulate, monitor, and
for boards deploy, pull and the virtual board.

The gait engine lives in firmware/ and is imported from there unchanged; on CPython the
`micropython` module it imports comes from upy_shim/.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRMWARE = os.path.join(ROOT, "firmware")
SHIM = os.path.join(ROOT, "host_tools", "upy_shim")

for _p in (SHIM, FIRMWARE):
    if _p not in sys.path:
        sys.path.insert(0, _p)
