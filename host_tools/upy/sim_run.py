# Runs the app on the sim board under the MicroPython unix port and prints what it used:
#   micropython -X heapsize=N sim_run.py [--footprint]
# with MICROPYPATH holding the deployed firmware (build/deploy/sim) and FOOTFALL_SIM_* set.
# "footprint": heap bytes in use once every module the app needs is imported (the code, as
# the unix port keeps it in the heap; a board with the firmware frozen keeps it in flash).
# "run": footprint, most heap in use after a collection, steps, crashes, bus errors,
# overruns, log errors, sessions.
import gc
import sys

import board
import fakes.bus
import fakes.lsm6ds  # noqa: F401
import footfall.app
import footfall.ble.peripheral
import footfall.ble.sim_radio
import footfall.drivers.lsm6ds  # noqa: F401

gc.collect()
code = gc.mem_alloc()
if "--footprint" in sys.argv:
    print("footprint", code)
else:
    app = footfall.app.main(board)
    lg = app.logger
    print(
        "run",
        code,
        app.heap_peak,
        app.live.steps,
        app.crashes,
        app.bus_errors,
        app.overruns,
        lg.errors,
        lg.session,
    )
