"""Sessions and product views of one day: who browses, when, what, and which offer is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecomgen.rng import cumulative_rows
from ecomgen.simulation import blocks
from ecomgen.simulation.arrays import (
    expand,
    group_ids,
    segmented_cummax,
    segmented_cumsum,
    stable_order,
)
from ecomgen.simulation.blocks import SESSION_KEY_BITS, session_key
from ecomgen.simulation.clock import (
    DAY,
    LAST_VIEW,
    MAX_DWELL,
    MAX_VIEWS,
    MIN_DWELL,
    TAIL,
    VIEW_GAP,
)
from ecomgen.simulation.world import World

#: Chance that a session uses the customer's preferred device (before the hour's factor).
KEEP_DEVICE = 0.85
#: Weekday office hours (inclusive) and the last night hour, for device use by time of day.
OFFICE_HOURS = (10, 18)
NIGHT_LAST_HOUR = 5
#: Log-space spread of dwell times, and how often a dwell above MAX_DWELL is drawn again.
DWELL_SIGMA = 0.55
DWELL_REDRAWS = 3
#: Weekday of 1970-01-01 (a Thursday; Monday = 0).
EPOCH_WEEKDAY = 3

@dataclass
class Sessions:
    """The day's sessions in (block, k) order; ``key`` (block << 32 | k) keys their draws."""

    key: Any
    cust: Any
    stype: Any
    device: Any
    start: Any  # seconds into the day
    views: Any  # views kept (truncated before LAST_VIEW)
    reorder_product: Any  # product a return visit comes back for, or -1

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
    cats = xp.arange(hist.shape[1], dtype=xp.int64)[None, :]
    base = w.combo_weight[w.combo[cust]] * w.affinity_factor[hist, cats]
    return cumulative_rows(xp, base * w.category_uplift[d][None, :])


def block_activity(w: World, d: int) -> tuple[Any, Any]:
    """Per block: total activity of its customers signed up by day ``d``, and the running
    sum before the block's first customer (where its run in ``w.cust_cdf`` starts)."""
    xp = w.xp
    day = w.calendar.first_day + d
    ids = xp.arange(w.n_blocks, dtype=xp.int64)
    first = xp.minimum(ids << blocks.CUSTOMER_BLOCK_BITS, w.cust_cdf.shape[0])
    end = xp.searchsorted(w.cust_key, (ids << SESSION_KEY_BITS) | day, side="right")
    base = xp.where(first > 0, w.cust_cdf[xp.maximum(first - 1, 0)], 0)
    top = xp.where(end > first, w.cust_cdf[xp.maximum(end - 1, 0)], base)
    return top - base, base


def draw_sessions(w: World, d: int, block_lo: int = 0, block_hi: int | None = None) -> Sessions:
    """Draw today's sessions of blocks ``[block_lo, block_hi)``: count per block, customer,
    type, device and start time.

    A block's count is Poisson with the day's expected sessions times the block's share of
    the activity of customers signed up by today (keyed by block and day); each session picks
    a customer of its block in proportion to activity. Every draw is keyed by (day, session
    key), so blocks can be drawn apart and give the same sessions.

    Dormant customers (past their ``lapse_day``) browse no more: the count is drawn for all
    signed-up customers' activity, scaled up by the share still active, and the sessions of
    dormant customers are dropped (thinning), so the day keeps its expected traffic. On a
    regional festival day the count is also drawn for the day's highest state multiplier and
    each session kept with its customer's state multiplier over that: customers of the
    festive states browse more, the others as on any day.
    """
    xp, rng, cfg = w.xp, w.rng, w.cfg
    activity, base = block_activity(w, d)
    total = int(activity.sum())
    regional = w.calendar.regional[d]
    peak = float(regional.max())
    alive = float(w.alive_share[d])
    expected = cfg.avg_views_per_day * float(w.calendar.traffic[d]) * peak / w.mean_views
    expected = expected / alive if alive > 0 else 0.0
    block_hi = w.n_blocks if block_hi is None else block_hi
    mine = xp.arange(block_lo, block_hi, dtype=xp.int64)
    if total > 0:
        lam = expected * activity[block_lo:block_hi].astype(xp.float64) / float(total)
        counts = rng.stream("sessions.count").poisson(lam, mine, d)
    else:
        counts = xp.zeros(mine.shape[0], dtype=xp.int64)
    owner, k = expand(xp, counts)
    block = owner + block_lo
    key = session_key(xp, block, k)
    r = xp.floor(rng.stream("sessions.customer").uniform(d, key)
                 * activity[block]).astype(xp.int64)
    pick = xp.searchsorted(w.cust_cdf, base[block] + r, side="right")
    cust = w.cust_order[pick]
    keep = w.customers.lapse_day[cust] > w.calendar.first_day + d
    if peak > 1.0:
        share = xp.asarray(regional / peak)[w.customers.state[cust]]
        keep &= rng.stream("sessions.regional").uniform(d, key) < share
    kept = keep.nonzero()[0]
    key, cust = key[kept], cust[kept]
    key, cust, reorder = _with_return_visits(w, d, block_lo, block_hi, key, cust)
    stype = rng.stream("sessions.type").choice(w.stype_weight, d, key)
    # The hour is drawn with its weight times the share of it sessions may start in, the
    # second uniformly within that share: start times follow the hourly profile cut to
    # [FIRST_START, LAST_VIEW], with no pile-up at either end.
    hour = rng.stream("sessions.hour").choice(w.hour_weight, d, key)
    # The customer's own device mostly, less so when it is little used at that hour (a
    # desktop at night); otherwise a device weighted by its use then (desktops in office
    # hours on weekdays).
    workday = (w.calendar.first_day + d + EPOCH_WEEKDAY) % 7 < 5
    hour_class = xp.where(hour <= NIGHT_LAST_HOUR, 2, 0)
    if workday:
        hour_class = xp.where((hour >= OFFICE_HOURS[0]) & (hour <= OFFICE_HOURS[1]), 1,
                              hour_class)
    pref = w.customers.device[cust]
    other = rng.stream("sessions.device.other").choice_rows(w.device_hour_cdf[hour_class],
                                                            d, key)
    keep_p = KEEP_DEVICE * w.device_hour_factor[hour_class, pref]
    keep = rng.stream("sessions.device.keep").uniform(d, key) < keep_p
    device = xp.where(keep, pref, other)
    start = w.hour_first[hour] + rng.stream("sessions.second").integers(
        0, w.hour_seconds[hour], d, key)
    mean = w.stype_views[stype]
    views = 1 + rng.stream("sessions.depth").geometric_below(1.0 / mean, MAX_VIEWS, d, key)
    start = space_sessions(xp, cust, start, views)
    fits = xp.nonzero(start <= LAST_VIEW)[0]  # a busy customer's last sessions may not fit
    return Sessions(key[fits], cust[fits], stype[fits], device[fits], start[fits], views[fits],
                    reorder[fits])


#: Return visits take the session numbers from RETURN_K up in their block: never those of
#: the block's drawn sessions.
RETURN_K = 1 << 31


def _with_return_visits(w: World, d: int, block_lo: int, block_hi: int, key: Any, cust: Any
                        ) -> tuple[Any, Any, Any]:
    """The drawn sessions plus the visits customers make on their own account today: a new
    customer's first visit on the sign-up day (signing up happens in a session), and return
    visits — a buyer in a category with ``replenish_days`` whose product is due today comes
    back for it (chance ``reorder_share``, keyed by customer, category and day) unless
    dormant. Sessions in (block, k) order, with the product a return visit is for (else -1).
    """
    xp = w.xp
    n_rep = w.next_due.shape[1]
    keys, custs, products = [key], [cust], [xp.full(key.shape[0], -1, dtype=xp.int64)]
    fc = _signing_up(w, d, block_lo, block_hi)
    if fc.shape[0]:
        keys.append(_own_key(xp, fc, n_rep, n_rep))
        custs.append(fc)
        products.append(xp.full(fc.shape[0], -1, dtype=xp.int64))
    rc, r = due_today(w, d, block_lo, block_hi)
    if rc.shape[0]:
        keys.append(_own_key(xp, rc, r, n_rep))
        custs.append(rc)
        products.append(w.last_product[rc, r].astype(xp.int64))
    if len(keys) == 1:
        return key, cust, products[0]
    key = xp.concatenate(keys)
    order = stable_order(xp, key)
    return key[order], xp.concatenate(custs)[order], xp.concatenate(products)[order]


def _own_key(xp: Any, customer: Any, slot: Any, n_rep: int) -> Any:
    """Session key of a customer's own visit: numbered from RETURN_K in the customer's block
    by (customer in block, slot), slot n_rep being the sign-up visit."""
    local = customer & (blocks.CUSTOMER_BLOCK - 1)
    return session_key(xp, blocks.block_of(xp, customer), RETURN_K + local * (n_rep + 1) + slot)


def _signing_up(w: World, d: int, block_lo: int, block_hi: int) -> Any:
    """Customers of blocks [block_lo, block_hi) who sign up today (a run per block of the
    customers sorted by block and sign-up day)."""
    xp = w.xp
    day = w.calendar.first_day + d
    ids = xp.arange(block_lo, block_hi, dtype=xp.int64)
    first = xp.searchsorted(w.cust_key, (ids << SESSION_KEY_BITS) | day, side="left")
    last = xp.searchsorted(w.cust_key, (ids << SESSION_KEY_BITS) | (day + 1), side="left")
    owner, pos = expand(xp, last - first)
    return w.cust_order[first[owner] + pos]


def due_today(w: World, d: int, block_lo: int, block_hi: int) -> tuple[Any, Any]:
    """Customers (and replenished category) of the blocks coming back today for a product:
    due today, not dormant, and back with ``reorder_share`` (keyed by customer, category
    and day)."""
    xp, cfg = w.xp, w.cfg
    n_rep = w.next_due.shape[1]
    none = xp.zeros(0, dtype=xp.int64)
    if n_rep == 0:
        return none, none
    lo = block_lo << blocks.CUSTOMER_BLOCK_BITS
    hi = min(block_hi << blocks.CUSTOMER_BLOCK_BITS, w.next_due.shape[0])
    flat = xp.nonzero(w.next_due[lo:hi].reshape(-1) == d)[0]
    if flat.shape[0] == 0:  # nobody due today (the size is known: nonzero synced)
        return none, none
    rc = lo + flat // n_rep
    r = flat % n_rep
    back = (w.customers.lapse_day[rc] > w.calendar.first_day + d) & (
        w.rng.stream("sessions.return").uniform(d, rc * n_rep + r)
        < cfg.CUSTOMER_LIFECYCLE.reorder_share)
    idx = xp.nonzero(back)[0]
    return rc[idx], r[idx]


#: Longest a session's next view can start after the one before (dwell and gap).
VIEW_SPAN = MAX_DWELL + VIEW_GAP[1]
#: Inactivity that ends a session (web analytics end one after 30 minutes without a hit).
SESSION_GAP = 30 * 60


def space_sessions(xp: Any, cust: Any, start: Any, views: Any) -> Any:
    """Start times moved so that one customer's sessions of a day never overlap: in start
    order, each starts at least SESSION_GAP after the latest second the one before could
    end (its views at their longest, then checkout or abandonment). A session pushed past
    LAST_VIEW does not happen. Depends only on the customer's own sessions of the day."""
    if start.shape[0] == 0:
        return start
    order = stable_order(xp, cust * DAY + start)
    st = start[order]
    span = (views[order] - 1) * VIEW_SPAN + TAIL + SESSION_GAP
    gid, starts = group_ids(xp, cust[order])
    before = segmented_cumsum(xp, span, gid, starts) - span  # spans of earlier sessions
    moved = xp.empty_like(start)
    moved[order] = segmented_cummax(xp, st - before, gid, starts) + before
    return moved


@dataclass(frozen=True)
class BuyBox:
    """The day's buy-box weights: each offer's weight if in stock at 00:00, and their running
    sum over all offers (a product's offers are contiguous, so it gives every product's
    cumulative weights). Computed once a day, shared by every pass of views."""

    in_stock: Any
    run: Any


#: An offer at low stock keeps 1/LOW_STOCK_BOX of its buy-box weight.
LOW_STOCK_BOX = 8


def buy_box(w: World, d: int, stock: Any) -> BuyBox:
    """The buy-box weights for day ``d``'s prices and stock at 00:00 (integers: exact on every
    backend): offers out of stock get none, offers at low stock a share (the box favours
    sellers who can ship)."""
    xp = w.xp
    low = w.cfg.INVENTORY_CONFIG.low_stock_threshold
    bb = w.prices.on(d).buybox
    in_stock = xp.where(stock > low, bb, xp.where(stock > 0, xp.maximum(bb // LOW_STOCK_BOX, 1),
                                                  0)).astype(xp.int64, copy=False)
    return BuyBox(in_stock, xp.cumsum(in_stock))


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
