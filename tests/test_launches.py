"""Kernel launches and device syncs per simulated day, counted as CuPy would make them.

The budgets are what the day loop needs today (measured with ``benchmarks/launches.py``);
a change that adds a per-element Python loop, a sync inside a loop or an unfused hash
shows up here long before anyone runs on a GPU.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.kernels import launch
from ecomgen.simulation.engine import simulate
from tests.counting_xp import counting_namespace, per_day
from tests.simkit import run_in_memory


def _config() -> Config:
    cfg = Config(seed=8, num_customers=3_000, num_products=800, num_merchants=12,
                 avg_views_per_day=6_000, start=dt.date(2024, 11, 1), end=dt.date(2024, 11, 6))
    cfg.GPU_CONFIG.batch_size_views = 4_000_000
    return cfg


def test_fused_kernels_give_numpy_bytes() -> None:
    """With the hash fused into one kernel per draw, every table equals NumPy's."""
    cfg = _config()
    digests = [{n: hashlib.sha256(df.write_csv().encode()).hexdigest()
                for n, df in run_in_memory(cfg, b).items()}
               for b in (Backend(np, "numpy"), Backend(counting_namespace(), "counting"))]
    assert digests[0] == digests[1]


def test_launches_and_syncs_per_day_within_budget() -> None:
    """One day costs at most 1,800 launches (nine phase kernels' and the array glue's) and
    72 syncs; fusing the glue's hash still saves launches. (Before the phase kernels: 2,450
    and 72; the glue left around them, the day's output columns above all, is what
    remains.)"""
    cfg = _config()

    def run_with(xp: object):  # noqa: ANN202
        b = Backend(xp, "counting")
        before = sum(launch.LAUNCHES.values())
        glue, syncs, _ = per_day(lambda progress: simulate(cfg, b, lambda n, x: None, progress))
        kernels = (sum(launch.LAUNCHES.values()) - before) / cfg.num_days
        return glue + kernels, syncs, kernels

    fused, fused_syncs, kernels = run_with(counting_namespace(kernels=True))
    plain, plain_syncs, _ = run_with(counting_namespace(kernels=False))
    assert kernels == 9, kernels  # sessions (2), browse, payment, fate, offers (4)
    assert fused <= 1_800 and fused_syncs <= 72, (fused, fused_syncs)
    assert plain - fused >= 50, (plain, fused)
    assert fused_syncs == plain_syncs
