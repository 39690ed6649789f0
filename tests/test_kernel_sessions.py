"""The session kernels against their array reference: the same sessions, bit for bit, on
ordinary, festival and regional-festival days, with sign-ups and return visits."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from ecomgen.backend import CPU
from ecomgen.config import Config
from ecomgen.simulation.browse import draw_sessions
from ecomgen.simulation.setup import setup
from tests.reference.sessions_arrays import draw_sessions as reference


def test_session_kernels_equal_array_reference() -> None:
    """Every field of every session of five days, two block ranges each."""
    cfg = Config(seed=13, num_customers=150_000, num_products=400, num_merchants=9,
                 avg_views_per_day=30_000, start=dt.date(2024, 10, 8),
                 end=dt.date(2024, 11, 8))
    w, _ = setup(cfg, CPU, lambda name, batch: None)
    g = np.random.default_rng(5)
    due = g.random(w.own.next_due.shape) < 0.05
    w.own.next_due[:] = np.where(due, g.integers(0, 8, w.own.next_due.shape), -1)
    w.own.last_product[:] = np.where(due, g.integers(0, w.products.n, w.own.next_due.shape), -1)
    assert w.n_blocks == 3
    peaks, returns = [], 0
    for d in (0, 3, 4, 24, 25):  # Durga Puja (regional), weekdays, Diwali
        peaks.append(float(w.calendar.regional[d].max()))
        for lo, hi in ((0, 3), (1, 2)):
            expected, got = reference(w, d, lo, hi), draw_sessions(w, d, lo, hi)
            for f in dataclasses.fields(expected):
                assert np.array_equal(getattr(expected, f.name), getattr(got, f.name)), \
                    (d, lo, f.name)
            returns += int((got.reorder_product >= 0).sum())
            assert got.n > 1_000
    assert max(peaks) > 1.0  # a regional festival day is among them
    assert returns > 100  # and return visits
