"""The day loop: entities once, then each day as a bulk-synchronous step over shards.

Customer shards (contiguous ranges of customer blocks) and offer shards (contiguous ranges
of whole products' offers) each own their state; one day runs their phases in turn, with
the exchange between them done here:

1. every offer shard opens the day; the offers whose stock class code changed go to every
   customer shard (buy box, view status; ``exchange.py``);
2. every customer shard browses; the checkout attempts of all shards, in shard order
   (the canonical tie order), go to the offer shard owning each offer, which settles them
   and says when the accepted sales moved an offer to another class;
3. the acceptance goes back, with the day's class changes; customer shards finish
   the day (view status, orders, ratings, purchase history) and return their rows with
   ids counted from 0 and how many of each kind they used;
4. the ids are shifted in shard order (``ids.py``) and the rows written; the sales, now
   with order ids, go to the offer shards, which close the day and return their ledger.

With one worker holding one shard of each kind this is the whole simulation in one
process; any split gives the same output, because every draw is keyed by entity and event
and ids are ranks in (day, block, ...) order (docs/model.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.layout import Parts
from ecomgen.rng import to_numpy
from ecomgen.simulation import blocks
from ecomgen.simulation.customer_day import Attempts, Sales
from ecomgen.simulation.exchange import ClassChanges, ClassCodes
from ecomgen.simulation.ids import Counters, relocate, shift
from ecomgen.simulation.segments import SegmentTally
from ecomgen.simulation.setup import Emit, Range, setup
from ecomgen.simulation.worker import ShardWorker
from ecomgen.simulation.world import World

Batch = dict[str, Any]


def simulate(cfg: Config, backend: Backend, emit: Emit,
             progress: Callable[[int, int], None] | None = None,
             layout: tuple[int, int] = (1, 1), own_worlds: bool = False) -> dict[str, Any]:
    """Run the whole simulation in this process, handing every table's batches to ``emit``.

    ``layout`` (customer shards, offer shards) splits the work as a distributed run would;
    with ``own_worlds`` each shard worker also builds its own world (the catalogue and its
    blocks' customers) as on a cluster. The output is the same for any split.
    """
    world, perishable = setup(cfg, backend, emit)
    shards = plan(world, *layout)
    totals = (world.signed_total, world.alive_total)
    pool = LocalPool([ShardWorker(cfg, c, o, backend.name,
                                  None if own_worlds else (world, perishable), totals)
                      for c, o in shards])
    return run_days(world, pool, shards, emit, progress, backend)


def run_days(world: World, pool: Pool, shards: list[tuple[Range | None, Range | None]],
             emit: Emit, progress: Callable[[int, int], None] | None,
             backend: Backend, workers_write: bool = False) -> dict[str, Any]:
    """Every day on ``pool``, then the offers and customer_segments tables.

    With ``workers_write`` the workers write the day's rows themselves (they keep them until
    their ids are known); ``emit`` then gets only the offers and customer_segments tables,
    and the result's "written" holds what each worker wrote (``Sink.written``)."""
    cfg, cal = world.cfg, world.calendar
    day = DayLoop(world, pool, shards, emit, workers_write)
    for d in range(cal.days):
        day.run(d)
        every = cfg.GPU_CONFIG.memory_cleanup_frequency
        if every and (d + 1) % every == 0:
            backend.free()
        if progress is not None:
            progress(d + 1, cal.days)
    written = day.finish_writing() if workers_write else []
    for name, batch in day.offers_tables():
        emit(name, batch)
    totals = day.totals()
    tally = SegmentTally(world.xp, len(cfg.CUSTOMER_SEGMENTS))
    tally.totals = totals
    per_seg = np.bincount(backend.to_host(world.own.customers.segment),
                          minlength=len(cfg.CUSTOMER_SEGMENTS)).astype(np.int64)
    emit("customer_segments", tally.table(cfg, per_seg))
    return {"days": cal.days, "offers": world.offers.n, "written": written,
            **{k: int(v.sum()) for k, v in totals.items()}}


def split(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous, nearly equal ranges covering 0..n (empty ones dropped)."""
    parts = max(1, min(parts, max(n, 1)))
    cuts = [n * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a] or [(0, n)]


def offer_ranges(w: World, products: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The offers of ranges of products (a product's offers are contiguous)."""
    of = w.offers
    start = to_numpy(of.start)
    n_prod = int(start.shape[0])
    at = lambda p: int(start[p]) if p < n_prod else of.n  # noqa: E731
    return [(at(a), at(b)) for a, b in products]


def shard_ranges(n_customers: int, n_products: int, customer_parts: int, offer_parts: int,
                 layout: Parts | None = None
                 ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Nearly equal ranges of customer blocks and of products for the shards; with
    ``layout`` (workers writing part files) cut only where a part begins, so each part has
    one writer."""
    n_blocks = blocks.n_blocks(n_customers)
    if layout is None:
        return split(n_blocks, customer_parts), split(n_products, offer_parts)
    size = blocks.CUSTOMER_BLOCK
    starts = [int(b) // size for b in layout.customer_bounds if int(b) % size == 0]
    return (split_at(starts, n_blocks, customer_parts),
            split_at([int(b) for b in layout.product_bounds], n_products, offer_parts))


def split_at(cuts: list[int], n: int, parts: int) -> list[tuple[int, int]]:
    """About ``parts`` nearly equal ranges covering 0..n, cut only at ``cuts``."""
    allowed = np.unique(np.asarray([c for c in cuts if 0 < c < n], dtype=np.int64))
    if not allowed.shape[0]:
        return [(0, n)]
    want = np.arange(1, max(parts, 1)) * n / max(parts, 1)
    near = np.clip(np.searchsorted(allowed, want), 0, allowed.shape[0] - 1)
    below = np.clip(near - 1, 0, allowed.shape[0] - 1)
    pick = np.where(np.abs(allowed[below] - want) <= np.abs(allowed[near] - want),
                    allowed[below], allowed[near])
    bounds = [0, *np.unique(pick).tolist(), n]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def plan(w: World, customer_parts: int, offer_parts: int, parts: Parts | None = None
         ) -> list[tuple[Range | None, Range | None]]:
    """Worker i's (customer blocks, offers): the i-th of ``customer_parts`` ranges of blocks
    and of ``offer_parts`` ranges of whole products' offers (None past the last one).

    With ``parts`` (workers writing part files), shards are cut only where a part begins,
    so each part has one writer."""
    cust, products = shard_ranges(w.cfg.num_customers, int(w.products.category.shape[0]),
                                  customer_parts, offer_parts, parts)
    offs = offer_ranges(w, products)
    n = max(len(cust), len(offs))
    return [(cust[i] if i < len(cust) else None, offs[i] if i < len(offs) else None)
            for i in range(n)]


class Pool(Protocol):
    """Workers that run a phase together: ``call`` runs a method on each worker given
    arguments (None: that worker sits the phase out) and returns the results in order."""

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> list[Any]:
        """Run ``method`` on every worker with arguments."""
        ...

    def begin_day(self, d: int) -> None:
        """A new day starts (for messages)."""
        ...


class LocalPool:
    """Shard workers in this process, run one after the other."""

    def __init__(self, workers: list[ShardWorker]) -> None:
        self.workers = workers

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> list[Any]:
        """Run ``method`` on every worker with arguments."""
        return [None if a is None else getattr(w, method)(*a)
                for w, a in zip(self.workers, args, strict=True)]

    def begin_day(self, d: int) -> None:
        """Nothing to remember in one process."""


class DayLoop:
    """Runs one simulated day at a time over a pool of shard workers and emits its batches.

    Everything that crosses between workers passes through here, in worker order (the
    canonical order): class codes, checkout attempts, acceptance and class changes, the
    day's sales, the id counts and the output batches, whose ids (counted from 0 by each
    worker) are shifted here; or, with ``workers_write``, each worker's first ids, handed
    with its next call, the rows staying where they were made.
    A day takes two calls on customer workers (browse; finish) and two on offer workers
    (settle; close, which also opens the next day), so four exchanges a day.
    """

    def __init__(self, w: World, pool: Pool, shards: list[tuple[Range | None, Range | None]],
                 emit: Emit, workers_write: bool = False) -> None:
        self.w, self.pool, self.emit = w, pool, emit
        self.workers_write = workers_write
        self.has_customers = [c is not None for c, _ in shards]
        self.offer_range = [o for _, o in shards]
        #: first ids of each worker's offer rows of the day before (workers_write)
        self._first_offer: list[dict[str, int] | None] = [None] * len(shards)
        self.ids = Counters()
        self._codes: ClassCodes | None = None  # the next day's, from the close
        self.reserved = np.zeros(w.offers.n, dtype=np.int64)

    def _customers(self, method: str, *args: Any) -> list[Any]:
        out = self.pool.call(method, [args if c else None for c in self.has_customers])
        return [r for r, c in zip(out, self.has_customers, strict=True) if c]

    def _offers(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        it = iter(args)
        out = self.pool.call(method, [next(it) if r else None for r in self.offer_range])
        return [r for r, o in zip(out, self.offer_range, strict=True) if o]

    def _route(self, offer: np.ndarray) -> list[np.ndarray]:
        """Indices of the rows of each offer worker's offers, in their order."""
        return [np.flatnonzero((offer >= r[0]) & (offer < r[1]))
                for r in self.offer_range if r]

    def run(self, d: int) -> None:
        """Simulate day ``d`` and emit its tables."""
        self.pool.begin_day(d)
        if self._codes is None:  # the first day opens apart; later days open at the close
            n_offer = sum(1 for r in self.offer_range if r)
            self._codes = ClassCodes.join(self._offers("open", [(d,)] * n_offer))
        codes, self._codes = self._codes, None

        attempts = self._customers("browse", d, codes)
        day = Attempts.join(attempts)
        routes = self._route(day.offer)
        accepted = np.zeros(day.offer.shape[0], dtype=bool)
        settled = self._offers("settle", [(day.take(i),) for i in routes])
        for i, (ok, _) in zip(routes, settled, strict=True):
            accepted[i] = ok
        changes = ClassChanges.join([s[1] for s in settled])

        cuts = np.cumsum([0] + [a.offer.shape[0] for a in attempts])
        it = iter(zip(cuts[:-1], cuts[1:], strict=True))
        finished = self.pool.call("finish", [(d, accepted[slice(*next(it))], changes) if c
                                             else None for c in self.has_customers])
        finished = [f for f in finished if f is not None]
        firsts = self.ids.hand_out([f[1] for f in finished])
        for (batches, _, _), first in zip(finished, firsts, strict=True):
            for name, batch in batches:
                self.emit(name, relocate(name, batch, first))
        booked = Sales.join([replace(f[2], order_id=shift(f[2].order_id, first["order"]))
                             for f, first in zip(finished, firsts, strict=True)])

        # Offer workers close the day; with workers_write every worker is called, with the
        # first ids of its customer rows of today and offer rows of yesterday.
        routes = iter(self._route(booked.offer))
        first_c = iter(firsts)
        args: list[tuple[Any, ...] | None] = []
        for i, (c, r) in enumerate(zip(self.has_customers, self.offer_range, strict=True)):
            fc = next(first_c) if c else None
            if r is None and not (self.workers_write and c):
                args.append(None)
                continue
            sel = next(routes) if r else np.zeros(0, dtype=np.int64)
            args.append((d, fc if self.workers_write else None, self._first_offer[i],
                         booked.take(sel)))
        out = self.pool.call("close", args)
        closed = [c for c, r in zip(out, self.offer_range, strict=True) if r]
        offer_firsts = self.ids.hand_out([c[1] for c in closed])
        if self.workers_write:
            it = iter(offer_firsts)
            self._first_offer = [next(it) if r else None for r in self.offer_range]
        for c, first in zip(closed, offer_firsts, strict=True):
            for name, batch in c[0]:
                self.emit(name, relocate(name, batch, first))
        if d + 1 < self.w.cfg.num_days:
            self._codes = ClassCodes.join([c[2] for c in closed])

        if d == self.w.cfg.num_days - 1:
            held = self._customers("held")
            self.reserved = np.bincount(np.concatenate([h[0] for h in held]),
                                        weights=np.concatenate([h[1] for h in held]),
                                        minlength=self.w.offers.n).astype(np.int64)

    def finish_writing(self) -> list[Any]:
        """Workers write their last offer rows and close their files; what each wrote."""
        active = [c or r is not None for c, r in zip(self.has_customers, self.offer_range,
                                                     strict=True)]
        out = self.pool.call("finish_writing", [(f,) if a else None for f, a in
                                                zip(self._first_offer, active, strict=True)])
        return [o for o in out if o is not None]

    def offers_tables(self) -> list[tuple[str, Batch]]:
        """Final state of every offer, worker by worker."""
        tables = self._offers("offers_table", [(self.reserved[r[0]:r[1]],)
                                               for r in self.offer_range if r])
        return [t for part in tables for t in part]

    def totals(self) -> dict[str, np.ndarray]:
        """Per-segment totals over all workers."""
        parts = self._customers("tally")
        return {k: np.sum([p[k] for p in parts], axis=0).astype(np.int64) for k in parts[0]}


