"""Sessions and product views of one day: who browses, when, what, and which offer is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecomgen.rng import cumulative_rows
from ecomgen.simulation.arrays import expand, stable_order
from ecomgen.simulation.calendar import discounted_price
from ecomgen.simulation.clock import LAST_VIEW, MAX_DWELL, MAX_VIEWS, MIN_DWELL, VIEW_GAP
from ecomgen.simulation.world import World


@dataclass
class Sessions:
    """The day's sessions, indexed by draw order k (keys of their random draws)."""

    cust: Any
    stype: Any
    device: Any
    start: Any  # seconds into the day
    views: Any  # views kept (truncated before LAST_VIEW)

    @property
    def n(self) -> int:
        """Number of sessions."""
        return int(self.cust.shape[0])


@dataclass
class Views:
    """The day's views, grouped by session (draw order) and position."""

    sess: Any
    pos: Any
    time: Any
    dwell: Any
    category: Any
    product: Any
    offer: Any
    price: Any  # paise shown
    discount_bp: Any  # sale discount applied to the offer's price, basis points
    oos_start: Any  # no offer of the product in stock at 00:00

    @property
    def n(self) -> int:
        """Number of views."""
        return int(self.sess.shape[0])

    @staticmethod
    def concat(xp: Any, parts: list[Views]) -> Views:
        """Views of consecutive session batches as one."""
        if len(parts) == 1:
            return parts[0]
        names = list(Views.__dataclass_fields__)
        return Views(*(xp.concatenate([getattr(p, f) for p in parts]) for f in names))


def _category_cdf(w: World, cust: Any, d: int) -> Any:
    """Cumulative category weights for the given customers (explicit column sums)."""
    xp = w.xp
    hist = xp.minimum(w.history[cust], w.cfg.TRAFFIC.affinity_cap)
    base = w.combo_weight[w.combo[cust]] * w.affinity_factor[hist]
    return cumulative_rows(xp, base * w.category_uplift[d][None, :])


def draw_sessions(w: World, d: int) -> Sessions:
    """Draw today's sessions: count, customer, type, device and start time."""
    xp, rng, cfg = w.xp, w.rng, w.cfg
    day = w.calendar.first_day + d
    expected = cfg.avg_views_per_day * float(w.calendar.traffic[d]) / w.mean_views
    n = int(rng.stream("sessions.count").poisson(xp.asarray([expected]), d)[0])
    # Customers who have signed up by today are a prefix of the sign-up order.
    active = int(xp.searchsorted(w.signup_sorted, xp.asarray([day]), side="right")[0])
    total = int(w.activity_cdf[active - 1]) if active else 0
    if total == 0:
        n = 0
    k = xp.arange(n, dtype=xp.int64)
    r = xp.floor(rng.stream("sessions.customer").uniform(d, k) * total).astype(xp.int64)
    order = stable_order(xp, r)  # sorted queries search faster; the result is the same
    pick = xp.empty(n, dtype=xp.int64)
    pick[order] = xp.searchsorted(w.activity_cdf[:active], r[order], side="right")
    cust = w.signup_order[pick]
    stype = rng.stream("sessions.type").choice(w.stype_weight, d, k)
    pref = w.customers.device[cust]
    other = rng.stream("sessions.device.other").choice(w.device_weight, d, k)
    keep = rng.stream("sessions.device.keep").uniform(d, k) < 0.85
    device = xp.where(keep, pref, other)
    # The hour is drawn with its weight times the share of it sessions may start in, the
    # second uniformly within that share: start times follow the hourly profile cut to
    # [FIRST_START, LAST_VIEW], with no pile-up at either end.
    hour = rng.stream("sessions.hour").choice(w.hour_weight, d, k)
    start = w.hour_first[hour] + rng.stream("sessions.second").integers(
        0, w.hour_seconds[hour], d, k)
    mean = w.stype_views[stype]
    extra = rng.stream("sessions.depth").geometric(1.0 / mean, d, k)
    views = xp.minimum(1 + extra, MAX_VIEWS)
    return Sessions(cust, stype, device, start, views)


def draw_views(w: World, d: int, s: Sessions, stock: Any, lo: int = 0,
               hi: int | None = None) -> Views:
    """Expand sessions lo..hi-1 into views: time, category, product and the buy-box offer."""
    xp, rng = w.xp, w.rng
    hi = s.n if hi is None else hi
    local, pos = expand(xp, s.views[lo:hi])
    sess = local + lo
    st = s.stype[sess]
    dwell_med = w.stype_dwell[st]
    dwell = rng.stream("views.dwell").lognormal(d, sess, pos, median=dwell_med, sigma=0.55)
    dwell = xp.clip(xp.rint(dwell), MIN_DWELL, MAX_DWELL).astype(xp.int64)
    gap = rng.stream("views.gap").integers(VIEW_GAP[0], VIEW_GAP[1], d, sess, pos)
    step = dwell + gap
    c = xp.cumsum(step)
    first = pos == 0
    base = (c - step)[xp.nonzero(first)[0]]
    time = s.start[sess] + (c - step) - base[local]
    keep = time <= LAST_VIEW
    sess, pos, dwell, time, st = sess[keep], pos[keep], dwell[keep], time[keep], st[keep]
    if hi > lo:
        s.views[lo:hi] = xp.bincount(local[keep], minlength=hi - lo)[: hi - lo]

    cust = s.cust[sess]
    k_sess = xp.arange(lo, hi, dtype=xp.int64)
    sess_cat = rng.stream("views.session_category").choice_rows(
        _category_cdf(w, s.cust[lo:hi], d), d, k_sess) if hi > lo else \
        xp.zeros(0, dtype=xp.int64)
    stay = rng.stream("views.stay").uniform(d, sess, pos) < w.stype_same[st]
    category = sess_cat[sess - lo]
    move = xp.nonzero(~stay & (pos > 0))[0]
    if move.shape[0]:
        category[move] = rng.stream("views.category").choice_rows(
            _category_cdf(w, cust[move], d), d, sess[move], pos[move])

    size = w.cat_size[category]
    rank = xp.zeros(sess.shape[0], dtype=xp.int64)
    pop = rng.stream("views.product")
    for t in range(len(w.stype_exponent)):  # session types, a handful
        m = st == t
        if bool(m.any()):
            idx = xp.nonzero(m)[0]
            rank[idx] = pop.zipf_rank(size[idx], w.stype_exponent[t], d, sess[idx], pos[idx])
    product = w.cat_start[category] + rank
    unlaunched = w.products.launch_day[product] > w.calendar.first_day + d
    product = xp.where(unlaunched, w.cat_start[category], product)

    offer, oos = _buy_box(w, d, sess, pos, product, stock)
    disc = w.discount_bp[d][category]
    price = discounted_price(w.offers.price[offer], disc)
    return Views(sess, pos, time, dwell, category, product, offer, price, disc, oos)


def _buy_box(w: World, d: int, sess: Any, pos: Any, product: Any,
             stock: Any) -> tuple[Any, Any]:
    """Offer shown per view: weighted among offers in stock at 00:00, else the default."""
    xp, of = w.xp, w.offers
    # A product's offers are contiguous, so one running sum over all offers gives every
    # product's cumulative buy-box weights (integers: exact on every backend).
    in_stock = xp.where(stock > 0, of.buybox, 0).astype(xp.int64, copy=False)
    run = xp.cumsum(in_stock)
    count = of.count[product]
    first = xp.minimum(of.start[product], of.n - 1)
    last = xp.minimum(first + xp.maximum(count, 1) - 1, of.n - 1)
    before = run[first] - in_stock[first]
    total = xp.where(count > 0, run[last] - before, 0)
    r = xp.floor(w.rng.stream("views.offer").uniform(d, sess, pos) * total).astype(xp.int64)
    # The chosen offer is the first whose running sum exceeds before + r; it lies within
    # the product's few offers, so count them instead of a binary search over all offers.
    target = before + r
    pick = first.copy()
    for j in range(w.max_offers - 1):
        pick += run[xp.minimum(first + j, of.n - 1)] <= target
    chosen = xp.where(total > 0, pick, of.default[product])
    return chosen, total == 0
