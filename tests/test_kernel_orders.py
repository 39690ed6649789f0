"""The order kernels (payment method; fate, returns, refunds, ratings) against their array
reference, on many orders with every kind of fate."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ecomgen.backend import CPU
from ecomgen.config import Config, preset_overrides
from ecomgen.simulation.carts import payment_methods
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.fulfilment import fates
from ecomgen.simulation.setup import setup
from ecomgen.simulation.world import World
from tests.reference import orders_arrays as ref


def _world(unhappy: bool) -> World:
    cfg = Config(seed=9, **preset_overrides("tiny"))
    if unhappy:  # cancellations, refusals, late and returned parcels all common
        f = cfg.FULFILMENT
        f.customer_cancel_rate, f.seller_cancel_rate, f.cod_refusal_rate = 0.2, 0.1, 0.6
        f.late_rate, f.prepaid_refusal_rate, f.first_attempt_success = 0.5, 0.2, 0.5
        for c in cfg.CATEGORIES.values():
            c.return_rate = 0.6
        cfg.RATINGS.response_rate = 0.7
    w, _ = setup(cfg, CPU, lambda name, batch: None)
    return w


def _orders(w: World, n: int, seed: int) -> dict[str, np.ndarray]:
    g = np.random.default_rng(seed)
    lines = g.choice([1, 1, 1, 2, 3], n)
    n_lines = int(lines.sum())
    order = np.repeat(np.arange(n), lines)
    start = np.concatenate([[0], np.cumsum(lines)])
    product = g.integers(0, w.products.n, n_lines)
    return {
        "okey": g.integers(0, 1 << 40, n), "cust": g.integers(0, w.own.customers.n, n),
        "placed": (w.calendar.first_day + 3) * DAY + g.integers(0, DAY, n),
        "payment": g.integers(0, len(w.cfg.PAYMENT_METHODS), n),
        "mtype": g.integers(0, len(w.cfg.MERCHANT_TYPES), n),
        "scarce": g.random(n) < 0.3, "order": order, "start": start,
        "line_no": np.arange(n_lines) - start[order] + 1, "product": product,
        "category": w.products.category[product], "qty": g.integers(1, 6, n_lines),
        "price": w.products.base_price[product] * g.integers(50, 101, n_lines) // 100,
        "total": g.integers(100, 5_000_000, n),
    }


def test_payment_kernel_equals_array_reference() -> None:
    """Payment methods of 20,000 orders of every value: the same as the array code's."""
    w = _world(False)
    o = _orders(w, 20_000, 1)
    for d in (0, 9):
        expected = ref.payment_method(w, d, o["okey"], o["total"], o["cust"])
        got = payment_methods(w, d, o["okey"], o["total"], o["cust"])
        assert np.array_equal(expected, got)
        assert len(np.unique(got)) == len(w.cfg.PAYMENT_METHODS)


@pytest.mark.parametrize("unhappy", [False, True])
def test_fate_kernel_equals_array_reference(unhappy: bool) -> None:
    """Every field of 8,000 orders' fates and their lines' ratings equals the array code's,
    on ordinary and on unhappy days (a sale day, scarce stock, many returns)."""
    w = _world(unhappy)
    o = _orders(w, 8_000, 2 if unhappy else 3)
    end = (w.calendar.first_day + w.cfg.num_days) * DAY - 1
    for d in (3, 20):
        tier = w.own.customers.city_tier[o["cust"]]
        transit = ref.usual_transit_days(w, d, o["okey"], o["cust"], o["mtype"],
                                         o["category"][o["start"][:-1]])
        expected = ref.decide(w, d, o["okey"], o["placed"], o["payment"], tier, o["mtype"],
                              transit, o["scarce"], o["order"], o["line_no"], o["category"],
                              o["qty"])
        rated = ref.rate(w, d, o["okey"][o["order"]], o["line_no"], o["product"], o["price"],
                         expected.delivered_t[o["order"]], expected.late,
                         expected.ret_request_t, end)
        fate, got_rated = fates(w, d, o["okey"], o["placed"], o["payment"], tier, o["mtype"],
                                o["scarce"], o["start"], o["line_no"], o["category"], o["qty"],
                                o["product"], o["price"], end)
        for f in dataclasses.fields(expected):
            if getattr(expected, f.name) is not None:  # the reference has no attempt seconds
                assert np.array_equal(getattr(expected, f.name), getattr(fate, f.name)), f.name
        # Each attempt's seconds are the reference's (drawn again there, by attempt).
        order = np.repeat(np.arange(fate.attempts.shape[0]), fate.attempts)
        k = np.arange(order.shape[0]) - np.repeat(np.cumsum(fate.attempts) - fate.attempts,
                                                  fate.attempts)
        out, done = ref.attempt_seconds(w, d, o["okey"][order], k + 1)
        assert np.array_equal(fate.attempt_out[order, k], out)
        assert np.array_equal(fate.attempt_done[order, k], done)
        for f in dataclasses.fields(rated):
            assert np.array_equal(getattr(rated, f.name), getattr(got_rated, f.name)), f.name
        assert (fate.cancel_t >= 0).any() and (fate.rto_init_t >= 0).any()
        assert (fate.ret_request_t >= 0).any() and rated.line.shape[0] > 0
