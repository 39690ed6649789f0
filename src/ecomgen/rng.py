"""Keyed, counter-based randomness: every value is a pure function of (seed, stream, key).

A stream hashes its name and the root seed into a 64-bit key; a draw mixes that key with
the caller's integer key columns (entity ids, day, event index, draw number) through the
splitmix64 finaliser. Only plain uint64 array arithmetic is used, so NumPy and CuPy give
bit-identical bits, and any chunking of the keys gives the same values.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from ecomgen.kernels import fmath_arrays as fm

GOLDEN = 0x9E3779B97F4A7C15
_C1 = 0xBF58476D1CE4E5B9
_C2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1
_TWO_M53 = 1.0 / (1 << 53)
_TWO_M32 = 1.0 / (1 << 32)
TWO_PI = 2.0 * math.pi

#: Elements hashed per pass on the CPU (small passes stay in cache and run faster).
DEFAULT_CHUNK = 65_536


def mix64(x: int) -> int:
    """splitmix64 finaliser on a Python int (used to derive stream keys)."""
    x &= _MASK
    x = ((x ^ (x >> 30)) * _C1) & _MASK
    x = ((x ^ (x >> 27)) * _C2) & _MASK
    return x ^ (x >> 31)


def fnv1a64(text: str) -> int:
    """64-bit FNV-1a hash of a UTF-8 string."""
    h = 0xCBF29CE484222325
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001B3) & _MASK
    return h


def stream_key(seed: int, name: str) -> int:
    """Key of the named stream under a root seed."""
    return mix64(mix64((seed & _MASK) + GOLDEN) ^ fnv1a64(name))


def _mix_inplace(xp: Any, z: Any) -> Any:
    z ^= z >> xp.uint64(30)
    z *= xp.uint64(_C1)
    z ^= z >> xp.uint64(27)
    z *= xp.uint64(_C2)
    z ^= z >> xp.uint64(31)
    return z


#: Call sites of each stream name: stream name -> {(file, line)} of the draws made with it.
Sites = dict[str, set[tuple[str, int]]]


def _call_site() -> tuple[str, int]:
    """File and line of the innermost caller outside this module."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename == __file__:
        f = f.f_back  # type: ignore[assignment]
    return (f.f_code.co_filename, f.f_lineno or 0) if f is not None else ("?", 0)


class Stream:
    """One named random stream; every method is a pure function of its key arguments.

    A stream serves one purpose: two different draws need two names (not one name told
    apart by a trailing constant key). ``sites``, when given, records where each draw of
    the stream is made, so a name used for two purposes can be found.
    """

    def __init__(self, xp: Any, seed: int, name: str, chunk: int = DEFAULT_CHUNK,
                 sites: Sites | None = None) -> None:
        self.xp = xp
        self.seed = int(seed)
        self.name = name
        self.key = stream_key(seed, name)
        self.chunk = max(int(chunk), 1)
        self.sites = sites
        self._tail: Stream | None = None

    def _normal_tail(self) -> Stream:
        """Sub-stream of the normal approximation used by large Poisson and binomial draws."""
        if self._tail is None:
            self._tail = Stream(self.xp, self.seed, self.name + "/normal_tail", self.chunk,
                                self.sites)
        return self._tail

    # -- raw bits ---------------------------------------------------------------------
    def bits(self, *keys: Any) -> Any:
        """uint64 hash of the broadcast key columns."""
        return self._draw(keys, "bits")

    def _draw(self, keys: tuple[Any, ...], out: str) -> Any:
        """The hash of ``keys`` ending in the transform ``out`` (``_OUTPUTS``): one fused
        kernel where the namespace has them, else array operations (in cache-sized chunks
        on the CPU)."""
        xp = self.xp
        if self.sites is not None:
            self.sites.setdefault(self.name, set()).add(_call_site())
        h0 = self.key
        rest = list(keys)
        while rest and _scalar(rest[0]):  # leading scalar keys fold into the stream key
            h0 = mix64(h0 + (int(rest.pop(0)) + 1) * GOLDEN)
        if not rest:
            return _finish(xp, xp.asarray(np.uint64(h0)), out)
        # Scalar columns are passed pre-multiplied, as the fused kernel takes them.
        cols = [np.uint64(((int(k) + 1) * GOLDEN) & _MASK) if _scalar(k) else xp.asarray(k)
                for k in rest]
        arrays = [c for c in cols if not isinstance(c, np.uint64)]
        if (getattr(xp, "ElementwiseKernel", None) is not None
                and all(c.dtype.kind in "iub" for c in arrays)):
            sig = "".join("s" if isinstance(c, np.uint64) else "a" for c in cols)
            return fused_kernel(xp, sig, out)(*cols, np.uint64(h0))
        shape = np.broadcast_shapes(*[c.shape for c in arrays])
        n = int(np.prod(shape)) if shape else 1
        if xp is not np or n <= self.chunk:
            return _finish(xp, _hash_columns(xp, h0, cols), out)
        flat = [c if isinstance(c, np.uint64) else xp.broadcast_to(c, shape).reshape(-1)
                for c in cols]
        h = xp.empty(n, dtype=xp.uint64)
        for lo in range(0, n, self.chunk):
            hi = min(lo + self.chunk, n)
            h[lo:hi] = _hash_columns(xp, h0, [c if isinstance(c, np.uint64) else c[lo:hi]
                                              for c in flat])
        return _finish(xp, h.reshape(shape), out)

    # -- continuous -------------------------------------------------------------------
    def uniform(self, *keys: Any) -> Any:
        """float64 uniforms in [0, 1)."""
        return self._draw(keys, "uniform")

    def uniform_open(self, *keys: Any) -> Any:
        """float64 uniforms in (0, 1), safe for logarithms."""
        return self._draw(keys, "uniform_open")

    def normal(self, *keys: Any, mean: Any = 0.0, sd: Any = 1.0) -> Any:
        """Normal draws (Box-Muller on the two 32-bit halves of one hash)."""
        xp = self.xp
        b = self.bits(*keys)
        u1 = ((b >> xp.uint64(32)).astype(xp.float64) + 0.5) * _TWO_M32
        u2 = (b & xp.uint64(0xFFFFFFFF)).astype(xp.float64) * _TWO_M32
        z = xp.sqrt(-2.0 * fm.log_v(xp, u1)) * fm.cos_v(xp, TWO_PI * u2)
        return mean + sd * z

    def lognormal(self, *keys: Any, median: Any = 1.0, sigma: Any = 1.0) -> Any:
        """Lognormal draws with the given median and log-space sigma."""
        return median * fm.exp_v(self.xp, sigma * self.normal(*keys))

    # -- discrete ---------------------------------------------------------------------
    def integers(self, low: Any, high: Any, *keys: Any) -> Any:
        """Integers uniform in [low, high) (arrays broadcast)."""
        xp = self.xp
        u = self.uniform(*keys)
        span = xp.asarray(high, dtype=xp.int64) - xp.asarray(low, dtype=xp.int64)
        return xp.asarray(low, dtype=xp.int64) + xp.floor(u * span).astype(xp.int64)

    def bernoulli(self, p: Any, *keys: Any) -> Any:
        """Booleans true with probability p."""
        return self.uniform(*keys) < p

    def choice(self, weights: Any, *keys: Any) -> Any:
        """Index drawn with the given (unnormalised) weights, one per key."""
        xp = self.xp
        w = np.asarray(to_numpy(weights), dtype=np.float64)
        cdf = cumulative(xp, w)
        u = self.uniform(*keys) * cdf[-1]
        idx = xp.searchsorted(cdf, u, side="right")
        # u * total may round up to the total: take the last index with weight, never a
        # trailing one without.
        last = int(np.flatnonzero(w > 0)[-1]) if (w > 0).any() else w.shape[0] - 1
        return xp.minimum(idx, last).astype(xp.int64, copy=False)

    def choice_rows(self, cdf_rows: Any, *keys: Any) -> Any:
        """Per-row choice: row i of ``cdf_rows`` (cumulative weights) picks for key i."""
        xp = self.xp
        u = self.uniform(*keys) * cdf_rows[:, -1]
        idx = (cdf_rows <= u[:, None]).sum(axis=1)
        return xp.minimum(idx, cdf_rows.shape[1] - 1).astype(xp.int64, copy=False)

    def poisson(self, lam: Any, *keys: Any) -> Any:
        """Poisson counts: inversion for small means, rounded normal above 30."""
        xp = self.xp
        lam = xp.asarray(lam, dtype=xp.float64)
        u = self.uniform(*keys)
        shape = np.broadcast_shapes(lam.shape, u.shape)
        u, lam = xp.broadcast_to(u, shape), xp.broadcast_to(lam, shape)
        small = lam <= 30.0
        ls = xp.where(small, lam, 0.0)
        p = fm.exp_v(xp, -ls)
        cdf = p.copy()
        k = xp.zeros(u.shape, dtype=xp.int64)
        limit = int(float(ls.max()) * 3 + 25) if ls.size else 0
        for i in range(limit):
            more = u > cdf
            if not bool(more.any()):
                break
            k += more
            p = p * ls / (i + 1)
            cdf = cdf + p
        if bool((~small).any()):
            z = self._normal_tail().normal(*keys)
            big = xp.maximum(xp.floor(lam + xp.sqrt(lam) * z + 0.5), 0).astype(xp.int64)
            k = xp.where(small, k, big)
        return k

    def binomial(self, n: Any, p: Any, *keys: Any) -> Any:
        """Binomial counts: inversion while n*p is small, rounded normal otherwise."""
        xp = self.xp
        n = xp.asarray(n, dtype=xp.int64)
        p = xp.asarray(p, dtype=xp.float64)
        u = self.uniform(*keys)
        shape = np.broadcast_shapes(n.shape, p.shape, u.shape)
        u, n, p = (xp.broadcast_to(a, shape) for a in (u, n, p))
        mean = n * p
        small = mean <= 20.0
        q = 1.0 - p
        pk = fm.pow_v(xp, xp.where(small, q, 1.0), xp.where(small, n, 0))
        cdf = pk.copy()
        k = xp.zeros(u.shape, dtype=xp.int64)
        limit = int(float(xp.where(small, mean, 0).max()) * 3 + 25) if u.size else 0
        ratio = p / xp.where(q > 0, q, 1.0)
        for i in range(limit):
            more = (u > cdf) & (k < n)
            if not bool(more.any()):
                break
            k += more
            pk = pk * (n - i) / (i + 1) * ratio
            cdf = cdf + pk
        if bool((~small).any()):
            z = self._normal_tail().normal(*keys)
            big = xp.floor(mean + xp.sqrt(mean * q) * z + 0.5)
            big = xp.clip(big, 0, n).astype(xp.int64)
            k = xp.where(small, k, big)
        return xp.minimum(k, n)

    def geometric(self, p: Any, *keys: Any) -> Any:
        """Failures before the first success (0, 1, 2, ...) with success probability p."""
        xp = self.xp
        u = self.uniform_open(*keys)
        log_q = fm.log1p_v(xp, -xp.asarray(p, dtype=xp.float64))
        x = xp.minimum(fm.log_v(xp, u) / log_q, float(1 << 62))  # a tiny p cannot overflow
        return xp.floor(x).astype(xp.int64)

    def geometric_below(self, p: Any, n: int, *keys: Any) -> Any:
        """Failures before the first success, truncated to 0 .. n-1 by inversion: the
        geometric law conditioned on staying below n (no pile-up at the bound)."""
        xp = self.xp
        p = xp.asarray(p, dtype=xp.float64)
        log_q = fm.log1p_v(xp, -p)
        below = -fm.expm1_v(xp, n * log_q)  # P(value < n)
        u = self.uniform(*keys) * below
        k = xp.floor(fm.log1p_v(xp, -u) / log_q).astype(xp.int64)
        return xp.clip(k, 0, n - 1)

    def zipf_rank(self, n: Any, s: float, *keys: Any, offset: float = 0.0) -> Any:
        """Rank in [0, n) with P(rank r) roughly proportional to (r + 1 + offset) ** -s
        (Zipf; with an offset, Zipf–Mandelbrot: a flatter head)."""
        xp = self.xp
        u = self.uniform(*keys)
        n = xp.asarray(n, dtype=xp.float64)
        lo = 1.0 + offset
        if abs(s - 1.0) < 1e-9:
            x = lo * fm.exp_v(xp, u * fm.log_v(xp, (n + lo) / lo))
        else:
            a = 1.0 - s
            lo_a = float(fm.pow_v(np, lo, a))
            x = fm.pow_v(xp, u * (fm.pow_v(xp, n + lo, a) - lo_a) + lo_a, 1.0 / a)
        r = xp.floor(x - offset).astype(xp.int64) - 1
        return xp.clip(r, 0, xp.maximum(n.astype(xp.int64) - 1, 0))


#: The transforms a fused kernel ends with: output type and C expression of ``h``.
_OUTPUTS = {
    "bits": ("uint64", "h"),
    "uniform": ("float64", "(double)(h >> 11) * 1.1102230246251565e-16"),
    "uniform_open": ("float64", "((double)(h >> 11) + 0.5) * 1.1102230246251565e-16"),
}
#: NumPy reference of every fused kernel built, by kernel name: the same function on the
#: host (used by the launch-counting namespace of the tests).
REFERENCES: dict[str, Any] = {}
_KERNELS: dict[tuple[int, str, str], Any] = {}


def fused_kernel(xp: Any, sig: str, out: str) -> Any:
    """An elementwise kernel hashing key columns laid out as ``sig`` (``a``: an integer
    array column, ``s``: a scalar column passed pre-multiplied) into ``out``.

    Integer arithmetic and two exact float operations (a conversion of a 53-bit integer,
    an addition of 0.5 rounded to nearest, a multiplication by a power of two), so the
    bits equal NumPy's; contraction into fused multiply-adds is turned off all the same.
    """
    cache = (id(xp), sig, out)
    if cache not in _KERNELS:
        name = f"ecomgen_hash_{sig}_{out}"
        params = ", ".join(f"{chr(65 + i) if c == 'a' else 'uint64'} c{i}"
                           for i, c in enumerate(sig)) + ", uint64 h0"
        mix = (f"h ^= h >> 30; h *= {_C1:#x}ull; h ^= h >> 27; h *= {_C2:#x}ull; "
               "h ^= h >> 31;")
        lines = ["unsigned long long h;"]
        for i, c in enumerate(sig):
            prev = "h0" if i == 0 else "h"
            if c == "a":
                lines.append(f"h = ((unsigned long long)c{i} + 1ull) * {GOLDEN:#x}ull + {prev};")
            else:
                lines.append(f"h = {prev} + c{i};")
            lines.append(mix)
        kind, expr = _OUTPUTS[out]
        lines.append(f"out = {expr};")
        _KERNELS[cache] = xp.ElementwiseKernel(params, f"{kind} out", "\n".join(lines), name,
                                               options=("--fmad=false",))
        REFERENCES[name] = lambda *args, _sig=sig, _out=out: _reference(xp, _sig, _out, args)
    return _KERNELS[cache]


def _reference(xp: Any, sig: str, out: str, args: tuple[Any, ...]) -> Any:
    """What ``fused_kernel(xp, sig, out)`` computes, in array operations."""
    *cols, h0 = args
    return _finish(xp, _hash_columns(xp, int(h0), cols), out)


def _hash_columns(xp: Any, h0: int, cols: list[Any]) -> Any:
    """splitmix64 over the key columns (integer arrays, or scalar columns pre-multiplied
    as ``np.uint64``), starting from the folded stream key ``h0``."""
    h: Any = None
    for c in cols:
        if isinstance(c, np.uint64):
            z = h + c
        else:
            u = c.view(xp.uint64) if c.dtype in (xp.int64, xp.uint64) else c.astype(xp.uint64)
            z = u + xp.uint64(1)
            z *= xp.uint64(GOLDEN)
            if h is None:
                z += xp.uint64(h0)
            elif z.shape == h.shape:
                z += h
            else:
                z = z + h
        h = _mix_inplace(xp, z)
    return h


def _finish(xp: Any, h: Any, out: str) -> Any:
    """The transform ``out`` of hashed bits: the bits, or uniforms in [0, 1) or (0, 1)."""
    if out == "bits":
        return h
    x = (h >> xp.uint64(11)).astype(xp.float64)
    return (x if out == "uniform" else x + 0.5) * _TWO_M53


def _scalar(k: Any) -> bool:
    """True for a Python or NumPy integer key."""
    return isinstance(k, int | np.integer)


def cumulative_rows(xp: Any, weights: Any) -> Any:
    """Cumulative weights along each row, summed column by column.

    Adding the few columns one at a time in a fixed order gives equal bits on every backend
    (a device scan may associate the additions differently).
    """
    cdf = xp.empty_like(weights)
    acc = xp.zeros(weights.shape[0], dtype=weights.dtype)
    for c in range(weights.shape[1]):  # columns (categories, methods, stars), a handful
        acc = acc + weights[:, c]
        cdf[:, c] = acc
    return cdf


def cumulative(xp: Any, weights: Any) -> Any:
    """Cumulative weights as float64 (computed on the host so every backend gets equal bits)."""
    w = np.asarray(to_numpy(weights), dtype=np.float64)
    return xp.asarray(np.cumsum(w))


def to_numpy(a: Any) -> np.ndarray:
    """Host copy of an array from any backend."""
    get = getattr(a, "get", None)  # a device array (or a stand-in for one) copies out
    return get() if get is not None else np.asarray(a)


class Rng:
    """Factory of named streams under one root seed.

    ``sites`` maps every stream name drawn from to the call sites (file, line) of its draws:
    a name with two call sites is one stream used for two purposes.
    """

    def __init__(self, xp: Any, seed: int, chunk: int = DEFAULT_CHUNK) -> None:
        self.xp = xp
        self.seed = int(seed)
        self.chunk = chunk
        self._streams: dict[str, Stream] = {}
        self.sites: Sites = {}

    def stream(self, name: str) -> Stream:
        """The stream called ``name``."""
        s = self._streams.get(name)
        if s is None:
            s = self._streams[name] = Stream(self.xp, self.seed, name, self.chunk, self.sites)
        return s

    def keys(self, names: Sequence[str], *lead: int, origin: str) -> np.ndarray:
        """uint64 keys of the named streams with the leading keys ``lead`` folded in, for a
        kernel that draws from them (``origin``, the kernel, is each name's call site)."""
        for i, name in enumerate(names):
            self.sites.setdefault(name, set()).add((origin, i))
        return folded_keys(self.seed, tuple(names), *lead)


@functools.lru_cache(maxsize=4096)
def _stream_key(seed: int, name: str) -> int:
    return stream_key(seed, name)


def folded_keys(seed: int, names: Sequence[str], *lead: int) -> np.ndarray:
    """uint64 key of each named stream with the leading keys ``lead`` folded in, as a draw
    with those leading keys would fold them."""
    out = []
    for name in names:
        h = _stream_key(seed, name)
        for k in lead:
            h = mix64(h + (int(k) + 1) * GOLDEN)
        out.append(h)
    return np.array(out, dtype=np.uint64)
