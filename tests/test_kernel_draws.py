"""The kernels' keyed draws give the bits of ``ecomgen.rng.Stream``'s array draws for the
same stream and keys."""

from __future__ import annotations

import numpy as np
from numba import njit

from ecomgen.kernels import draws as dr
from ecomgen.kernels.offers import binomial, next_event_day
from ecomgen.rng import Rng, folded_keys
from ecomgen.simulation.inventory import next_event_day as next_event_day_v

N = 400_000


@njit
def _draws(key: np.uint64, a: np.ndarray, b: np.ndarray, n_rank: np.ndarray) -> np.ndarray:
    out = np.empty((9, a.shape[0]))
    for i in range(a.shape[0]):
        h = dr.h2(key, a[i], b[i])
        u = dr.uniform(h)
        out[0, i] = u
        out[1, i] = dr.uniform_open(h)
        out[2, i] = dr.normal(h)
        out[3, i] = dr.lognormal(h, 3.0, 0.5)
        out[4, i] = dr.integers(u, 2, 25)
        out[5, i] = dr.geometric_below(u, 0.3, 30)
        out[6, i] = dr.zipf_rank(u, n_rank[i], 1.1, 3.0)
        out[7, i] = dr.zipf_rank(u, n_rank[i], 1.0, 3.0)
        out[8, i] = dr.geometric(dr.uniform_open(h), 0.05)
    return out


def test_scalar_draws_equal_array_draws() -> None:
    """Uniforms, normals, lognormals, integers, geometric and Zipf ranks: the same bits."""
    d = 17
    a = np.arange(N, dtype=np.int64) * 7919 - 1000
    b = np.arange(N, dtype=np.int64) % 37
    n_rank = 1 + np.arange(N) % 500
    got = _draws(folded_keys(42, ["x"], d)[0], a, b, n_rank)
    s = Rng(np, 42).stream("x")
    expected = [s.uniform(d, a, b), s.uniform_open(d, a, b), s.normal(d, a, b),
                s.lognormal(d, a, b, median=3.0, sigma=0.5), s.integers(2, 25, d, a, b),
                s.geometric_below(0.3, 30, d, a, b), s.zipf_rank(n_rank, 1.1, d, a, b, offset=3.0),
                s.zipf_rank(n_rank, 1.0, d, a, b, offset=3.0), s.geometric(0.05, d, a, b)]
    for i, e in enumerate(expected):
        assert np.array_equal(got[i], np.asarray(e, dtype=np.float64)), i


@njit
def _binomials(u: np.ndarray, tail: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    out = np.empty(u.shape[0], dtype=np.int64)
    for i in range(u.shape[0]):
        out[i] = binomial(u[i], tail[i], n[i], p)
    return out


def test_binomial_equals_array_binomial() -> None:
    """Small means by inversion and large ones by the normal tail, as Stream.binomial."""
    g = np.arange(N, dtype=np.int64)
    n = g % 3000  # n p from 0 to 30: both regimes
    s = Rng(np, 3).stream("inventory.loss")
    expected = s.binomial(n, 0.01, g, 5)
    u = s.uniform(g, 5)
    tail = Rng(np, 3).stream("inventory.loss/normal_tail").bits(g, 5)
    assert np.array_equal(_binomials(u, tail, n, 0.01), expected)


@njit
def _next_days(u: np.ndarray, p: np.ndarray, first: int) -> np.ndarray:
    out = np.empty(u.shape[0], dtype=np.int64)
    for i in range(u.shape[0]):
        out[i] = next_event_day(u[i], p[i], first)
    return out


def test_next_event_day_forms_agree() -> None:
    """The offer kernels' geometric event days equal the array form's, including p = 0
    (never) and tiny p (capped, no overflow)."""
    u = Rng(np, 1).stream("x").uniform_open(np.arange(N))
    p = np.concatenate([[0.0, 1e-300, 1.0], np.linspace(1e-6, 1.0, N - 3)])
    assert np.array_equal(_next_days(u, p, 7), next_event_day_v(np, u, p, 7))
