"""The offer side in array operations: the readable reference of the offer kernels
(``ecomgen.kernels.offers``). ``tests/test_kernel_offers.py`` checks that both give the
same stock, ledger rows and supplier orders, day after day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.entities.offers import FP, Offers, reorder_point, whole_cases
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels.offers import (
    ADJUST,
    COUNT_GAIN_SHARE,
    DAMAGE,
    INITIAL,
    R_COUNT,
    R_DAMAGE,
    R_EXPIRY,
    R_SUPPLY,
    R_THEFT,
    RELEASE,
    RESTOCK,
    RETURN_DAMAGED,
    RETURN_RESTOCK,
    SALE,
)
from ecomgen.rng import Rng
from ecomgen.simulation.arrays import group_ids, segmented_cumsum, stable_order, sum_by
from ecomgen.simulation.clock import CLOSE, DAY, OPEN
from ecomgen.simulation.exchange import class_of
from ecomgen.simulation.inventory import BACK_ROWS, purchase_order_id


@dataclass
class ArrayLedger:
    """One day's ledger rows in time order per offer (times are seconds into the day)."""

    offer: Any
    kind: Any
    qty: Any
    balance: Any
    time: Any
    reason: Any
    ref: Any


class ArrayInventory:
    """Mutable stock of the offers ``[lo, hi)`` across the day loop.

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
        self.adj_pending = xp.zeros(self.n, dtype=xp.int64)
        # Each offer's next stock-count day and supplier-order review day (-1: none), drawn
        # as geometric gaps: work in proportion to the events, not to offers x days.
        g = xp.arange(lo, hi, dtype=xp.int64)
        self.next_count = next_event_day(
            xp, rng.stream("inventory.count.first").uniform_open(g),
            cfg.INVENTORY_CONFIG.adjustment_probability, 0)
        self.review_day = xp.full(self.n, -1, dtype=xp.int64)
        self.rows: list[tuple[Any, ...]] = []
        # Units coming back from orders (cancelled, returned to origin, returned), booked
        # at 00:00 of their day: offer (in range), units, day, back kind, order id.
        z = xp.zeros(0, dtype=xp.int64)
        self.b_offer, self.b_qty, self.b_day, self.b_kind, self.b_ref = z, z, z, z, z

    # -- start of day -------------------------------------------------------------------
    def open_day(self, d: int) -> None:
        """Deliver supplier orders due today and apply positive count corrections at 00:00."""
        xp, inv = self.xp, self.cfg.INVENTORY_CONFIG
        self.rows = []
        self.handled = xp.zeros(self.n, dtype=bool)
        self.received = xp.zeros(self.n, dtype=xp.int64)
        if d == 0:
            o = xp.arange(self.n, dtype=xp.int64)
            self._row(o, INITIAL, self.stock, OPEN, -1, -1)
        # Masks become indices once: one device sync each instead of one per array.
        due = xp.nonzero(self.p_day == d)[0]
        if due.shape[0]:
            o, q, po = self.p_offer[due], self.p_qty[due], self.p_id[due]
            self._row(o, RESTOCK, q, OPEN, R_SUPPLY, po)
            self.received = sum_by(xp, o, q, self.n)
            self.stock += self.received
            self.on_order -= sum_by(xp, o, q, self.n)
            self.handled[o] = True
            keep = xp.nonzero(self.p_day != d)[0]
            self.p_offer, self.p_qty = self.p_offer[keep], self.p_qty[keep]
            self.p_day, self.p_id = self.p_day[keep], self.p_id[keep]
        self._book_back(d)
        # Stock counts due today (of offers with stock) find corrections: gains booked at
        # OPEN, losses at CLOSE; each counted offer's next count is drawn.
        counted = xp.nonzero(self.next_count == d)[0]
        rng = self.rng
        if counted.shape[0]:
            self.next_count[counted] = next_event_day(
                xp, rng.stream("inventory.count.next").uniform_open(counted + self.lo, d),
                inv.adjustment_probability, d + 1)
        o = counted[xp.nonzero(self.stock[counted] > 0)[0]]
        size = rng.stream("inventory.adjust.size").integers(1, 4, o + self.lo, d)
        # Counts find shrink more often than surplus: corrections are net negative.
        up = rng.stream("inventory.adjust.gain").bernoulli(COUNT_GAIN_SHARE, o + self.lo, d)
        gain, loss = xp.nonzero(up)[0], xp.nonzero(~up)[0]
        self._row(o[gain], ADJUST, size[gain], OPEN, R_COUNT, -1)
        self.stock[o[gain]] += size[gain]
        self.adj_pending[:] = 0
        self.adj_pending[o[loss]] = size[loss]

    def _book_back(self, d: int) -> None:
        """Units of orders coming back today (cancellations, RTO, returns) at 00:00."""
        xp = self.xp
        due = xp.nonzero(self.b_day == d)[0]
        if not due.shape[0]:
            return
        o, q, k, ref = self.b_offer[due], self.b_qty[due], self.b_kind[due], self.b_ref[due]
        table = xp.asarray(np.array(((-1, -1),) + BACK_ROWS, dtype=np.int64))
        kind, reason = table[k, 0], table[k, 1]
        sellable = xp.where(kind == RETURN_DAMAGED, 0, q)
        self._row(o, kind, sellable, OPEN, reason, ref)
        self.stock += sum_by(xp, o, sellable, self.n)
        self.handled[o] = True
        keep = xp.nonzero(self.b_day != d)[0]
        self.b_offer, self.b_qty, self.b_day = (self.b_offer[keep], self.b_qty[keep],
                                                self.b_day[keep])
        self.b_kind, self.b_ref = self.b_kind[keep], self.b_ref[keep]

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

    # -- sales --------------------------------------------------------------------------
    def book_sales(self, offer: Any, qty: Any, time: Any, order_id: Any) -> Any:
        """Record accepted sales (already settled) of offers in the range (indices among all
        offers); returns units sold per offer of the range today."""
        xp = self.xp
        offer = offer - self.lo
        self._row(offer, SALE, -qty, time, -1, order_id)
        sold = sum_by(xp, offer, qty, self.n)
        self.stock -= sold
        self.handled |= sold > 0
        return sold

    # -- end of day ---------------------------------------------------------------------
    def close_day(self, d: int, sold: Any) -> None:
        """Losses and negative corrections at 23:59:59, then supplier orders."""
        xp, inv, rng = self.xp, self.cfg.INVENTORY_CONFIG, self.rng
        end = CLOSE
        o = xp.nonzero(self.handled & (self.stock > 0))[0]
        # Units on hand and units received today are exposed (handling damages goods).
        lost = rng.stream("inventory.loss").binomial(self.stock[o] + self.received[o],
                                                     inv.damage_rate, o + self.lo, d)
        lost = xp.minimum(lost, self.stock[o])
        m = xp.nonzero(lost > 0)[0]
        o, lost = o[m], lost[m]
        u = rng.stream("inventory.loss.theft").uniform(o + self.lo, d)
        reason = xp.where(u < inv.theft_share, R_THEFT, R_DAMAGE)
        expiry = (self.perishable[o]
                  & (rng.stream("inventory.loss.expiry").uniform(o + self.lo, d)
                     < inv.expiry_share) & (reason != R_THEFT))
        reason = xp.where(expiry, R_EXPIRY, reason)
        self._row(o, DAMAGE, -lost, end, reason, -1)
        self.stock[o] -= lost

        a = xp.nonzero(self.adj_pending > 0)[0]
        take = xp.minimum(self.adj_pending[a], self.stock[a])
        pos = xp.nonzero(take > 0)[0]
        a, take = a[pos], take[pos]
        self._row(a, ADJUST, -take, end, R_COUNT, -1)
        self.stock[a] -= take
        self._reorder(d, sold)

    def _reorder(self, d: int, sold: Any) -> None:
        xp, inv = self.xp, self.cfg.INVENTORY_CONFIG
        # Integer EWMA of daily units (x FP), alpha = 1/16.
        self.velocity += (sold * FP - self.velocity) // 16
        v = xp.maximum(self.velocity, 0)
        rop = reorder_point(xp, v, self.rop_days, self.safety)
        position = self.stock + self.on_order
        due = (position <= rop) & (self.last_order >= d)
        # An offer that falls due gets its review after a geometric wait: fast movers the
        # same day, slow ones with restock_probability a day. At the review the seller orders
        # if the offer is still due.
        rng = self.rng
        new = xp.nonzero(due & (self.review_day < 0))[0]
        if new.shape[0]:
            p = xp.minimum(inv.restock_probability + v[new] / FP, 1.0)
            self.review_day[new] = next_event_day(
                xp, rng.stream("inventory.reorder.review").uniform_open(new + self.lo, d), p, d)
        reviewed = xp.nonzero(self.review_day == d)[0]
        self.review_day[reviewed] = -1
        o = reviewed[xp.nonzero(due[reviewed])[0]]
        if o.shape[0] == 0:
            return
        target = (v[o] * self.cover_days[o]).astype(xp.int64) // FP + rop[o]
        qty = xp.maximum(xp.maximum(target - position[o], self.min_stock[o]), 1)
        qty = whole_cases(qty, self.case[o])
        lo, hi = inv.supplier_delay_range
        g = o + self.lo  # keys: offers' indices among all offers
        delay = rng.stream("inventory.reorder.delay").integers(lo, hi + 1, g, d)
        delay = delay + self.lead_shift[o]
        b_lo, b_hi = inv.backorder_delay_range
        late = rng.stream("inventory.reorder.backorder").uniform(g, d) < inv.backorder_probability
        extra = rng.stream("inventory.reorder.backorder_delay").integers(b_lo, b_hi + 1, g, d)
        delay = delay + xp.where(late, extra, 0)
        arrive = d + xp.maximum(delay, 1)
        po = purchase_order_id(g, d, self.offers.n)
        self.p_offer = xp.concatenate([self.p_offer, o])
        self.p_qty = xp.concatenate([self.p_qty, qty])
        self.p_day = xp.concatenate([self.p_day, arrive])
        self.p_id = xp.concatenate([self.p_id, po])
        self.on_order += sum_by(xp, o, qty, self.n)

    # -- ledger -------------------------------------------------------------------------
    def _row(self, offer: Any, kind: int, qty: Any, time: Any, reason: Any, ref: Any) -> None:
        xp = self.xp
        n = int(offer.shape[0])
        if n == 0:
            return
        full = lambda v: xp.broadcast_to(xp.array(v, dtype=xp.int64), (n,)).copy()  # noqa: E731
        self.rows.append((offer.astype(xp.int64), full(kind), full(qty), full(time),
                          full(reason), full(ref)))

    def ledger(self, start_balance: Any) -> ArrayLedger:
        """Today's rows sorted by (offer, time, event order) with running balances
        (``start_balance``: per offer of the range; rows carry indices among all offers)."""
        xp = self.xp
        if not self.rows:
            z = xp.zeros(0, dtype=xp.int64)
            return ArrayLedger(z, z, z, z, z, z, z)
        cols = [xp.concatenate([r[i] for r in self.rows]) for i in range(6)]
        offer, kind, qty, time, reason, ref = cols
        seq = xp.asarray(np.array([0, 1, 3, 4, 2, 1, 1, 1], dtype=np.int64))[kind]
        seq = xp.where((kind == ADJUST) & (qty < 0), 5, seq)
        order = stable_order(xp, (offer * DAY + time) * 8 + seq)
        offer, kind, qty, time = offer[order], kind[order], qty[order], time[order]
        reason, ref = reason[order], ref[order]
        gid, starts = group_ids(xp, offer)
        opening = xp.where(kind[starts] == INITIAL, 0, start_balance[offer[starts]])
        balance = opening[gid] + segmented_cumsum(xp, qty, gid, starts)
        return ArrayLedger(offer + self.lo, kind, qty, balance, time, reason, ref)


def next_event_day(xp: Any, u: Any, p: Any, first: int) -> Any:
    """Day of the next event that happens each day with chance ``p``, counting from day
    ``first`` (geometric by inversion of the open uniforms ``u``; -1 when p is 0)."""
    p = xp.asarray(p, dtype=xp.float64)
    never = p <= 0.0
    log_q = fm.log1p_v(xp, -xp.where(never, 0.5, p))
    gap = xp.floor(fm.log_v(xp, u) / log_q)
    gap = xp.where(never, -1.0, xp.minimum(gap, float(1 << 40)))
    return xp.where(never, -1, first + gap.astype(xp.int64))


def settle(xp: Any, offer: Any, qty: Any, time: Any, stock: Any) -> Any:
    """Accept attempts first-fit in time order without ever exceeding ``stock``.

    ``offer``/``qty``/``time`` describe the day's attempts (time = seconds into the day, ties
    broken by input order); ``stock`` is every offer's stock at the start of the day, which
    only falls during the day. Returns a boolean array: attempt accepted.
    """
    n = int(offer.shape[0])
    accepted = xp.zeros(n, dtype=bool)
    if n == 0:
        return accepted
    order = stable_order(xp, offer.astype(xp.int64) * DAY + time.astype(xp.int64))
    off, q = offer[order], qty[order].astype(xp.int64)
    gid, starts = group_ids(xp, off)
    remaining = stock[off[starts]].astype(xp.int64)  # per group
    acc = xp.zeros(n, dtype=bool)
    pending = xp.ones(n, dtype=bool)
    while bool(pending.any()):
        pending &= q <= remaining[gid]  # larger than what is left: can never fit (stock only falls)
        pq = xp.where(pending, q, 0)
        fits = pending & (segmented_cumsum(xp, pq, gid, starts) <= remaining[gid])
        acc |= fits
        remaining -= sum_by(xp, gid[fits], q[fits], int(starts.shape[0]))
        pending &= ~fits
    accepted[order] = acc
    return accepted


def transitions(xp: Any, led: ArrayLedger, low: int) -> tuple[Any, Any, Any, Any]:
    """Rows of the ledger that change an offer's status: (index, new, previous, reason)."""
    new = class_of(xp, led.balance, low).astype(xp.int64)
    prev = class_of(xp, led.balance - led.qty, low).astype(xp.int64)
    initial = led.kind == INITIAL
    idx = xp.nonzero((new != prev) | initial)[0]
    k, n_, p_ = led.kind[idx], new[idx], prev[idx]
    reason = xp.full(idx.shape[0], 4, dtype=xp.int64)  # stock_correction
    reason = xp.where(k == SALE, xp.where(n_ == 2, 1, 2), reason)
    reason = xp.where(k == DAMAGE, 3, reason)
    reason = xp.where(k == RESTOCK, 5, reason)
    reason = xp.where((k == RELEASE) | (k == RETURN_RESTOCK), 6, reason)
    reason = xp.where(k == INITIAL, 0, reason)
    prev_out = xp.where(k == INITIAL, -1, p_)
    return idx, n_, prev_out, reason
