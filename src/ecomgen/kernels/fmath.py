"""Our own ``exp``, ``log``, ``log1p``, ``expm1``, ``cos`` and ``pow``: the same bits on every
machine and backend.

A platform's transcendental functions differ in the last bit between NumPy's SIMD code paths,
glibc, and CUDA's libdevice. Any written or discrete value that came from one of them could
change with the machine. These functions use only ``+ - * /`` and exact operations
(``floor``, ``frexp``, ``ldexp``, ``sqrt``), in a fixed order and without fused
multiply-adds, so every IEEE-754 machine computes the same bits.

Each function exists twice, op for op: the scalar one here, compiled by Numba (for the
phase kernels, on CPU threads and, retargeted by numba-cuda, on the GPU), and an array one
over an ``xp`` namespace (NumPy or CuPy, for array glue), suffixed ``_v``, in
:mod:`ecomgen.kernels.fmath_arrays` (which needs no Numba). ``tests/test_fmath.py`` checks
that both give the same bits on millions of inputs.

Range reduction and polynomial coefficients follow fdlibm (e_exp.c, e_log.c, k_sin.c,
k_cos.c; Copyright (C) 1993 by Sun Microsystems, Inc.: "Permission to use, copy, modify,
and distribute this software is freely granted, provided that this notice is preserved"),
with one formula per function (no special-case branches) so the two forms stay identical.
Accuracy: within about 1 ulp for ``exp``, ``log`` and ``cos`` (on the ranges used here),
a few ulp for the others.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ecomgen.kernels.fmath_arrays import (  # noqa: F401 - the shared constants
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    COS_MAX,
    EXP_MAX,
    EXP_MIN,
    HALF_EXPONENT,
    INV_LN2,
    LG1,
    LG2,
    LG3,
    LG4,
    LG5,
    LG6,
    LG7,
    LN2_HI,
    LN2_LO,
    MANTISSA,
    P1,
    P2,
    P3,
    P4,
    P5,
    PIO2_1,
    PIO2_1T,
    S1,
    S2,
    S3,
    S4,
    S5,
    S6,
    SQRT_HALF,
    TWO_OVER_PI,
)

#: Options of every compiled scalar function: cached on disk, no GIL, IEEE division (no
#: Python ZeroDivisionError checks).
scalar = njit(cache=True, nogil=True, error_model="numpy")

@scalar
def exp(x: float) -> float:
    """e**x."""
    if x != x:
        return x
    if x > EXP_MAX:
        return math.inf
    if x < EXP_MIN:
        return 0.0
    k = int(math.floor(x * INV_LN2 + 0.5))  # int: CUDA's floor returns a float
    hi = x - k * LN2_HI
    lo = k * LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    if -1022 <= k <= 1023:  # y * 2**k, the power of two built from its bits: as ldexp
        return y * np.int64((k + 1023) << 52).view(np.float64)
    return math.ldexp(y, k)


@scalar
def log(x: float) -> float:
    """Natural logarithm (x > 0; 0 gives -inf, a negative number nan)."""
    if not x > 0.0:
        return -math.inf if x == 0.0 else math.nan
    if x == math.inf:
        return x
    bits = np.float64(x).view(np.int64)
    e = bits >> 52  # x > 0: no sign bit
    if e > 0:  # a normal number: the mantissa in [0.5, 1) from its bits, as frexp
        m = np.int64((bits & MANTISSA) | HALF_EXPONENT).view(np.float64)
        e = e - 1022
    else:
        m, e = math.frexp(x)
    if m < SQRT_HALF:
        m = m * 2.0
        e = e - 1
    f = m - 1.0
    k = float(e)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)


@scalar
def log1p(x: float) -> float:
    """log(1 + x), accurate for small x (x > -1)."""
    u = 1.0 + x
    if u == 1.0:
        return x
    if u == math.inf:
        return u
    return log(u) * x / (u - 1.0)


@scalar
def expm1(x: float) -> float:
    """e**x - 1, accurate for small x."""
    u = exp(x)
    if u == 1.0:
        return x
    if u == math.inf:
        return u
    um1 = u - 1.0
    if um1 == -1.0:
        return -1.0
    return um1 * (x / log(u))


@scalar
def _sin_kernel(r: float) -> float:
    z = r * r
    p = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))
    return r + (z * r) * (S1 + z * p)


@scalar
def _cos_kernel(r: float) -> float:
    z = r * r
    p = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))))
    hz = 0.5 * z
    w = 1.0 - hz
    return w + (((1.0 - w) - hz) + z * p)


@scalar
def cos(x: float) -> float:
    """Cosine of x (|x| up to COS_MAX; nan beyond)."""
    if not abs(x) <= COS_MAX:
        return math.nan
    n = int(math.floor(x * TWO_OVER_PI + 0.5))
    r = (x - n * PIO2_1) - n * PIO2_1T
    q = n & 3
    if q == 0:
        return _cos_kernel(r)
    if q == 1:
        return -_sin_kernel(r)
    if q == 2:
        return -_cos_kernel(r)
    return _sin_kernel(r)


@scalar
def rint(x: float) -> float:
    """x rounded to the nearest whole number, halves to even (as ``numpy.rint``; exact)."""
    if not abs(x) < 4503599627370496.0:  # 2**52 and above: already whole (or nan, inf)
        return x
    f = int(math.floor(x))
    frac = x - f  # exact: the fraction of a double is a double
    r = float(f + 1) if frac > 0.5 or (frac == 0.5 and f % 2 != 0) else float(f)
    return math.copysign(r, x) if r == 0.0 else r  # numpy.rint keeps the sign of a zero


@scalar
def pow(x: float, y: float) -> float:  # noqa: A001 - the name of the function it replaces
    """x**y for x >= 0."""
    if x == 0.0:
        return 0.0 if y > 0.0 else (math.inf if y < 0.0 else 1.0)
    return exp(y * log(x))


