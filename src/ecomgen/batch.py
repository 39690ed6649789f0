"""Batches of output columns: row counts and concatenation (shared by entities and sinks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from ecomgen.schema import Cat

Batch = dict[str, Any]


def batch_rows(batch: Batch) -> int:
    """Rows in a batch."""
    first = next(iter(batch.values()))
    return len(first.codes if isinstance(first, Cat) else first)


def concat_batches(batches: list[Batch]) -> Batch:
    """Consecutive batches of one table as one batch."""
    if len(batches) == 1:
        return batches[0]
    out: Batch = {}
    for name, first in batches[0].items():
        cols = [b[name] for b in batches]
        if isinstance(first, Cat):
            out[name] = Cat(np.concatenate([np.asarray(c.codes) for c in cols]), first.labels)
        elif isinstance(first, pl.Series):
            out[name] = pl.concat(cols)
        else:
            out[name] = np.concatenate([np.asarray(c) for c in cols])
    return out


def take_rows(batch: Batch, index: np.ndarray) -> Batch:
    """The rows ``index`` (in that order) of a batch."""
    out: Batch = {}
    for name, col in batch.items():
        if isinstance(col, Cat):
            out[name] = Cat(np.asarray(col.codes)[index], col.labels)
        elif isinstance(col, pl.Series):
            out[name] = col.gather(index)
        else:
            out[name] = np.asarray(col)[index]
    return out
