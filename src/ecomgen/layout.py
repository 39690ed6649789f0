"""Where a table's rows are on disk: one file per table, or ``--parts P`` part files.

- One file: ``<table>.csv`` / ``<table>.parquet`` (or every table in ``ecomgen.duckdb``).
- Parts: ``<table>/part-00000.csv`` ... ``part-<P-1>``, every table cut into the same P
  parts by the data alone, by its ``Table.part_by``: rows of customers (and their sessions,
  views, cart events, orders and everything after them) by their customer's block, rows of
  products (descriptions, offers, prices, ledger, stock status) by product id, merchants by
  merchant id, customer_segments by segment. Part k holds a fixed range of blocks, products
  or merchants, so the same P gives the same files whatever did the work, and any P gives
  the same rows (the same content digest per table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ecomgen.schema import TABLES

PART_DIGITS = 5


def part_name(k: int, suffix: str) -> str:
    """File name of part ``k``."""
    return f"part-{k:0{PART_DIGITS}d}{suffix}"


def table_files(directory: Path, name: str, suffix: str) -> list[Path]:
    """The files of one table, in order: its one file, or its parts (empty if neither)."""
    one = Path(directory) / f"{name}{suffix}"
    if one.is_file():
        return [one]
    folder = Path(directory) / name
    return sorted(folder.glob(f"part-*{suffix}")) if folder.is_dir() else []


def table_of_file(key: str) -> str | None:
    """The table a manifest file key belongs to (``views.csv``, ``views/part-00001.csv``)."""
    head = key.split("/", 1)[0]
    stem = head.rsplit(".", 1)[0] if "/" not in key else head
    return stem if stem in TABLES else None


class Parts:
    """Which of ``parts`` parts each row of a table goes to (by the table's ``part_by``)."""

    def __init__(self, parts: int, n_customers: int, n_products: int,
                 block_bits: int, n_merchants: int) -> None:
        self.parts = parts
        n_blocks = max((n_customers + (1 << block_bits) - 1) >> block_bits, 1)
        self.block_bits = block_bits
        # part of each block / product / merchant: contiguous, nearly equal ranges
        self._block_part = _ranges(n_blocks, parts)
        self._product_part = _ranges(max(n_products, 1), parts)
        self._merchant_part = _ranges(max(n_merchants, 1), parts)

    def of(self, table: str, batch: dict[str, Any]) -> np.ndarray:
        """Part of each row of ``batch``."""
        column, kind = TABLES[table].part_by
        value = batch[column]
        if kind == "label":
            return _ranges(max(len(value.labels), 1), self.parts)[np.asarray(value.codes)]
        ids = np.asarray(value, dtype=np.int64) - 1  # 1-based ids
        if kind == "customer":
            return self._block_part[ids >> self.block_bits]
        if kind == "product":
            return self._product_part[ids]
        if kind == "merchant":
            return self._merchant_part[ids]
        raise ValueError(f"{table}: no part rule {kind!r}")


def _ranges(n: int, parts: int) -> np.ndarray:
    """Part of each of n items when cut into ``parts`` contiguous, nearly equal ranges."""
    idx = np.arange(n, dtype=np.int64)
    return np.minimum(idx * parts // max(n, 1), parts - 1)
