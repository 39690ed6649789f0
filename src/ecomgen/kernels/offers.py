"""The offer side of a day as kernels, one offer per call of each loop body.

- :func:`open_offers`: supplier deliveries and units coming back at 00:00, stock counts due
  today (a gain booked now, a loss kept for 23:59:59);
- :func:`settle_offers`: the day's checkout attempts on each offer, first-fit in time order
  (a line that does not fit is rejected; a later one that fits is still accepted);
- :func:`close_offers`: the day's sales, losses on handled offers, the pending loss of a
  count, the demand rate and supplier orders (reviewed after a geometric wait once due);
- :func:`ledger_offers`: the day's ledger rows of each offer in (time, event order), with
  running balances and the stock-status transitions they make.

Every draw is keyed by the offer's index among all offers and the day, exactly as the array
code it replaced (``tests/reference/offers_arrays.py``), so any split of the offers into
ranges gives the same rows.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ecomgen.kernels import draws as dr
from ecomgen.kernels.fmath import log, log1p, pow, scalar

#: Ledger event-type codes (labels in simulation.inventory.LEDGER_TYPES).
INITIAL, RESTOCK, SALE, DAMAGE, ADJUST, RELEASE, RETURN_RESTOCK, RETURN_DAMAGED = range(8)
#: Ledger reason codes (simulation.inventory.LEDGER_REASONS).
R_SUPPLY, R_DAMAGE, R_EXPIRY, R_THEFT, R_COUNT, R_CANCEL, R_RTO, R_RETURN, R_NOT_FOUND = range(9)
#: Share of stock-count corrections that find more units than the books show.
COUNT_GAIN_SHARE = 0.3
#: Fixed-point scale of the demand rate (units a day x FP).
FP = 256
#: Ledger seconds of the day's opening and closing events.
OPEN, CLOSE = 0, 86_400 - 1

#: Streams, keyed by (offer, day): the day is not folded into their keys.
STREAMS = ("inventory.count.next", "inventory.adjust.size", "inventory.adjust.gain",
           "inventory.loss", "inventory.loss/normal_tail", "inventory.loss.theft",
           "inventory.loss.expiry", "inventory.reorder.review", "inventory.reorder.delay",
           "inventory.reorder.backorder", "inventory.reorder.backorder_delay")
(K_COUNT, K_SIZE, K_GAIN, K_LOSS, K_LOSS_TAIL, K_THEFT, K_EXPIRY, K_REVIEW, K_DELAY,
 K_BACKORDER, K_BACKORDER_DELAY) = range(len(STREAMS))


@scalar
def next_event_day(u_open: float, p: float, first: int) -> int:
    """Day of the next event that happens each day with chance ``p``, counting from day
    ``first`` (geometric by inversion; -1 when p is 0)."""
    if p <= 0.0:
        return -1
    gap = min(log(u_open) / log1p(-p), float(1 << 40))
    return first + int(math.floor(gap))


@scalar
def binomial(u: float, tail: np.uint64, n: int, p: float) -> int:
    """Binomial count from a uniform ``u`` by inversion while n * p is at most 20, else
    rounded normal from the bits ``tail`` (as ``ecomgen.rng.Stream.binomial``; its loop
    runs at most 3 n p + 25 times for each draw on its own, not for the largest in a
    batch)."""
    mean = n * p
    q = 1.0 - p
    if mean > 20.0:
        big = mean + math.sqrt(mean * q) * dr.normal(tail) + 0.5
        return int(math.floor(min(max(big, 0.0), float(n))))
    pk = pow(q, float(n))
    cdf = pk
    k = 0
    ratio = p / (q if q > 0 else 1.0)
    for i in range(int(mean * 3 + 25)):
        if not (u > cdf and k < n):
            break
        k += 1
        pk = pk * (n - i) / (i + 1) * ratio
        cdf = cdf + pk
    return min(k, n)


class OpenIn(NamedTuple):
    """An offer range's state at the end of yesterday and what reaches it at 00:00 today
    (deliveries and units back of offer i: ``dl_start[i]``.. and ``bk_start[i]``..)."""

    keys: Any  # uint64 [len(STREAMS)]
    lo: int  # index of the range's first offer among all offers
    d: int
    stock: Any  # updated in place
    on_order: Any  # updated in place
    next_count: Any  # updated in place
    dl_start: Any
    dl_qty: Any
    bk_start: Any
    bk_qty: Any
    bk_kind: Any  # ledger type of each back row
    adjustment_probability: float


class OpenOut(NamedTuple):
    """Per offer: stock before 00:00, units received, whether handled, a count's gain (booked
    at 00:00) and its loss (pending for 23:59:59)."""

    prev_end: Any
    received: Any
    handled: Any
    gain: Any
    adj_pending: Any


@scalar
def open_offers(lo: int, hi: int, t: OpenIn, o: OpenOut) -> None:
    """Offers ``lo..hi-1`` at 00:00 of day ``t.d``."""
    keys = t.keys
    d = t.d
    for i in range(lo, hi):
        g = i + t.lo
        stock = t.stock[i]
        o.prev_end[i] = stock
        received = 0
        for j in range(t.dl_start[i], t.dl_start[i + 1]):
            received += t.dl_qty[j]
        handled = received > 0 or t.dl_start[i + 1] > t.dl_start[i]
        stock += received
        t.on_order[i] = t.on_order[i] - received
        for j in range(t.bk_start[i], t.bk_start[i + 1]):
            if t.bk_kind[j] != RETURN_DAMAGED:
                stock += t.bk_qty[j]
            handled = True
        gain = 0
        pending = 0
        if t.next_count[i] == d:
            t.next_count[i] = next_event_day(
                dr.uniform_open(dr.h2(keys[K_COUNT], g, d)), t.adjustment_probability, d + 1)
            if stock > 0:
                size = dr.integers(dr.uniform(dr.h2(keys[K_SIZE], g, d)), 1, 4)
                if dr.uniform(dr.h2(keys[K_GAIN], g, d)) < COUNT_GAIN_SHARE:
                    gain = size
                    stock += size
                else:
                    pending = size
        t.stock[i] = stock
        o.received[i] = received
        o.handled[i] = handled
        o.gain[i] = gain
        o.adj_pending[i] = pending


class SettleIn(NamedTuple):
    """Each offer's checkout attempts in (time, tie) order (``start[i]``..) and stock."""

    start: Any
    qty: Any
    stock: Any


class SettleOut(NamedTuple):
    """Per attempt (in the same order): accepted."""

    accepted: Any


@scalar
def settle_offers(lo: int, hi: int, t: SettleIn, o: SettleOut) -> None:
    """First-fit settlement of offers ``lo..hi-1``: an attempt is accepted when its units are
    still in stock at its moment (stock only falls within a day)."""
    for i in range(lo, hi):
        left = t.stock[i]
        for j in range(t.start[i], t.start[i + 1]):
            ok = t.qty[j] <= left
            o.accepted[j] = ok
            if ok:
                left -= t.qty[j]


class CloseIn(NamedTuple):
    """An offer range's state after 00:00, the day's accepted sales of offer i
    (``sl_start[i]``..) and the tables of losses and supplier orders."""

    keys: Any
    lo: int
    d: int
    n_offers: int  # offers in all (purchase-order ids)
    stock: Any  # updated in place
    on_order: Any  # updated in place
    velocity: Any  # updated in place
    review_day: Any  # updated in place
    received: Any
    handled: Any
    adj_pending: Any
    sl_start: Any
    sl_qty: Any
    perishable: Any
    last_order: Any
    rop_days: Any
    cover_days: Any
    min_stock: Any
    case: Any
    safety: Any
    lead_shift: Any
    damage_rate: float
    theft_share: float
    expiry_share: float
    restock_probability: float
    delay_lo: int
    delay_hi: int
    backorder_probability: float
    backorder_lo: int
    backorder_hi: int


class CloseOut(NamedTuple):
    """Per offer: units sold, lost (and why), a count's loss taken, a supplier order placed
    (units, arrival day; 0 units: none), and the day's ledger rows."""

    sold: Any
    lost: Any
    loss_reason: Any
    taken: Any
    order_qty: Any
    order_day: Any
    rows: Any


@scalar
def close_offers(lo: int, hi: int, t: CloseIn, o: CloseOut) -> None:
    """Offers ``lo..hi-1`` at the end of day ``t.d``."""
    keys = t.keys
    d = t.d
    for i in range(lo, hi):
        g = i + t.lo
        sold = 0
        for j in range(t.sl_start[i], t.sl_start[i + 1]):
            sold += t.sl_qty[j]
        stock = t.stock[i] - sold
        lost = 0
        reason = -1
        if (t.handled[i] or sold > 0) and stock > 0:
            # Units on hand and units received today are exposed (handling damages goods).
            lost = binomial(dr.uniform(dr.h2(keys[K_LOSS], g, d)),
                            dr.h2(keys[K_LOSS_TAIL], g, d), stock + t.received[i],
                            t.damage_rate)
            lost = min(lost, stock)
            if lost > 0:
                theft = dr.uniform(dr.h2(keys[K_THEFT], g, d)) < t.theft_share
                reason = R_THEFT if theft else R_DAMAGE
                if (t.perishable[i] and not theft
                        and dr.uniform(dr.h2(keys[K_EXPIRY], g, d)) < t.expiry_share):
                    reason = R_EXPIRY
                stock -= lost
        taken = min(t.adj_pending[i], stock) if t.adj_pending[i] > 0 else 0
        stock -= max(taken, 0)

        # The demand rate (integer EWMA, alpha 1/16), the reorder point, and supplier orders.
        velocity = t.velocity[i] + (sold * FP - t.velocity[i]) // 16
        t.velocity[i] = velocity
        v = max(velocity, 0)
        rop = max(int(v * t.rop_days[i]) // FP, t.safety[i])
        position = stock + t.on_order[i]
        due = position <= rop and t.last_order[i] >= d
        if due and t.review_day[i] < 0:
            p = min(t.restock_probability + v / FP, 1.0)
            t.review_day[i] = next_event_day(dr.uniform_open(dr.h2(keys[K_REVIEW], g, d)), p,
                                             d)
        qty = 0
        arrive = -1
        if t.review_day[i] == d:
            t.review_day[i] = -1
            if due:
                target = int(v * t.cover_days[i]) // FP + rop
                qty = max(max(target - position, t.min_stock[i]), 1)
                qty = -(-qty // t.case[i]) * t.case[i]
                delay = dr.integers(dr.uniform(dr.h2(keys[K_DELAY], g, d)), t.delay_lo,
                                    t.delay_hi + 1) + t.lead_shift[i]
                late = dr.uniform(dr.h2(keys[K_BACKORDER], g, d)) < t.backorder_probability
                extra = dr.integers(dr.uniform(dr.h2(keys[K_BACKORDER_DELAY], g, d)),
                                    t.backorder_lo, t.backorder_hi + 1)
                if late:
                    delay += extra
                arrive = d + max(delay, 1)
                t.on_order[i] = t.on_order[i] + qty
        t.stock[i] = stock
        o.sold[i] = sold
        o.lost[i] = lost
        o.loss_reason[i] = reason
        o.taken[i] = taken
        o.order_qty[i] = qty
        o.order_day[i] = arrive


class LedgerIn(NamedTuple):
    """What the day did to each offer: the open and close kernels' inputs and outputs, the
    row offsets (``row_start[i]``..), and the sales' times and order ids."""

    lo: int
    d: int
    low: int  # low-stock threshold
    row_start: Any
    prev_end: Any
    dl_start: Any
    dl_qty: Any
    dl_ref: Any
    bk_start: Any
    bk_qty: Any
    bk_kind: Any
    bk_reason: Any
    bk_ref: Any
    gain: Any
    sl_start: Any
    sl_qty: Any
    sl_time: Any
    sl_ref: Any
    lost: Any
    loss_reason: Any
    taken: Any


class LedgerOut(NamedTuple):
    """The day's ledger rows, and for each whether it changes the offer's stock status."""

    offer: Any
    kind: Any
    qty: Any
    balance: Any
    time: Any
    reason: Any
    ref: Any
    status: Any  # after the row
    previous: Any  # before the row, -1 for the initial stock
    transition: Any  # reason code (simulation.inventory.TRANSITION_REASONS), -1: none


@scalar
def _status(level: int, low: int) -> int:
    return 2 if level <= 0 else (1 if level <= low else 0)


@scalar
def _row(o: LedgerOut, j: int, g: int, kind: int, qty: int, balance: int, time: int,
         reason: int, ref: int, low: int) -> None:
    """Row j: its fields, and the transition it makes."""
    o.offer[j] = g
    o.kind[j] = kind
    o.qty[j] = qty
    o.balance[j] = balance
    o.time[j] = time
    o.reason[j] = reason
    o.ref[j] = ref
    new = _status(balance, low)
    prev = _status(balance - qty, low)
    o.status[j] = new
    o.previous[j] = -1 if kind == INITIAL else prev
    why = -1
    if kind == INITIAL:
        why = 0
    elif new != prev:
        if kind == SALE:
            why = 1 if new == 2 else 2
        elif kind == DAMAGE:
            why = 3
        elif kind == RESTOCK:
            why = 5
        elif kind in (RELEASE, RETURN_RESTOCK):
            why = 6
        else:
            why = 4
    o.transition[j] = why


@scalar
def ledger_offers(lo: int, hi: int, t: LedgerIn, o: LedgerOut) -> None:
    """The ledger rows of offers ``lo..hi-1``: the initial stock (day 0), deliveries and units
    back at 00:00, a count's gain, the sales at their seconds, losses and a count's loss at
    23:59:59, each with the balance after it."""
    low = t.low
    for i in range(lo, hi):
        g = i + t.lo
        j = t.row_start[i]
        if j == t.row_start[i + 1]:
            continue
        balance = t.prev_end[i]
        if t.d == 0:
            _row(o, j, g, INITIAL, balance, balance, OPEN, -1, -1, low)
            j += 1
        for k in range(t.dl_start[i], t.dl_start[i + 1]):
            balance += t.dl_qty[k]
            _row(o, j, g, RESTOCK, t.dl_qty[k], balance, OPEN, R_SUPPLY, t.dl_ref[k], low)
            j += 1
        for k in range(t.bk_start[i], t.bk_start[i + 1]):
            q = 0 if t.bk_kind[k] == RETURN_DAMAGED else t.bk_qty[k]
            balance += q
            _row(o, j, g, t.bk_kind[k], q, balance, OPEN, t.bk_reason[k], t.bk_ref[k], low)
            j += 1
        if t.gain[i] > 0:
            balance += t.gain[i]
            _row(o, j, g, ADJUST, t.gain[i], balance, OPEN, R_COUNT, -1, low)
            j += 1
        for k in range(t.sl_start[i], t.sl_start[i + 1]):
            balance -= t.sl_qty[k]
            _row(o, j, g, SALE, -t.sl_qty[k], balance, t.sl_time[k], -1, t.sl_ref[k], low)
            j += 1
        if t.lost[i] > 0:
            balance -= t.lost[i]
            _row(o, j, g, DAMAGE, -t.lost[i], balance, CLOSE, t.loss_reason[i], -1, low)
            j += 1
        if t.taken[i] > 0:
            balance -= t.taken[i]
            _row(o, j, g, ADJUST, -t.taken[i], balance, CLOSE, R_COUNT, -1, low)
