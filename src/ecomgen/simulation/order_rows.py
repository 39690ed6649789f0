"""A day's orders after the click, as rows: shipments, order events, returns, refunds, each
line's status at the period's end, and the units that come back to stock.

Built in phase 2 of the customer side (the row counts are needed for the ids); written in
phase 3 with the ids handed out. Only what happened by the period's end is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.simulation.arrays import stable_order, sum_by
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.fulfilment import (
    CANCELLED,
    CONFIRMED,
    OUT,
    OUTCOME_OF_STATUS,
    PACKED,
    PLACED,
    REFUNDED,
    RET_PICK,
    RET_RECV,
    RET_REQ,
    RTO_INIT,
    RTO_RECV,
    S_CANC,
    S_DELIV,
    S_PROC,
    S_RET,
    S_RETREQ,
    S_RTO,
    S_SHIP,
    SHIPPED,
    STATUSES,
    Fate,
    attempt_rows,
)
from ecomgen.simulation.world import World

#: Ledger kinds of units coming back (``Sales.back_kind``): none, released by a buyer's
#: cancellation, back from an RTO, a resellable return, an unsellable return, and none
#: found by the seller (a seller's cancellation: a row of quantity 0 marking the sale).
BACK_NONE, BACK_CANCEL, BACK_RTO, BACK_RETURN, BACK_DAMAGED, BACK_NOT_FOUND = range(6)


@dataclass
class AfterOrder:
    """The day's paid orders after the click (orders by index; lines in (order, line)
    order, ``line_order`` their order's index)."""

    fate: Fate
    line_order: Any
    events: tuple[Any, Any, Any, Any]  # (order index, line index or -1, kind, time), sorted
    returns: Any  # line indices of returns requested by the period's end
    refunds: Any  # line indices of refunds initiated by the period's end
    status: Any  # per line, index into STATUSES
    outcome: Any  # per order, index into OUTCOMES
    attempts_made: Any  # per order, delivery attempts by the period's end
    back: tuple[Any, Any, Any]  # per line: units back, day index they are booked, kind

    def counts(self) -> dict[str, int]:
        """Ids of each kind the rows need."""
        return {"order_event": int(self.events[0].shape[0]),
                "return": int(self.returns.shape[0]), "refund": int(self.refunds.shape[0])}


def after_order(w: World, d: int, okey: Any, fate: Fate, line_order: Any, line_qty: Any,
                period_end: int) -> AfterOrder:
    """Rows and states of the day's orders whose fates are ``fate``."""
    xp = w.xp
    n = okey.shape[0]
    lo = line_order
    nl = lo.shape[0]
    end = period_end
    f = fate

    # Order-level events, then delivery attempts, then line-level events: every candidate
    # row at once, kept where it happened by the period's end (one size to learn).
    order_ids = xp.arange(n, dtype=xp.int64)
    line_ids = xp.arange(nl, dtype=xp.int64)
    a_order, a_out, a_kind, a_done = attempt_rows(xp, f)
    na = a_order.shape[0]
    order_kinds = (PLACED, CONFIRMED, PACKED, CANCELLED, SHIPPED, RTO_INIT, RTO_RECV)
    line_kinds = (RET_REQ, RET_PICK, RET_RECV, REFUNDED)
    ev_order = xp.concatenate([xp.tile(order_ids, len(order_kinds)), a_order, a_order,
                               xp.tile(lo, len(line_kinds))])
    ev_line = xp.concatenate([xp.full(n * len(order_kinds) + 2 * na, -1, dtype=xp.int64),
                              xp.tile(line_ids, len(line_kinds))])
    ev_kind = xp.concatenate([xp.repeat(xp.asarray(order_kinds, dtype=xp.int64), n),
                              xp.full(na, OUT, dtype=xp.int64), a_kind.astype(xp.int64),
                              xp.repeat(xp.asarray(line_kinds, dtype=xp.int64), nl)])
    ev_time = xp.concatenate([f.placed_t, f.confirm_t, f.pack_t, f.cancel_t, f.dispatch_t,
                              f.rto_init_t, f.rto_recv_t, a_out, a_done, f.ret_request_t,
                              f.ret_pickup_t, f.ret_receipt_t, f.refund_done_t])
    keep = xp.nonzero((ev_time >= 0) & (ev_time <= end))[0]
    ev_order, ev_line, ev_kind, ev_time = (ev_order[keep], ev_line[keep], ev_kind[keep],
                                           ev_time[keep].astype(xp.int64))
    t_first = w.calendar.first_day * DAY
    # Each order's events in time order (same second: causal order), orders in id order.
    key = ((ev_order * (w.cfg.num_days + 1) * DAY + (ev_time - t_first)) << 4) | ev_kind
    order = stable_order(xp, key)
    events = (ev_order[order], ev_line[order], ev_kind[order], ev_time[order])

    # States at the period's end.
    at = lambda t: (t >= 0) & (t <= end)  # noqa: E731
    o_status = xp.full(n, S_PROC, dtype=xp.int64)
    o_status = xp.where(at(f.dispatch_t), S_SHIP, o_status)
    o_status = xp.where(at(f.delivered_t), S_DELIV, o_status)
    o_status = xp.where(at(f.cancel_t), S_CANC, o_status)
    o_status = xp.where(at(f.rto_init_t), S_RTO, o_status)
    status = o_status[lo]
    status = xp.where(at(f.ret_request_t), S_RETREQ, status)
    status = xp.where(at(f.ret_receipt_t), S_RET, status)
    table = np.zeros(len(STATUSES), dtype=np.int64)
    table[list(OUTCOME_OF_STATUS)] = list(OUTCOME_OF_STATUS.values())
    outcome = xp.asarray(table)[o_status]
    attempts_made = sum_by(xp, a_order, (a_out <= end).astype(xp.int64), n)

    returns = xp.nonzero(at(f.ret_request_t))[0]
    refunds = xp.nonzero(at(f.refund_t))[0]

    # Units back to stock at 00:00 of the day after the cancellation or the receipt.
    first_day = w.calendar.first_day
    # A buyer's cancellation releases the units; a seller cancels because they are not
    # on the shelf (the books were wrong): nothing comes back, and a release row of
    # quantity 0 says the sale's units were never there.
    cancelled = at(f.cancel_t)[lo]
    cancel = cancelled & (f.cancelled_by == 0)[lo]
    rto = at(f.rto_recv_t)[lo]
    ret = at(f.ret_receipt_t)
    when = xp.where(cancelled, f.cancel_t[lo], xp.where(rto, f.rto_recv_t[lo],
                                                        f.ret_receipt_t))
    day = when // DAY + 1 - first_day
    kind = xp.where(cancel, BACK_CANCEL, xp.where(cancelled, BACK_NOT_FOUND, xp.where(
        rto, BACK_RTO, xp.where(ret, xp.where(f.ret_damaged, BACK_DAMAGED, BACK_RETURN),
                                BACK_NONE))))
    qty = xp.where(cancel | rto, line_qty, xp.where(ret, f.ret_qty, 0))
    inside = (kind != BACK_NONE) & (day < w.cfg.num_days)
    back = (xp.where(inside, qty, 0), xp.where(inside, day, -1),
            xp.where(inside, kind, BACK_NONE))
    return AfterOrder(fate, lo, events, returns, refunds, status, outcome, attempts_made, back)
