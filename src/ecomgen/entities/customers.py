"""Customers: demographics, segment and behaviour traits, drawn vectorised per customer id."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ecomgen.batch import concat_batches
from ecomgen.config import Config
from ecomgen.entities import names
from ecomgen.entities import vocabulary as voc
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat
from ecomgen.simulation.arrays import pick_in_group

Batch = dict[str, Any]

EPOCH = dt.date(1970, 1, 1)
#: Earliest sign-up, in days before the period's start.
SIGNUP_LOOKBACK_DAYS = 3 * 365
#: Zipf exponent of given and family names (a few very common names, a long tail).
NAME_ZIPF = 0.5


@dataclass
class Customers:
    """Customer attributes (arrays of ``rng.xp``) plus the host output table."""

    segment: Any
    gender: Any
    age_group: Any
    age: Any
    device: Any
    city_tier: Any
    state: Any  # index into vocabulary.states()
    activity: Any  # own activity multiplier, mean 1 (heavy-tailed)
    lapse_day: Any  # first day (since 1970) the account is dormant
    signup_day: Any
    price_sensitivity: Any
    tech_affinity: Any
    table: Batch

    @property
    def n(self) -> int:
        """Number of customers."""
        return int(self.segment.shape[0])


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def make_customers(cfg: Config, rng: Rng, signup_weight: np.ndarray | None = None,
                   with_table: bool = True, lo: int = 0, hi: int | None = None) -> Customers:
    """Draw ``cfg.num_customers`` customers; customer i has customer_id i + 1.

    ``signup_weight``: per day of the period, the weight of signing up that day (the day's
    traffic: sign-ups follow festivals, weekdays and growth); equal days without it.
    Built in passes of ``GPU_CONFIG.batch_size_customers`` ids; every draw is keyed by the
    customer id, so the pass size changes no value. ``with_table=False`` skips the output
    table (names, e-mails): what a shard worker needs is the attributes alone, of its own
    customers ``lo .. hi - 1``.
    """
    xp = rng.xp
    step = cfg.GPU_CONFIG.batch_size_customers
    w = np.ones(cfg.num_days) if signup_weight is None else np.asarray(signup_weight, float)
    signup_cdf = np.cumsum(w) / w.sum() if w.sum() > 0 else np.arange(1, cfg.num_days + 1) \
        / cfg.num_days
    hi = cfg.num_customers if hi is None else hi
    parts = [_make_range(cfg, rng, a, min(a + step, hi), signup_cdf, with_table)
             for a in range(lo, hi, step)] or [_make_range(cfg, rng, lo, lo, signup_cdf,
                                                           with_table)]
    if len(parts) == 1:
        return parts[0]
    fields = [f for f in Customers.__dataclass_fields__ if f != "table"]
    arrays = {f: xp.concatenate([getattr(p, f) for p in parts]) for f in fields}
    table = concat_batches([p.table for p in parts]) if with_table else {}
    return Customers(**arrays, table=table)


def signed_up_before(rate: float, days: int) -> float:
    """Share of customers signed up before the period when sign-ups grow as exp(rate × t)
    over the SIGNUP_LOOKBACK_DAYS before it and the ``days`` of it."""
    if abs(rate) < 1e-12:
        return SIGNUP_LOOKBACK_DAYS / (SIGNUP_LOOKBACK_DAYS + days)
    before = -fm.host.expm1(-rate * SIGNUP_LOOKBACK_DAYS) / rate
    return before / (before + fm.host.expm1(rate * days) / rate)


def _make_range(cfg: Config, rng: Rng, lo_id: int, hi_id: int, signup_cdf: np.ndarray,
                with_table: bool = True) -> Customers:
    """Customers with index lo_id .. hi_id - 1 (and their output table ``with_table``)."""
    xp = rng.xp
    ids = xp.arange(lo_id, hi_id, dtype=xp.int64)

    segs = list(cfg.CUSTOMER_SEGMENTS.values())
    ages = list(cfg.AGE_BEHAVIOR_MAPPING.values())
    genders = list(cfg.GENDER_PREFERENCES.values())
    devices = list(cfg.DEVICES.values())

    segment = rng.stream("customers.segment").choice([s.weight for s in segs], ids)
    gender = rng.stream("customers.gender").choice([g.weight for g in genders], ids)
    age_group = rng.stream("customers.age_group").choice([a.weight for a in ages], ids)
    age = _smooth_ages(xp, ages, age_group, rng.stream("customers.age").uniform(ids))
    device = rng.stream("customers.device").choice([d.weight for d in devices], ids)

    city_names, _, city_tiers = voc.cities()
    city = rng.stream("customers.city").choice(
        voc.city_weights(city_tiers, voc.CUSTOMER_TIER_SHARES), ids)
    city_tier = xp.asarray(city_tiers)[city]
    state = xp.asarray(voc.state_of_city())[city]

    start = day_number(cfg.start)
    # Sign-ups grow with the traffic's annual growth, continuously across the period's
    # start: before it as a growing exponential over the lookback, in it with each day's
    # traffic (festivals bring sign-ups). The share signed up before is that curve's mass.
    rate = fm.host.log1p(cfg.TRAFFIC.annual_growth) / 365.0
    before = rng.stream("customers.signup_before").uniform(ids) < signed_up_before(
        rate, cfg.num_days)
    u = rng.stream("customers.signup_back").uniform(ids)
    if abs(rate) < 1e-12:
        ago = u * SIGNUP_LOOKBACK_DAYS
    else:
        ago = -fm.log1p_v(xp, u * fm.host.expm1(-rate * SIGNUP_LOOKBACK_DAYS)) / rate
    back = xp.clip(xp.floor(ago).astype(xp.int64) + 1, 1, SIGNUP_LOOKBACK_DAYS)
    into = xp.minimum(xp.searchsorted(xp.asarray(signup_cdf), rng.stream(
        "customers.signup_into").uniform(ids), side="right"), cfg.num_days - 1)
    signup_day = xp.where(before, start - back, start + into)

    life = cfg.CUSTOMER_LIFECYCLE
    activity = rng.stream("customers.activity").lognormal(
        ids, median=fm.host.exp(-life.activity_sigma ** 2 / 2), sigma=life.activity_sigma)
    u = rng.stream("customers.lifetime").uniform_open(ids)
    lifetime = xp.ceil(life.lifetime_days * fm.pow_v(xp, -fm.log_v(xp, u),
                                                     1.0 / life.lifetime_shape))
    lapse_day = signup_day + xp.maximum(lifetime, 1.0).astype(xp.int64)

    seg_ps = xp.asarray([s.price_sensitivity for s in segs], dtype=xp.float64)
    age_shift = xp.asarray([a.price_sensitivity_shift for a in ages], dtype=xp.float64)
    price_sensitivity = xp.clip(seg_ps[segment] + age_shift[age_group], 0.0, 1.0)
    tech_affinity = xp.asarray([a.tech_affinity for a in ages], dtype=xp.float64)[age_group]

    if not with_table:
        return Customers(segment=segment, gender=gender, age_group=age_group, age=age,
                         device=device, city_tier=city_tier, state=state, activity=activity,
                         lapse_day=lapse_day, signup_day=signup_day,
                         price_sensitivity=price_sensitivity, tech_affinity=tech_affinity,
                         table={})
    h = {k: to_numpy(v) for k, v in dict(segment=segment, gender=gender, age_group=age_group,
                                          age=age, device=device, city=city,
                                          city_tier=city_tier, signup_day=signup_day,
                                          price_sensitivity=price_sensitivity,
                                          tech_affinity=tech_affinity).items()}
    first, last, email = _names(cfg, rng, ids, h["gender"], state)
    state_labels, state_of_city = voc.states(), voc.state_of_city()

    table: Batch = {
        "customer_id": to_numpy(ids) + 1,
        "first_name": first,
        "last_name": last,
        "email": email,
        "gender": Cat(h["gender"], tuple(cfg.GENDER_PREFERENCES)),
        "age": h["age"],
        "age_group": Cat(h["age_group"], tuple(cfg.AGE_BEHAVIOR_MAPPING)),
        "city": Cat(h["city"], city_names),
        "state": Cat(state_of_city[h["city"]], state_labels),
        "city_tier": h["city_tier"],
        "signup_date": h["signup_day"],
        "device_preference": Cat(h["device"], tuple(cfg.DEVICES)),
        "segment": Cat(h["segment"], tuple(cfg.CUSTOMER_SEGMENTS)),
        "price_sensitivity": h["price_sensitivity"],
        "conversion_base": np.array([s.conversion_base for s in segs])[h["segment"]],
        "cart_abandonment_rate": np.array([s.cart_abandonment_rate for s in segs])[h["segment"]],
        "tech_affinity": h["tech_affinity"],
        "preferred_categories": pl.Series(
            "preferred_categories", ["|".join(s.preferred_categories) or None for s in segs],
            dtype=pl.String).gather(h["segment"]),
    }
    return Customers(segment=segment, gender=gender, age_group=age_group, age=age,
                     device=device, city_tier=city_tier, state=state, activity=activity,
                     lapse_day=lapse_day, signup_day=signup_day,
                     price_sensitivity=price_sensitivity, tech_affinity=tech_affinity,
                     table=table)


def _smooth_ages(xp: Any, ages: list[Any], group: Any, u: Any) -> Any:
    """Ages within each customer's age group from one smooth density over all the groups,
    so the age histogram has no steps at their bounds; every group keeps its share.

    The cumulative share of customers at each group bound (0 at the youngest age, then the
    groups' weights summed in age order) is joined by a monotone cubic (PCHIP slopes): its
    slope, the density, is continuous and never negative. The curve is tabulated at every
    whole age, and a customer's age is the one whose interval holds the target share (one
    search in the table). When the groups overlap or leave gaps between them there is no one
    density to join: ages are then uniform within each group.
    """
    lo = np.array([a.min_age for a in ages], dtype=np.float64)
    hi = np.array([a.max_age for a in ages], dtype=np.float64) + 1.0
    order = np.argsort(lo, kind="stable")
    w = np.array([a.weight for a in ages], dtype=np.float64)
    w = w / w.sum() if w.sum() > 0 else np.full(len(ages), 1.0 / max(len(ages), 1))
    contiguous = bool(np.all(lo[order][1:] == hi[order][:-1]))
    if contiguous:
        knots = np.concatenate([[lo[order][0]], hi[order]])
        cum = np.concatenate([[0.0], np.cumsum(w[order])])
        slope = monotone_slopes(knots, cum)
        y0, y1 = np.empty_like(w), np.empty_like(w)
        m0, m1 = np.empty_like(w), np.empty_like(w)
        y0[order], y1[order] = cum[:-1], cum[1:]
        m0[order], m1[order] = slope[:-1], slope[1:]
    else:  # each group on its own: uniform within it
        y0, y1 = np.zeros_like(w), np.ones_like(w)
        m0 = m1 = 1.0 / (hi - lo)
    # Group g's table: g + its cumulative share at each whole age inside it (the curve in
    # Hermite form on [0, 1]); the groups' tables one after the other stay ascending.
    span = (hi - lo).astype(np.int64)
    table, first = [], np.zeros(len(ages), dtype=np.int64)
    for g in range(len(ages)):
        x = np.arange(1, span[g], dtype=np.float64) / span[g]
        x2, x3 = x * x, x * x * x
        d0, d1 = m0[g] * span[g], m1[g] * span[g]
        cdf = ((2 * x3 - 3 * x2 + 1) * y0[g] + (x3 - 2 * x2 + x) * d0
               + (-2 * x3 + 3 * x2) * y1[g] + (x3 - x2) * d1)
        first[g] = sum(t.shape[0] for t in table)
        table.append(g + cdf)
    tab = xp.asarray(np.concatenate(table) if table else np.zeros(0))
    p0, p1 = xp.asarray(y0)[group], xp.asarray(y1)[group]
    target = group + (p0 + u * (p1 - p0))
    t = xp.searchsorted(tab, target, side="left") - xp.asarray(first)[group]
    t = xp.clip(t, 0, xp.asarray(span - 1)[group])
    return (xp.asarray(lo.astype(np.int64))[group] + t).astype(xp.int64)


def monotone_slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Slopes at the knots ``x`` of non-decreasing ``y`` for a monotone cubic Hermite curve
    (the weighted harmonic mean of the neighbouring secants, as in PCHIP: no overshoot);
    the first keeps its secant, the last is 0 (the density fades out at the oldest age)."""
    h = np.diff(x)
    delta = np.diff(y) / h
    m = np.zeros_like(y)
    m[0] = delta[0]
    for k in range(1, len(delta)):  # a handful of age groups
        if delta[k - 1] > 0 and delta[k] > 0:
            w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
            m[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
    return m


#: E-mail local parts: first.last, firstlast, first.l, f.last (each followed by a number).
EMAIL_PATTERNS = 4
def _scramble_steps() -> np.ndarray:
    """Per digit count k = 0..17, the step of the e-mail number permutation of the 9 × 10^k
    numbers with k + 1 digits: the integer nearest the golden section of the range that is
    coprime with it (so consecutive ids land far apart)."""
    steps = []
    for k in range(18):
        size = 9 * 10**k
        step = max(round(0.6180339887498949 * size), 1)
        while math.gcd(step, size) != 1:
            step += 1
        steps.append(step)
    return np.array(steps, dtype=np.int64)


EMAIL_STEPS = _scramble_steps()


def email_number(xp: Any, ids: Any, offset: int) -> Any:
    """A number per customer id (1-based) that does not reveal the id: among the ids with
    the same digit count, an affine permutation of their range (the golden-section step,
    ``offset`` keyed by the seed): unique, as many digits as the id, and independent of how
    many customers there are."""
    ids = ids.astype(xp.int64)
    base = xp.ones(ids.shape[0], dtype=xp.int64)
    digits = xp.zeros(ids.shape[0], dtype=xp.int64)
    for _ in range(17):  # digit counts of int64 ids
        more = ids >= base * 10
        base = xp.where(more, base * 10, base)
        digits = digits + more
    size = 9 * base
    step = xp.asarray(EMAIL_STEPS)[digits]
    # (step × (id − base)) mod size without overflow: the step is below the size, and the
    # size is at most 9 × 10^17 < 2^63 only for the product's factors; split the product.
    x = ids - base
    hi, lo_ = x // 1_000_000, x % 1_000_000
    prod = ((hi * ((step * 1_000_000) % size)) % size + (lo_ * step) % size) % size
    return base + (prod + offset % size) % size


def _names(cfg: Config, rng: Rng, ids: Any, gender: np.ndarray, state: Any
           ) -> tuple[pl.Series, pl.Series, pl.Series]:
    """First names matching each customer's gender, family names by the region of their
    state, and unique e-mails."""
    xp = rng.xp
    pools = [voc.first_names(g) for g in cfg.GENDER_PREFERENCES]
    sizes = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    pool = [name for p in pools for name in p]
    # Given names: Zipf over a national order (the common names first, the rest in a keyed
    # shuffle of the vendored list, which is alphabetical), Western names rare.
    rows = []
    for g, (p, o) in enumerate(zip(pools, offsets, strict=True)):  # a few genders
        shuffled = np.argsort(to_numpy(rng.stream("customers.first_name_rank").uniform(
            xp.arange(len(p), dtype=xp.int64) + int(o))), kind="stable")
        w = names.given_weights(p, shuffled, NAME_ZIPF)
        rows.append(g + np.cumsum(w) / w.sum())
    cdf_first = np.concatenate(rows)
    first_code = to_numpy(pick_in_group(xp, xp.asarray(gender), cdf_first,
                                        rng.stream("customers.first_name").uniform(ids)))
    # Family names: the commonest nationally first (the rest in a keyed shuffle), Zipf
    # over that order, and regional names far more frequent in their region.
    surnames = voc.last_names()
    shuffled = np.argsort(to_numpy(rng.stream("customers.last_name_rank").uniform(
        xp.arange(len(surnames), dtype=xp.int64))), kind="stable")
    weights = names.region_weights(surnames, names.national_order(surnames, shuffled),
                                 NAME_ZIPF)
    cdf = (np.arange(weights.shape[0])[:, None]
           + np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)).reshape(-1)
    region = xp.asarray(names.region_of_states(voc.states()))[state]
    pick = pick_in_group(xp, region, cdf, rng.stream("customers.last_name").uniform(ids))
    last_code = to_numpy(pick - region * len(surnames))
    domains = list(voc.EMAIL_DOMAINS)
    domain_code = to_numpy(rng.stream("customers.email_domain").choice(
        list(voc.EMAIL_DOMAINS.values()), ids))

    first = voc.take(pool, first_code, "first_name")
    last = voc.take(surnames, last_code, "last_name")
    offset = int(to_numpy(rng.stream("customers.email_offset").integers(
        0, 1 << 62, xp.zeros(1, dtype=xp.int64)))[0])
    pattern = to_numpy(rng.stream("customers.email_pattern").integers(0, EMAIL_PATTERNS, ids))
    frame = pl.DataFrame({
        "f": voc.take([voc.slug(x) or "user" for x in pool], first_code),
        "l": voc.take([voc.slug(x) or "user" for x in surnames], last_code),
        "n": to_numpy(email_number(xp, ids + 1, offset)),
        "p": pattern,
        "d": voc.take(domains, domain_code),
    })
    f, l_ = pl.col("f"), pl.col("l")
    local = (pl.when(pl.col("p") == 0).then(pl.concat_str([f, pl.lit("."), l_]))
             .when(pl.col("p") == 1).then(pl.concat_str([f, l_]))
             .when(pl.col("p") == 2).then(pl.concat_str([f, pl.lit("."), l_.str.slice(0, 1)]))
             .otherwise(pl.concat_str([f.str.slice(0, 1), pl.lit("."), l_])))
    email = frame.select(pl.concat_str(
        [local, pl.col("n").cast(pl.String), pl.lit("@"), pl.col("d")]).alias("email")
    ).to_series()
    return first, last, email
