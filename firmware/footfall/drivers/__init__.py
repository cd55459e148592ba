"""IMU drivers: the bus is passed in, nothing touches hardware at import.

Every driver has the same surface, which the app loop uses:

    imu.has_gyro                      # bool
    imu.rate_hz                       # output data rate actually set
    n = imu.read_fifo(samples, max)   # ax, ay, az[, gx, gy, gz] per sample into an array('h'),
                                      # in mg and 0.1 deg/s; returns the count; never allocates
    imu.overruns_                     # FIFO overruns seen (each one re-arms the FIFO)

Import the one you need (footfall.drivers.lsm6ds, .lsm9ds1, .lis3dh, .mpu6050): each is a separate
module so a board only pays for its own chip.
"""
