"""Where a table's rows are on disk: one file per table, or ``--parts P`` part files.

- One file: ``<table>.csv`` / ``<table>.parquet`` (or every table in ``ecomgen.duckdb``).
- Parts: ``<table>/part-00000.csv`` ... ``part-<P-1>``, every table cut into the same P
  parts by the data alone, by its ``Table.part_by``: rows of customers (and their sessions,
  views, cart events, orders and everything after them) by customer id, rows of products
  (descriptions, offers, prices, ledger, stock status) by product id, merchants by merchant
  id, customer_segments by segment. Part k holds the k-th of P contiguous, nearly equal id
  ranges (id ``i`` of ``n`` is in part ``(i - 1) * P // n``), so every part of a table has
  rows at any size, the same P gives the same files whatever did the work, and any P gives
  the same rows (the same content digest per table).

  Customer ranges respect the 65,536-customer blocks the day loop's workers own: with at
  least P blocks a part is whole blocks (each block in the part of its middle customer),
  with fewer each block holds a share of the P parts (one or more, by its size) cut by
  id within it. So one worker writes each customer part, and with one block (up to
  65,536 customers) the cut is exactly the id ranges above.
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
                 n_merchants: int) -> None:
        from ecomgen.simulation import blocks  # noqa: PLC0415 (the block size, as patched)

        self.parts = parts
        self.n_customers = n_customers
        self._count = {"customer": max(n_customers, 1), "product": max(n_products, 1),
                       "merchant": max(n_merchants, 1)}
        self.block = blocks.CUSTOMER_BLOCK
        #: first customer index (0-based) of each part, and the end
        self.customer_bounds = customer_bounds(n_customers, parts, self.block)
        #: first product index of each part, and the end
        self.product_bounds = -(-np.arange(parts + 1, dtype=np.int64)
                                * max(n_products, 1) // parts)

    def owned(self, side: str, lo: int, hi: int) -> list[int]:
        """Parts whose customers (``side`` "customer") or products ("offer") all lie in
        ``lo .. hi - 1``: those a worker holding that range writes."""
        b = self.customer_bounds if side == "customer" else self.product_bounds
        k = np.arange(self.parts)
        return k[(b[:-1] >= lo) & (b[1:] <= hi) & (b[1:] > b[:-1])].tolist()

    def of(self, table: str, batch: dict[str, Any]) -> np.ndarray:
        """Part of each row of ``batch``."""
        column, kind = TABLES[table].part_by
        value = batch[column]
        if kind == "label":
            codes = np.asarray(value.codes, dtype=np.int64)
            return _ranges(codes, max(len(value.labels), 1), self.parts)
        if kind not in self._count:
            raise ValueError(f"{table}: no part rule {kind!r}")
        ids = np.asarray(value, dtype=np.int64) - 1  # 1-based ids
        if kind == "customer":
            return np.searchsorted(self.customer_bounds, ids, side="right") - 1
        return _ranges(ids, self._count[kind], self.parts)


def customer_bounds(n: int, parts: int, block: int) -> np.ndarray:
    """First customer index of each of ``parts`` customer parts, and ``n`` (see the module
    docstring: whole blocks with at least ``parts`` blocks, else shares of each block)."""
    n_blocks = max(-(-n // block), 1)
    start = np.arange(n_blocks + 1, dtype=np.int64) * block
    start[-1] = n
    size = np.diff(start)
    if n_blocks >= parts:
        part = ((start[:-1] + size // 2) * parts) // max(n, 1)  # by the middle customer
        first_block = np.searchsorted(part, np.arange(parts), side="left")
        return np.concatenate([start[first_block], [n]])
    # each block one part, and the other parts shared out by the customers before it
    share = np.arange(n_blocks + 1, dtype=np.int64) + (
        2 * (parts - n_blocks) * start + max(n, 1)) // (2 * max(n, 1))
    share[-1] = parts
    owner = np.repeat(np.arange(n_blocks), np.diff(share))  # the block of each part
    i = np.arange(parts) - share[owner]  # its place among the block's parts
    m = np.diff(share)[owner]
    return np.concatenate([start[owner] + -(-size[owner] * i // m), [n]])


def _ranges(idx: np.ndarray, n: int, parts: int) -> np.ndarray:
    """Part of 0-based items ``idx`` of n cut into ``parts`` contiguous, nearly equal ranges."""
    return np.clip(idx * parts // n, 0, parts - 1)
