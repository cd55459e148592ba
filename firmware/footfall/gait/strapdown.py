"""Strapdown integration of one foot between zero-velocity points, in integers.

Rotation is a 3x3 matrix (sensor to navigation frame, Q14) advanced by the gyro each sample;
acceleration is rotated into the navigation frame, gravity removed, and integrated twice. At each
stance the gait engine hands over the velocity and position it snapshotted at the quietest
sample; `close_stride` turns them into the stride's displacement with a linear drift correction
(a constant tilt or bias error makes the velocity error grow linearly, which this removes) and
restarts the integration from that point.

Units: rotation Q14; acceleration mg; velocity 1/16 mm/s; position "mm/s x samples"
(divided by the rate once per stride). A stride is abandoned after `max_samples`, which with
inputs clamped to +-16 g and +-2000 deg/s keeps every value within +-2**30.
"""

from micropython import const

from .fixmath import ONE, clamp, isqrt, unit3

_Q = const(14)
_MAX_STRIDE_MM = const(20000)  # no foot travels 20 m between two stances
_PI_2P30_OVER_1800 = const(1874033)  # pi * 2**30 / 1800: 0.1 deg -> rad in Q14 * 2**16
_MG_TO_V16_2P12 = const(642689)  # 9.80665 mm/s^2 per mg * 16 * 4096


class Strapdown:
    def __init__(self, rate_hz):
        self.rate = rate_hz
        # 0.1 deg/s for one sample -> Q14 rad, applied as (w * _kw) >> 16
        self._kw = (_PI_2P30_OVER_1800 + rate_hz // 2) // rate_hz
        # mg for one sample -> 1/16 mm/s, applied as (a * _kv) >> 12
        self._kv = (_MG_TO_V16_2P12 + rate_hz // 2) // rate_hz
        self.r = [ONE, 0, 0, 0, ONE, 0, 0, 0, ONE]
        self.g_mg = 1000  # gravity magnitude as this sensor measures it at rest
        self.vx = self.vy = 0
        self.px = self.py = 0
        self.n = 0
        self.max_samples = 2 * rate_hz
        self._tmp = [0, 0, 0, 0, 0, 0]
        # the frame's tilt at the last stance, in sensor axes (Q14 rad, each nav axis clamped
        # to 30 deg), and over how many samples since the stance before, or 0 when the frame
        # was not levelled there (so the tilt is not one stride's)
        self.tilt = [0, 0, 0]
        self.tilt_n = 0
        self._levelled = False
        self._clk = 4096  # the IMU's real rate over rate_hz, Q12, as the sample times say

    def step(self, ax, ay, az, gx, gy, gz, count):
        """Advance a block of `count` samples (1 to 4): sums of their acceleration (mg) and
        rotation (0.1 deg/s)."""
        k = self._kw
        wx = (gx * k) >> 16
        wy = (gy * k) >> 16
        wz = (gz * k) >> 16
        # Only the two horizontal rows of the rotation are needed per sample (each row turns
        # on its own); the vertical row is rebuilt from them at each stance.
        r = self.r
        # (one name at a time: a 6-tuple assignment allocates on MicroPython)
        r00 = r[0]
        r01 = r[1]
        r02 = r[2]
        r10 = r[3]
        r11 = r[4]
        r12 = r[5]
        x0 = r00 + ((r01 * wz - r02 * wy) >> _Q)
        x1 = r01 + ((r02 * wx - r00 * wz) >> _Q)
        x2 = r02 + ((r00 * wy - r01 * wx) >> _Q)
        y0 = r10 + ((r11 * wz - r12 * wy) >> _Q)
        y1 = r11 + ((r12 * wx - r10 * wz) >> _Q)
        y2 = r12 + ((r10 * wy - r11 * wx) >> _Q)
        # A first-order step lengthens the rows; one Newton step per sample keeps them unit.
        nx = ((3 << 28) - x0 * x0 - x1 * x1 - x2 * x2) >> 14
        ny = ((3 << 28) - y0 * y0 - y1 * y1 - y2 * y2) >> 14
        r[0] = x0 = (x0 * nx) >> 15
        r[1] = x1 = (x1 * nx) >> 15
        r[2] = x2 = (x2 * nx) >> 15
        r[3] = y0 = (y0 * ny) >> 15
        r[4] = y1 = (y1 * ny) >> 15
        r[5] = y2 = (y2 * ny) >> 15
        kv = self._kv
        # rows in Q12 here: a sum of four samples at 16 g keeps the products under 2**30
        vx = self.vx + (((((x0 >> 2) * ax + (x1 >> 2) * ay + (x2 >> 2) * az) >> 12) * kv) >> 12)
        vy = self.vy + (((((y0 >> 2) * ax + (y1 >> 2) * ay + (y2 >> 2) * az) >> 12) * kv) >> 12)
        self.vx = vx
        self.vy = vy
        self.px += (vx >> 4) * count
        self.py += (vy >> 4) * count
        self.n += count

    def level(self, gx, gy, gz, measured=True):
        """Reset the rotation so that gravity (gx, gy, gz) in the sensor frame points up; the
        heading is arbitrary (stride lengths do not need one). measured: false when the
        gravity is a guess, so the tilt at the next stance is no gyro drift."""
        r = self.r
        if not unit3(gx, gy, gz, r, 6):
            return False
        ux, uy, uz = r[6], r[7], r[8]
        # navigation x: the sensor axis least aligned with gravity, made horizontal
        fx = fy = fz = 0
        if abs(ux) <= abs(uy) and abs(ux) <= abs(uz):
            fx = ONE
        elif abs(uy) <= abs(uz):
            fy = ONE
        else:
            fz = ONE
        d = (fx * ux + fy * uy + fz * uz) >> _Q
        unit3(fx - ((d * ux) >> _Q), fy - ((d * uy) >> _Q), fz - ((d * uz) >> _Q), r, 0)
        # y = z cross x keeps the frame right-handed
        r[3] = (uy * r[2] - uz * r[1]) >> _Q
        r[4] = (uz * r[0] - ux * r[2]) >> _Q
        r[5] = (ux * r[1] - uy * r[0]) >> _Q
        self._levelled = measured
        return True

    def restart(self):
        self.vx = self.vy = 0
        self.px = self.py = 0
        self.n = 0
        self._levelled = False  # the rotation went on without the gyro: a tilt now is no drift

    def snapshot(self, ax, ay, az, out):
        """Record the state at a candidate zero-velocity sample (after its `step`)."""
        r = self.r
        out[0] = self.vx
        out[1] = self.vy
        out[2] = self.px
        out[3] = self.py
        out[4] = self.n
        # specific force there, navigation frame: at rest it measures the tilt of the frame
        x0 = r[0]
        x1 = r[1]
        x2 = r[2]
        y0 = r[3]
        y1 = r[4]
        y2 = r[5]
        out[5] = (x0 * ax + x1 * ay + x2 * az) >> _Q
        out[6] = (y0 * ax + y1 * ay + y2 * az) >> _Q
        # the vertical row is x cross y (it is kept up to date only at stances)
        z0 = (x1 * y2 - x2 * y1) >> _Q
        z1 = (x2 * y0 - x0 * y2) >> _Q
        z2 = (x0 * y1 - x1 * y0) >> _Q
        out[7] = (z0 * ax + z1 * ay + z2 * az) >> _Q

    def close_stride(self, snap, relevel=False, ms=0):
        """End a stride at a snapshotted zero-velocity sample; restart from that sample.

        snap is what `snapshot` recorded at the quiet sample. Returns the length of the
        drift-corrected horizontal displacement in mm, or -1 if the integration ran too long to
        be trusted. relevel: the frame may be far off (levelled by a guess), and the force at
        the quiet sample is gravity: turn the frame by it, however far. ms: the stride's
        duration by the board's clock (the sample times), or 0.
        """
        vx = snap[0]
        vy = snap[1]
        px = snap[2]
        py = snap[3]
        n = snap[4]
        length = -1
        if 0 < n <= self.max_samples:
            half = (n + 1) >> 1
            dx = (px - (vx >> 4) * half) // self.rate
            dy = (py - (vy >> 4) * half) // self.rate
            dx = clamp(dx, _MAX_STRIDE_MM)
            dy = clamp(dy, _MAX_STRIDE_MM)
            length = isqrt(dx * dx + dy * dy)
            # An IMU's sample clock is not the board's: a cheap one runs a few percent off its
            # nominal rate, and a position integrated twice over samples taken as 1/rate s
            # apart is off by twice that. The sample times measure the real rate: a slow
            # average over strides (within 10% of the nominal one).
            if 0 < ms < 10000:
                e = ms * self.rate // 250  # the samples the board's clock counts, times 4
                if 3 * n < e < 5 * n:  # (a stride restarted on the way is none)
                    q = self._clk
                    q += ((e << 10) // n - q) >> 3
                    self._clk = min(max(q, 3686), 4506)
            q = self._clk
            length = (length * q >> 12) * q >> 12
        # restart from the quiet sample: keep what was integrated since then
        m = self.n - n
        if n > self.max_samples or m < 0 or m > self.max_samples:
            self.restart()
        else:
            self.px -= px + (vx >> 4) * m
            self.py -= py + (vy >> 4) * m
            self.vx -= vx
            self.vy -= vy
            self.n = m
        self.tilt_n = n if self._levelled and 0 < n <= self.max_samples else 0
        self._levelled = self._tilt(snap[5], snap[6], snap[7], relevel)
        return length

    def _tilt(self, gn_x, gn_y, gn_z, relevel):
        # Rotate the frame so that the specific force measured at rest points straight up:
        # a small rotation about the horizontal axes, then re-orthonormalise. True if the
        # frame is levelled now.
        g = self.g_mg
        if g <= 0:
            return False
        dx = gn_y * ONE // g
        dy = -gn_x * ONE // g
        r = self.r
        # the same rotation in sensor axes: what a gyro offset turned the frame by
        cx = clamp(dx, 8192)
        cy = clamp(dy, 8192)
        t = self.tilt
        for j in range(3):
            t[j] = (cx * r[j] + cy * r[3 + j]) >> _Q
        # the vertical row: x cross y
        r[6] = (r[1] * r[5] - r[2] * r[4]) >> _Q
        r[7] = (r[2] * r[3] - r[0] * r[5]) >> _Q
        r[8] = (r[0] * r[4] - r[1] * r[3]) >> _Q
        if dx > 3000 or dx < -3000 or dy > 3000 or dy < -3000 or gn_z <= 0:
            # more than ~10 degrees off: not at rest after all (keep the frame), or a frame
            # levelled by a guess
            if relevel:
                return self._turn_up(gn_x, gn_y, gn_z)
            return False
        for j in range(3):
            r0, r1, r2 = r[j], r[3 + j], r[6 + j]
            r[j] = r0 + ((dy * r2) >> _Q)
            r[3 + j] = r1 - ((dx * r2) >> _Q)
            r[6 + j] = r2 - ((dy * r0 - dx * r1) >> _Q)
        self.orthonormalize()
        return True

    def _turn_up(self, fx, fy, fz):
        # The rotation that takes the navigation-frame direction f straight up, applied to the
        # frame's rows: with u = f / |f|, rows x' = x - ux (ux x + uy y) / (1 + uz) - ux z,
        # y' likewise with uy, z' = ux x + uy y + uz z.
        t = self._tmp
        if not unit3(fx, fy, fz, t, 0):
            return False
        ux = t[0]
        uy = t[1]
        uz = t[2]
        r = self.r
        if uz < 1000 - ONE:
            # within 20 deg of upside down: half a turn about x first (the next stances turn
            # the rest); the turn below would divide by almost nothing
            for j in range(3):
                r[3 + j] = -r[3 + j]
                r[6 + j] = -r[6 + j]
            return False
        c = ONE + uz
        for j in range(3):
            x = r[j]
            y = r[3 + j]
            z = r[6 + j]
            h = (ux * x + uy * y) // c  # Q14
            r[j] = x - ((ux * h + ux * z) >> _Q)
            r[3 + j] = y - ((uy * h + uy * z) >> _Q)
            r[6 + j] = (ux * x + uy * y + uz * z) >> _Q
        self.orthonormalize()
        return True

    def orthonormalize(self):
        r = self.r
        t = self._tmp
        # z row normalised; x made orthogonal to it; y = z cross x
        if not unit3(r[6], r[7], r[8], t, 0):
            self.level(0, 0, ONE)
            return
        ux, uy, uz = t[0], t[1], t[2]
        d = (r[0] * ux + r[1] * uy + r[2] * uz) >> _Q
        if not unit3(
            r[0] - ((d * ux) >> _Q), r[1] - ((d * uy) >> _Q), r[2] - ((d * uz) >> _Q), t, 3
        ):
            self.level(ux, uy, uz)
            return
        r[6], r[7], r[8] = ux, uy, uz
        r[0], r[1], r[2] = t[3], t[4], t[5]
        r[3] = (uy * r[2] - uz * r[1]) >> _Q
        r[4] = (uz * r[0] - ux * r[2]) >> _Q
        r[5] = (ux * r[1] - uy * r[0]) >> _Q
