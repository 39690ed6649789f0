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
from typing import Any, Protocol

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.rng import to_numpy
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
             backend: Backend) -> dict[str, Any]:
    """Every day on ``pool``, then the offers and customer_segments tables."""
    cfg, cal = world.cfg, world.calendar
    day = DayLoop(world, pool, shards, emit)
    for d in range(cal.days):
        day.run(d)
        every = cfg.GPU_CONFIG.memory_cleanup_frequency
        if every and (d + 1) % every == 0:
            backend.free()
        if progress is not None:
            progress(d + 1, cal.days)
    for name, batch in day.offers_tables():
        emit(name, batch)
    totals = day.totals()
    tally = SegmentTally(world.xp, len(cfg.CUSTOMER_SEGMENTS))
    tally.totals = totals
    per_seg = np.bincount(backend.to_host(world.own.customers.segment),
                          minlength=len(cfg.CUSTOMER_SEGMENTS)).astype(np.int64)
    emit("customer_segments", tally.table(cfg, per_seg))
    return {"days": cal.days, "offers": world.offers.n,
            **{k: int(v.sum()) for k, v in totals.items()}}


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


def plan(w: World, customer_parts: int, offer_parts: int
         ) -> list[tuple[Range | None, Range | None]]:
    """Worker i's (customer blocks, offers): the i-th of ``customer_parts`` ranges of blocks
    and of ``offer_parts`` ranges of whole products' offers (None past the last one)."""
    cust = split(w.n_blocks, customer_parts)
    offs = offer_ranges(w, offer_parts)
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
    canonical order): stock at 00:00, checkout attempts, acceptance, the day's sales and the
    output batches, whose ids (counted from 0 by each worker) are shifted here.
    A day takes two calls on customer workers (browse; finish) and two on offer workers
    (settle; close, which also opens the next day), so four exchanges a day.
    """

    def __init__(self, w: World, pool: Pool, shards: list[tuple[Range | None, Range | None]],
                 emit: Emit) -> None:
        self.w, self.pool, self.emit = w, pool, emit
        self.has_customers = [c is not None for c, _ in shards]
        self.offer_range = [o for _, o in shards]
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

    def _write(self, parts: list[list[tuple[str, Batch]]], counts: list[dict[str, int]]) -> None:
        for batches, first in zip(parts, self.ids.hand_out(counts), strict=True):
            for name, batch in batches:
                self.emit(name, relocate(name, batch, first))

    def run(self, d: int) -> None:
        """Simulate day ``d`` and emit its tables."""
        self.pool.begin_day(d)
        if self._codes is None:  # the first day opens apart; later days open at the close
            n_offer = sum(1 for r in self.offer_range if r)
            self._codes = ClassCodes.join(self._offers("open", [(d,)] * n_offer))
        codes, self._codes = self._codes, None

        attempts = self._customers("browse", d, codes)
        offer, qty, time = (np.concatenate([a[i] for a in attempts]) for i in range(3))
        routes = self._route(offer)
        accepted = np.zeros(offer.shape[0], dtype=bool)
        settled = self._offers("settle", [(offer[i], qty[i], time[i]) for i in routes])
        for i, (ok, _) in zip(routes, settled, strict=True):
            accepted[i] = ok
        changes = ClassChanges.join([s[1] for s in settled])

        cuts = np.cumsum([0] + [a[0].shape[0] for a in attempts])
        it = iter(zip(cuts[:-1], cuts[1:], strict=True))
        finished = self.pool.call("finish", [(d, accepted[slice(*next(it))], changes) if c
                                             else None for c in self.has_customers])
        finished = [f for f in finished if f is not None]
        firsts = self.ids.hand_out([f[1] for f in finished])
        for (batches, _, _), first in zip(finished, firsts, strict=True):
            for name, batch in batches:
                self.emit(name, relocate(name, batch, first))
        booked = [np.concatenate([f[2][i] for f in finished]) for i in range(7)]
        booked[3] = np.concatenate([shift(f[2][3], first["order"])
                                    for f, first in zip(finished, firsts, strict=True)])

        closed = self._offers("close", [(d, *(col[i] for col in booked))
                                        for i in self._route(booked[0])])
        self._write([c[0] for c in closed], [c[1] for c in closed])
        if d + 1 < self.w.cfg.num_days:
            self._codes = ClassCodes.join([c[2] for c in closed])

        if d == self.w.cfg.num_days - 1:
            held = self._customers("held")
            self.reserved = np.bincount(np.concatenate([h[0] for h in held]),
                                        weights=np.concatenate([h[1] for h in held]),
                                        minlength=self.w.offers.n).astype(np.int64)

    def offers_tables(self) -> list[tuple[str, Batch]]:
        """Final state of every offer, worker by worker."""
        tables = self._offers("offers_table", [(self.reserved[r[0]:r[1]],)
                                               for r in self.offer_range if r])
        return [t for part in tables for t in part]

    def totals(self) -> dict[str, np.ndarray]:
        """Per-segment totals over all workers."""
        parts = self._customers("tally")
        return {k: np.sum([p[k] for p in parts], axis=0).astype(np.int64) for k in parts[0]}


