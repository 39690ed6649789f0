"""The customer side of a day, for one shard of customer blocks.

A shard owns a contiguous range of customer blocks and their state (purchase history). Its
day has three phases, each a pure function of its inputs except where it says so:

1. :meth:`CustomerShard.browse`: sessions, views, cart lines and the checkout decisions;
   hands out the checkout attempts (offer, quantity, payment time) for settlement.
2. :meth:`CustomerShard.resolve`: given which attempts were accepted and the day's stock
   class changes (``exchange.ClassChanges``), the stock status of each view, the lines
   that stand, the orders and the ratings; hands out how many ids of each kind it needs.
3. :meth:`CustomerShard.emit`: given the first id of each kind, the output batches (one
   builder per table, :mod:`ecomgen.simulation.customer_rows`) and the accepted sales with
   their order ids (for the ledger). Then :meth:`remember` updates the
   shard's own state (purchase history) explicitly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomgen.simulation import carts as ct
from ecomgen.simulation.arrays import count_by, group_ids, stable_order, sum_by
from ecomgen.simulation.blocks import key_block
from ecomgen.simulation.browse import (
    buy_box,
    draw_sessions,
)
from ecomgen.simulation.browsing import browse_day
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.customer_day import Browsed, Resolved, Sales
from ecomgen.simulation.customer_rows import DayRows
from ecomgen.simulation.customer_state import remember
from ecomgen.simulation.exchange import ON_ORDER, ClassChanges, class_at
from ecomgen.simulation.fulfilment import (
    fates,
)
from ecomgen.simulation.order_rows import after_order
from ecomgen.simulation.segments import SegmentTally
from ecomgen.simulation.world import World

Batch = dict[str, Any]

class CustomerShard:
    """Customers of blocks ``[block_lo, block_hi)``: their day, phase by phase."""

    def __init__(self, w: World, backend: Any, block_lo: int, block_hi: int) -> None:
        self.w, self.b = w, backend
        self.block_lo, self.block_hi = block_lo, block_hi
        self.batch = w.cfg.GPU_CONFIG.batch_size_views
        cfg = w.cfg
        self.period_end = (w.calendar.first_day + cfg.num_days) * DAY - 1
        self.labels = {
            "stype": tuple(cfg.SESSION_TYPES),
            "device": tuple(cfg.DEVICES),
            "category": tuple(cfg.CATEGORIES),
            "payment": tuple(cfg.PAYMENT_METHODS),
        }

    def h(self, a: Any) -> np.ndarray:
        """Host copy."""
        return self.b.to_host(a)

    # -- phase 1 ------------------------------------------------------------------------
    def browse(self, d: int, codes: Any) -> Browsed:
        """Sessions, views, cart lines and checkout decisions (``codes``: every offer's class
        code at 00:00, ``exchange.ClassCodes``, for the buy box)."""
        w = self.w
        s = draw_sessions(w, d, self.block_lo, self.block_hi)
        s, v, lines, out, self.batch = browse_day(w, d, s, buy_box(w, d, codes), self.batch,
                                                  self.b.out_of_memory)
        attempt = ~lines.removed & out.checkout[lines.sess]
        return Browsed(s, v, lines, out, attempt)

    # -- phase 2 ------------------------------------------------------------------------
    def resolve(self, d: int, b: Browsed, accepted_attempts: Any, changes: ClassChanges,
                codes: Any) -> Resolved:
        """Stock status of every view, the lines that stand, orders and ratings.

        ``accepted_attempts``: per attempt of :meth:`Browsed.attempts`, accepted or not.
        ``changes``: the day's class changes of every offer (all shards), and ``codes``
        the class codes at 00:00, for the stock status.
        """
        w, xp = self.w, self.w.xp
        s, v, lines, out = b.s, b.v, b.lines, b.out
        accepted = xp.zeros(lines.sess.shape[0], dtype=bool)
        accepted[b.attempt.nonzero()[0][accepted_attempts]] = True

        # Stock status of every view: the class after the day's sales before it.
        status = class_at(xp, codes, changes.offer, changes.time, changes.cls, v.offer,
                          v.time)
        oos_reason = xp.where(v.oos_start, xp.where(codes[v.offer] >= ON_ORDER, 1, 2), 0)
        oos_reason = xp.where(status == 2, oos_reason, -1)

        # A line added from a view that was already sold out never existed; its checkout
        # came after the sell-out, was rejected anyway and so changes no other decision.
        keep = xp.nonzero(status[lines.view] != 2)[0]
        lines, accepted, attempt = lines.take(keep), accepted[keep], b.attempt[keep]

        n = s.n
        has_attempt = count_by(xp, lines.sess[attempt], n) > 0
        osess = xp.nonzero(has_attempt)[0]
        # Orders in (block, payment time, session) order: decomposable by block.
        osess = osess[stable_order(xp, key_block(xp, s.key[osess]) * DAY + out.paid_at[osess])]
        rank = xp.full(n, -1, dtype=xp.int64)
        rank[osess] = xp.arange(osess.shape[0], dtype=xp.int64)
        line_total = lines.qty * lines.price
        attempted = sum_by(xp, lines.sess[attempt], line_total[attempt], n)
        paid_total = sum_by(xp, lines.sess[accepted], line_total[accepted], n)
        payment = xp.full(n, -1, dtype=xp.int64)
        if osess.shape[0]:
            payment[osess] = ct.payment_methods(w, d, s.key[osess], attempted[osess],
                                                 s.cust[osess])
        # Paid lines grouped by order (view order inside), numbered 1..n.
        acc = xp.nonzero(accepted)[0]
        acc = acc[stable_order(xp, rank[lines.sess[acc]])]
        gid, starts = group_ids(xp, rank[lines.sess[acc]])
        line_no = xp.arange(acc.shape[0], dtype=xp.int64) - starts[gid] + 1

        sess = lines.sess[acc]
        offer = lines.offer[acc]
        product = w.offers.product[offer]
        # One shipment per paid order, from its first line's merchant (and category).
        psess = sess[starts]
        okey, ocust = s.key[psess], s.cust[psess]
        day0 = w.calendar.first_day + d
        # Sellers miss stock they thought they had mostly on their last units.
        scarce = sum_by(xp, gid, (status[lines.view[acc]] == 1).astype(xp.int64),
                        psess.shape[0]) > 0
        line_start = xp.concatenate([starts, xp.asarray([acc.shape[0]], dtype=xp.int64)])
        tier = w.own.customers.city_tier[ocust - w.own.c0]
        fate, rated = fates(w, d, okey, day0 * DAY + out.paid_at[psess], payment[psess],
                            tier, w.offers.mtype[offer[starts]],
                            scarce, line_start, line_no, w.products.category[product],
                            lines.qty[acc], product, lines.price[acc], self.period_end)
        after = after_order(w, d, okey, fate, gid, lines.qty[acc], self.period_end)
        cart_events = (lines.sess.shape[0] + int(lines.removed.sum()) + int(attempt.sum())
                       + int((attempt & ~accepted).sum())
                       + int((~lines.removed & ~out.checkout[lines.sess]).sum()))
        return Resolved(lines, attempt, accepted, status, oos_reason, osess, paid_total > 0,
                        paid_total, payment, acc, line_no, psess, after, rated, cart_events)

    # -- phase 3 ------------------------------------------------------------------------
    def emit(self, d: int, b: Browsed, r: Resolved,
             first: dict[str, int]) -> tuple[list[tuple[str, Batch]], Sales]:
        """The day's output batches (ids from ``first``) and its accepted sales with their
        order ids, for the ledger."""
        rows = DayRows(self.w, self.h, self.labels, self.period_end, d, b, r, first)
        acc = r.acc
        back_qty, back_day, back_kind = r.after.back
        sales = Sales(r.lines.offer[acc], r.lines.qty[acc], b.out.paid_at[r.lines.sess[acc]],
                      rows.line_order_id, back_qty, back_day, back_kind)
        return rows.batches(), sales

    def remember(self, d: int, b: Browsed, r: Resolved) -> None:
        """Move the shard's own state on with the day's purchases (``customer_state``)."""
        remember(self.w, d, b.s.cust[r.lines.sess[r.acc]], r.lines.offer[r.acc],
                 self.block_lo, self.block_hi)

    def tally(self, b: Browsed, r: Resolved, t: SegmentTally) -> None:
        """Add the day's sessions, carts, orders and revenue per segment to ``t``."""
        xp = self.w.xp
        s, lines = b.s, r.lines
        seg = self.w.own.customers.segment[s.cust - self.w.own.c0]
        t.add_count("sessions", seg)
        t.add_sum("views", seg, s.views)
        adds = count_by(xp, lines.sess, s.n)
        t.add_sum("add_to_carts", seg, adds)
        carts = adds > 0
        t.add_count("carts", seg[carts])
        t.add_count("abandoned_carts", seg[carts & ~r.paid])
        t.add_count("orders", seg[r.paid])
        t.add_sum("units", seg[lines.sess[r.acc]], lines.qty[r.acc])
        t.add_sum("revenue", seg, r.paid_total)

    def held(self, b: Browsed, r: Resolved) -> tuple[Any, Any]:
        """Offers and units of the lines left in carts that never went to payment."""
        hold = ~r.lines.removed & ~b.out.checkout[r.lines.sess]
        return r.lines.offer[hold], r.lines.qty[hold]
