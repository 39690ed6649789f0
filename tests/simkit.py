"""Run the simulation in memory and hand back every table as a polars DataFrame."""

from __future__ import annotations

from typing import Any

import polars as pl

from ecomgen.backend import CPU, Backend
from ecomgen.config import Config
from ecomgen.schema import TABLES
from ecomgen.simulation.engine import simulate
from ecomgen.sinks.frame import empty_frame, to_frame


def run_in_memory(cfg: Config, backend: Backend = CPU,
                  layout: tuple[int, int] = (1, 1)) -> dict[str, pl.DataFrame]:
    """All tables of one run, as output-typed frames (in emitted order); ``layout``
    (customer shards, offer shards) splits the day loop as a distributed run would."""
    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in TABLES}

    def emit(name: str, batch: dict[str, Any]) -> None:
        parts[name].append(to_frame(TABLES[name], batch))

    simulate(cfg, backend, emit, layout=layout)
    return {n: pl.concat(p) if p else empty_frame(TABLES[n]) for n, p in parts.items()}


def scarce_stock(cfg: Config, cover_days: float, min_stock: int) -> Config:
    """Make stock thin (in place): ``cover_days`` of demand, at least ``min_stock`` units,
    single-unit cases and no safety stock, so offers sell out and checkouts fail."""
    for t in cfg.MERCHANT_TYPES.values():
        t.initial_cover_days, t.min_stock, t.safety_stock = cover_days, min_stock, 0
    for c in cfg.CATEGORIES.values():
        c.case_pack = 1
    return cfg
