"""One worker's share of the day loop: a customer shard and an offer shard, and their state.

A :class:`ShardWorker` holds at most one shard of each kind and keeps each day's
intermediate results itself; only the exchange between phases crosses its boundary (the
typed messages of ``exchange.py``: class codes at 00:00 and the day's class changes;
checkout attempts and their acceptance; the accepted sales for the ledger, id offsets and
the output batches). In one process it is a plain object; on a cluster the same class runs
as an actor on each worker (``ecomgen.cluster``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomgen.backend import CPU, Backend, get_backend
from ecomgen.config import Config
from ecomgen.simulation.customer_day import ID_KINDS, Attempts, Browsed, Resolved, Sales
from ecomgen.simulation.customer_side import CustomerShard
from ecomgen.simulation.exchange import (
    ClassChanges,
    ClassCodes,
    apply_changes,
    changed_codes,
    class_changes,
    class_codes,
    offer_dtype,
)
from ecomgen.simulation.inventory import Inventory
from ecomgen.simulation.offer_side import OfferShard, Opened
from ecomgen.simulation.segments import FIELDS, SegmentTally
from ecomgen.simulation.setup import Range, setup
from ecomgen.simulation.world import World

Batch = dict[str, Any]


class ShardWorker:
    """Customer blocks ``blocks`` and offers ``offers`` (half-open ranges, either may be
    None), simulated phase by phase."""

    def __init__(self, cfg: Config | dict[str, Any], blocks: Range | None,
                 offers: Range | None, backend: str = "numpy",
                 prepared: tuple[World, Any] | None = None,
                 totals: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        if isinstance(cfg, dict):
            cfg = Config.model_validate(cfg)
        self.backend: Backend = CPU if backend == "numpy" else get_backend(True)[0]
        if prepared is None:  # a world of its own: the catalogue, and its blocks' customers
            prepared = setup(cfg, self.backend, None, blocks or (0, 0), totals)
        w, perishable = prepared
        self.w = w
        self.customers = CustomerShard(w, self.backend, *blocks) if blocks else None
        self.offers = OfferShard(w, self.backend, Inventory(w.cfg, w.rng, w.offers,
                                                            perishable, *offers)) \
            if offers else None
        self.tally_ = SegmentTally(w.xp, len(w.cfg.CUSTOMER_SEGMENTS))
        self.low = int(w.cfg.INVENTORY_CONFIG.low_stock_threshold)
        # the offer shard's codes as last sent; the customer shard's copy of every offer's
        self._sent: Any = None
        self.codes: Any = w.xp.zeros(w.offers.n, dtype=w.xp.int8) if blocks else None
        self._opened: Opened | None = None
        self._browsed: Browsed | None = None
        self._resolved: Resolved | None = None

    @property
    def roles(self) -> tuple[bool, bool]:
        """Whether the worker holds (customers, offers)."""
        return self.customers is not None, self.offers is not None

    def h(self, a: Any) -> np.ndarray:
        """Host copy (what crosses to other workers is always NumPy)."""
        return self.backend.to_host(a)

    def d(self, a: Any) -> Any:
        """Device copy of an array received from the exchange."""
        return self.w.xp.asarray(a)

    # -- offer side ---------------------------------------------------------------------
    def open(self, d: int) -> ClassCodes:
        """Open the day on the worker's offers; the offers whose class code changed (none
        past the last day: nothing to open)."""
        if self.offers is None or d >= self.w.cfg.num_days:
            return ClassCodes(np.zeros(0, np.int64), np.zeros(0, np.int8))
        xp = self.w.xp
        self._opened = o = self.offers.open(d)
        codes = class_codes(xp, o.stock, o.on_order, self.low)
        offer, code = changed_codes(xp, codes, self._sent, self.offers.lo, self.w.offers.n)
        self._sent = codes  # what every customer shard holds now
        return ClassCodes(self.h(offer), self.h(code))

    def settle(self, attempts: Attempts) -> tuple[np.ndarray, ClassChanges]:
        """Acceptance of the attempts on the worker's offers (canonical order given), and
        the class changes the accepted ones make."""
        if self.offers is None or self._opened is None:
            z = np.zeros(0, np.int64)
            return np.zeros(0, dtype=bool), ClassChanges(z, z.astype(np.int32),
                                                         z.astype(np.int8))
        xp = self.w.xp
        offer, qty, time = self.d(attempts.offer), self.d(attempts.qty), self.d(attempts.time)
        ok = self.offers.settle(offer, qty, time)
        acc = xp.nonzero(ok)[0]
        c_offer, c_time, c_cls = class_changes(xp, self._opened.stock, self.offers.lo,
                                               offer[acc], qty[acc], time[acc], self.low)
        apply_changes(xp, self._sent, self.offers.lo, c_offer, c_cls)  # as customers will
        narrow = offer_dtype(self.w.offers.n)
        return self.h(ok), ClassChanges(self.h(c_offer.astype(narrow)), self.h(c_time),
                                        self.h(c_cls))

    def close(self, d: int, first_customer: dict[str, int] | None,
              first_offer: dict[str, int] | None, sales: Sales
              ) -> tuple[list[tuple[str, Batch]], dict[str, int], ClassCodes]:
        """Book the day's sales on the worker's offers and close the day: the ledger,
        status-transition and price rows, with ids counted from 0 (see
        ``ecomgen.simulation.ids``), and how many of each it has. Then the next day opens
        (one call for both: the next day's class codes come back with this day's rows).
        ``first_customer`` and ``first_offer`` are for a worker that writes its own rows
        (``ecomgen.cluster``): the first ids of today's customer rows and yesterday's offer
        rows."""
        if self.offers is None:
            return [], {"ledger": 0, "instock": 0, "price": 0}, self.open(d + 1)
        closed = self.offers.close(d, sales.map(self.d))
        rows = self.offers.emit(d, closed, {"ledger": 0, "instock": 0, "price": 0})
        return rows, closed.counts(), self.open(d + 1)

    def offers_table(self, reserved: np.ndarray) -> list[tuple[str, Batch]]:
        """Final state of the worker's offers."""
        if self.offers is None:
            return []
        return [("offers", self.offers.offers_table(self.d(reserved)))]

    # -- customer side ------------------------------------------------------------------
    def browse(self, d: int, codes: ClassCodes) -> Attempts:
        """Apply the day's class codes; sessions to checkout decisions; the attempts."""
        if self.customers is None:
            return Attempts.none()
        self.codes[self.d(codes.offer)] = self.d(codes.code)
        self._browsed = self.customers.browse(d, self.codes)
        return self._browsed.attempts().map(self.h)

    def finish(self, d: int, accepted: np.ndarray, changes: ClassChanges
               ) -> tuple[list[tuple[str, Batch]], dict[str, int], Sales]:
        """Given the acceptance of this worker's attempts and the day's class changes: the
        day's batches with ids counted from 0 (see ``ecomgen.simulation.ids``), how many ids
        of each kind they use, and the accepted sales with their order ids. Then the
        worker's state moves on (purchase history, tallies)."""
        if self.customers is None or self._browsed is None:
            return [], {k: 0 for k in ID_KINDS}, Sales.none()
        b = self._browsed
        day = ClassChanges(self.d(changes.offer), self.d(changes.time), self.d(changes.cls))
        r = self.customers.resolve(d, b, self.d(accepted), day, self.codes)
        apply_changes(self.w.xp, self.codes, 0, day.offer, day.cls)  # as the offer side did
        batches, sales = self.customers.emit(d, b, r, {k: 0 for k in ID_KINDS})
        self.customers.remember(d, b, r)
        self.customers.tally(b, r, self.tally_)
        self._resolved = r
        return batches, r.counts(b), sales.map(self.h)

    def held(self) -> tuple[np.ndarray, np.ndarray]:
        """Offers and units left in open carts on the last day."""
        if self.customers is None or self._browsed is None or self._resolved is None:
            z = np.zeros(0, np.int64)
            return z, z
        o, q = self.customers.held(self._browsed, self._resolved)
        return self.h(o), self.h(q)

    def tally(self) -> dict[str, np.ndarray]:
        """The worker's per-segment totals."""
        return {f: self.tally_.totals[f] for f in FIELDS}
