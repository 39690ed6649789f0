"""Keyed draws in scalar form: the compiled twins of :class:`ecomgen.rng.Stream`'s methods.

A draw hashes a stream's 64-bit key with the draw's integer keys through the splitmix64
finaliser (``h = mix(h + (k + 1) * GOLDEN)`` per key), exactly as ``ecomgen.rng`` does on
arrays; the transforms (uniforms, normals, Zipf ranks ...) repeat the array code op for op
with the platform-independent math of :mod:`ecomgen.kernels.fmath`. So a kernel and the
array code draw the same bits for the same keys (``tests/test_kernel_draws.py``).

Leading keys that are the same for a whole launch (the day) are folded into the stream key
on the host (:meth:`ecomgen.rng.Rng.keys`): a kernel receives one uint64 per stream it draws from.
"""

from __future__ import annotations

import math

import numpy as np

from ecomgen.kernels.fmath import cos as fcos
from ecomgen.kernels.fmath import exp, expm1, log, log1p, pow, scalar
from ecomgen.rng import _C1, _C2
from ecomgen.rng import GOLDEN as _GOLDEN

GOLDEN = np.uint64(_GOLDEN)
C1 = np.uint64(_C1)
C2 = np.uint64(_C2)
ONE = np.uint64(1)
S11, S27, S30, S31, S32 = (np.uint64(k) for k in (11, 27, 30, 31, 32))
LOW32 = np.uint64(0xFFFFFFFF)
TWO_M53 = 1.0 / (1 << 53)
TWO_M32 = 1.0 / (1 << 32)
TWO_PI = 2.0 * math.pi
#: Largest geometric draw (a float, so a tiny success chance cannot overflow an int64).
GEOMETRIC_MAX = float(1 << 62)


# -- hashing ----------------------------------------------------------------------------------
@scalar
def mix(z: np.uint64) -> np.uint64:
    """splitmix64 finaliser."""
    z = (z ^ (z >> S30)) * C1
    z = (z ^ (z >> S27)) * C2
    return z ^ (z >> S31)


@scalar
def fold(h: np.uint64, k: int) -> np.uint64:
    """The hash ``h`` with one more integer key."""
    return mix(h + (np.uint64(k) + ONE) * GOLDEN)


@scalar
def h1(key: np.uint64, a: int) -> np.uint64:
    """Bits of a stream at one key."""
    return fold(key, a)


@scalar
def h2(key: np.uint64, a: int, b: int) -> np.uint64:
    """Bits of a stream at two keys."""
    return fold(fold(key, a), b)


@scalar
def h3(key: np.uint64, a: int, b: int, c: int) -> np.uint64:
    """Bits of a stream at three keys."""
    return fold(fold(fold(key, a), b), c)


# -- transforms -------------------------------------------------------------------------------
@scalar
def uniform(h: np.uint64) -> float:
    """Uniform in [0, 1) from hashed bits."""
    return float(h >> S11) * TWO_M53


@scalar
def uniform_open(h: np.uint64) -> float:
    """Uniform in (0, 1) from hashed bits (safe for logarithms)."""
    return (float(h >> S11) + 0.5) * TWO_M53


@scalar
def normal(h: np.uint64) -> float:
    """Standard normal (Box-Muller on the two 32-bit halves of the bits)."""
    u1 = (float(h >> S32) + 0.5) * TWO_M32
    u2 = float(h & LOW32) * TWO_M32
    return math.sqrt(-2.0 * log(u1)) * fcos(TWO_PI * u2)


@scalar
def lognormal(h: np.uint64, median: float, sigma: float) -> float:
    """Lognormal with the given median and log-space sigma."""
    return median * exp(sigma * normal(h))


@scalar
def integers(u: float, low: int, high: int) -> int:
    """Integer uniform in [low, high) from a uniform."""
    return low + int(math.floor(u * float(high - low)))


@scalar
def geometric(u_open: float, p: float) -> int:
    """Failures before the first success with success chance p, from an open uniform (at
    most 2**62: a tiny p cannot overflow)."""
    return int(math.floor(min(log(u_open) / log1p(-p), GEOMETRIC_MAX)))


@scalar
def geometric_below(u: float, p: float, n: int) -> int:
    """Geometric failures conditioned on staying below n, by inversion of a uniform."""
    log_q = log1p(-p)
    return geometric_below_from(u, log_q, -expm1(n * log_q), n)


@scalar
def geometric_below_from(u: float, log_q: float, below: float, n: int) -> int:
    """:func:`geometric_below` given ``log_q`` = log1p(-p) and ``below`` = -expm1(n log_q),
    the chance of staying below n (tabulated by the caller for the few p and n it uses)."""
    k = int(math.floor(log1p(-(u * below)) / log_q))
    return min(max(k, 0), n - 1)


@scalar
def zipf_top(n: int, s: float, offset: float) -> float:
    """The constant of :func:`zipf_from` for n ranks (log of the span when s is 1, else the
    upper bound raised to 1 - s)."""
    lo = 1.0 + offset
    if abs(s - 1.0) < 1e-9:
        return log((float(n) + lo) / lo)
    return pow(float(n) + lo, 1.0 - s)


@scalar
def zipf_from(u: float, n: int, s: float, offset: float, lo_a: float, top: float) -> int:
    """Rank in [0, n) with chance about (rank + 1 + offset) ** -s, from a uniform, given
    ``lo_a`` = (1 + offset) ** (1 - s) and ``top`` = :func:`zipf_top` (per n, s)."""
    lo = 1.0 + offset
    x = lo * exp(u * top) if abs(s - 1.0) < 1e-9 else pow(u * (top - lo_a) + lo_a,
                                                          1.0 / (1.0 - s))
    r = int(math.floor(x - offset)) - 1
    return min(max(r, 0), max(n - 1, 0))


@scalar
def zipf_rank(u: float, n: int, s: float, offset: float) -> int:
    """Rank in [0, n) with chance about (rank + 1 + offset) ** -s, from a uniform (as
    :meth:`ecomgen.rng.Stream.zipf_rank`)."""
    return zipf_from(u, n, s, offset, pow(1.0 + offset, 1.0 - s), zipf_top(n, s, offset))


@scalar
def search_right(cdf: np.ndarray, lo: int, hi: int, x: float) -> int:
    """Index (from ``lo``) of the first entry of ``cdf[lo:hi]`` above x (bisection)."""
    a, b = lo, hi
    while a < b:
        m = (a + b) >> 1
        if cdf[m] <= x:
            a = m + 1
        else:
            b = m
    return a - lo


@scalar
def choice(cdf: np.ndarray, last: int, u: float) -> int:
    """Index drawn by a uniform from cumulative weights (``last``: the last index with
    weight), as :meth:`ecomgen.rng.Stream.choice`."""
    return min(search_right(cdf, 0, cdf.shape[0], u * cdf[cdf.shape[0] - 1]), last)
