"""Shared fixtures: a small stand-in simulation that emits schema-valid batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

from ecomgen.schema import TABLES, Cat, Table

DAY0 = 19_723  # 2024-01-01 in days since 1970-01-01


def fake_batch(table: Table, n: int, offset: int = 0, seed: int = 0) -> dict[str, Any]:
    """``n`` deterministic rows for ``table``; values vary with ``offset`` and ``seed``."""
    i = np.arange(offset, offset + n, dtype=np.int64)
    out: dict[str, Any] = {}
    for k, col in enumerate(table.columns):
        v = (i * (k + 3) + seed * 7919) % 997
        if col.kind == "int":
            arr = i + 1 if col.name in table.primary_key else v
            if col.nullable:
                arr = np.where(i % 5 == 0, -1, arr)
            out[col.name] = arr
        elif col.kind == "float":
            out[col.name] = v / 8.0
        elif col.kind == "bool":
            out[col.name] = v % 2 == 0
        elif col.kind == "money":
            out[col.name] = v * 101 + 1
        elif col.kind == "ts":
            out[col.name] = (DAY0 + i % 30) * 86_400 + v * 61
        elif col.kind == "date":
            out[col.name] = DAY0 + v % 30
        elif col.kind == "cat":
            codes = (v % 3).astype(np.int16)
            if col.nullable:
                codes = np.where(i % 4 == 0, -1, codes).astype(np.int16)
            if col.name in table.primary_key:
                labels = tuple(f"label_{j}" for j in range(offset + n))
                codes = i.astype(np.int32)
            else:
                labels = ("alpha", "beta", "gamma")
            out[col.name] = Cat(codes, labels)
        elif col.kind == "sku":
            out[col.name] = v + 1
        else:
            out[col.name] = pl.Series([f"text {x}" for x in v.tolist()], dtype=pl.String)
    return out


def make_fake_simulate(rows_per_table: int = 40, fail_on_day: int | None = None
                       ) -> Callable[..., dict[str, Any]]:
    """A simulate() stand-in: entity tables once, event tables per day (chunked by cfg)."""

    def simulate(cfg: Any, backend: Any, emit: Callable[[str, dict[str, Any]], None],
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        days = cfg.num_days
        for name, table in TABLES.items():
            if not table.event_table and name not in ("offers", "customer_segments"):
                emit(name, fake_batch(table, rows_per_table, seed=cfg.seed))
        for day in range(days):
            if fail_on_day is not None and day == fail_on_day:
                raise RuntimeError("simulated failure")
            for name, table in TABLES.items():
                if table.event_table and name != "ratings":  # ratings stays empty
                    start = day * rows_per_table
                    step = max(1, min(cfg.chunk_size, rows_per_table))
                    for lo in range(0, rows_per_table, step):
                        size = min(step, rows_per_table - lo)
                        emit(name, fake_batch(table, size, start + lo, cfg.seed))
            if progress:
                progress(day + 1, days)
        for name in ("offers", "customer_segments"):
            emit(name, fake_batch(TABLES[name], rows_per_table, seed=cfg.seed))
        return {"days": days}

    return simulate


@pytest.fixture
def fake_simulate(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Route ecomgen.pipeline to the stand-in simulation; returns a setter for variants."""
    import ecomgen.pipeline as pipeline

    def install(**kwargs: Any) -> None:
        monkeypatch.setattr(pipeline, "_simulate_fn", lambda: make_fake_simulate(**kwargs))

    install()
    return install


@pytest.fixture
def batch_of() -> Callable[..., dict[str, Any]]:
    """``batch_of(table_name, n, offset=0, seed=0)``: deterministic rows for a table."""
    return lambda name, n, offset=0, seed=0: fake_batch(TABLES[name], n, offset, seed)
