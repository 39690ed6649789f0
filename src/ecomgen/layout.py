"""Where a table's rows are on disk: one file per table, or ``--parts P`` part files.

- One file: ``<table>.csv`` / ``<table>.parquet`` (or every table in ``ecomgen.duckdb``).
- Parts: ``<table>/part-00000.csv`` ... ``part-<P-1>``, every table cut into the same P
  parts by the data alone: rows of customers (and their sessions, views, cart events,
  sales, ratings) by their customer's block, rows of products (descriptions, offers,
  ledger, stock status) by product id, merchants and customer_segments in part 0. Part k
  holds a fixed range of blocks or products, so the same P gives the same files whatever
  did the work, and any P gives the same rows (the same content digest per table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ecomgen.schema import TABLES

PART_DIGITS = 5
#: Column that decides a row's part, and whether it counts customers or products.
PART_KEYS: dict[str, tuple[str, str]] = {
    "customers": ("customer_id", "customer"),
    "browsing_sessions": ("customer_id", "customer"),
    "views": ("customer_id", "customer"),
    "cart_events": ("customer_id", "customer"),
    "sales": ("customer_id", "customer"),
    "ratings": ("customer_id", "customer"),
    "products": ("product_id", "product"),
    "product_descriptions": ("product_id", "product"),
    "offers": ("product_id", "product"),
    "inventory_events": ("sku", "product"),
    "instock_events": ("sku", "product"),
}


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
    """Which of ``parts`` parts each row of a table goes to."""

    def __init__(self, parts: int, n_customers: int, n_products: int,
                 block_bits: int) -> None:
        self.parts = parts
        n_blocks = max((n_customers + (1 << block_bits) - 1) >> block_bits, 1)
        self.block_bits = block_bits
        # part of each block / product: contiguous, nearly equal ranges
        self._block_part = _ranges(n_blocks, parts)
        self._product_part = _ranges(max(n_products, 1), parts)

    def of(self, table: str, batch: dict[str, Any]) -> np.ndarray | None:
        """Part of each row of ``batch`` (None: every row goes to part 0)."""
        key = PART_KEYS.get(table)
        if key is None:
            return None
        column, kind = key
        ids = np.asarray(batch[column], dtype=np.int64) - 1  # 1-based ids
        if kind == "customer":
            return self._block_part[ids >> self.block_bits]
        return self._product_part[ids]


def _ranges(n: int, parts: int) -> np.ndarray:
    """Part of each of n items when cut into ``parts`` contiguous, nearly equal ranges."""
    idx = np.arange(n, dtype=np.int64)
    return np.minimum(idx * parts // max(n, 1), parts - 1)
