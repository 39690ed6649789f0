"""Array helpers against their plain NumPy definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.simulation.arrays import count_by, expand, stable_order, sum_by


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 20_000), low=st.integers(-(2**40), 2**40),
       span_bits=st.sampled_from([0, 3, 15, 16, 17, 31, 32, 33, 50]), seed=st.integers(0, 2**32))
def test_stable_order_is_numpys_stable_argsort(n: int, low: int, span_bits: int,
                                               seed: int) -> None:
    """The radix path gives exactly the merge sort's permutation, ties in input order."""
    rng = np.random.default_rng(seed)
    key = low + rng.integers(0, 2**span_bits, n, dtype=np.int64) if span_bits else \
        np.full(n, low, dtype=np.int64)
    assert np.array_equal(stable_order(np, key), np.argsort(key, kind="stable"))


def test_stable_order_keeps_ties_in_input_order() -> None:
    """Many equal keys over a span wider than 16 bits (both radix passes)."""
    key = np.tile(np.array([70_000, 5, 70_000, 0], dtype=np.int64), 5_000)
    order = stable_order(np, key)
    assert np.array_equal(key[order], np.sort(key))
    for value in (0, 5, 70_000):
        idx = order[key[order] == value]
        assert np.all(np.diff(idx) > 0)


def test_counting_helpers_match_loops() -> None:
    """expand, count_by and sum_by against their definitions."""
    counts = np.array([2, 0, 3, 1])
    owner, pos = expand(np, counts)
    assert owner.tolist() == [0, 0, 2, 2, 2, 3]
    assert pos.tolist() == [0, 1, 0, 1, 2, 0]
    idx = np.array([3, 1, 3, 0])
    assert count_by(np, idx, 5).tolist() == [1, 1, 0, 2, 0]
    assert sum_by(np, idx, np.array([7, 2, 5, 1]), 5).tolist() == [1, 2, 0, 12, 0]


def test_max_by_group_at_the_largest_config() -> None:
    """Per group the largest value, with groups and values at the config's limits (a packed
    ``group * n_values + value`` sort key overflows int64 there)."""
    from ecomgen.simulation.arrays import max_by_group

    n_values = 500_000_000
    group = np.array([20_000_000_000, 5, 20_000_000_000, 5, 7], dtype=np.int64)
    value = np.array([n_values - 1, 3, 12, 9, 0], dtype=np.int64)
    g, v = max_by_group(np, group, value)
    assert g.tolist() == [5, 7, 20_000_000_000]
    assert v.tolist() == [9, 0, n_values - 1]
    assert (group * n_values + value)[0] < 0, "the packed key this replaces wraps here"


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 3_000), groups=st.integers(1, 50), seed=st.integers(0, 2**32))
def test_max_by_group_is_the_grouped_maximum(n: int, groups: int, seed: int) -> None:
    """Distinct groups ascending, each with its largest value."""
    from ecomgen.simulation.arrays import max_by_group

    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n, dtype=np.int64)
    value = rng.integers(0, 1 << 40, n, dtype=np.int64)
    g, v = max_by_group(np, group, value)
    want = np.unique(group)
    assert g.tolist() == want.tolist()
    assert v.tolist() == [int(value[group == x].max()) for x in want]
