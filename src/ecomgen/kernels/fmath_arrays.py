"""Our own ``exp``, ``log``, ``log1p``, ``expm1``, ``cos`` and ``pow`` in array form (NumPy or
CuPy), op for op the same as the compiled scalar forms of :mod:`ecomgen.kernels.fmath`.

See that module for why they exist and how they work. This half needs no Numba, so array
glue, entity generation and the commands that only read data import it without loading a
compiler; ``tests/test_fmath.py`` checks that both halves give the same bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

LN2_HI = 6.93147180369123816490e-01  # 0x3FE62E42 FEE00000: k * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.44269504088896338700e00
#: exp overflows above this and underflows to 0 below EXP_MIN.
EXP_MAX = 7.09782712893383973096e02
EXP_MIN = -7.45133219101941108420e02
P1 = 1.66666666666666019037e-01
P2 = -2.77777777770155933842e-03
P3 = 6.61375632143793436117e-05
P4 = -1.65339022054652515390e-06
P5 = 4.13813679705723846039e-08

SQRT_HALF = 7.07106781186547524401e-01
#: A double's mantissa bits, and the exponent bits of 0.5.
MANTISSA = (1 << 52) - 1
HALF_EXPONENT = 1022 << 52
LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01

TWO_OVER_PI = 6.36619772367581382433e-01
PIO2_1 = 1.57079632673412561417e00  # first 33 bits of pi/2: n * PIO2_1 is exact
PIO2_1T = 6.07710050650619224932e-11  # pi/2 - PIO2_1
S1 = -1.66666666666666324348e-01
S2 = 8.33333333332248946124e-03
S3 = -1.98412698298579493134e-04
S4 = 2.75573137070700676789e-06
S5 = -2.50507602534068634195e-08
S6 = 1.58969099521155010221e-10
C1 = 4.16666666666666019037e-02
C2 = -1.38888888888741095749e-03
C3 = 2.48015872894767294178e-05
C4 = -2.75573143513906633035e-07
C5 = 2.08757232129817482790e-09
C6 = -1.13596475577881948265e-11
#: cos's argument is reduced by multiples of pi/2; beyond this the reduction loses bits.
COS_MAX = 1.0e6


def _f64(xp: Any, x: Any) -> Any:
    return xp.asarray(x, dtype=xp.float64)


def exp_v(xp: Any, x: Any) -> Any:
    """Array form of :func:`exp`."""
    x = _f64(xp, x)
    xc = xp.where(x != x, 0.0, xp.clip(x, EXP_MIN, EXP_MAX))  # floor and ldexp stay finite
    k = xp.floor(xc * INV_LN2 + 0.5)
    hi = xc - k * LN2_HI
    lo = k * LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    out = xp.ldexp(y, k.astype(xp.int32))
    out = xp.where(x > EXP_MAX, xp.inf, xp.where(x < EXP_MIN, 0.0, out))
    return xp.where(x != x, x, out)


def log_v(xp: Any, x: Any) -> Any:
    """Array form of :func:`log`."""
    x = _f64(xp, x)
    ok = (x > 0.0) & (x < xp.inf)
    xs = xp.where(ok, x, 1.0)
    m, e = xp.frexp(xs)
    small = m < SQRT_HALF
    m = xp.where(small, m * 2.0, m)
    k = (e - small).astype(xp.float64)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    out = k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
    out = xp.where(x == xp.inf, xp.inf, out)
    return xp.where(ok | (x == xp.inf), out, xp.where(x == 0.0, -xp.inf, xp.nan))


def log1p_v(xp: Any, x: Any) -> Any:
    """Array form of :func:`log1p`."""
    x = _f64(xp, x)
    u = 1.0 + x
    plain = (u == 1.0) | (u == xp.inf)
    us = xp.where(plain, 2.0, u)
    out = log_v(xp, us) * x / (us - 1.0)
    return xp.where(u == 1.0, x, xp.where(u == xp.inf, u, out))


def expm1_v(xp: Any, x: Any) -> Any:
    """Array form of :func:`expm1`."""
    x = _f64(xp, x)
    u = exp_v(xp, x)
    um1 = u - 1.0
    plain = (u == 1.0) | (u == xp.inf) | (um1 == -1.0)
    us = xp.where(plain, 2.0, u)
    out = (us - 1.0) * (x / log_v(xp, us))
    out = xp.where(um1 == -1.0, -1.0, out)
    return xp.where(u == 1.0, x, xp.where(u == xp.inf, u, out))


def _sin_kernel_v(r: Any) -> Any:
    z = r * r
    p = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))
    return r + (z * r) * (S1 + z * p)


def _cos_kernel_v(r: Any) -> Any:
    z = r * r
    p = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))))
    hz = 0.5 * z
    w = 1.0 - hz
    return w + (((1.0 - w) - hz) + z * p)


def cos_v(xp: Any, x: Any) -> Any:
    """Array form of :func:`cos`."""
    x = _f64(xp, x)
    ok = xp.abs(x) <= COS_MAX
    xs = xp.where(ok, x, 0.0)
    n = xp.floor(xs * TWO_OVER_PI + 0.5)
    r = (xs - n * PIO2_1) - n * PIO2_1T
    q = n.astype(xp.int64) & 3
    c, s = _cos_kernel_v(r), _sin_kernel_v(r)
    out = xp.where(q == 0, c, xp.where(q == 1, -s, xp.where(q == 2, -c, s)))
    return xp.where(ok, out, xp.nan)


def pow_v(xp: Any, x: Any, y: Any) -> Any:
    """Array form of :func:`pow` (x >= 0)."""
    x, y = _f64(xp, x), _f64(xp, y)
    zero = x == 0.0
    out = exp_v(xp, y * log_v(xp, xp.where(zero, 1.0, x)))
    at_zero = xp.where(y > 0.0, 0.0, xp.where(y < 0.0, xp.inf, 1.0))
    return xp.where(zero, at_zero, out)


class _Host:
    """The functions on single host numbers, through their array forms (the same bits as the
    compiled forms, with no compiled code to load): for constants the glue derives from the
    configuration."""

    @staticmethod
    def exp(x: float) -> float:
        """e**x."""
        return float(exp_v(np, x))

    @staticmethod
    def log(x: float) -> float:
        """Natural logarithm."""
        return float(log_v(np, x))

    @staticmethod
    def log1p(x: float) -> float:
        """log(1 + x)."""
        return float(log1p_v(np, x))

    @staticmethod
    def expm1(x: float) -> float:
        """e**x - 1."""
        return float(expm1_v(np, x))

    @staticmethod
    def pow(x: float, y: float) -> float:  # noqa: A003 - the name of the function
        """x**y for x >= 0."""
        return float(pow_v(np, x, y))


#: :class:`_Host`: ``fm.host.exp(x)`` and so on.
host = _Host()
