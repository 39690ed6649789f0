"""The world of a run: the catalogue and tables every worker shares, and its own customers.

A :class:`World` is the replicated part, the same on every worker and read-only during the
day loop (merchants, products, offers, the calendar, the behaviour tables; the day's
prices, a function of offer and day, move on with the day), and ``own``, the
:class:`ShardCustomers` of this worker: its customers' attributes and the state the day
loop moves on (purchase history, last purchases, replenishment).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.entities.customers import Customers
from ecomgen.entities.merchants import Merchants
from ecomgen.entities.offers import Offers
from ecomgen.entities.products import Products
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng, cumulative_rows, to_numpy
from ecomgen.simulation.arrays import stable_order
from ecomgen.simulation.blocks import SESSION_KEY_BITS, block_of, n_blocks
from ecomgen.simulation.calendar import Calendar
from ecomgen.simulation.clock import FIRST_START, LAST_VIEW
from ecomgen.simulation.pricing import PriceBook


@dataclass(frozen=True)
class StartHours:
    """Session-start profile over the 24 hours, cut to [FIRST_START, LAST_VIEW]."""

    weight: np.ndarray  # hourly weight x share of the hour that is allowed
    first: np.ndarray  # int64 first allowed second of each hour
    seconds: np.ndarray  # int64 allowed seconds of each hour


def start_hours(hourly_weights: list[float]) -> StartHours:
    """The hourly profile restricted to the seconds a session may start in."""
    h = np.arange(24, dtype=np.int64)
    first = np.maximum(h * 3600, FIRST_START)
    last = np.minimum(h * 3600 + 3599, LAST_VIEW)
    seconds = np.maximum(last - first + 1, 0)
    weight = np.asarray(hourly_weights, dtype=np.float64) * seconds / 3600.0
    if not weight.sum() > 0:
        raise ValueError("TRAFFIC.hourly_weights give no weight to the hours sessions may "
                         f"start in (00:00:{FIRST_START:02d} to second {LAST_VIEW})")
    return StartHours(weight, first, seconds)


#: Weight multiplier of a segment's preferred categories.
PREFERRED = 2.5

TIER_ACTIVITY = {1: 1.3, 2: 1.0, 3: 0.8}
#: ``last_buy`` of a category never bought: far enough back that satiation has worn off.
NEVER_BOUGHT = -(1 << 20)


@dataclass
class ShardCustomers:
    """Customers ``c0 .. c0 + n - 1`` (every customer in one process, a shard's own blocks on
    a shard worker): their attributes, pick tables and the state the day loop moves on.
    Customer indices elsewhere are global; a customer's row here is its index - ``c0``."""

    xp: Any
    c0: int
    customers: Customers
    combo: Any  # row of combo_weight (segment, age group, gender) per customer
    activity: Any
    cust_order: Any  # customer indices sorted by (block, sign-up day, id)
    cust_key: Any  # their block << 32 | sign-up day, ascending
    cust_cdf: Any  # int64 running sum of their activity (a block's run starts at its base)
    cust_guide: Any  # index of cust_cdf's first entry at or above each multiple of guide_step
    guide_step: int
    history: Any  # [N, C] int32 purchases by category
    last_product: Any  # [N, R] int32 product last bought in each replenished category, or -1
    next_due: Any  # [N, R] int32 day index the customer comes back for it, or -1
    last_buy: Any  # [N, C] int32 day index of the customer's last purchase in the category

    @functools.cached_property
    def pick_table(self) -> Any:
        """int64 [N, 4] in pick order (``cust_order``): running activity, customer, lapse
        day, state (kernels.sessions.PICK_*: what a session's customer pick looks up)."""
        c, xp = self.customers, self.xp
        order = self.cust_order
        row = order - self.c0
        return xp.stack([self.cust_cdf, order, c.lapse_day[row], c.state[row]],
                        axis=1).astype(xp.int64)


@dataclass
class World:
    """The replicated catalogue and tables of the day loop, and this worker's customers."""

    cfg: Config
    rng: Rng
    calendar: Calendar
    own: ShardCustomers
    merchants: Merchants
    products: Products
    offers: Offers
    combo_weight: Any
    rep_of_cat: Any  # [C] index among the replenished categories, or -1
    rep_days: np.ndarray  # [R] replenish_days of each replenished category
    n_blocks: int
    cat_start: Any
    cat_size: Any
    category_uplift: Any
    prices: PriceBook  # every offer's price of the current day (advanced by the day loop)
    stype_weight: np.ndarray
    stype_views: Any
    stype_dwell: Any
    stype_same: Any
    stype_cart: Any
    stype_exponent: list[float]
    device_weight: np.ndarray
    device_hour_cdf: Any  # [3, devices] cumulative weights: other hours, office hours, night
    device_hour_factor: Any  # [3, devices] use factor in those hour classes
    device_cart: Any  # add-to-cart multiplier per device
    device_abandonment: Any  # abandonment shift per device
    seg_conversion: Any  # conversion_base relative to the weighted mean, per segment
    seg_abandonment: Any  # cart_abandonment_rate per segment
    ticket_factor: Any  # [P] add-to-cart factor of the product's subcategory price level
    cat_satiation: Any  # [C, 2] satiation depth (0: none) and -1 / satiation_days
    cat_multi_unit: Any  # chance of a multi-unit line per category
    cat_max_quantity: Any  # largest line quantity per category
    hour_weight: np.ndarray  # session-start weight of each hour (cut to the allowed part)
    hour_first: Any  # first second of each hour a session may start in
    hour_seconds: Any  # seconds of each hour a session may start in (0: none)
    alive_share: np.ndarray  # [D] share of signed-up customers' activity not yet dormant
    mean_views: float
    max_offers: int
    affinity_factor: Any  # [cap+1, C] 1 + boost * repeat_affinity * h, capped history h
    signed_total: np.ndarray  # [D] int64 activity of all customers signed up by each day
    alive_total: np.ndarray  # [D] int64 and of those of them not yet dormant
    #: Tables derived once from the configuration and the entities (see :meth:`once`).
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def xp(self) -> Any:
        """Array namespace."""
        return self.rng.xp

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()``, computed the first time ``name`` is asked for and kept: the kernels'
        inputs that do not change from day to day."""
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]

    @functools.cached_property
    def product_table(self) -> Any:
        """int64 [P, 4] per product: launch day, number of offers, first and default offer
        (kernels.browse.P_*: what a view looks up, side by side)."""
        p, of = self.products, self.offers
        return self.xp.stack([p.launch_day, of.count, of.start, of.default], axis=1).astype(
            self.xp.int64)

    @functools.cached_property
    def product_prices(self) -> Any:
        """float64 [P, 2] per product: reference price (paise) and ticket factor."""
        return self.xp.stack([self.products.reference_price, self.ticket_factor], axis=1)


def activity_by_day(calendar: Calendar, customers: Customers, activity: Any
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the activity of the customers signed up by then, and of those of them not yet
    dormant (int64: sums of shards add up exactly)."""
    days = calendar.days
    act = to_numpy(activity).astype(np.int64)
    first = calendar.first_day
    signup = np.clip(to_numpy(customers.signup_day) - first, 0, days)
    lapse = np.clip(to_numpy(customers.lapse_day) - first, 0, days)
    signed = np.cumsum(_int_bincount(signup, act, days + 1))[:days]
    alive = signed - np.cumsum(_int_bincount(lapse, act, days + 1))[:days]
    return signed, alive


def _int_bincount(idx: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """``np.bincount`` with integer weights, summed as int64."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, idx, weights)
    return out


def alive_share(signed: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Per day: the activity of customers signed up and not yet dormant ÷ the activity of
    customers signed up (0 when nobody is signed up); exact."""
    s, a = signed.astype(np.float64), alive.astype(np.float64)
    return np.divide(a, s, out=np.zeros(s.shape[0]), where=s > 0)


def build_world(cfg: Config, rng: Rng, calendar: Calendar, customers: Customers,
                merchants: Merchants, products: Products, offers: Offers, c0: int = 0,
                totals: tuple[np.ndarray, np.ndarray] | None = None) -> World:
    """Precompute the lookup arrays of the simulation. ``customers`` are customers ``c0``
    onward (all of them, or a shard's blocks: then ``totals``, every customer's
    :func:`activity_by_day`, comes from the whole run)."""
    xp = rng.xp
    cats = list(cfg.CATEGORIES)
    segs = list(cfg.CUSTOMER_SEGMENTS.values())
    ages = list(cfg.AGE_BEHAVIOR_MAPPING.values())
    gens = list(cfg.GENDER_PREFERENCES.values())
    cat_start = np.asarray(products.cat_start, dtype=np.int64)
    nonempty = np.diff(cat_start) > 0
    traffic = np.array([c.traffic_share for c in cfg.CATEGORIES.values()])
    table = np.zeros((len(segs), len(ages), len(gens), len(cats)))
    for i, s in enumerate(segs):
        pref = np.array([PREFERRED if c in s.preferred_categories else 1.0 for c in cats])
        for j, a in enumerate(ages):
            am = np.array([a.category_multipliers.get(c, 1.0) for c in cats])
            for k, g in enumerate(gens):
                gm = np.array([g.category_multipliers.get(c, 1.0) for c in cats])
                table[i, j, k] = traffic * pref * am * gm * nonempty
    table = table.reshape(-1, len(cats))
    table[table.sum(axis=1) == 0] = traffic * nonempty  # every combination can browse
    combo = (customers.segment * len(ages) + customers.age_group) * len(gens) + customers.gender
    seg_activity = np.array([s.activity for s in segs])
    tier = np.array([TIER_ACTIVITY.get(t, 1.0) for t in range(4)])
    activity = xp.maximum(xp.rint(
        1000 * xp.asarray(seg_activity)[customers.segment] * customers.activity
        * xp.asarray(tier)[xp.clip(customers.city_tier, 0, 3)]), 1).astype(xp.int64)
    st = list(cfg.SESSION_TYPES.values())
    devs = list(cfg.DEVICES.values())
    device_factor = np.array([[1.0] * len(devs), [v.office_hours_factor for v in devs],
                              [v.night_factor for v in devs]])
    stw = np.array([t.weight for t in st])
    mean_views = float((stw * np.array([t.mean_views for t in st])).sum() / stw.sum())
    n_cust = int(customers.segment.shape[0])
    conv = np.array([s.conversion_base for s in segs])
    seg_w = np.array([s.weight for s in segs])
    cat_cfg = list(cfg.CATEGORIES.values())
    # Within each block, customers signed up by a day are a prefix of the sign-up order.
    cust_key = (block_of(xp, xp.arange(c0, c0 + n_cust, dtype=xp.int64)) << SESSION_KEY_BITS) \
        | customers.signup_day.astype(xp.int64)
    cust_order = stable_order(xp, cust_key)
    hours = start_hours(cfg.TRAFFIC.hourly_weights)
    cust_cdf = xp.cumsum(activity[cust_order])
    signed, alive = totals if totals is not None else activity_by_day(calendar, customers,
                                                                       activity)
    # A guide to the running sums: about two customers between guide points, so a search
    # for a customer by activity looks at a few entries (the same answer as a full search).
    top = int(cust_cdf[-1]) if n_cust else 0
    step = max(top // max(n_cust // 2, 1), 1)
    guide = xp.searchsorted(cust_cdf, xp.arange(top // step + 2, dtype=xp.int64) * step,
                            side="left")
    rep = [i for i, c in enumerate(cat_cfg) if c.replenish_days is not None]
    rep_of_cat = np.full(len(cat_cfg), -1, dtype=np.int64)
    rep_of_cat[rep] = np.arange(len(rep))
    rep_days = np.array([cat_cfg[i].replenish_days for i in rep], dtype=np.float64)
    own = ShardCustomers(
        xp=xp, c0=c0, customers=customers, combo=combo, activity=activity,
        cust_order=cust_order + c0, cust_key=cust_key[cust_order], cust_cdf=cust_cdf,
        cust_guide=guide, guide_step=step,
        history=xp.zeros((n_cust, len(cats)), dtype=xp.int32),
        last_product=xp.full((n_cust, len(rep_days)), -1, dtype=xp.int32),
        next_due=xp.full((n_cust, len(rep_days)), -1, dtype=xp.int32),
        last_buy=xp.full((n_cust, len(cats)), NEVER_BOUGHT, dtype=xp.int32))
    return World(
        cfg=cfg, rng=rng, calendar=calendar, own=own, merchants=merchants,
        products=products, offers=offers, combo_weight=xp.asarray(table),
        rep_of_cat=xp.asarray(rep_of_cat), rep_days=rep_days,
        n_blocks=n_blocks(cfg.num_customers),
        cat_start=xp.asarray(cat_start), cat_size=xp.asarray(np.diff(cat_start)),
        category_uplift=xp.asarray(calendar.category_uplift),
        prices=PriceBook(cfg, rng, calendar, offers, products.base_price, products.category),
        stype_weight=stw,
        stype_views=xp.asarray(np.array([t.mean_views for t in st])),
        stype_dwell=xp.asarray(np.array([t.dwell_seconds for t in st])),
        stype_same=xp.asarray(np.array([t.same_category for t in st])),
        stype_cart=xp.asarray(np.array([t.cart_multiplier for t in st])),
        stype_exponent=[t.popularity_exponent for t in st],
        device_weight=np.array([v.weight for v in cfg.DEVICES.values()]),
        device_hour_cdf=cumulative_rows(xp, xp.asarray(device_factor * np.array(
            [v.weight for v in cfg.DEVICES.values()])[None, :])),
        device_hour_factor=xp.asarray(device_factor),
        device_cart=xp.asarray(np.array([v.cart_multiplier for v in cfg.DEVICES.values()])),
        device_abandonment=xp.asarray(
            np.array([v.abandonment_shift for v in cfg.DEVICES.values()])),
        seg_conversion=xp.asarray(conv / (conv * seg_w).sum() * seg_w.sum()),
        seg_abandonment=xp.asarray(np.array([s.cart_abandonment_rate for s in segs])),
        ticket_factor=xp.minimum(fm.pow_v(xp, products.reference_price / xp.asarray(np.array(
            [c.price_median * 100.0 for c in cat_cfg]))[products.category],
            -cfg.TRAFFIC.ticket_elasticity), 1.0),
        cat_satiation=xp.asarray(np.array(
            [[cfg.CUSTOMER_LIFECYCLE.satiation_depth if c.satiation_days else 0.0,
              -1.0 / (c.satiation_days or 1.0)] for c in cat_cfg]).reshape(-1, 2)),
        cat_multi_unit=xp.asarray(np.array([c.multi_unit_prob for c in cat_cfg])),
        cat_max_quantity=xp.asarray(np.array([c.max_quantity for c in cat_cfg], dtype=np.int64)),
        hour_weight=hours.weight, hour_first=xp.asarray(hours.first),
        hour_seconds=xp.asarray(hours.seconds),
        alive_share=alive_share(signed, alive), signed_total=signed,
        alive_total=alive,
        mean_views=mean_views, max_offers=int(offers.count.max()) if offers.n else 1,
        affinity_factor=xp.asarray(
            1.0 + cfg.TRAFFIC.purchase_affinity_boost
            * np.arange(cfg.TRAFFIC.affinity_cap + 1, dtype=np.float64)[:, None]
            * np.array([c.repeat_affinity for c in cat_cfg])[None, :]),
    )
