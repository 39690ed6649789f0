"""A customer shard's output rows of one day, table by table.

Every table the customer side writes has one builder of the same shape: a method of
:class:`DayRows` named after the table, which builds the table's batch from the shard's day
(sessions, views, lines, orders and their fates) and the first id of each kind. The ids that
tie the tables together (a session's id for its views, a view's id for its cart events, an
order's id for its lines) are derived once per day and shared.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ecomgen.schema import TABLES, Cat
from ecomgen.simulation import carts as ct
from ecomgen.simulation.arrays import count_by, stable_order
from ecomgen.simulation.blocks import key_block
from ecomgen.simulation.calendar import BP
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.fulfilment import (
    CANCELLERS,
    CONDITIONS,
    EVENTS,
    OUTCOMES,
    REFUND_REASONS,
    RETURN_REASONS,
    STATUSES,
    refund_methods,
)
from ecomgen.simulation.inventory import STATUS

if TYPE_CHECKING:
    from ecomgen.simulation.customer_day import Browsed, Resolved
    from ecomgen.simulation.world import World

Batch = dict[str, Any]
OOS_REASONS = TABLES["views"].column("oos_reason").values
FAILED_REASONS = TABLES["cart_events"].column("reason").values
#: The tables a customer shard writes, in output order.
CUSTOMER_TABLES = tuple(name for name, t in TABLES.items() if t.side == "customer")


class DayRows:
    """The rows of a shard's day ``d``: one method per table (``CUSTOMER_TABLES``)."""

    def __init__(self, w: World, host: Callable[[Any], np.ndarray], labels: dict[str, tuple],
                 period_end: int, d: int, b: Browsed, r: Resolved,
                 first: dict[str, int]) -> None:
        self.w, self.xp, self.h, self.labels = w, w.xp, host, labels
        self.period_end = period_end
        self.t0 = (w.calendar.first_day + d) * DAY
        self.b, self.r, self.first = b, r, first

    def batches(self) -> list[tuple[str, Batch]]:
        """Every table's batch of the day, in output order."""
        return [(name, getattr(self, name)()) for name in CUSTOMER_TABLES]

    # -- the ids that tie the tables together ----------------------------------------
    @cached_property
    def order_of(self) -> Any:
        """Order id of each session (-1: none); orders are numbered in ``osess`` order."""
        xp, r = self.xp, self.r
        out = xp.full(self.b.s.n, -1, dtype=xp.int64)
        out[r.osess] = self.first["order"] + xp.arange(r.osess.shape[0], dtype=xp.int64)
        return out

    @cached_property
    def session_order(self) -> Any:
        """Sessions in id order: by customer block, then start time."""
        s = self.b.s
        return stable_order(self.xp, key_block(self.xp, s.key) * DAY + s.start)

    @cached_property
    def session_id(self) -> Any:
        """Id of each session."""
        xp, n = self.xp, self.b.s.n
        sid = xp.empty(n, dtype=xp.int64)
        sid[self.session_order] = self.first["session"] + xp.arange(n, dtype=xp.int64)
        return sid

    @cached_property
    def view_order(self) -> Any:
        """Views in id order: by customer block, then time."""
        s, v = self.b.s, self.b.v
        return stable_order(self.xp, key_block(self.xp, s.key[v.sess]) * DAY + v.time)

    @cached_property
    def view_id(self) -> Any:
        """Id of each view."""
        xp, n = self.xp, self.b.v.n
        vid = xp.empty(n, dtype=xp.int64)
        vid[self.view_order] = self.first["view"] + xp.arange(n, dtype=xp.int64)
        return vid

    @cached_property
    def line_sess(self) -> Any:
        """Session of each paid line (``Resolved.acc`` order)."""
        return self.r.lines.sess[self.r.acc]

    @cached_property
    def line_order_id(self) -> Any:
        """Order id of each paid line."""
        return self.order_of[self.line_sess]

    @cached_property
    def return_of(self) -> Any:
        """Return id of each paid line (-1: not returned)."""
        xp, li = self.xp, self.r.after.returns
        out = xp.full(self.r.acc.shape[0], -1, dtype=xp.int64)
        out[li] = self.first["return"] + xp.arange(li.shape[0], dtype=xp.int64)
        return out

    def _within(self, t: Any) -> Any:
        """Times that happened by the period's end."""
        return (t >= 0) & (t <= self.period_end)

    def _or_null(self, keep: Any, value: Any) -> Any:
        return self.xp.where(keep, value, -1)

    # -- browsing ---------------------------------------------------------------------
    def browsing_sessions(self) -> Batch:
        """One row per session."""
        xp, h, b, r, L = self.xp, self.h, self.b, self.r, self.labels
        s, lines, order = b.s, r.lines, self.session_order
        adds = count_by(xp, lines.sess, s.n)
        open_lines = count_by(xp, lines.sess[~lines.removed], s.n) > 0
        done = xp.where(b.out.checkout, b.out.paid_at, b.out.abandon_at)
        end = xp.where(open_lines, done, b.out.browse_end)  # removals happen before browse_end
        paid_order = xp.where(r.paid, self.order_of, -1)
        return {
            "session_id": h(self.first["session"] + xp.arange(s.n, dtype=xp.int64)),
            "customer_id": h(s.cust[order] + 1),
            "session_type": Cat(h(s.stype[order]), L["stype"]),
            "device": Cat(h(s.device[order]), L["device"]),
            "start_time": h(self.t0 + s.start[order]),
            "end_time": h(self.t0 + end[order]),
            "views": h(s.views[order]),
            "add_to_carts": h(adds[order]),
            "order_id": h(paid_order[order]),
        }

    def views(self) -> Batch:
        """One row per view."""
        xp, h, s, v, r = self.xp, self.h, self.b.s, self.b.v, self.r
        vorder, of = self.view_order, self.w.offers
        vs, vo = v.sess[vorder], v.offer[vorder]
        pid = h(v.product[vorder] + 1)
        return {
            "view_id": h(self.first["view"] + xp.arange(v.n, dtype=xp.int64)),
            "session_id": h(self.session_id[vs]),
            "customer_id": h(s.cust[vs] + 1),
            "product_id": pid,
            "merchant_id": h(of.merchant[vo] + 1),
            "sku": pid,
            "timestamp": h(self.t0 + v.time[vorder]),
            "price": h(v.price[vorder]),
            "stock_status": Cat(h(r.status[vorder]), STATUS),
            "oos_reason": Cat(h(r.oos_reason[vorder]), OOS_REASONS),
            "device": Cat(h(s.device[vs]), self.labels["device"]),
            "dwell_seconds": h(v.dwell[vorder]),
        }

    def cart_events(self) -> Batch:
        """Each line's add, remove, checkout, failed payment and abandonment events."""
        xp, h, s, r, o = self.xp, self.h, self.b.s, self.r, self.b.out
        lines = r.lines
        li = xp.arange(lines.sess.shape[0], dtype=xp.int64)
        rem = xp.nonzero(lines.removed)[0]
        att = xp.nonzero(r.attempt)[0]
        fail = xp.nonzero(r.attempt & ~r.accepted)[0]
        aban = xp.nonzero(~lines.removed & ~o.checkout[lines.sess])[0]
        parts = [
            (li, ct.ADD, lines.added, False),
            (rem, ct.REMOVE, lines.removed_at[rem], False),
            (att, ct.CHECKOUT, o.checkout_at[lines.sess[att]], True),
            (fail, ct.FAILED, o.paid_at[lines.sess[fail]], True),
            (aban, ct.ABANDON, o.abandon_at[lines.sess[aban]], False),
        ]
        idx = xp.concatenate([p[0] for p in parts])
        kind = xp.concatenate([xp.full(p[0].shape[0], p[1], dtype=xp.int64) for p in parts])
        time = xp.concatenate([p[2].astype(xp.int64) for p in parts])
        with_order = xp.concatenate([xp.full(p[0].shape[0], p[3], dtype=bool) for p in parts])
        block = key_block(xp, s.key[lines.sess[idx]])
        order = stable_order(xp, (block * DAY + time) * 8 + kind)
        idx, kind, time, with_order = idx[order], kind[order], time[order], with_order[order]
        sess = lines.sess[idx]
        of = self.w.offers
        return {
            "event_id": h(self.first["cart"] + xp.arange(idx.shape[0], dtype=xp.int64)),
            "session_id": h(self.session_id[sess]),
            "customer_id": h(s.cust[sess] + 1),
            "view_id": h(self.view_id[lines.view[idx]]),
            "merchant_id": h(of.merchant[lines.offer[idx]] + 1),
            "sku": h(of.product[lines.offer[idx]] + 1),
            "event_type": Cat(h(kind), ct.CART_EVENTS),
            "quantity": h(lines.qty[idx]),
            "unit_price": h(lines.price[idx]),
            "timestamp": h(self.t0 + time),
            "order_id": h(xp.where(with_order, self.order_of[sess], -1)),
            "reason": Cat(h(xp.where(kind == ct.FAILED, 0, -1)), FAILED_REASONS),
            "device": Cat(h(s.device[sess]), self.labels["device"]),
        }

    # -- orders -----------------------------------------------------------------------
    def sales(self) -> Batch:
        """One row per paid line."""
        xp, h, w, s, r = self.xp, self.h, self.w, self.b.s, self.r
        acc, sess, of = r.acc, self.line_sess, w.offers
        offer = r.lines.offer[acc]
        product = of.product[offer]
        qty, price = r.lines.qty[acc], r.lines.price[acc]
        dt = r.after.fate.delivered_t[r.after.line_order]
        delivered = xp.where(dt <= self.period_end, dt, -1)
        return {
            "order_id": h(self.line_order_id),
            "line_number": h(r.line_no),
            "customer_id": h(s.cust[sess] + 1),
            "session_id": h(self.session_id[sess]),
            "merchant_id": h(of.merchant[offer] + 1),
            "sku": h(product + 1),
            "product_id": h(product + 1),
            "category": Cat(h(w.products.category[product]), self.labels["category"]),
            "quantity": h(qty),
            "unit_price": h(price),
            "discount_pct": h(r.lines.discount_bp[acc] / BP),  # the discount applied
            "line_total": h(qty * price),
            "order_total": h(r.paid_total[sess]),
            "payment_method": Cat(h(r.payment[sess]), self.labels["payment"]),
            "device": Cat(h(s.device[sess]), self.labels["device"]),
            "timestamp": h(self.t0 + self.b.out.paid_at[sess]),
            "delivery_date": h(xp.where(delivered >= 0, delivered // DAY, -1)),
            "status": Cat(h(r.after.status), STATUSES),
        }

    def ratings(self) -> Batch:
        """The buyers' ratings of delivered lines, by customer block and time."""
        xp, h, w, s, r = self.xp, self.h, self.w, self.b.s, self.r
        rt, sess = r.rated, self.line_sess
        offer = r.lines.offer[r.acc]
        t_first = w.calendar.first_day * DAY
        order = stable_order(xp, (key_block(xp, s.key[sess[rt.line]]) << 32)
                             + (rt.time - t_first))
        li = rt.line[order]
        product = w.offers.product[offer[li]]
        return {
            "rating_id": h(self.first["rating"] + xp.arange(li.shape[0], dtype=xp.int64)),
            "order_id": h(self.line_order_id[li]),
            "line_number": h(r.line_no[li]),
            "customer_id": h(s.cust[sess[li]] + 1),
            "product_id": h(product + 1),
            "merchant_id": h(w.offers.merchant[offer[li]] + 1),
            "sku": h(product + 1),
            "rating": h(rt.stars[order]),
            "timestamp": h(rt.time[order]),
            "delivery_days": h(rt.delivery_days[order]),
        }

    def shipments(self) -> Batch:
        """One row per paid order."""
        h, r, a = self.h, self.r, self.r.after
        f, within, null = a.fate, self._within, self._or_null
        psess = r.paid_sess
        day0 = f.placed_t // DAY
        return {
            "order_id": h(self.order_of[psess]),
            "customer_id": h(self.b.s.cust[psess] + 1),
            "courier": Cat(h(f.courier), tuple(self.w.cfg.FULFILMENT.couriers)),
            "promised_date": h(f.promised_day),
            "dispatched_at": h(null(within(f.dispatch_t), f.dispatch_t)),
            "attempts": h(a.attempts_made),
            "delivered_at": h(null(within(f.delivered_t), f.delivered_t)),
            "delivery_days": h(null(within(f.delivered_t), f.delivered_t // DAY - day0)),
            "outcome": Cat(h(a.outcome), OUTCOMES),
            "cancelled_by": Cat(h(null(within(f.cancel_t), f.cancelled_by)), CANCELLERS),
        }

    def order_events(self) -> Batch:
        """Each paid order's status history (and its lines' returns and refunds)."""
        xp, h, r = self.xp, self.h, self.r
        eo, el, ek, et = r.after.events
        psess = r.paid_sess
        return {
            "event_id": h(self.first["order_event"] + xp.arange(eo.shape[0], dtype=xp.int64)),
            "order_id": h(self.order_of[psess][eo]),
            "customer_id": h(self.b.s.cust[psess][eo] + 1),
            "line_number": h(self._or_null(el >= 0, r.line_no[xp.maximum(el, 0)])),
            "event_type": Cat(h(ek), EVENTS),
            "timestamp": h(et),
        }

    def returns(self) -> Batch:
        """One row per returned line."""
        xp, h, r = self.xp, self.h, self.r
        f, within, null = r.after.fate, self._within, self._or_null
        li = r.after.returns
        offer = r.lines.offer[r.acc][li]
        receipt = f.ret_receipt_t[li]
        return {
            "return_id": h(self.return_of[li]),
            "order_id": h(self.line_order_id[li]),
            "line_number": h(r.line_no[li]),
            "customer_id": h(self.b.s.cust[self.line_sess[li]] + 1),
            "merchant_id": h(self.w.offers.merchant[offer] + 1),
            "sku": h(self.w.offers.product[offer] + 1),
            "quantity": h(f.ret_qty[li]),
            "reason": Cat(h(f.ret_reason[li]), RETURN_REASONS),
            "requested_at": h(f.ret_request_t[li]),
            "picked_up_at": h(null(within(f.ret_pickup_t[li]), f.ret_pickup_t[li])),
            "received_at": h(null(within(receipt), receipt)),
            "condition": Cat(h(null(within(receipt), f.ret_damaged[li].astype(xp.int64))),
                             CONDITIONS),
        }

    def refunds(self) -> Batch:
        """One row per refunded line."""
        xp, h, r = self.xp, self.h, self.r
        f, within, null = r.after.fate, self._within, self._or_null
        ri = r.after.refunds
        reason = f.refund_reason[ri]
        lines, acc = r.lines, r.acc
        units = xp.where(reason == REFUND_REASONS.index("return"), f.ret_qty[ri],
                         lines.qty[acc][ri])
        return {
            "refund_id": h(self.first["refund"] + xp.arange(ri.shape[0], dtype=xp.int64)),
            "order_id": h(self.line_order_id[ri]),
            "line_number": h(r.line_no[ri]),
            "customer_id": h(self.b.s.cust[self.line_sess[ri]] + 1),
            "return_id": h(self.return_of[ri]),
            "reason": Cat(h(reason), REFUND_REASONS),
            "amount": h(units * lines.price[acc][ri]),
            "method": Cat(h(f.refund_method[ri]), refund_methods(self.w)),
            "initiated_at": h(f.refund_t[ri]),
            "completed_at": h(null(within(f.refund_done_t[ri]), f.refund_done_t[ri])),
        }
