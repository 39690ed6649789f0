"""Shard workers that write their own part files (``--parts`` on a cluster).

The day loop's rows are made where a worker's customers and offers are; with part files
each worker writes the parts its shards own (``Parts.owned``: the day loop's shards are cut
where parts begin, ``engine.plan``), so the rows never cross the network. A worker numbers
a day's rows from 0 and keeps them until the day loop hands it their first ids with its
next call (``DayLoop`` with ``workers_write``). This process (the client) writes the
entity tables, customer_segments and any part no worker owns, then takes in what each
worker wrote (``Sink.absorb``) for the manifest.

The output directory must be one every worker can write to (on one machine it is; on a
cluster, a shared file system).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.layout import Parts
from ecomgen.schema import TABLES
from ecomgen.simulation.customer_day import Sales
from ecomgen.simulation.ids import relocate
from ecomgen.simulation.setup import Range
from ecomgen.simulation.worker import Batch, ShardWorker
from ecomgen.sinks.base import Written

#: Sides of the tables the day loop's workers write.
WORKER_SIDES = ("customer", "offer")


@dataclass(frozen=True)
class WriteSpec:
    """Where and how workers write: format, the (staging) directory, the part layout."""

    fmt: str
    directory: str
    parts: int
    n_customers: int
    n_products: int
    n_merchants: int

    def layout(self) -> Parts:
        """The run's part layout."""
        return Parts(self.parts, self.n_customers, self.n_products, self.n_merchants)


def worker_parts(parts: Parts, customers: tuple[int, int] | None,
                 products: tuple[int, int] | None) -> dict[str, list[int]]:
    """The part files of a worker holding customers ``customers`` and products
    ``products`` (half-open index ranges, either None)."""
    owned: dict[str, list[int]] = {}
    for side, rng in (("customer", customers), ("offer", products)):
        if rng is None:
            continue
        ks = parts.owned(side, *rng)
        owned.update({name: ks for name, t in TABLES.items() if t.side == side and ks})
    return owned


def client_parts(parts: Parts, workers: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    """The part files no worker writes: the entity and summary tables, and any part of a
    worker-side table left over (one with no customers or products)."""
    owned: dict[str, list[int]] = {}
    for name, t in TABLES.items():
        taken = {k for w in workers for k in w.get(name, [])}
        left = [k for k in range(parts.parts) if t.side not in WORKER_SIDES or k not in taken]
        if left:
            owned[name] = left
    return owned


class WritingShardWorker(ShardWorker):
    """A shard worker that writes its day rows into its own part files."""

    def __init__(self, cfg: Config | dict[str, Any], blocks: Range | None,
                 offers: Range | None, backend: str, totals: tuple[np.ndarray, np.ndarray],
                 spec: WriteSpec, owned: dict[str, list[int]]) -> None:
        super().__init__(cfg, blocks, offers, backend, None, totals)
        from ecomgen.sinks import make_sink  # noqa: PLC0415 (the sinks load polars, Arrow)
        from ecomgen.sinks.coalesce import Coalescer  # noqa: PLC0415

        self.sink = make_sink(spec.fmt, Path(spec.directory), spec.layout(), owned)
        self.sink.open_all()
        # Days' batches joined before they are converted and cut into parts, as the
        # client's writer does (a piece per day, table and part costs more than its rows).
        self._out = Coalescer(self.sink.write)
        self._customer_rows: list[tuple[str, Batch]] = []
        self._offer_rows: list[tuple[str, Batch]] = []

    def _write(self, rows: list[tuple[str, Batch]], first: dict[str, int] | None) -> None:
        if first is None:
            return
        for name, batch in rows:
            self._out(name, relocate(name, batch, first))
        rows.clear()

    def finish(self, d: int, accepted: np.ndarray, changes: Any) -> tuple[Any, ...]:
        """As :meth:`ShardWorker.finish`, keeping the rows until their ids are known."""
        rows, counts, sales = super().finish(d, accepted, changes)
        self._customer_rows = list(rows)
        return [], counts, sales

    def close(self, d: int, first_customer: dict[str, int] | None,
              first_offer: dict[str, int] | None, sales: Sales) -> tuple[Any, ...]:
        """Write today's customer rows and yesterday's offer rows with their first ids,
        then :meth:`ShardWorker.close`, keeping today's offer rows."""
        self._write(self._customer_rows, first_customer)
        self._write(self._offer_rows, first_offer)
        rows, counts, codes = super().close(d, None, None, sales)
        self._offer_rows = list(rows)
        return [], counts, codes

    def finish_writing(self, first_offer: dict[str, int] | None) -> Written:
        """Write the last day's offer rows, close the files; what the worker wrote."""
        self._write(self._offer_rows, first_offer)
        self._out.flush()
        return self.sink.written(self.sink.close())

    def abort(self) -> None:
        """Release the worker's files (the run failed; the client removes the directory)."""
        self.sink.abort()
