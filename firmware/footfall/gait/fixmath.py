"""Integer helpers for the gait engine: square and cube roots, unit vectors in fixed point.

Everything here but `clamp` (for inputs beyond their range) runs once per step or less, never
per sample. Inputs and results stay inside +-2**30 so that a 32-bit MicroPython port keeps them
as small ints (no heap objects).
"""

from micropython import const

ONE = const(16384)  # 1.0 in Q14: unit vectors and rotation matrices use this scale


def clamp(x, limit):
    """x within +-limit."""
    if x > limit:
        return limit
    if x < -limit:
        return -limit
    return x


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
