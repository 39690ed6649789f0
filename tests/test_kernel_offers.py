"""The offer kernels against their array reference: thirty days of settlement, sales, units
coming back, losses, stock counts and supplier orders on a range of offers, with the same
acceptance, ledger rows, transitions and state every day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ecomgen.backend import CPU
from ecomgen.config import Config
from ecomgen.simulation.inventory import Inventory
from ecomgen.simulation.setup import setup
from tests.reference.offers_arrays import ArrayInventory, settle, transitions


@pytest.mark.parametrize("lo,hi", [(0, None), (37, 211)])
def test_offer_kernels_equal_array_reference(lo: int, hi: int | None) -> None:
    """Every day's acceptance, ledger, transitions and stock equal the array code's."""
    cfg = Config(seed=6, num_customers=500, num_products=150, num_merchants=8,
                 avg_views_per_day=4_000, start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 30))
    inv = cfg.INVENTORY_CONFIG
    inv.damage_rate, inv.adjustment_probability, inv.backorder_probability = 0.03, 0.05, 0.4
    w, perishable = setup(cfg, CPU, lambda name, batch: None)
    hi = w.offers.n if hi is None else hi
    ref = ArrayInventory(cfg, w.rng, w.offers, perishable, lo, hi)
    kern = Inventory(cfg, w.rng, w.offers, perishable, lo, hi)
    g = np.random.default_rng(8)
    low = inv.low_stock_threshold
    rows, kinds = 0, set()
    for d in range(cfg.num_days):
        start = ref.stock.copy()
        ref.open_day(d)
        kern.open_day(d)
        assert np.array_equal(ref.stock, kern.stock) and np.array_equal(ref.on_order,
                                                                        kern.on_order), d
        # Checkout attempts: many on a few offers, with ties in time.
        n = 600
        offer = g.integers(0, hi - lo, n) // g.integers(1, 6, n)
        qty, time = g.integers(1, 6, n), g.integers(1, 3000, n) * 20
        accepted = settle(np, offer, qty, time, ref.stock)
        assert np.array_equal(accepted, kern.settle(offer, qty, time)), d
        sold_offer = offer[accepted] + lo
        sold_qty, sold_time = qty[accepted], time[accepted]
        order_id = np.arange(sold_offer.shape[0]) + 1000 * d
        sold = ref.book_sales(sold_offer, sold_qty, sold_time, order_id)
        back = g.random(sold_offer.shape[0]) < 0.3
        args = (sold_offer, sold_qty, np.where(back, d + g.integers(1, 4, back.shape[0]), -1),
                g.integers(1, 5, back.shape[0]), order_id)
        ref.expect_back(*args)
        ref.close_day(d, sold)
        expected = ref.ledger(start)
        got = kern.close_day(sold_offer, sold_qty, sold_time, order_id)
        kern.expect_back(*args)
        for f in ("offer", "kind", "qty", "balance", "time", "reason", "ref"):
            assert np.array_equal(getattr(expected, f), getattr(got, f)), (d, f)
        for a, b in zip(transitions(np, expected, low), got.transitions(np), strict=True):
            assert np.array_equal(a, b), d
        for f in ("stock", "on_order", "velocity", "review_day", "next_count", "p_offer",
                  "p_qty", "p_day", "p_id", "b_offer", "b_qty", "b_day", "b_kind", "b_ref"):
            assert np.array_equal(getattr(ref, f), getattr(kern, f)), (d, f)
        rows += int(got.offer.shape[0])
        kinds |= set(got.kind.tolist())
    assert rows > 5_000
    assert kinds == set(range(8))  # every kind of ledger row was written
