"""The browsing phase in array operations: the readable reference of the browse kernel.

This is the array code the kernel (``ecomgen.kernels.browse``) replaced, kept beside the
tests as its specification: ``tests/test_kernel_browse.py`` checks that both give the same
views, cart lines and outcomes, bit for bit.
"""

from __future__ import annotations

from typing import Any

from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels.browse import DWELL_REDRAWS, DWELL_SIGMA
from ecomgen.rng import cumulative_rows
from ecomgen.simulation.arrays import expand, stable_order
from ecomgen.simulation.browse import BuyBox, Sessions, Views
from ecomgen.simulation.carts import Lines, Outcome
from ecomgen.simulation.clock import (
    ABANDON_DELAY,
    CHECKOUT_DELAY,
    LAST_VIEW,
    MAX_DWELL,
    MIN_DWELL,
    PAYMENT_DELAY,
    VIEW_GAP,
)
from ecomgen.simulation.world import World


def _category_cdf(w: World, cust: Any, d: int) -> Any:
    """Cumulative category weights for the given customers (explicit column sums)."""
    xp = w.xp
    hist = xp.minimum(w.own.history[cust], w.cfg.TRAFFIC.affinity_cap)
    cats = xp.arange(hist.shape[1], dtype=xp.int64)[None, :]
    base = w.combo_weight[w.own.combo[cust]] * w.affinity_factor[hist, cats]
    return cumulative_rows(xp, base * w.category_uplift[d][None, :])


def draw_views(w: World, d: int, s: Sessions, box: BuyBox, lo: int = 0,
               hi: int | None = None) -> tuple[Views, Any]:
    """Expand sessions lo..hi-1 into views: time, category, product and the buy-box offer.

    Returns the views and, per session lo..hi-1, how many views it keeps (views that would
    start after the day's last view second are cut off).
    """
    xp, rng = w.xp, w.rng
    hi = s.n if hi is None else hi
    local, pos = expand(xp, s.views[lo:hi])
    sess = local + lo
    key = s.key[sess]
    st = s.stype[sess]
    dwell_med = w.stype_dwell[st]
    dwell = _dwell(w, d, key, pos, dwell_med)
    gap = rng.stream("views.gap").integers(VIEW_GAP[0], VIEW_GAP[1], d, key, pos)
    step = dwell + gap
    c = xp.cumsum(step)
    first = pos == 0
    base = (c - step)[xp.nonzero(first)[0]]
    time = s.start[sess] + (c - step) - base[local]
    keep = xp.nonzero(time <= LAST_VIEW)[0]  # an index: one sync for every array below
    sess, pos, dwell, time, st = sess[keep], pos[keep], dwell[keep], time[keep], st[keep]
    key = key[keep]
    kept = xp.bincount(local[keep], minlength=hi - lo)[: hi - lo] if hi > lo else \
        xp.zeros(0, dtype=xp.int64)

    cust = s.cust[sess]
    sess_cat = rng.stream("views.session_category").choice_rows(
        _category_cdf(w, s.cust[lo:hi], d), d, s.key[lo:hi]) if hi > lo else \
        xp.zeros(0, dtype=xp.int64)
    stay = rng.stream("views.stay").uniform(d, key, pos) < w.stype_same[st]
    # A return visit opens on the product it came back for, in that product's category.
    back = s.reorder_product[lo:hi]
    if hi > lo:
        sess_cat = xp.where(back >= 0, w.products.category[xp.maximum(back, 0)], sess_cat)
    category = sess_cat[sess - lo]
    move = xp.nonzero(~stay & (pos > 0))[0]
    if move.shape[0]:
        category[move] = rng.stream("views.category").choice_rows(
            _category_cdf(w, cust[move], d), d, key[move], pos[move])

    size = w.cat_size[category]
    rank = xp.zeros(sess.shape[0], dtype=xp.int64)
    pop = rng.stream("views.product")
    for t in range(len(w.stype_exponent)):  # session types, a handful
        m = st == t
        if bool(m.any()):
            idx = xp.nonzero(m)[0]
            rank[idx] = pop.zipf_rank(size[idx], w.stype_exponent[t], d, key[idx], pos[idx],
                                      offset=w.cfg.TRAFFIC.popularity_offset)
    product = w.cat_start[category] + rank
    unlaunched = w.products.launch_day[product] > w.calendar.first_day + d
    product = xp.where(unlaunched, w.cat_start[category], product)
    reorder = s.reorder_product[sess]
    product = xp.where((pos == 0) & (reorder >= 0), reorder, product)

    offer, oos = _pick_offer(w, d, key, pos, product, box)
    prices = w.prices.on(d)
    price, disc = prices.price[offer], prices.sale_bp[offer]
    return Views(sess, pos, time, dwell, category, product, offer, price, disc, oos), kept


def _dwell(w: World, d: int, key: Any, pos: Any, median: Any) -> Any:
    """Seconds on the page: lognormal around the session type's median, drawn again (up to
    DWELL_REDRAWS times, each its own stream) while above MAX_DWELL, so the law is cut at
    the bound rather than piled up on it; the rare draw still above is clipped."""
    xp = w.xp
    dwell = w.rng.stream("views.dwell").lognormal(d, key, pos, median=median, sigma=DWELL_SIGMA)
    for r in range(DWELL_REDRAWS):
        over = xp.nonzero(dwell > MAX_DWELL + 0.5)[0]
        if over.shape[0] == 0:
            break
        dwell[over] = w.rng.stream(f"views.dwell.redraw{r + 1}").lognormal(
            d, key[over], pos[over], median=median[over], sigma=DWELL_SIGMA)
    return xp.clip(xp.rint(dwell), MIN_DWELL, MAX_DWELL).astype(xp.int64)


def _pick_offer(w: World, d: int, key: Any, pos: Any, product: Any,
                box: BuyBox) -> tuple[Any, Any]:
    """Offer shown per view: weighted among offers in stock at 00:00, else the default."""
    xp, of = w.xp, w.offers
    in_stock, run = box.in_stock, box.run
    count = of.count[product]
    first = xp.minimum(of.start[product], of.n - 1)
    last = xp.minimum(first + xp.maximum(count, 1) - 1, of.n - 1)
    before = run[first] - in_stock[first]
    total = xp.where(count > 0, run[last] - before, 0)
    r = xp.floor(w.rng.stream("views.offer").uniform(d, key, pos) * total).astype(xp.int64)
    # The chosen offer is the first whose running sum exceeds before + r; it lies within
    # the product's few offers, so count them instead of a binary search over all offers.
    target = before + r
    pick = first.copy()
    for j in range(w.max_offers - 1):
        pick += run[xp.minimum(first + j, of.n - 1)] <= target
    chosen = xp.where(total > 0, pick, of.default[product])
    return chosen, total == 0


def add_to_cart(w: World, d: int, s: Sessions, v: Views) -> Lines:
    """Decide which views add their offer to the cart, and the quantities."""
    xp, rng, cfg = w.xp, w.rng, w.cfg
    cust = s.cust[v.sess]
    seg = w.own.customers.segment[cust]
    seg_factor = w.seg_conversion[seg]
    rel = v.price / w.products.reference_price[v.product]
    sens = w.own.customers.price_sensitivity[cust]
    price_factor = xp.clip(fm.pow_v(xp, rel, -cfg.TRAFFIC.price_elasticity * sens), 0.15, 3.0) \
        * w.ticket_factor[v.product]
    sat = w.cat_satiation[v.category]
    since = (d - w.own.last_buy[cust, v.category]).astype(xp.float64)
    p = (cfg.TRAFFIC.base_cart_rate * seg_factor * w.stype_cart[s.stype[v.sess]]
         * w.device_cart[s.device[v.sess]] * price_factor * float(w.calendar.conversion[d])
         * (1.0 - sat[:, 0] * fm.exp_v(xp, since * sat[:, 1])))
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
    seg = w.own.customers.segment[s.cust]
    aband = xp.clip(w.seg_abandonment[seg] + w.device_abandonment[s.device], 0.02, 0.98)
    aband = xp.where(s.reorder_product >= 0,
                     aband * w.cfg.CUSTOMER_LIFECYCLE.reorder_abandonment, aband)
    p_pay = xp.minimum((1.0 - aband) * float(w.calendar.conversion[d]), 0.95)
    checkout = rng.stream("cart.checkout").uniform(d, k) < p_pay
    checkout_at = end + rng.stream("cart.checkout_delay").integers(*CHECKOUT_DELAY, d, k)
    paid_at = checkout_at + rng.stream("cart.payment_delay").integers(*PAYMENT_DELAY, d, k)
    abandon_at = end + rng.stream("cart.abandon_delay").integers(*ABANDON_DELAY, d, k)
    return Outcome(end, checkout, checkout_at, paid_at, abandon_at), removed_at
