"""The browsing phase of a day: the browse kernel's inputs from the world, one launch over
all of the day's sessions, and its outputs as the day's views, cart lines and outcomes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels import launch
from ecomgen.kernels.browse import STREAMS, BrowseIn, BrowseOut
from ecomgen.rng import to_numpy
from ecomgen.simulation.arrays import expand
from ecomgen.simulation.browse import BuyBox, Sessions, Views
from ecomgen.simulation.carts import Lines, Outcome
from ecomgen.simulation.world import World


def browse_inputs(w: World, d: int, s: Sessions, box: BuyBox, view_off: Any) -> BrowseIn:
    """The kernel's view of day ``d``: sessions ``s``, the world, the buy box and prices."""
    xp = w.xp
    prices = w.prices.on(d)
    return BrowseIn(
        keys=xp.asarray(w.rng.keys(STREAMS, d, origin="kernels/browse.py")),
        skey=s.key, cust=s.cust, stype=s.stype, device=s.device, start=s.start,
        views=s.views, reorder_product=s.reorder_product, view_off=view_off, c0=w.own.c0,
        uplift=w.category_uplift[d],
        offers=xp.stack([box.run, box.in_stock, prices.price], axis=1),
        d=int(d), today=int(w.calendar.first_day + d),
        conversion=float(w.calendar.conversion[d]),
        **w.once("browse", lambda: _browse_tables(w)))


def _browse_tables(w: World) -> dict[str, Any]:
    """The browse kernel's inputs that stay the same all period (the purchase history and
    last purchases are the world's own arrays, moved on in place)."""
    xp, cfg = w.xp, w.cfg
    c, p = w.own.customers, w.products
    traffic, life = cfg.TRAFFIC, cfg.CUSTOMER_LIFECYCLE
    offset = float(traffic.popularity_offset)
    return dict(
        segment=c.segment, price_sensitivity=c.price_sensitivity, combo=w.own.combo,
        history=w.own.history, last_buy=w.own.last_buy, combo_weight=w.combo_weight,
        affinity_factor=w.affinity_factor,
        stype_dwell=w.stype_dwell, stype_same=w.stype_same, stype_cart=w.stype_cart,
        stype_exponent=xp.asarray(np.asarray(w.stype_exponent, dtype=np.float64)),
        device_cart=w.device_cart, device_abandonment=w.device_abandonment,
        seg_conversion=w.seg_conversion, seg_abandonment=w.seg_abandonment,
        cat_start=w.cat_start, cat_size=w.cat_size, cat_satiation=w.cat_satiation,
        cat_multi_unit=w.cat_multi_unit, cat_max_quantity=w.cat_max_quantity,
        product_category=p.category, products=w.product_table,
        product_price=w.product_prices,
        zipf_lo=xp.asarray(np.array([fm.host.pow(1.0 + offset, 1.0 - e)
                                     for e in w.stype_exponent])),
        zipf_top=xp.asarray(np.array([[zipf_top(int(n), e, offset) for e in w.stype_exponent]
                                      for n in to_numpy(w.cat_size)])),
        affinity_cap=int(traffic.affinity_cap), max_offers=int(w.max_offers),
        popularity_offset=offset, base_cart_rate=float(traffic.base_cart_rate),
        price_elasticity=float(traffic.price_elasticity),
        reorder_cart_rate=float(life.reorder_cart_rate), remove_rate=float(traffic.remove_rate),
        reorder_abandonment=float(life.reorder_abandonment))


def browse_outputs(xp: Any, n_sessions: int, n_slots: int) -> BrowseOut:
    """Empty outputs for ``n_slots`` view slots of ``n_sessions`` sessions."""
    def i64(n: int) -> Any:
        return xp.empty(n, dtype=xp.int64)

    def flag(n: int) -> Any:
        return xp.empty(n, dtype=xp.bool_)

    v, s = n_slots, n_sessions
    return BrowseOut(time=i64(v), dwell=i64(v), category=i64(v), product=i64(v),
                     offer=i64(v), oos=flag(v), line=flag(v), qty=i64(v), added=i64(v),
                     removed=flag(v), removed_at=i64(v), kept=i64(s), end=i64(s),
                     checkout=flag(s), checkout_at=i64(s), paid_at=i64(s),
                     abandon_at=i64(s))


def browse_batch(w: World, d: int, s: Sessions, box: BuyBox, first: int = 0
                 ) -> tuple[Any, Views, Lines, Outcome]:
    """Views, lines and outcomes of sessions ``s`` (numbered from ``first`` in the day):
    one launch of the browse kernel. Returns the views kept per session too."""
    xp = w.xp
    counts = s.views.astype(xp.int64)
    view_off = xp.cumsum(counts) - counts
    n_slots = int(counts.sum()) if s.n else 0
    o = browse_outputs(xp, s.n, n_slots)
    launch.run("browse", s.n, browse_inputs(w, d, s, box, view_off), o)

    local, pos = expand(xp, o.kept)
    slot = view_off[local] + pos
    sess = local + first
    prices = w.prices.on(d)
    offer = o.offer[slot]
    views = Views(sess, pos, o.time[slot], o.dwell[slot], o.category[slot], o.product[slot],
                  offer, prices.price[offer], prices.sale_bp[offer], o.oos[slot])
    li = xp.nonzero(o.line[slot])[0]
    ls = slot[li]
    lines = Lines(li, sess[li], offer[li], o.qty[ls], views.price[li], views.discount_bp[li],
                  o.added[ls], o.removed[ls], o.removed_at[ls])
    return o.kept, views, lines, Outcome(o.end, o.checkout, o.checkout_at, o.paid_at,
                                         o.abandon_at)


#: Smallest view batch before an out-of-memory error is given up on.
MIN_BATCH = 1_000


def browse_day(w: World, d: int, s: Sessions, box: BuyBox, batch: int,
               out_of_memory: tuple[type[BaseException], ...] = (MemoryError,)
               ) -> tuple[Sessions, Views, Lines, Outcome, int]:
    """Day ``d``'s views, cart lines and session outcomes for sessions ``s`` (their views
    count becomes the views kept), in launches of about ``batch`` drawn views; a batch
    that runs out of device memory is halved and retried (every draw is keyed by session
    and position, so batches change no value). Also returns the batch size that worked."""
    xp = w.xp
    ends = np.cumsum(to_numpy(s.views))
    parts: list[tuple[Any, Views, Lines, Outcome]] = []
    lo, done = 0, 0
    while lo < s.n or not parts:
        before = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, before + batch, side="right")), min(lo + 1, s.n))
        try:
            kept, v, lines, out = browse_batch(w, d, s.take(lo, hi), box, lo)
        except out_of_memory:
            if batch <= MIN_BATCH:
                raise
            batch //= 2
            continue
        parts.append((kept, v, replace(lines, view=lines.view + done), out))
        done += v.n
        lo = hi
    if len(parts) == 1:
        kept, v, lines, out = parts[0]
    else:
        kept = xp.concatenate([p[0] for p in parts])
        v = Views.concat(xp, [p[1] for p in parts])
        lines = Lines.concat(xp, [p[2] for p in parts])
        out = Outcome(*(xp.concatenate([getattr(p[3], f) for p in parts])
                        for f in Outcome.__dataclass_fields__))
    return replace(s, views=kept), v, lines, out, batch


def zipf_top(n: int, s: float, offset: float) -> float:
    """``kernels.draws.zipf_top`` on the host (the same bits, nothing compiled to load)."""
    lo = 1.0 + offset
    if abs(s - 1.0) < 1e-9:
        return fm.host.log((float(n) + lo) / lo)
    return fm.host.pow(float(n) + lo, 1.0 - s)
