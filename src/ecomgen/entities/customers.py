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
from ecomgen.entities import vocabulary as voc
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat

Batch = dict[str, Any]

EPOCH = dt.date(1970, 1, 1)
#: Share of customers who signed up before the period; the rest sign up during it.
SIGNED_UP_BEFORE = 0.8
#: Earliest sign-up, in days before the period's start.
SIGNUP_LOOKBACK_DAYS = 3 * 365


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


def make_customers(cfg: Config, rng: Rng) -> Customers:
    """Draw ``cfg.num_customers`` customers; customer i has customer_id i + 1.

    Built in passes of ``GPU_CONFIG.batch_size_customers`` ids; every draw is keyed by the
    customer id, so the pass size changes no value.
    """
    xp = rng.xp
    step = cfg.GPU_CONFIG.batch_size_customers
    parts = [_make_range(cfg, rng, lo, min(lo + step, cfg.num_customers))
             for lo in range(0, cfg.num_customers, step)]
    if len(parts) == 1:
        return parts[0]
    fields = [f for f in Customers.__dataclass_fields__ if f != "table"]
    arrays = {f: xp.concatenate([getattr(p, f) for p in parts]) for f in fields}
    return Customers(**arrays, table=concat_batches([p.table for p in parts]))


def _make_range(cfg: Config, rng: Rng, lo_id: int, hi_id: int) -> Customers:
    """Customers with index lo_id .. hi_id - 1."""
    xp = rng.xp
    ids = xp.arange(lo_id, hi_id, dtype=xp.int64)

    segs = list(cfg.CUSTOMER_SEGMENTS.values())
    ages = list(cfg.AGE_BEHAVIOR_MAPPING.values())
    genders = list(cfg.GENDER_PREFERENCES.values())
    devices = list(cfg.DEVICES.values())

    segment = rng.stream("customers.segment").choice([s.weight for s in segs], ids)
    gender = rng.stream("customers.gender").choice([g.weight for g in genders], ids)
    age_group = rng.stream("customers.age_group").choice([a.weight for a in ages], ids)
    lo = xp.asarray([a.min_age for a in ages], dtype=xp.int64)[age_group]
    hi = xp.asarray([a.max_age for a in ages], dtype=xp.int64)[age_group]
    age = rng.stream("customers.age").integers(lo, hi + 1, ids)
    device = rng.stream("customers.device").choice([d.weight for d in devices], ids)

    city_names, _, city_tiers = voc.cities()
    city = rng.stream("customers.city").choice(
        voc.city_weights(city_tiers, voc.CUSTOMER_TIER_SHARES), ids)
    city_tier = xp.asarray(city_tiers)[city]
    state = xp.asarray(voc.state_of_city())[city]

    start = day_number(cfg.start)
    before = rng.stream("customers.signup_before").uniform(ids) < SIGNED_UP_BEFORE
    back = rng.stream("customers.signup_back").integers(1, SIGNUP_LOOKBACK_DAYS + 1, ids)
    into = rng.stream("customers.signup_into").integers(0, cfg.num_days, ids)
    signup_day = xp.where(before, start - back, start + into)

    life = cfg.CUSTOMER_LIFECYCLE
    activity = rng.stream("customers.activity").lognormal(
        ids, median=math.exp(-life.activity_sigma ** 2 / 2), sigma=life.activity_sigma)
    u = rng.stream("customers.lifetime").uniform_open(ids)
    lifetime = xp.ceil(life.lifetime_days * (-xp.log(u)) ** (1.0 / life.lifetime_shape))
    lapse_day = signup_day + xp.maximum(lifetime, 1.0).astype(xp.int64)

    seg_ps = xp.asarray([s.price_sensitivity for s in segs], dtype=xp.float64)
    age_shift = xp.asarray([a.price_sensitivity_shift for a in ages], dtype=xp.float64)
    price_sensitivity = xp.clip(seg_ps[segment] + age_shift[age_group], 0.0, 1.0)
    tech_affinity = xp.asarray([a.tech_affinity for a in ages], dtype=xp.float64)[age_group]

    h = {k: to_numpy(v) for k, v in dict(segment=segment, gender=gender, age_group=age_group,
                                          age=age, device=device, city=city,
                                          city_tier=city_tier, signup_day=signup_day,
                                          price_sensitivity=price_sensitivity,
                                          tech_affinity=tech_affinity).items()}
    first, last, email = _names(cfg, rng, ids, h["gender"])
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


def _names(cfg: Config, rng: Rng, ids: Any, gender: np.ndarray
           ) -> tuple[pl.Series, pl.Series, pl.Series]:
    """First names matching each customer's gender, family names and unique e-mails."""
    xp = rng.xp
    pools = [voc.first_names(g) for g in cfg.GENDER_PREFERENCES]
    sizes = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    pool = [name for p in pools for name in p]
    local = to_numpy(rng.stream("customers.first_name").integers(
        0, xp.asarray(sizes)[xp.asarray(gender)], ids))
    first_code = offsets[gender] + local
    surnames = voc.last_names()
    last_code = to_numpy(rng.stream("customers.last_name").integers(0, len(surnames), ids))
    domains = list(voc.EMAIL_DOMAINS)
    domain_code = to_numpy(rng.stream("customers.email_domain").choice(
        list(voc.EMAIL_DOMAINS.values()), ids))

    first = voc.take(pool, first_code, "first_name")
    last = voc.take(surnames, last_code, "last_name")
    frame = pl.DataFrame({
        "f": voc.take([voc.slug(x) or "user" for x in pool], first_code),
        "l": voc.take([voc.slug(x) or "user" for x in surnames], last_code),
        "id": to_numpy(ids) + 1,
        "d": voc.take(domains, domain_code),
    })
    email = frame.select(pl.concat_str(
        [pl.col("f"), pl.lit("."), pl.col("l"), pl.col("id").cast(pl.String), pl.lit("@"),
         pl.col("d")]).alias("email")).to_series()
    return first, last, email
