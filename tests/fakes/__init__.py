"""Register-level fakes of the IMU chips and of the I2C bus, fed with recorded traces.

Pure Python that CPython and the MicroPython unix port both run (no numpy here): the `sim`
board builds its IMU from these. Units fed in are the engine's: mg and 0.1 deg/s.
"""
