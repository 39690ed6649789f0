"""Sessions of one day (counts per block, the session kernels, return visits, spacing), the
views they hold, and the buy box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels import launch
from ecomgen.kernels.sessions import (
    PICK_STREAMS,
    TRAIT_STREAMS,
    PickIn,
    PickOut,
    TraitIn,
    TraitOut,
)
from ecomgen.rng import cumulative, to_numpy
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
    TAIL,
    VIEW_GAP,
)
from ecomgen.simulation.exchange import IN_STOCK, LOW_STOCK, ON_ORDER
from ecomgen.simulation.world import World

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

    def take(self, lo: int, hi: int) -> Sessions:
        """Sessions lo..hi-1."""
        return Sessions(*(getattr(self, f)[lo:hi] for f in self.__dataclass_fields__))


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


def block_activity(w: World, d: int) -> tuple[Any, Any]:
    """Per block: total activity of its customers signed up by day ``d``, and the running
    sum before the block's first customer (where its run in ``w.own.cust_cdf`` starts); 0 for
    the blocks whose customers the world does not hold."""
    xp = w.xp
    day = w.calendar.first_day + d
    ids = xp.arange(w.n_blocks, dtype=xp.int64)
    first = xp.clip((ids << blocks.CUSTOMER_BLOCK_BITS) - w.own.c0, 0, w.own.cust_cdf.shape[0])
    end = xp.searchsorted(w.own.cust_key, (ids << SESSION_KEY_BITS) | day, side="right")
    base = xp.where(first > 0, w.own.cust_cdf[xp.maximum(first - 1, 0)], 0)
    top = xp.where(end > first, w.own.cust_cdf[xp.maximum(end - 1, 0)], base)
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
    total = int(w.signed_total[d])
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
    pick = PickOut(xp.empty(key.shape[0], dtype=xp.int64), xp.empty(key.shape[0], dtype=bool))
    launch.run("pick", int(key.shape[0]), PickIn(
        keys=xp.asarray(rng.keys(PICK_STREAMS, d, origin="kernels/sessions.py:pick")),
        key=key, block=block, activity=activity, base=base, pick=w.own.pick_table,
        guide=w.own.cust_guide, guide_step=w.own.guide_step, share=xp.asarray(regional / peak),
        today=int(w.calendar.first_day + d), regional=peak > 1.0), pick)
    kept = pick.keep.nonzero()[0]
    key, cust = key[kept], pick.cust[kept]
    key, cust, reorder = _with_return_visits(w, d, block_lo, block_hi, key, cust)
    stype, device, start, views = session_traits(w, d, key, cust)
    start = space_sessions(xp, cust, start, views)
    fits = xp.nonzero(start <= LAST_VIEW)[0]  # a busy customer's last sessions may not fit
    return Sessions(key[fits], cust[fits], stype[fits], device[fits], start[fits], views[fits],
                    reorder[fits])


def session_traits(w: World, d: int, key: Any, cust: Any) -> tuple[Any, Any, Any, Any]:
    """Type, device, start second (before spacing) and drawn views of sessions ``key`` of
    customers ``cust`` on day ``d`` (one launch of the traits kernel)."""
    xp = w.xp
    n = int(key.shape[0])
    o = TraitOut(*(xp.empty(n, dtype=xp.int64) for _ in range(4)))
    launch.run("traits", n, TraitIn(
        keys=xp.asarray(w.rng.keys(TRAIT_STREAMS, d, origin="kernels/sessions.py:traits")),
        key=key, cust=cust, workday=bool((w.calendar.first_day + d + EPOCH_WEEKDAY) % 7 < 5),
        c0=w.own.c0,
        **w.once("traits", lambda: _trait_tables(w))), o)
    return o.stype, o.device, o.start, o.views


def _trait_tables(w: World) -> dict[str, Any]:
    """The traits kernel's inputs that stay the same all period."""
    xp = w.xp
    log_q = np.array([fm.host.log1p(-1.0 / m) for m in to_numpy(w.stype_views)])
    return dict(
        pref_device=w.own.customers.device, stype_cdf=cumulative(xp, w.stype_weight),
        stype_last=last_weighted(w.stype_weight), depth_log_q=xp.asarray(log_q),
        depth_below=xp.asarray(np.array([-fm.host.expm1(MAX_VIEWS * q) for q in log_q])),
        hour_cdf=cumulative(xp, w.hour_weight), hour_last=last_weighted(w.hour_weight),
        hour_first=w.hour_first, hour_seconds=w.hour_seconds,
        device_hour_cdf=w.device_hour_cdf, device_hour_factor=w.device_hour_factor)


def last_weighted(weights: Any) -> int:
    """Index of the last positive weight (the last a draw may pick), or the last index."""
    w = np.asarray(weights)
    return int(np.flatnonzero(w > 0)[-1]) if (w > 0).any() else w.shape[0] - 1


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
    n_rep = w.own.next_due.shape[1]
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
        products.append(w.own.last_product[rc - w.own.c0, r].astype(xp.int64))
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
    first = xp.searchsorted(w.own.cust_key, (ids << SESSION_KEY_BITS) | day, side="left")
    last = xp.searchsorted(w.own.cust_key, (ids << SESSION_KEY_BITS) | (day + 1), side="left")
    owner, pos = expand(xp, last - first)
    return w.own.cust_order[first[owner] + pos]


def due_today(w: World, d: int, block_lo: int, block_hi: int) -> tuple[Any, Any]:
    """Customers (and replenished category) of the blocks coming back today for a product:
    due today, not dormant, and back with ``reorder_share`` (keyed by customer, category
    and day)."""
    xp, cfg = w.xp, w.cfg
    n_rep = w.own.next_due.shape[1]
    none = xp.zeros(0, dtype=xp.int64)
    if n_rep == 0:
        return none, none
    lo = (block_lo << blocks.CUSTOMER_BLOCK_BITS) - w.own.c0  # rows of the blocks' customers
    hi = min((block_hi << blocks.CUSTOMER_BLOCK_BITS) - w.own.c0, w.own.next_due.shape[0])
    flat = xp.nonzero(w.own.next_due[lo:hi].reshape(-1) == d)[0]
    if flat.shape[0] == 0:  # nobody due today (the size is known: nonzero synced)
        return none, none
    row = lo + flat // n_rep
    rc = row + w.own.c0
    r = flat % n_rep
    back = (w.own.customers.lapse_day[row] > w.calendar.first_day + d) & (
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


def buy_box(w: World, d: int, codes: Any) -> BuyBox:
    """The buy-box weights for day ``d``'s prices and stock classes at 00:00 (``codes``:
    ``exchange.ClassCodes`` codes of every offer; integers: exact on every backend): offers
    out of stock get none, offers at low stock a share (the box favours sellers who can
    ship)."""
    xp = w.xp
    cls = codes % ON_ORDER
    bb = w.prices.on(d).buybox
    in_stock = xp.where(cls == IN_STOCK, bb, xp.where(
        cls == LOW_STOCK, xp.maximum(bb // LOW_STOCK_BOX, 1), 0)).astype(xp.int64, copy=False)
    return BuyBox(in_stock, xp.cumsum(in_stock))
