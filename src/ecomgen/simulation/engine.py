"""The day loop: entities once, then each day as a bulk-synchronous step over shards.

Customer shards (contiguous ranges of customer blocks) and offer shards (contiguous ranges
of whole products' offers) each own their state; one day runs their phases in turn, with
the exchange between them done here:

1. every offer shard opens the day; their stock at 00:00 is put together for every
   customer shard (buy box, view status);
2. every customer shard browses; the checkout attempts of all shards, in shard order
   (the canonical tie order), go to the offer shard owning each offer, which settles them;
3. the acceptance goes back, with every accepted sale of the day; customer shards resolve
   their views, orders and ratings and say how many ids they need;
4. ids are handed out in shard order; customer shards emit and pass their sales, now with
   order ids, to the offer shards, which close the day, emit the ledger and remember.

With one shard of each kind this is the whole simulation in one process; any split gives
the same output, because every draw is keyed by entity and event (docs/model.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.entities.customers import make_customers
from ecomgen.entities.descriptions import make_descriptions
from ecomgen.entities.merchants import make_merchants
from ecomgen.entities.offers import make_offers
from ecomgen.entities.products import make_products
from ecomgen.rng import Rng, to_numpy
from ecomgen.simulation.arrays import sum_by
from ecomgen.simulation.calendar import build_calendar
from ecomgen.simulation.customer_side import ID_KINDS, CustomerShard, Sales
from ecomgen.simulation.demand import product_view_rate, units_per_view
from ecomgen.simulation.inventory import Inventory
from ecomgen.simulation.offer_side import OfferShard
from ecomgen.simulation.segments import SegmentTally
from ecomgen.simulation.world import World, build_world

Batch = dict[str, Any]
Emit = Callable[[str, Batch], None]


class Counters:
    """Running id counters (ids are 1-based; each day's ids follow the previous day's)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {k: 1 for k in (*ID_KINDS, "ledger", "instock")}

    def hand_out(self, counts: Sequence[dict[str, int]]) -> list[dict[str, int]]:
        """First id of each kind for each shard, in shard order."""
        firsts = []
        for c in counts:
            firsts.append({k: self.next[k] for k in c})
            for k, n in c.items():
                self.next[k] += n
        return firsts


def simulate(cfg: Config, backend: Backend, emit: Emit,
             progress: Callable[[int, int], None] | None = None,
             shards: tuple[int, int] = (1, 1)) -> dict[str, Any]:
    """Run the whole simulation, handing every table's batches to ``emit``.

    ``shards`` (customer shards, offer shards) splits the work as a distributed run would;
    the output is the same for any split.
    """
    world, perishable = setup(cfg, backend, emit)
    cal, customers, offers = world.calendar, world.customers, world.offers
    day = DayLoop(world, backend, emit, perishable, *shards)
    for d in range(cal.days):
        day.run(d)
        if (d + 1) % cfg.GPU_CONFIG.memory_cleanup_frequency == 0:
            backend.free()
        if progress is not None:
            progress(d + 1, cal.days)
    for name, batch in day.offers_tables():
        emit(name, batch)
    per_seg = np.bincount(backend.to_host(customers.segment),
                          minlength=len(cfg.CUSTOMER_SEGMENTS)).astype(np.int64)
    emit("customer_segments", day.tally.table(cfg, per_seg))
    return {"days": cal.days, "offers": offers.n, **{k: int(v.sum()) for k, v in
                                                     day.tally.totals.items()}}


def setup(cfg: Config, backend: Backend, emit: Emit) -> tuple[World, Any]:
    """Draw the entities (handing their tables to ``emit``) and the world; also returns each
    offer's perishability (for the stock of offer shards)."""
    xp = backend.xp
    rng = Rng(xp, cfg.seed, cfg.chunk_size)
    cal = build_calendar(cfg)
    customers = make_customers(cfg, rng)
    emit("customers", customers.table)
    merchants = make_merchants(cfg, rng)
    emit("merchants", merchants.table)
    products = make_products(cfg, rng)
    emit("products", products.table)
    emit("product_descriptions", make_descriptions(cfg, rng, products))
    units = product_view_rate(cfg, np.asarray(products.cat_start)) * units_per_view(cfg)
    offers = make_offers(cfg, rng, products.category, products.base_price, products.cat_start,
                         merchants.merchant_type, units)
    world = build_world(cfg, rng, cal, customers, merchants, products, offers)
    perishable = xp.asarray(np.array([c.perishable for c in cfg.CATEGORIES.values()]))
    return world, perishable[products.category[offers.product]]


def split(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous, nearly equal ranges covering 0..n (empty ones dropped)."""
    parts = max(1, min(parts, max(n, 1)))
    cuts = [n * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a] or [(0, n)]


def offer_ranges(w: World, parts: int) -> list[tuple[int, int]]:
    """Offer ranges holding whole products: ``parts`` nearly equal ranges of products."""
    of = w.offers
    start = to_numpy(of.start)
    n_prod = int(start.shape[0])
    at = lambda p: int(start[p]) if p < n_prod else of.n  # noqa: E731
    return [(at(a), at(b)) for a, b in split(n_prod, parts)]


class DayLoop:
    """Runs one simulated day at a time over customer and offer shards, emits its batches."""

    def __init__(self, w: World, backend: Backend, emit: Emit, perishable: Any,
                 customer_shards: int = 1, offer_shards: int = 1) -> None:
        self.w, self.b, self.emit = w, backend, emit
        xp = w.xp
        self.customers = [CustomerShard(w, backend, lo, hi)
                          for lo, hi in split(w.n_blocks, customer_shards)]
        self.offers = [OfferShard(w, backend, Inventory(w.cfg, w.rng, w.offers, perishable,
                                                        lo, hi))
                       for lo, hi in offer_ranges(w, offer_shards)]
        self.ids = Counters()
        self.tally = SegmentTally(xp, len(w.cfg.CUSTOMER_SEGMENTS))
        self.reserved = xp.zeros(w.offers.n, dtype=xp.int64)

    def run(self, d: int) -> None:
        """Simulate day ``d`` and emit its tables."""
        xp = self.w.xp
        opened = [o.open(d) for o in self.offers]
        stock0 = _cat(xp, [o.stock for o in opened])
        on_order0 = _cat(xp, [o.on_order for o in opened])

        browsed = [c.browse(d, stock0) for c in self.customers]
        attempts = [b.attempts() for b in browsed]
        offer = _cat(xp, [a.offer for a in attempts])
        qty = _cat(xp, [a.qty for a in attempts])
        time = _cat(xp, [a.time for a in attempts])
        accepted = xp.zeros(offer.shape[0], dtype=bool)
        for o, op in zip(self.offers, opened, strict=True):
            mine = xp.nonzero((offer >= o.lo) & (offer < o.hi))[0]
            accepted[mine] = o.settle(offer[mine], qty[mine], time[mine], op.stock)
        acc = xp.nonzero(accepted)[0]
        day_sales = Sales(offer[acc], qty[acc], time[acc])

        resolved = []
        cut = 0
        for c, b, a in zip(self.customers, browsed, attempts, strict=True):
            n = int(a.offer.shape[0])
            resolved.append(c.resolve(d, b, accepted[cut:cut + n], day_sales, stock0,
                                      on_order0))
            cut += n
        firsts = self.ids.hand_out([r.counts(b) for r, b in zip(resolved, browsed,
                                                                 strict=True)])
        sold: list[Sales] = []
        for c, b, r, first in zip(self.customers, browsed, resolved, firsts, strict=True):
            batches, sales = c.emit(d, b, r, first)
            for name, batch in batches:
                self.emit(name, batch)
            sold.append(sales)
            c.remember(b, r)
            c.tally(b, r, self.tally)

        booked = Sales(*(_cat(xp, [getattr(s, f) for s in sold])
                         for f in ("offer", "qty", "time", "order_id")))
        closed = []
        for o in self.offers:
            mine = xp.nonzero((booked.offer >= o.lo) & (booked.offer < o.hi))[0]
            closed.append(o.close(d, Sales(booked.offer[mine], booked.qty[mine],
                                           booked.time[mine], booked.order_id[mine])))
        for o, c, first in zip(self.offers, closed,
                               self.ids.hand_out([c.counts() for c in closed]), strict=True):
            for name, batch in o.emit(d, c, first):
                self.emit(name, batch)

        if d == self.w.cfg.num_days - 1:
            held = [c.held(b, r) for c, b, r in zip(self.customers, browsed, resolved,
                                                     strict=True)]
            self.reserved = sum_by(xp, _cat(xp, [h[0] for h in held]),
                                   _cat(xp, [h[1] for h in held]), self.w.offers.n)

    def offers_tables(self) -> list[tuple[str, Batch]]:
        """Final state of every offer, shard by shard."""
        return [("offers", o.offers_table(self.reserved[o.lo:o.hi])) for o in self.offers]


def _cat(xp: Any, parts: list[Any]) -> Any:
    """Concatenate the shards' pieces (one piece is returned as it is)."""
    return parts[0] if len(parts) == 1 else xp.concatenate(parts)
