"""Cart behaviour of one day: add, remove, checkout or abandon, payment method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.rng import cumulative_rows
from ecomgen.simulation.arrays import stable_order
from ecomgen.simulation.browse import Sessions, Views
from ecomgen.simulation.clock import ABANDON_DELAY, CHECKOUT_DELAY, PAYMENT_DELAY
from ecomgen.simulation.world import World

CART_EVENTS = ("add_to_cart", "remove_from_cart", "checkout", "checkout_failed", "cart_abandoned")
ADD, REMOVE, CHECKOUT, FAILED, ABANDON = range(5)
HIGH_VALUE_PAISE = 1_000_000  # INR 10,000
LOW_VALUE_PAISE = 50_000  # INR 500
#: Share of a customer's orders paid with their habitual method (when the value allows it).
PAYMENT_HABIT = 0.7


@dataclass
class Lines:
    """Cart lines (one per add_to_cart), in view order."""

    view: Any  # index into the day's views
    sess: Any
    offer: Any
    qty: Any
    price: Any  # paise per unit
    discount_bp: Any  # sale discount in that price, basis points
    added: Any  # seconds into the day
    removed: Any  # bool
    removed_at: Any

    def take(self, m: Any) -> Lines:
        """Lines selected by a mask or index (a mask becomes an index once: one device sync
        for all the fields, not one per field)."""
        if m.dtype == bool:
            m = m.nonzero()[0]
        return Lines(*(getattr(self, f)[m] for f in self.__dataclass_fields__))

    @staticmethod
    def concat(xp: Any, parts: list[Lines]) -> Lines:
        """Lines of consecutive batches as one."""
        if len(parts) == 1:
            return parts[0]
        return Lines(*(xp.concatenate([getattr(p, f) for p in parts])
                       for f in Lines.__dataclass_fields__))


@dataclass
class Outcome:
    """What each session does with its cart."""

    browse_end: Any  # end of the last view
    checkout: Any  # bool: the customer proceeds to pay
    checkout_at: Any
    paid_at: Any  # payment confirmation (settlement time)
    abandon_at: Any


def add_to_cart(w: World, d: int, s: Sessions, v: Views) -> Lines:
    """Decide which views add their offer to the cart, and the quantities."""
    xp, rng, cfg = w.xp, w.rng, w.cfg
    cust = s.cust[v.sess]
    seg = w.customers.segment[cust]
    seg_factor = w.seg_conversion[seg]
    rel = v.price / w.products.reference_price[v.product]
    sens = w.customers.price_sensitivity[cust]
    price_factor = xp.clip(rel ** (-cfg.TRAFFIC.price_elasticity * sens), 0.15, 3.0) \
        * w.ticket_factor[v.product]
    sat = w.cat_satiation[v.category]
    since = (d - w.last_buy[cust, v.category]).astype(xp.float64)
    p = (cfg.TRAFFIC.base_cart_rate * seg_factor * w.stype_cart[s.stype[v.sess]]
         * w.device_cart[s.device[v.sess]] * price_factor * float(w.calendar.conversion[d])
         * (1.0 - sat[:, 0] * xp.exp(since * sat[:, 1])))
    # A return visit's first view is the product it came back for.
    life = cfg.CUSTOMER_LIFECYCLE
    reorder = (v.pos == 0) & (s.reorder_product[v.sess] >= 0)
    p = xp.where(reorder, life.reorder_cart_rate, p)
    add = (rng.stream("cart.add").uniform(d, s.key[v.sess], v.pos) < p) & ~v.oos_start
    idx = _first_per_offer(xp, xp.nonzero(add)[0], v.sess, v.offer, w.offers.n)
    sess, pos = v.sess[idx], v.pos[idx]
    key = s.key[sess]
    multi = w.cat_multi_unit[v.category[idx]]
    qmax = w.cat_max_quantity[v.category[idx]]
    more = rng.stream("cart.quantity.multi").uniform(d, key, pos) < multi
    size = rng.stream("cart.quantity.size").integers(2, qmax + 1, d, key, pos)
    qty = xp.where(more & (qmax > 1), size, 1)
    dwell = v.dwell[idx]
    added = v.time[idx] + 1 + xp.floor(
        rng.stream("cart.add_time").uniform(d, key, pos) * (dwell - 1)).astype(xp.int64)
    removed = rng.stream("cart.remove").uniform(d, key, pos) < xp.where(
        reorder[idx], cfg.TRAFFIC.remove_rate * life.reorder_abandonment, cfg.TRAFFIC.remove_rate)
    return Lines(idx, sess, v.offer[idx], qty.astype(xp.int64), v.price[idx],
                 v.discount_bp[idx], added, removed, xp.zeros(idx.shape[0], dtype=xp.int64))


def _first_per_offer(xp: Any, idx: Any, sess: Any, offer: Any, n_offers: int) -> Any:
    """Keep a session's first add of each offer (a cart holds one line per offer)."""
    if idx.shape[0] == 0:
        return idx
    key = sess[idx] * n_offers + offer[idx]
    order = stable_order(xp, key)
    k = key[order]
    first = xp.ones(k.shape[0], dtype=bool)
    first[1:] = k[1:] != k[:-1]
    return xp.sort(idx[order[first]])


def decide(w: World, d: int, s: Sessions, v: Views, lines: Lines) -> tuple[Outcome, Any]:
    """Session timing and the checkout-or-abandon decision of every session, and the time
    each line would be removed at (used for the lines that are removed)."""
    xp, rng = w.xp, w.rng
    n = s.n
    end = xp.zeros(n, dtype=xp.int64)
    if v.n:
        last = xp.ones(v.n, dtype=bool)
        last[:-1] = v.sess[1:] != v.sess[:-1]
        li = xp.nonzero(last)[0]
        end[v.sess[li]] = v.time[li] + v.dwell[li]
    k = s.key
    removed_at = lines.removed_at
    if lines.sess.shape[0]:
        span = end[lines.sess] - lines.added
        u = rng.stream("cart.remove_time").uniform(d, s.key[lines.sess], v.pos[lines.view])
        removed_at = lines.added + 1 + xp.floor(u * xp.maximum(span - 1, 0)).astype(xp.int64)
    seg = w.customers.segment[s.cust]
    aband = xp.clip(w.seg_abandonment[seg] + w.device_abandonment[s.device], 0.02, 0.98)
    aband = xp.where(s.reorder_product >= 0,
                     aband * w.cfg.CUSTOMER_LIFECYCLE.reorder_abandonment, aband)
    p_pay = xp.minimum((1.0 - aband) * float(w.calendar.conversion[d]), 0.95)
    checkout = rng.stream("cart.checkout").uniform(d, k) < p_pay
    checkout_at = end + rng.stream("cart.checkout_delay").integers(*CHECKOUT_DELAY, d, k)
    paid_at = checkout_at + rng.stream("cart.payment_delay").integers(*PAYMENT_DELAY, d, k)
    abandon_at = end + rng.stream("cart.abandon_delay").integers(*ABANDON_DELAY, d, k)
    return Outcome(end, checkout, checkout_at, paid_at, abandon_at), removed_at


def payment_method(w: World, d: int, order_key: Any, total: Any, customer: Any) -> Any:
    """Payment method of each order: the customer's habitual method (PAYMENT_HABIT of the
    time, on orders up to INR 10,000 the method allows), else one weighted by method, the
    customer's city tier and the order value (paise)."""
    xp = w.xp
    methods = list(w.cfg.PAYMENT_METHODS.values())
    n = total.shape[0]
    tier = xp.clip(w.customers.city_tier[customer].astype(xp.int64) - 1, 0, 2)
    tier_mult = xp.asarray(np.array([m.tier_multipliers for m in methods]).T)[tier]

    def per_method(attr: str) -> Any:
        return xp.asarray(np.array([getattr(m, attr) for m in methods], dtype=np.float64))

    # One [orders, methods] pass per step (not one per method: fewer device launches).
    rupees = (total / 100.0)[:, None]
    allowed = (rupees >= per_method("min_order_value")) & (rupees <= per_method(
        "max_order_value"))
    mult = xp.where((total > HIGH_VALUE_PAISE)[:, None], per_method("high_value_multiplier"),
                    xp.where((total < LOW_VALUE_PAISE)[:, None],
                             per_method("low_value_multiplier"), 1.0))
    weight = per_method("weight")
    weights = xp.where(allowed, weight * mult * tier_mult, 0.0)
    habit_w = weight * tier_mult
    weights[:, 0] = xp.where(weights.sum(axis=1) == 0, 1.0, weights[:, 0])
    drawn = w.rng.stream("orders.payment").choice_rows(cumulative_rows(xp, weights), d,
                                                        order_key)
    # The habit is a pure function of the customer: the same method every time it applies.
    habit = w.rng.stream("customers.payment_habit").choice_rows(cumulative_rows(xp, habit_w),
                                                                customer)
    # Habit rules everyday orders; a big-ticket order's method is chosen for it (cards,
    # no-cost EMI).
    keeps = (w.rng.stream("orders.payment.habit").uniform(d, order_key) < PAYMENT_HABIT) \
        & (total <= HIGH_VALUE_PAISE)
    usable = allowed[xp.arange(n), habit]
    return xp.where(keeps & usable, habit, drawn)
