"""Integer helpers for the gait engine: square root, unit vectors and angles in fixed point.

Everything here runs once per step or less, never per sample. Inputs and results stay inside
+-2**30 so that a 32-bit MicroPython port keeps them as small ints (no heap objects).
"""

from micropython import const

ONE = const(16384)  # 1.0 in Q14: unit vectors and rotation matrices use this scale
_ATAN_TABLE_STEPS = const(32)

# atan(k/32) in tenths of a degree, k = 0..32: a table beats a series on a board without an FPU.
_ATAN_DECIDEG = (
    0,
    18,
    36,
    54,
    71,
    89,
    106,
    123,
    140,
    157,
    174,
    190,
    206,
    221,
    236,
    251,
    266,
    280,
    294,
    307,
    320,
    333,
    345,
    357,
    369,
    380,
    391,
    402,
    412,
    422,
    432,
    441,
    450,
)


def isqrt(n):
    """Floor of the square root of a non-negative int (n < 2**30), by Newton's method."""
    if n <= 0:
        return 0
    x = n
    y = (x + 1) >> 1
    while y < x:
        x = y
        y = (x + n // x) >> 1
    return x


def icbrt16(n):
    """Cube root of a non-negative int (n < 2**30) in 1/16ths: floor by bisection, then one
    Newton step for the fraction."""
    if n <= 0:
        return 0
    lo = 0
    hi = 1023  # 1023**3 < 2**30 <= 1024**3
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if mid * mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return 16 * n // 3 if n < 3 else 16
    return 16 * lo + (n - lo * lo * lo) * 16 // (3 * lo * lo)


def unit3(x, y, z, out, at=0):
    """Write the unit vector along (x, y, z) in Q14 into out[at:at+3]; False if too short.

    The components may be up to 2**15 in size; they are scaled down first so the sum of squares
    stays below 2**30.
    """
    while x > 16000 or x < -16000 or y > 16000 or y < -16000 or z > 16000 or z < -16000:
        x >>= 1
        y >>= 1
        z >>= 1
    n = isqrt(x * x + y * y + z * z)
    if n < 8:
        return False
    out[at] = x * ONE // n
    out[at + 1] = y * ONE // n
    out[at + 2] = z * ONE // n
    return True


def atan2_decideg(y, x):
    """Angle of the vector (x, y) in tenths of a degree, -1800..1800, within about 0.3 deg."""
    if x == 0 and y == 0:
        return 0
    ax = x if x >= 0 else -x
    ay = y if y >= 0 else -y
    # Keep the ratio within 0..1 so the table covers it; scale large inputs down first.
    while ax > 0x7FFF or ay > 0x7FFF:
        ax >>= 1
        ay >>= 1
    if ay <= ax:
        a = _atan_ratio(ay, ax)
    else:
        a = 900 - _atan_ratio(ax, ay)
    if x < 0:
        a = 1800 - a
    return a if y >= 0 else -a


def _atan_ratio(num, den):
    # num <= den; linear interpolation between table entries of atan(k/32).
    if den == 0:
        return 0
    q = num * (_ATAN_TABLE_STEPS * 256) // den  # ratio in 1/8192 steps
    k = q >> 8
    if k >= _ATAN_TABLE_STEPS:
        return 450
    lo = _ATAN_DECIDEG[k]
    return lo + ((_ATAN_DECIDEG[k + 1] - lo) * (q & 0xFF) >> 8)
