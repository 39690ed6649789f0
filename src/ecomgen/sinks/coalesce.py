"""Join small per-day batches into larger ones before conversion and writing."""

from __future__ import annotations

from collections.abc import Callable

from ecomgen.batch import Batch, batch_rows, concat_batches

Emit = Callable[[str, Batch], None]


class Coalescer:
    """Buffers each table's batches until ``min_rows`` rows, then passes them on as one.

    Flushes depend on row counts only, so the output does not depend on how the
    simulation happened to split its work. Every table holds up to ``min_rows`` rows here
    (a slow table, such as sales, for much of the run): 100,000 rows keep the buffers of all
    tables together near 100 MB at preset L (250,000 took the run past 1 GiB).
    """

    def __init__(self, emit: Emit, min_rows: int = 100_000) -> None:
        self.emit = emit
        self.min_rows = min_rows
        self._parts: dict[str, list[Batch]] = {}
        self._count: dict[str, int] = {}

    def __call__(self, table: str, batch: Batch) -> None:
        """Buffer one batch of ``table``."""
        n = batch_rows(batch)
        if n == 0:
            return
        self._parts.setdefault(table, []).append(batch)
        self._count[table] = self._count.get(table, 0) + n
        if self._count[table] >= self.min_rows:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        """Pass on what is buffered (of one table, or of all)."""
        for name in [table] if table else list(self._parts):
            parts = self._parts.pop(name, [])
            self._count.pop(name, None)
            if parts:
                self.emit(name, concat_batches(parts))
