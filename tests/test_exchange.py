"""The day's exchange: class codes and class changes say what stock levels would have."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.simulation.clock import DAY
from ecomgen.simulation.exchange import (
    ON_ORDER,
    ClassChanges,
    ClassCodes,
    apply_changes,
    changed_codes,
    class_at,
    class_changes,
    class_codes,
    class_of,
)


def sold_before(sale_offer: np.ndarray, sale_time: np.ndarray, sale_qty: np.ndarray,
                offer: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Units of each queried offer sold strictly before each queried second (by loops)."""
    return np.array([int(sale_qty[(sale_offer == o) & (sale_time < t)].sum())
                     for o, t in zip(offer.tolist(), time.tolist(), strict=True)],
                    dtype=np.int64)


def test_sold_before_counts_strictly_earlier_sales() -> None:
    """The reference: a sale at the same second is not yet counted."""
    got = sold_before(np.array([0, 0, 1]), np.array([100, 200, 50]), np.array([2, 1, 4]),
                      np.array([0, 0, 0, 1, 1]), np.array([100, 101, 500, 50, 51]))
    assert got.tolist() == [0, 2, 3, 0, 4]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(1, 12), lo=st.integers(0, 5), low=st.integers(0, 6))
def test_class_at_is_the_class_of_the_level(data: st.DataObject, n: int, lo: int,
                                            low: int) -> None:
    """The class a view sees from the codes at 00:00 and the day's changes is the class of
    the stock at 00:00 less the units sold strictly before it."""
    stock0 = np.array(data.draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)),
                      dtype=np.int64)
    k = data.draw(st.integers(0, 30))
    offer = np.array(data.draw(st.lists(st.integers(lo, lo + n - 1), min_size=k, max_size=k)),
                     dtype=np.int64)
    time = np.array(data.draw(st.lists(st.integers(0, 20), min_size=k, max_size=k)),
                    dtype=np.int64)
    qty = np.array(data.draw(st.lists(st.integers(1, 4), min_size=k, max_size=k)),
                   dtype=np.int64)
    # accepted sales never take more than the offer holds
    keep = np.zeros(k, dtype=bool)
    left = stock0.copy()
    for i in np.lexsort((time, offer)):
        if qty[i] <= left[offer[i] - lo]:
            left[offer[i] - lo] -= qty[i]
            keep[i] = True
    offer, time, qty = offer[keep], time[keep], qty[keep]
    on_order = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
                        dtype=np.int64)
    codes = np.zeros(lo + n, dtype=np.int8)
    idx, code = changed_codes(np, class_codes(np, stock0, on_order, low), None, lo, lo + n)
    codes[idx] = code
    ch = ClassChanges(*class_changes(np, stock0, lo, offer, qty, time, low))
    assert np.all(np.diff(ch.offer * DAY + ch.time) > 0)
    q_offer = np.repeat(np.arange(lo, lo + n, dtype=np.int64), 23)
    q_time = np.tile(np.arange(-1, 22, dtype=np.int64), n)
    want = class_of(np, stock0[q_offer - lo] - sold_before(offer, time, qty, q_offer, q_time),
                    low)
    got = class_at(np, codes, ch.offer, ch.time, ch.cls, q_offer, q_time)
    assert got.tolist() == want.tolist()
    assert ((codes[lo:] >= ON_ORDER) == (on_order > 0)).all()


def test_changed_codes_send_only_changes() -> None:
    """After the first day, only offers whose code moved are sent; shards join in order."""
    first = class_codes(np, np.array([5, 0, 2]), np.array([0, 4, 0]), 2)
    assert first.tolist() == [0, 2 + ON_ORDER, 1]
    idx, code = changed_codes(np, first, None, 10, 13)
    assert idx.tolist() == [10, 11, 12] and idx.dtype == np.int32
    nxt = class_codes(np, np.array([5, 3, 0]), np.array([0, 0, 0]), 2)
    idx, code = changed_codes(np, nxt, first, 10, 13)
    assert idx.tolist() == [11, 12] and code.tolist() == [0, 2]
    joined = ClassCodes.join([ClassCodes(idx, code), ClassCodes(np.array([20]),
                                                                np.array([1], np.int8))])
    assert joined.offer.tolist() == [11, 12, 20]


def test_apply_changes_keeps_the_on_order_part() -> None:
    """Codes move on to each offer's last class of the day; units on order stay noted."""
    codes = np.array([0, 0 + ON_ORDER, 1, 0], dtype=np.int8)
    apply_changes(np, codes, 10, np.array([11, 11, 13]), np.array([1, 2, 2], np.int8))
    assert codes.tolist() == [0, 2 + ON_ORDER, 1, 2]
