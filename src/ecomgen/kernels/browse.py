"""The browsing phase as one kernel: a session's views, cart lines and checkout decision.

:func:`browse_sessions` does each session's whole day after it was drawn: each
view's dwell, gap and time (views that would start after the day's last view second are
cut off), its category (the session's, or a new one), product (Zipf–Mandelbrot rank in the
category), the offer in the buy box and its price; whether the view adds the offer to the
cart (a cart holds one line per offer), the line's units, add and remove times; then when
the session ends and whether it goes to payment. Every draw is keyed by the session key and
the view's position, exactly as the array code of ``simulation/browse.py`` and
``simulation/carts.py`` that it replaced, so any split of the sessions gives the same bits.

Outputs go to fixed slots: the session's drawn views at ``view_off[i]``..; the caller keeps
the first ``kept[i]`` of them.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ecomgen.kernels import draws as dr
from ecomgen.kernels.fmath import exp, pow, rint, scalar
from ecomgen.simulation.clock import (
    ABANDON_DELAY,
    CHECKOUT_DELAY,
    LAST_VIEW,
    MAX_DWELL,
    MIN_DWELL,
    PAYMENT_DELAY,
    VIEW_GAP,
)

#: Log-space spread of dwell times, and how often a dwell above MAX_DWELL is drawn again.
DWELL_SIGMA = 0.55
DWELL_REDRAWS = 3

#: Columns of the packed product and offer tables (one cache line per lookup, not one per
#: array: at preset L they are megabytes, read at random).
P_LAUNCH, P_OFFERS, P_FIRST, P_DEFAULT = range(4)
P_REFERENCE, P_TICKET = range(2)
O_RUN, O_WEIGHT, O_PRICE = range(3)

#: The streams the kernel draws from, in the order of the key array it is given (each with
#: the day folded in).
STREAMS = ("views.dwell", "views.dwell.redraw1", "views.dwell.redraw2", "views.dwell.redraw3",
           "views.gap", "views.session_category", "views.stay", "views.category",
           "views.product", "views.offer", "cart.add", "cart.quantity.multi",
           "cart.quantity.size", "cart.add_time", "cart.remove", "cart.remove_time",
           "cart.checkout", "cart.checkout_delay", "cart.payment_delay", "cart.abandon_delay")
(K_DWELL, K_REDRAW1, K_REDRAW2, K_REDRAW3, K_GAP, K_SESSION_CAT, K_STAY, K_CATEGORY,
 K_PRODUCT, K_OFFER, K_ADD, K_MULTI, K_SIZE, K_ADD_TIME, K_REMOVE, K_REMOVE_TIME, K_CHECKOUT,
 K_CHECKOUT_DELAY, K_PAYMENT_DELAY, K_ABANDON_DELAY) = range(len(STREAMS))


class BrowseIn(NamedTuple):
    """What the kernel reads: the day's sessions, the world's tables and today's scalars."""

    keys: Any  # uint64 [len(STREAMS)] stream keys with the day folded in
    # sessions
    skey: Any
    cust: Any
    stype: Any
    device: Any
    start: Any
    views: Any  # drawn views
    reorder_product: Any  # product of a return visit, or -1
    view_off: Any  # first view slot of each session
    # customers
    segment: Any
    price_sensitivity: Any
    combo: Any
    history: Any  # [N, C] purchases by category
    last_buy: Any  # [N, C] day index of the last purchase in the category
    # tables
    combo_weight: Any  # [K, C]
    affinity_factor: Any  # [cap + 1, C]
    uplift: Any  # [C] today's category demand multiplier
    stype_dwell: Any
    stype_same: Any
    stype_cart: Any
    stype_exponent: Any
    device_cart: Any
    device_abandonment: Any
    seg_conversion: Any
    seg_abandonment: Any
    cat_start: Any  # [C + 1]
    cat_size: Any
    cat_satiation: Any  # [C, 2]
    cat_multi_unit: Any
    cat_max_quantity: Any
    product_category: Any
    products: Any  # int64 [P, 4]: launch day, offers, first offer, default offer
    product_price: Any  # float64 [P, 2]: reference price (paise), ticket factor
    zipf_lo: Any  # [T] (1 + popularity_offset) ** (1 - exponent) per session type
    zipf_top: Any  # [C, T] draws.zipf_top of each category's size and session type
    offers: Any  # int64 [O, 3]: running sum of the buy-box weights at 00:00 (out of stock:
    # 0), the weight itself, today's price (paise)
    # scalars
    d: int
    today: int  # epoch day
    affinity_cap: int
    max_offers: int
    popularity_offset: float
    base_cart_rate: float
    price_elasticity: float
    conversion: float
    reorder_cart_rate: float
    remove_rate: float
    reorder_abandonment: float
    c0: int = 0  # customer index of the first row of the per-customer arrays (a shard's)


class BrowseOut(NamedTuple):
    """What the kernel writes: per view slot, and per session."""

    time: Any
    dwell: Any
    category: Any
    product: Any
    offer: Any
    oos: Any  # no offer of the product in stock at 00:00
    line: Any  # the view adds its offer to the cart
    qty: Any
    added: Any
    removed: Any
    removed_at: Any
    kept: Any  # per session: views kept
    end: Any
    checkout: Any
    checkout_at: Any
    paid_at: Any
    abandon_at: Any


@scalar
def _dwell(keys: Any, key: int, pos: int, median: float) -> int:
    """Seconds on the page: lognormal, drawn again while above MAX_DWELL, then clipped."""
    x = dr.lognormal(dr.h2(keys[K_DWELL], key, pos), median, DWELL_SIGMA)
    for r in range(DWELL_REDRAWS):
        if not x > MAX_DWELL + 0.5:
            break
        x = dr.lognormal(dr.h2(keys[K_REDRAW1 + r], key, pos), median, DWELL_SIGMA)
    return int(min(max(rint(x), float(MIN_DWELL)), float(MAX_DWELL)))


@scalar
def _category_total(history: Any, combo_weight: Any, affinity_factor: Any, uplift: Any,
                    cap: int, row: int, c: int) -> float:
    """The sum of customer ``c``'s category weights (history, segment, age and gender in
    ``row`` of ``combo_weight``, today's uplift), column by column as
    ``rng.cumulative_rows`` sums them (the same all session: computed once)."""
    total = 0.0
    for k in range(uplift.shape[0]):
        h = min(history[c, k], cap)
        total = total + combo_weight[row, k] * affinity_factor[h, k] * uplift[k]
    return total


@scalar
def _category(history: Any, combo_weight: Any, affinity_factor: Any, uplift: Any, cap: int,
              row: int, c: int, x: float) -> int:
    """The category whose running sum of the weights first passes ``x`` (a uniform times
    :func:`_category_total`). The weights are never negative, so the running sum never
    falls and the first sum above ``x`` ends the search."""
    ncat = uplift.shape[0]
    acc = 0.0
    n = 0
    for k in range(ncat):
        h = min(history[c, k], cap)
        acc = acc + combo_weight[row, k] * affinity_factor[h, k] * uplift[k]
        if acc > x:
            break
        n += 1
    return min(n, ncat - 1)


@scalar
def _offer(products: Any, offers: Any, max_offers: int, product: int, offer_key: np.uint64,
           key: int, pos: int) -> int:
    """The offer shown: drawn by buy-box weight among the product's offers in stock at
    00:00, else the product's default offer, returned as -1 - default (out of stock)."""
    n = offers.shape[0]
    count = products[product, P_OFFERS]
    first = min(products[product, P_FIRST], n - 1)
    last = min(first + max(count, 1) - 1, n - 1)
    before = offers[first, O_RUN] - offers[first, O_WEIGHT]
    total = offers[last, O_RUN] - before if count > 0 else 0
    if total == 0:
        return -1 - products[product, P_DEFAULT]
    u = dr.uniform(dr.h2(offer_key, key, pos))
    target = before + int(math.floor(u * float(total)))
    # The running sums never fall and the last offer's is above the target, so the offers
    # at or below it are the first few of the product's own: count them and stop.
    pick = first
    for j in range(first, min(last, first + max_offers - 1)):
        if offers[j, O_RUN] > target:
            break
        pick += 1
    return pick


@scalar
def browse_sessions(lo: int, hi: int, t: BrowseIn, o: BrowseOut) -> None:
    """Sessions ``lo..hi-1``: their views, cart lines and checkout decisions."""
    keys = t.keys
    for i in range(lo, hi):
        key = t.skey[i]
        c = t.cust[i] - t.c0  # row of the customer in the per-customer arrays
        st = t.stype[i]
        dev = t.device[i]
        seg = t.segment[c]
        row = t.combo[c]
        off = t.view_off[i]
        back = t.reorder_product[i]
        median = t.stype_dwell[st]
        exponent = t.stype_exponent[st]
        lo_a = t.zipf_lo[st]
        # The add-to-cart chance's factors that do not change within the session.
        sens = -t.price_elasticity * t.price_sensitivity[c]
        base = (t.base_cart_rate * t.seg_conversion[seg] * t.stype_cart[st]
                * t.device_cart[dev])
        now = t.start[i]
        kept = 0
        sess_cat = -1
        cat_total = -1.0  # the customer's category weights' sum, once it is needed
        for p in range(t.views[i]):
            if now > LAST_VIEW:  # views after the day's last view second are cut off
                break
            dwell = _dwell(keys, key, p, median)
            gap = dr.integers(dr.uniform(dr.h2(keys[K_GAP], key, p)), VIEW_GAP[0],
                              VIEW_GAP[1])
            j = off + p
            at = now
            o.time[j] = at
            o.dwell[j] = dwell
            kept = p + 1
            if p == 0:
                if back >= 0:
                    sess_cat = t.product_category[back]
                else:
                    cat_total = _category_total(t.history, t.combo_weight, t.affinity_factor,
                                                t.uplift, t.affinity_cap, row, c)
                    sess_cat = _category(
                        t.history, t.combo_weight, t.affinity_factor, t.uplift, t.affinity_cap,
                        row, c, dr.uniform(dr.h1(keys[K_SESSION_CAT], key)) * cat_total)
                cat = sess_cat
            elif dr.uniform(dr.h2(keys[K_STAY], key, p)) < t.stype_same[st]:
                cat = sess_cat
            else:
                if cat_total < 0.0:
                    cat_total = _category_total(t.history, t.combo_weight, t.affinity_factor,
                                                t.uplift, t.affinity_cap, row, c)
                cat = _category(t.history, t.combo_weight, t.affinity_factor, t.uplift,
                                t.affinity_cap, row, c,
                                dr.uniform(dr.h2(keys[K_CATEGORY], key, p)) * cat_total)
            rank = dr.zipf_from(dr.uniform(dr.h2(keys[K_PRODUCT], key, p)), t.cat_size[cat],
                                exponent, t.popularity_offset, lo_a, t.zipf_top[cat, st])
            product = t.cat_start[cat] + rank
            if t.products[product, P_LAUNCH] > t.today:
                product = t.cat_start[cat]
            reorder = p == 0 and back >= 0
            if reorder:
                product = back
            offer = _offer(t.products, t.offers, t.max_offers, product, keys[K_OFFER], key, p)
            oos = offer < 0
            if oos:
                offer = -1 - offer
            o.category[j] = cat
            o.product[j] = product
            o.offer[j] = offer
            o.oos[j] = oos
            now = now + dwell + gap

            # The cart: one line per offer (the session's first add of it).
            u_add = dr.uniform(dr.h2(keys[K_ADD], key, p))
            if oos:
                add = False
            elif reorder:
                add = u_add < t.reorder_cart_rate
            else:
                ticket = t.product_price[product, P_TICKET]
                depth = t.cat_satiation[cat, 0]
                # The chance below is at most this bound (every factor is non-negative, the
                # price factor at most 3, satiation at most 1, and rounding is monotonic):
                # most views draw above it and skip the price and satiation terms.
                if (u_add >= base * (3.0 * ticket) * t.conversion and base >= 0.0
                        and ticket >= 0.0 and t.conversion >= 0.0 and depth >= 0.0):
                    add = False
                else:
                    rel = t.offers[offer, O_PRICE] / t.product_price[product, P_REFERENCE]
                    factor = min(max(pow(rel, sens), 0.15), 3.0) * ticket
                    since = float(t.d - t.last_buy[c, cat])
                    sated = 1.0 - depth * exp(since * t.cat_satiation[cat, 1])
                    add = u_add < base * factor * t.conversion * sated
            if add:
                for q in range(p):
                    if o.line[off + q] and o.offer[off + q] == offer:
                        add = False
                        break
            o.line[j] = add
            if not add:
                continue
            qmax = t.cat_max_quantity[cat]
            more = dr.uniform(dr.h2(keys[K_MULTI], key, p)) < t.cat_multi_unit[cat]
            size = dr.integers(dr.uniform(dr.h2(keys[K_SIZE], key, p)), 2, qmax + 1)
            o.qty[j] = size if more and qmax > 1 else 1
            o.added[j] = at + 1 + int(math.floor(
                dr.uniform(dr.h2(keys[K_ADD_TIME], key, p)) * float(dwell - 1)))
            rate = t.remove_rate * t.reorder_abandonment if reorder else t.remove_rate
            o.removed[j] = dr.uniform(dr.h2(keys[K_REMOVE], key, p)) < rate
        o.kept[i] = kept

        # The session's end, line removal times, and checkout or abandonment.
        last = off + kept - 1
        end = o.time[last] + o.dwell[last]
        o.end[i] = end
        for p in range(kept):
            j = off + p
            if o.line[j]:
                u = dr.uniform(dr.h2(keys[K_REMOVE_TIME], key, p))
                o.removed_at[j] = o.added[j] + 1 + int(math.floor(
                    u * float(max(end - o.added[j] - 1, 0))))
        aband = min(max(t.seg_abandonment[seg] + t.device_abandonment[dev], 0.02), 0.98)
        if back >= 0:
            aband = aband * t.reorder_abandonment
        p_pay = min((1.0 - aband) * t.conversion, 0.95)
        o.checkout[i] = dr.uniform(dr.h1(keys[K_CHECKOUT], key)) < p_pay
        checkout_at = end + dr.integers(dr.uniform(dr.h1(keys[K_CHECKOUT_DELAY], key)),
                                        CHECKOUT_DELAY[0], CHECKOUT_DELAY[1])
        o.checkout_at[i] = checkout_at
        o.paid_at[i] = checkout_at + dr.integers(
            dr.uniform(dr.h1(keys[K_PAYMENT_DELAY], key)), PAYMENT_DELAY[0], PAYMENT_DELAY[1])
        o.abandon_at[i] = end + dr.integers(dr.uniform(dr.h1(keys[K_ABANDON_DELAY], key)),
                                            ABANDON_DELAY[0], ABANDON_DELAY[1])
