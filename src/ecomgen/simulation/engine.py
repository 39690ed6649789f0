"""The day loop: entities once, then each day's sessions, carts, settlement and ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.entities.customers import make_customers
from ecomgen.entities.descriptions import make_descriptions
from ecomgen.entities.merchants import make_merchants
from ecomgen.entities.offers import make_offers
from ecomgen.entities.products import make_products
from ecomgen.rng import Rng
from ecomgen.schema import Cat
from ecomgen.simulation import carts as ct
from ecomgen.simulation.arrays import count_by, group_ids, stable_order, sum_by
from ecomgen.simulation.blocks import key_block
from ecomgen.simulation.browse import Views, draw_sessions, draw_views
from ecomgen.simulation.calendar import BP, build_calendar
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.demand import product_view_rate, units_per_view
from ecomgen.simulation.inventory import (
    LEDGER_REASONS,
    LEDGER_TYPES,
    STATUS,
    TRANSITION_REASONS,
    Inventory,
    status_of,
    transitions,
)
from ecomgen.simulation.ratings import delivery_days, rate
from ecomgen.simulation.segments import SegmentTally
from ecomgen.simulation.settlement import settle, sold_before
from ecomgen.simulation.world import World, build_world

Batch = dict[str, Any]
Emit = Callable[[str, Batch], None]
OOS_REASONS = ("sold_out", "awaiting_restock", "not_restocked")
#: Smallest view batch before an out-of-memory error is given up on.
MIN_BATCH = 1_000


class Counters:
    """Running id counters (ids are 1-based and increase with time)."""

    def __init__(self) -> None:
        self.session = self.view = self.cart = self.order = 0
        self.ledger = self.instock = self.rating = 0

    def take(self, name: str, n: int) -> int:
        """Reserve ``n`` ids of a kind; returns the first."""
        first = getattr(self, name) + 1
        setattr(self, name, first - 1 + n)
        return first


def simulate(cfg: Config, backend: Backend, emit: Emit,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run the whole simulation, handing every table's batches to ``emit``."""
    world, inv = setup(cfg, backend, emit)
    cal, customers, offers = world.calendar, world.customers, world.offers
    day = DayLoop(world, inv, backend, emit)
    for d in range(cal.days):
        day.run(d)
        if (d + 1) % cfg.GPU_CONFIG.memory_cleanup_frequency == 0:
            backend.free()
        if progress is not None:
            progress(d + 1, cal.days)
    emit("offers", day.offers_table())
    per_seg = np.bincount(backend.to_host(customers.segment),
                          minlength=len(cfg.CUSTOMER_SEGMENTS)).astype(np.int64)
    emit("customer_segments", day.tally.table(cfg, per_seg))
    return {"days": cal.days, "offers": offers.n, **{k: int(v.sum()) for k, v in
                                                     day.tally.totals.items()}}


def setup(cfg: Config, backend: Backend, emit: Emit) -> tuple[World, Inventory]:
    """Draw the entities (handing their tables to ``emit``), the world and the stock."""
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
    inv = Inventory(cfg, rng, offers, perishable[products.category[offers.product]])
    return world, inv


class DayLoop:
    """Runs one simulated day at a time and emits its event batches."""

    def __init__(self, w: World, inv: Inventory, backend: Backend, emit: Emit) -> None:
        self.w, self.inv, self.b, self.emit = w, inv, backend, emit
        self.ids = Counters()
        self.tally = SegmentTally(w.xp, len(w.cfg.CUSTOMER_SEGMENTS))
        self.reserved = w.xp.zeros(w.offers.n, dtype=w.xp.int64)
        self.batch = w.cfg.GPU_CONFIG.batch_size_views
        cfg = w.cfg
        self.period_end = (w.calendar.first_day + cfg.num_days) * DAY - 1
        self.labels = {
            "segment": tuple(cfg.CUSTOMER_SEGMENTS),
            "stype": tuple(cfg.SESSION_TYPES),
            "device": tuple(cfg.DEVICES),
            "category": tuple(cfg.CATEGORIES),
            "payment": tuple(cfg.PAYMENT_METHODS),
            "mtype": tuple(cfg.MERCHANT_TYPES),
        }

    def h(self, a: Any) -> np.ndarray:
        """Host copy."""
        return self.b.to_host(a)

    # ---------------------------------------------------------------------------------
    def run(self, d: int) -> None:
        """Simulate day ``d`` and emit its tables."""
        w, inv, xp = self.w, self.inv, self.w.xp
        low = w.cfg.INVENTORY_CONFIG.low_stock_threshold
        t0 = (w.calendar.first_day + d) * DAY
        prev_end = inv.stock.copy()
        inv.open_day(d)
        stock0 = inv.stock.copy()
        on_order0 = inv.on_order.copy()

        s = draw_sessions(w, d)
        v, lines = self._browse(d, s, stock0)
        out = ct.decide(w, d, s, v, lines)

        # Settlement of every line that goes to payment.
        attempt = ~lines.removed & out.checkout[lines.sess]
        ai = xp.nonzero(attempt)[0]
        ok = settle(xp, lines.offer[ai], lines.qty[ai], out.paid_at[lines.sess[ai]], stock0)
        accepted = xp.zeros(lines.sess.shape[0], dtype=bool)
        accepted[ai[ok]] = True

        # Stock status of every view from the accepted sales before it.
        acc_i = xp.nonzero(accepted)[0]
        selling = xp.zeros(w.offers.n, dtype=bool)
        selling[lines.offer[acc_i]] = True
        hot = xp.nonzero(selling[v.offer])[0]  # only views of offers that sold today
        level = stock0[v.offer]
        level[hot] -= sold_before(xp, lines.offer[acc_i], out.paid_at[lines.sess[acc_i]],
                                  lines.qty[acc_i], v.offer[hot], v.time[hot])
        status = status_of(xp, level, low)
        oos_reason = xp.where(v.oos_start, xp.where(on_order0[v.offer] > 0, 1, 2), 0)
        oos_reason = xp.where(status == 2, oos_reason, -1)

        # A line added from a view that was already sold out never existed; its checkout
        # came after the sell-out, was rejected anyway and so changes no other decision.
        keep = status[lines.view] != 2
        lines = lines.take(keep)
        accepted = accepted[keep]
        attempt = attempt[keep]

        orders = self._orders(d, s, out, lines, attempt, accepted)
        sold_units = inv.book_sales(lines.offer[orders["acc"]], lines.qty[orders["acc"]],
                                    out.paid_at[lines.sess[orders["acc"]]], orders["line_order"])
        inv.close_day(d, sold_units)
        self._emit_sessions_views(t0, s, v, lines, orders, out, status, oos_reason)
        self._emit_carts(t0, s, lines, attempt, accepted, out, orders)
        self._emit_sales(d, t0, s, lines, out, orders)
        self._emit_ledger(t0, prev_end, low)
        self._tally(s, v, lines, orders)
        if d == w.cfg.num_days - 1:
            hold = ~lines.removed & ~out.checkout[lines.sess]
            self.reserved = sum_by(xp, lines.offer[hold], lines.qty[hold], w.offers.n)

    def _browse(self, d: int, s: Any, stock0: Any) -> tuple[Views, ct.Lines]:
        """Views and cart lines, in session batches of about ``batch_size_views`` views.

        Every draw is keyed by session and position, so batching changes no value; when the
        device runs out of memory the batch is halved and the work carries on.
        """
        xp, w = self.w.xp, self.w
        ends = np.cumsum(self.h(s.views))
        views: list[Views] = []
        lines: list[ct.Lines] = []
        lo, done = 0, 0
        while lo < s.n:
            before = int(ends[lo - 1]) if lo else 0
            hi = max(int(np.searchsorted(ends, before + self.batch, side="right")), lo + 1)
            try:
                v = draw_views(w, d, s, stock0, lo, hi)
                part = ct.add_to_cart(w, d, s, v)
            except self.b.out_of_memory:
                if self.batch <= MIN_BATCH:
                    raise
                self.b.free()
                self.batch //= 2
                continue
            part.view = part.view + done
            done += v.n
            views.append(v)
            lines.append(part)
            lo = hi
        if not views:
            views.append(draw_views(w, d, s, stock0, 0, 0))
            lines.append(ct.add_to_cart(w, d, s, views[0]))
        return Views.concat(xp, views), ct.Lines.concat(xp, lines)

    # ---------------------------------------------------------------------------------
    def _orders(self, d: int, s: Any, out: ct.Outcome, lines: ct.Lines, attempt: Any,
                accepted: Any) -> dict[str, Any]:
        """Order ids (by payment time), paid lines, line numbers, totals and payment."""
        xp, w = self.w.xp, self.w
        n = s.n
        has_attempt = count_by(xp, lines.sess[attempt], n) > 0
        osess = xp.nonzero(has_attempt)[0]
        # Order ids in (block, payment time, session) order: decomposable by block.
        order = stable_order(xp, key_block(xp, s.key[osess]) * DAY + out.paid_at[osess])
        osess = osess[order]
        first = self.ids.take("order", int(osess.shape[0]))
        order_of = xp.full(n, -1, dtype=xp.int64)
        order_of[osess] = first + xp.arange(osess.shape[0], dtype=xp.int64)
        line_total = lines.qty * lines.price
        attempted = sum_by(xp, lines.sess[attempt], line_total[attempt], n)
        paid_total = sum_by(xp, lines.sess[accepted], line_total[accepted], n)
        paid = paid_total > 0
        payment = xp.full(n, -1, dtype=xp.int64)
        if osess.shape[0]:
            payment[osess] = ct.payment_method(w, d, s.key[osess], attempted[osess])
        # Paid lines grouped by order (view order inside), numbered 1..n.
        acc = xp.nonzero(accepted)[0]
        acc = acc[stable_order(xp, order_of[lines.sess[acc]])]
        oid = order_of[lines.sess[acc]]
        gid, starts = group_ids(xp, oid)
        line_no = xp.arange(acc.shape[0], dtype=xp.int64) - starts[gid] + 1
        return {"order_of": order_of, "paid": paid, "paid_total": paid_total,
                "payment": payment, "acc": acc, "line_order": oid, "line_no": line_no}

    def _emit_sessions_views(self, t0: int, s: Any, v: Any, lines: ct.Lines,
                             orders: dict[str, Any], out: ct.Outcome, status: Any,
                             oos_reason: Any) -> None:
        xp, L = self.w.xp, self.labels
        n = s.n
        order = stable_order(xp, key_block(xp, s.key) * DAY + s.start)
        first = self.ids.take("session", n)
        ids = first + xp.arange(n, dtype=xp.int64)  # session ids in (block, start) order
        sid = xp.empty(n, dtype=xp.int64)
        sid[order] = ids
        self.session_id = sid
        adds = count_by(xp, lines.sess, n)
        open_lines = count_by(xp, lines.sess[~lines.removed], n) > 0
        done = xp.where(out.checkout, out.paid_at, out.abandon_at)
        end = xp.where(open_lines, done, out.browse_end)  # removals happen before browse_end
        paid_order = xp.where(orders["paid"], orders["order_of"], -1)
        self.emit("browsing_sessions", {
            "session_id": self.h(ids),
            "customer_id": self.h(s.cust[order] + 1),
            "session_type": Cat(self.h(s.stype[order]), L["stype"]),
            "device": Cat(self.h(s.device[order]), L["device"]),
            "start_time": self.h(t0 + s.start[order]),
            "end_time": self.h(t0 + end[order]),
            "views": self.h(s.views[order]),
            "add_to_carts": self.h(adds[order]),
            "order_id": self.h(paid_order[order]),
        })
        vorder = stable_order(xp, key_block(xp, s.key[v.sess]) * DAY + v.time)
        vfirst = self.ids.take("view", v.n)
        vids = vfirst + xp.arange(v.n, dtype=xp.int64)  # view ids in (block, time) order
        vid = xp.empty(v.n, dtype=xp.int64)
        vid[vorder] = vids
        self.view_id = vid
        of = self.w.offers
        vs, vo = v.sess[vorder], v.offer[vorder]
        pid = self.h(v.product[vorder] + 1)
        self.emit("views", {
            "view_id": self.h(vids),
            "session_id": self.h(sid[vs]),
            "customer_id": self.h(s.cust[vs] + 1),
            "product_id": pid,
            "merchant_id": self.h(of.merchant[vo] + 1),
            "sku": pid,
            "timestamp": self.h(t0 + v.time[vorder]),
            "price": self.h(v.price[vorder]),
            "stock_status": Cat(self.h(status[vorder]), STATUS),
            "oos_reason": Cat(self.h(oos_reason[vorder]), OOS_REASONS),
            "device": Cat(self.h(s.device[vs]), L["device"]),
            "dwell_seconds": self.h(v.dwell[vorder]),
        })

    def _emit_carts(self, t0: int, s: Any, lines: ct.Lines, attempt: Any, accepted: Any,
                    out: ct.Outcome, orders: dict[str, Any]) -> None:
        xp = self.w.xp
        li = xp.arange(lines.sess.shape[0], dtype=xp.int64)
        rem = xp.nonzero(lines.removed)[0]
        att = xp.nonzero(attempt)[0]
        fail = xp.nonzero(attempt & ~accepted)[0]
        aban = xp.nonzero(~lines.removed & ~out.checkout[lines.sess])[0]
        parts = [
            (li, ct.ADD, lines.added, False),
            (rem, ct.REMOVE, lines.removed_at[rem], False),
            (att, ct.CHECKOUT, out.checkout_at[lines.sess[att]], True),
            (fail, ct.FAILED, out.paid_at[lines.sess[fail]], True),
            (aban, ct.ABANDON, out.abandon_at[lines.sess[aban]], False),
        ]
        idx = xp.concatenate([p[0] for p in parts])
        kind = xp.concatenate([xp.full(p[0].shape[0], p[1], dtype=xp.int64) for p in parts])
        time = xp.concatenate([p[2].astype(xp.int64) for p in parts])
        with_order = xp.concatenate([xp.full(p[0].shape[0], p[3], dtype=bool) for p in parts])
        block = key_block(xp, s.key[lines.sess[idx]])
        order = stable_order(xp, (block * DAY + time) * 8 + kind)
        idx, kind, time, with_order = idx[order], kind[order], time[order], with_order[order]
        first = self.ids.take("cart", int(idx.shape[0]))
        sess = lines.sess[idx]
        of = self.w.offers
        oid = xp.where(with_order, orders["order_of"][sess], -1)
        self.emit("cart_events", {
            "event_id": self.h(first + xp.arange(idx.shape[0], dtype=xp.int64)),
            "session_id": self.h(self.session_id[sess]),
            "customer_id": self.h(s.cust[sess] + 1),
            "view_id": self.h(self.view_id[lines.view[idx]]),
            "merchant_id": self.h(of.merchant[lines.offer[idx]] + 1),
            "sku": self.h(of.product[lines.offer[idx]] + 1),
            "event_type": Cat(self.h(kind), ct.CART_EVENTS),
            "quantity": self.h(lines.qty[idx]),
            "unit_price": self.h(lines.price[idx]),
            "timestamp": self.h(t0 + time),
            "order_id": self.h(oid),
            "reason": Cat(self.h(xp.where(kind == ct.FAILED, 0, -1)), ("out_of_stock",)),
            "device": Cat(self.h(s.device[sess]), self.labels["device"]),
        })

    def _emit_sales(self, d: int, t0: int, s: Any, lines: ct.Lines, out: ct.Outcome,
                    orders: dict[str, Any]) -> None:
        xp, w = self.w.xp, self.w
        acc = orders["acc"]
        sess = lines.sess[acc]
        oid, line_no = orders["line_order"], orders["line_no"]
        of = w.offers
        offer = lines.offer[acc]
        product = of.product[offer]
        cust = s.cust[sess]
        qty, price = lines.qty[acc], lines.price[acc]
        discount = lines.discount_bp[acc] / BP  # the discount applied to the price
        skey = s.key[sess]
        days = delivery_days(w, d, skey, line_no, cust, of.mtype[offer])
        ts = out.paid_at[sess]
        self.emit("sales", {
            "order_id": self.h(oid),
            "line_number": self.h(line_no),
            "customer_id": self.h(cust + 1),
            "session_id": self.h(self.session_id[sess]),
            "merchant_id": self.h(of.merchant[offer] + 1),
            "sku": self.h(product + 1),
            "product_id": self.h(product + 1),
            "category": Cat(self.h(w.products.category[product]), self.labels["category"]),
            "quantity": self.h(qty),
            "unit_price": self.h(price),
            "discount_pct": self.h(discount),
            "line_total": self.h(qty * price),
            "order_total": self.h(orders["paid_total"][sess]),
            "payment_method": Cat(self.h(orders["payment"][sess]), self.labels["payment"]),
            "device": Cat(self.h(s.device[sess]), self.labels["device"]),
            "timestamp": self.h(t0 + ts),
            "delivery_date": self.h(w.calendar.first_day + d + days),
        })
        r = rate(w, d, skey, line_no, product, price, days, self.period_end)
        first = self.ids.take("rating", int(r.line.shape[0]))
        t_first = w.calendar.first_day * DAY
        order = stable_order(xp, (key_block(xp, skey[r.line]) << 32) + (r.time - t_first))
        li = r.line[order]
        self.emit("ratings", {
            "rating_id": self.h(first + xp.arange(li.shape[0], dtype=xp.int64)),
            "order_id": self.h(oid[li]),
            "line_number": self.h(line_no[li]),
            "customer_id": self.h(cust[li] + 1),
            "product_id": self.h(product[li] + 1),
            "merchant_id": self.h(of.merchant[offer[li]] + 1),
            "sku": self.h(product[li] + 1),
            "rating": self.h(r.stars[order]),
            "timestamp": self.h(r.time[order]),
            "delivery_days": self.h(r.delivery_days[order]),
        })
        # Purchase history raises the buyer's affinity for the category.
        cat = w.products.category[product]
        ncat = w.history.shape[1]
        if cust.shape[0]:
            flat, cnt = xp.unique(cust * ncat + cat, return_counts=True)
            hist = w.history.reshape(-1)
            hist[flat] += cnt.astype(hist.dtype)

    def _emit_ledger(self, t0: int, prev_end: Any, low: int) -> None:
        xp, of = self.w.xp, self.w.offers
        led = self.inv.ledger(prev_end)
        n = int(led.offer.shape[0])
        first = self.ids.take("ledger", n)
        self.emit("inventory_events", {
            "event_id": self.h(first + xp.arange(n, dtype=xp.int64)),
            "merchant_id": self.h(of.merchant[led.offer] + 1),
            "sku": self.h(of.product[led.offer] + 1),
            "offer_id": self.h(led.offer + 1),
            "event_type": Cat(self.h(led.kind), LEDGER_TYPES),
            "quantity": self.h(led.qty),
            "new_balance": self.h(led.balance),
            "timestamp": self.h(t0 + led.time),
            "reason": Cat(self.h(led.reason), LEDGER_REASONS),
            "reference_id": self.h(led.ref),
        })
        idx, new, prev, reason = transitions(xp, led, low)
        m = int(idx.shape[0])
        first = self.ids.take("instock", m)
        o = led.offer[idx]
        self.emit("instock_events", {
            "event_id": self.h(first + xp.arange(m, dtype=xp.int64)),
            "merchant_id": self.h(of.merchant[o] + 1),
            "sku": self.h(of.product[o] + 1),
            "offer_id": self.h(o + 1),
            "timestamp": self.h(t0 + led.time[idx]),
            "status": Cat(self.h(new), STATUS),
            "previous_status": Cat(self.h(prev), STATUS),
            "reason": Cat(self.h(reason), TRANSITION_REASONS),
            "stock_level": self.h(led.balance[idx]),
        })

    def _tally(self, s: Any, v: Any, lines: ct.Lines, orders: dict[str, Any]) -> None:
        xp, t = self.w.xp, self.tally
        seg = self.w.customers.segment[s.cust]
        t.add_count("sessions", seg)
        t.add_sum("views", seg, s.views)
        adds = count_by(xp, lines.sess, s.n)
        t.add_sum("add_to_carts", seg, adds)
        carts = adds > 0
        t.add_count("carts", seg[carts])
        t.add_count("abandoned_carts", seg[carts & ~orders["paid"]])
        t.add_count("orders", seg[orders["paid"]])
        acc = orders["acc"]
        t.add_sum("units", seg[lines.sess[acc]], lines.qty[acc])
        t.add_sum("revenue", seg, orders["paid_total"])

    def offers_table(self) -> Batch:
        """Final state of every offer."""
        xp, of, inv = self.w.xp, self.w.offers, self.inv
        reserved = xp.minimum(self.reserved, inv.stock)
        return {
            "offer_id": self.h(xp.arange(of.n, dtype=xp.int64) + 1),
            "merchant_id": self.h(of.merchant + 1),
            "sku": self.h(of.product + 1),
            "product_id": self.h(of.product + 1),
            "merchant_type": Cat(self.h(of.mtype), self.labels["mtype"]),
            "price": self.h(of.price),
            "initial_stock": self.h(of.initial_stock),
            "reorder_point": self.h(of.reorder_point),
            "current_stock": self.h(inv.stock),
            "reserved_stock": self.h(reserved),
            "available_stock": self.h(inv.stock - reserved),
            "on_order_stock": self.h(inv.on_order),
        }
