"""Stock state of every offer: supplier orders, losses, count corrections and the ledger.

The state lives here (stock, units on order and on their way back, demand rate, next count
and review days); the offer kernels (``ecomgen.kernels.offers``) move it on, day by day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.entities.offers import Offers
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels import launch
from ecomgen.kernels.offers import (
    R_CANCEL,
    R_NOT_FOUND,
    R_RETURN,
    R_RTO,
    RELEASE,
    RETURN_DAMAGED,
    RETURN_RESTOCK,
    STREAMS,
    CloseIn,
    CloseOut,
    LedgerIn,
    LedgerOut,
    OpenIn,
    OpenOut,
)
from ecomgen.rng import Rng
from ecomgen.schema import TABLES
from ecomgen.simulation.arrays import count_by, stable_order, sum_by
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.settlement import settle

# Labels of the ledger's event types and reasons (codes in ecomgen.kernels.offers), from
# the data contract.
LEDGER_TYPES = TABLES["inventory_events"].column("event_type").values
LEDGER_REASONS = TABLES["inventory_events"].column("reason").values
#: (ledger type, reason) of units coming back, by ``order_rows`` back kind (1..5).
BACK_ROWS = ((RELEASE, R_CANCEL), (RETURN_RESTOCK, R_RTO), (RETURN_RESTOCK, R_RETURN),
             (RETURN_DAMAGED, R_RETURN), (RELEASE, R_NOT_FOUND))
STATUS = TABLES["instock_events"].column("status").values
TRANSITION_REASONS = TABLES["instock_events"].column("reason").values


@dataclass
class Ledger:
    """One day's ledger rows in time order per offer (times are seconds into the day), with
    the stock status after each row and the status transitions they make."""

    offer: Any
    kind: Any
    qty: Any
    balance: Any
    time: Any
    reason: Any
    ref: Any
    status: Any  # stock status after the row
    previous: Any  # before it, -1 for the initial stock
    transition: Any  # TRANSITION_REASONS index of a status change, -1: none

    def transitions(self, xp: Any) -> tuple[Any, Any, Any, Any]:
        """The rows that change an offer's status: (index, new, previous, reason)."""
        idx = xp.nonzero(self.transition >= 0)[0]
        return idx, self.status[idx], self.previous[idx], self.transition[idx]


@dataclass
class _Day:
    """What the offer side learnt at today's 00:00, for settlement and the close."""

    d: int
    dl: tuple[Any, Any, Any]  # deliveries: offsets per offer, units, purchase-order ids
    bk: tuple[Any, Any, Any, Any, Any]  # units back: offsets, units, type, reason, order id
    opened: OpenOut


class Inventory:
    """Mutable stock of the offers ``[lo, hi)`` across the day loop, moved on by the offer
    kernels (``ecomgen.kernels.offers``).

    Arrays are indexed by the offer's position in the range; every random draw is keyed by
    the offer's index among all offers and the day, and ledger rows carry that index, so
    any split of the offers into ranges gives the same rows.
    """

    def __init__(self, cfg: Config, rng: Rng, offers: Offers, perishable: Any, lo: int = 0,
                 hi: int | None = None) -> None:
        xp = rng.xp
        hi = offers.n if hi is None else hi
        self.xp, self.cfg, self.rng, self.offers = xp, cfg, rng, offers
        self.lo, self.n = lo, hi - lo
        # Unstocked listings start empty; their first delivery is already on order.
        late = xp.nonzero(offers.first_delivery[lo:hi] >= 0)[0]
        self.stock = offers.initial_stock[lo:hi].copy()
        self.velocity = offers.prior_fp[lo:hi].copy()
        self.perishable = perishable[lo:hi]  # per offer
        # Supplier orders on their way: offer (in range), units, arrival day, order id.
        self.p_offer = late
        self.p_qty = offers.first_delivery_qty[lo:hi][late]
        self.p_day = offers.first_delivery[lo:hi][late]
        self.p_id = purchase_order_id(late + lo, -1, offers.n)
        self.on_order = sum_by(xp, late, self.p_qty, self.n)
        types = list(cfg.MERCHANT_TYPES.values())
        mtype = offers.mtype[lo:hi]
        arr = lambda vals, dt=np.float64: xp.asarray(np.array(vals, dtype=dt))[mtype]  # noqa: E731
        self.rop_days = arr([t.reorder_point_days for t in types])
        self.cover_days = arr([t.reorder_cover_days for t in types])
        self.min_stock = arr([t.min_stock for t in types], np.int64)
        self.case = offers.case_pack[lo:hi]
        self.safety = arr([t.safety_stock for t in types], np.int64)
        self.last_order = offers.last_order_day[lo:hi]
        self.lead_shift = arr([t.lead_time_shift for t in types], np.int64)
        # Each offer's next stock-count day and supplier-order review day (-1: none), drawn
        # as geometric gaps: work in proportion to the events, not to offers x days.
        g = xp.arange(lo, hi, dtype=xp.int64)
        self.next_count = next_event_day(
            xp, rng.stream("inventory.count.first").uniform_open(g),
            cfg.INVENTORY_CONFIG.adjustment_probability, 0)
        self.review_day = xp.full(self.n, -1, dtype=xp.int64)
        self.keys = xp.asarray(rng.keys(STREAMS, origin="kernels/offers.py"))
        # Units coming back from orders (cancelled, returned to origin, returned), booked
        # at 00:00 of their day: offer (in range), units, day, back kind, order id.
        z = xp.zeros(0, dtype=xp.int64)
        self.b_offer, self.b_qty, self.b_day, self.b_kind, self.b_ref = z, z, z, z, z
        self._day: _Day | None = None

    def _offsets(self, offer: Any) -> Any:
        """Offsets of each offer's rows in a list sorted by offer (n + 1 of them)."""
        xp = self.xp
        return xp.concatenate([xp.zeros(1, dtype=xp.int64),
                               xp.cumsum(count_by(xp, offer, self.n))])

    def _due(self, day: Any, offer: Any, cols: list[Any], d: int
             ) -> tuple[Any, list[Any], Any]:
        """Rows of a waiting list due on day ``d``: offsets per offer and their columns (each
        offer's rows in list order), and the index of the rows that stay."""
        xp = self.xp
        due = xp.nonzero(day == d)[0]
        due = due[stable_order(xp, offer[due])]
        return self._offsets(offer[due]), [c[due] for c in cols], xp.nonzero(day != d)[0]

    # -- start of day -------------------------------------------------------------------
    def open_day(self, d: int) -> None:
        """Deliver supplier orders due today, book units coming back and the gains of stock
        counts at 00:00."""
        xp = self.xp
        dl_start, (dl_qty, dl_id), keep = self._due(self.p_day, self.p_offer,
                                                    [self.p_qty, self.p_id], d)
        self.p_offer, self.p_qty = self.p_offer[keep], self.p_qty[keep]
        self.p_day, self.p_id = self.p_day[keep], self.p_id[keep]
        bk_start, (bk_qty, back, bk_ref), keep = self._due(
            self.b_day, self.b_offer, [self.b_qty, self.b_kind, self.b_ref], d)
        self.b_offer, self.b_qty, self.b_day = (self.b_offer[keep], self.b_qty[keep],
                                                self.b_day[keep])
        self.b_kind, self.b_ref = self.b_kind[keep], self.b_ref[keep]
        table = xp.asarray(np.array(((-1, -1),) + BACK_ROWS, dtype=np.int64))
        bk_kind, bk_reason = table[back, 0], table[back, 1]
        n = self.n
        o = OpenOut(prev_end=xp.empty(n, dtype=xp.int64), received=xp.empty(n, dtype=xp.int64),
                    handled=xp.empty(n, dtype=xp.bool_), gain=xp.empty(n, dtype=xp.int64),
                    adj_pending=xp.empty(n, dtype=xp.int64))
        launch.run("offers.open", n, OpenIn(
            keys=self.keys, lo=self.lo, d=int(d), stock=self.stock, on_order=self.on_order,
            next_count=self.next_count, dl_start=dl_start, dl_qty=dl_qty, bk_start=bk_start,
            bk_qty=bk_qty, bk_kind=bk_kind,
            adjustment_probability=float(self.cfg.INVENTORY_CONFIG.adjustment_probability)), o)
        self._day = _Day(d, (dl_start, dl_qty, dl_id),
                         (bk_start, bk_qty, bk_kind, bk_reason, bk_ref), o)

    def settle(self, offer: Any, qty: Any, time: Any) -> Any:
        """Which checkout attempts on the range's offers (``offer``: indices in the range;
        ties broken by input order) are accepted (``settlement.settle``)."""
        return settle(self.xp, offer, qty, time, self.stock)

    def expect_back(self, offer: Any, qty: Any, day: Any, kind: Any, order_id: Any) -> None:
        """Remember units of today's orders that will come back (``day`` >= 0; offers as
        indices among all offers)."""
        xp = self.xp
        m = xp.nonzero(day >= 0)[0]
        if not m.shape[0]:
            return
        self.b_offer = xp.concatenate([self.b_offer, offer[m] - self.lo])
        self.b_qty = xp.concatenate([self.b_qty, qty[m]])
        self.b_day = xp.concatenate([self.b_day, day[m]])
        self.b_kind = xp.concatenate([self.b_kind, kind[m]])
        self.b_ref = xp.concatenate([self.b_ref, order_id[m]])

    # -- end of day ---------------------------------------------------------------------
    def close_day(self, offer: Any, qty: Any, time: Any, order_id: Any) -> Ledger:
        """Book the day's accepted sales (offers as indices among all offers; ties in the
        given order), losses and negative corrections at 23:59:59, supplier orders; the
        day's ledger rows in (offer, time, event order), with their status transitions."""
        xp, inv = self.xp, self.cfg.INVENTORY_CONFIG
        assert self._day is not None
        day, d, n = self._day, self._day.d, self.n
        local = offer - self.lo
        order = stable_order(xp, local.astype(xp.int64) * DAY + time.astype(xp.int64))
        sl_start = self._offsets(local)
        sl_qty, sl_time, sl_ref = qty[order], time[order], order_id[order]
        op = day.opened
        c = CloseOut(*(xp.empty(n, dtype=xp.int64) for _ in range(7)))
        lo, hi = inv.supplier_delay_range
        b_lo, b_hi = inv.backorder_delay_range
        launch.run("offers.close", n, CloseIn(
            keys=self.keys, lo=self.lo, d=int(d), n_offers=int(self.offers.n),
            stock=self.stock, on_order=self.on_order, velocity=self.velocity,
            review_day=self.review_day, received=op.received, handled=op.handled,
            adj_pending=op.adj_pending, sl_start=sl_start, sl_qty=sl_qty,
            perishable=self.perishable, last_order=self.last_order, rop_days=self.rop_days,
            cover_days=self.cover_days, min_stock=self.min_stock, case=self.case,
            safety=self.safety, lead_shift=self.lead_shift, damage_rate=float(inv.damage_rate),
            theft_share=float(inv.theft_share), expiry_share=float(inv.expiry_share),
            restock_probability=float(inv.restock_probability), delay_lo=int(lo),
            delay_hi=int(hi), backorder_probability=float(inv.backorder_probability),
            backorder_lo=int(b_lo), backorder_hi=int(b_hi)), c)
        ordered = xp.nonzero(c.order_qty > 0)[0]
        if ordered.shape[0]:
            self.p_offer = xp.concatenate([self.p_offer, ordered])
            self.p_qty = xp.concatenate([self.p_qty, c.order_qty[ordered]])
            self.p_day = xp.concatenate([self.p_day, c.order_day[ordered]])
            self.p_id = xp.concatenate([self.p_id, purchase_order_id(ordered + self.lo, d,
                                                                     self.offers.n)])

        dl_start, dl_qty, dl_id = day.dl
        bk_start, bk_qty, bk_kind, bk_reason, bk_ref = day.bk
        rows = ((1 if d == 0 else 0) + xp.diff(dl_start) + xp.diff(bk_start)
                + (op.gain > 0) + xp.diff(sl_start) + (c.lost > 0) + (c.taken > 0))
        row_start = xp.concatenate([xp.zeros(1, dtype=xp.int64), xp.cumsum(rows)])
        m = int(row_start[-1])
        out = LedgerOut(*(xp.empty(m, dtype=xp.int64) for _ in range(10)))
        launch.run("offers.ledger", n, LedgerIn(
            lo=self.lo, d=int(d), low=int(inv.low_stock_threshold), row_start=row_start,
            prev_end=op.prev_end, dl_start=dl_start, dl_qty=dl_qty, dl_ref=dl_id,
            bk_start=bk_start, bk_qty=bk_qty, bk_kind=bk_kind, bk_reason=bk_reason,
            bk_ref=bk_ref, gain=op.gain, sl_start=sl_start, sl_qty=sl_qty, sl_time=sl_time,
            sl_ref=sl_ref, lost=c.lost, loss_reason=c.loss_reason, taken=c.taken), out)
        self._day = None
        return Ledger(*out)


def next_event_day(xp: Any, u: Any, p: Any, first: int) -> Any:
    """Day of the next event that happens each day with chance ``p``, counting from day
    ``first`` (geometric by inversion of the open uniforms ``u``; -1 when p is 0)."""
    p = xp.asarray(p, dtype=xp.float64)
    never = p <= 0.0
    log_q = fm.log1p_v(xp, -xp.where(never, 0.5, p))
    gap = xp.floor(fm.log_v(xp, u) / log_q)
    gap = xp.where(never, -1.0, xp.minimum(gap, float(1 << 40)))
    return xp.where(never, -1, first + gap.astype(xp.int64))


def purchase_order_id(offer: Any, day: int, n_offers: int) -> Any:
    """Id of the supplier order an offer places on ``day`` (-1: before the period).

    An offer orders at most once a day, so (day, offer) identifies the order; the id is its
    rank in that order, the same whatever part of the offers a worker simulates.
    """
    return (day + 1) * n_offers + offer + 1
