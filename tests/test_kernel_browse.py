"""The browse kernel against its array reference.

The reference (``tests/reference/browse_arrays.py``) is the array code the kernel replaced;
both must give the same views, cart lines and session outcomes, bit for bit, on days with
a purchase history, satiated categories, return visits and offers out of stock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ecomgen.backend import CPU
from ecomgen.config import Config, preset_overrides
from ecomgen.simulation.browse import buy_box, draw_sessions
from ecomgen.simulation.browsing import browse_day
from ecomgen.simulation.setup import setup
from ecomgen.simulation.world import World
from tests.reference import browse_arrays as ref

ROOT = Path(__file__).resolve().parents[1]


def _world(cfg: Config) -> World:
    w, _ = setup(cfg, CPU, lambda name, batch: None)
    # A lived-in state: purchase history, recent purchases (satiation), return visits due.
    g = np.random.default_rng(7)
    w.own.history[:] = g.integers(0, 4, w.own.history.shape)
    w.own.last_buy[:] = np.where(g.random(w.own.last_buy.shape) < 0.3,
                             g.integers(-20, 5, w.own.last_buy.shape), w.own.last_buy)
    if w.own.next_due.shape[1]:
        due = g.random(w.own.next_due.shape) < 0.2
        w.own.next_due[:] = np.where(due, g.integers(0, 6, w.own.next_due.shape), -1)
        w.own.last_product[:] = np.where(due, g.integers(0, w.products.n, w.own.next_due.shape), -1)
    return w


def _reference(w: World, d: int, s: Any, box: Any) -> tuple[Any, Any, Any, Any]:
    v, kept = ref.draw_views(w, d, s, box, 0, s.n)
    lines = ref.add_to_cart(w, d, s, v)
    s = replace(s, views=kept)
    out, removed_at = ref.decide(w, d, s, v, lines)
    return s, v, replace(lines, removed_at=removed_at), out


def _same(a: Any, b: Any) -> list[str]:
    """Fields of two dataclasses of arrays that differ."""
    return [f for f in a.__dataclass_fields__
            if not np.array_equal(np.asarray(getattr(a, f)), np.asarray(getattr(b, f)))]


@pytest.mark.parametrize("preset,days", [("tiny", (0, 3, 17)), ("dense", (2, 5))])
def test_kernel_equals_array_reference(preset: str, days: tuple[int, ...]) -> None:
    """Views, lines and outcomes are bit-equal to the array code's, whatever the batch."""
    if preset == "dense":
        cfg = Config(seed=3, num_customers=400, num_products=300, num_merchants=9,
                     avg_views_per_day=8_000, start=dt.date(2024, 10, 20),
                     end=dt.date(2024, 11, 5))
    else:
        cfg = Config(seed=11, **preset_overrides(preset))
    w = _world(cfg)
    g = np.random.default_rng(1)
    for d in days:
        stock = np.where(g.random(w.offers.n) < 0.25, 0, g.integers(0, 40, w.offers.n))
        box = buy_box(w, d, stock)
        s = draw_sessions(w, d)
        expected = _reference(w, d, s, box)
        for batch in (1_000, 10_000_000):
            got = browse_day(w, d, s, box, batch)[:4]
            for e, k in zip(expected, got, strict=True):
                assert not _same(e, k), (d, batch, type(e).__name__, _same(e, k))
        assert int(expected[2].sess.shape[0]) > 0  # the day has cart lines
