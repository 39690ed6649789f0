"""Exact settlement: the vectorised first-fit equals a sequential reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.simulation.settlement import settle


def reference(offer: list[int], qty: list[int], time: list[int], stock: list[int]) -> list[bool]:
    """One attempt at a time, in (offer, time, input) order: accept when it fits."""
    left = list(stock)
    out = [False] * len(offer)
    for i in sorted(range(len(offer)), key=lambda i: (offer[i], time[i], i)):
        if qty[i] <= left[offer[i]]:
            left[offer[i]] -= qty[i]
            out[i] = True
    return out


def test_a_large_line_does_not_block_a_later_small_one() -> None:
    """Stock 5: 3 fits, the next 3 does not, 2 fits, then 1 finds nothing left."""
    got = settle(np, np.zeros(4, dtype=np.int64), np.array([3, 3, 2, 1]),
                 np.array([10, 20, 30, 40]), np.array([5]))
    assert got.tolist() == [True, False, True, False]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_settlement_matches_sequential_first_fit(data: st.DataObject) -> None:
    """Random attempts over a few offers: same accepted set, never above stock."""
    n_offers = data.draw(st.integers(1, 6))
    n = data.draw(st.integers(0, 60))
    offer = data.draw(st.lists(st.integers(0, n_offers - 1), min_size=n, max_size=n))
    qty = data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    time = data.draw(st.lists(st.integers(0, 86_399), min_size=n, max_size=n))
    stock = data.draw(st.lists(st.integers(0, 12), min_size=n_offers, max_size=n_offers))
    got = settle(np, np.array(offer, dtype=np.int64), np.array(qty, dtype=np.int64),
                 np.array(time, dtype=np.int64), np.array(stock, dtype=np.int64))
    assert got.tolist() == reference(offer, qty, time, stock)
    sold = np.bincount(np.array(offer, dtype=np.int64)[got],
                       weights=np.array(qty)[got], minlength=n_offers)
    assert (sold <= np.array(stock)).all()
