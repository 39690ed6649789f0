"""Tiny and degenerate configs generate data that passes validation.

A handful of customers, a segment nobody belongs to, one of everything, fewer products than
categories, one view a day: every error-severity check passes (statistical checks, which
are warnings, are not applicable where a handful of rows makes their figure meaningless).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomgen.config import (
    AgeGroup,
    Category,
    Config,
    Device,
    Gender,
    Lifecycle,
    MerchantType,
    PaymentMethod,
    Segment,
    SessionType,
)
from tests.simkit import scarce_stock

DEFAULT = Config()

ONE_CATEGORY = {"Gadgets": Category(product_share=1.0, traffic_share=1.0, price_median=500,
                                    price_sigma=0.5, subcategories=["Widgets"],
                                    brands=["Acme"])}
ONE: dict[str, Any] = {
    "CUSTOMER_SEGMENTS": {"everyone": Segment(weight=1.0, price_sensitivity=0.5,
                                              cart_abandonment_rate=0.5,
                                              conversion_base=0.03)},
    "AGE_BEHAVIOR_MAPPING": {"adults": AgeGroup(min_age=18, max_age=60, weight=1.0,
                                                tech_affinity=0.5)},
    "GENDER_PREFERENCES": {"any": Gender(weight=1.0)},
    "MERCHANT_TYPES": {"shop": MerchantType(weight=1.0, price_factor=1.0, initial_cover_days=10,
                                            reorder_cover_days=10, reorder_point_days=2)},
    "SESSION_TYPES": {"browse": SessionType(weight=1.0, mean_views=3, dwell_seconds=40,
                                            cart_multiplier=1.0, same_category=0.5)},
    "DEVICES": {"phone": Device(weight=1.0)},
    "PAYMENT_METHODS": {"upi": PaymentMethod(weight=1.0)},
}


def build(categories: dict[str, Category] | None = None, zero_segment: str | None = None,
          single: tuple[str, ...] = (), **fields: Any) -> Config:
    """A config whose other sections are made consistent with ``categories``.

    ``zero_segment``: that segment gets weight 0, the others share 1. ``single``: sections
    replaced by one entry each (keys of ``ONE``).
    """
    cats = dict(DEFAULT.CATEGORIES if categories is None else categories)

    def known(d: dict[str, float]) -> dict[str, float]:
        return {k: v for k, v in d.items() if k in cats}

    segs = {k: s.model_copy(update={"preferred_categories": [c for c in s.preferred_categories
                                                             if c in cats]})
            for k, s in DEFAULT.CUSTOMER_SEGMENTS.items()}
    if zero_segment is not None:
        rest = sum(s.weight for k, s in segs.items() if k != zero_segment)
        segs = {k: s.model_copy(update={"weight": 0.0 if k == zero_segment
                                        else s.weight / rest}) for k, s in segs.items()}
    sections: dict[str, Any] = {
        "CATEGORIES": cats,
        "CUSTOMER_SEGMENTS": segs,
        "AGE_BEHAVIOR_MAPPING": {k: a.model_copy(update={"category_multipliers": known(
            a.category_multipliers)}) for k, a in DEFAULT.AGE_BEHAVIOR_MAPPING.items()},
        "GENDER_PREFERENCES": {k: g.model_copy(update={"category_multipliers": known(
            g.category_multipliers)}) for k, g in DEFAULT.GENDER_PREFERENCES.items()},
        "SALES_CALENDAR": {k: e.model_copy(update={"category_uplift": known(e.category_uplift)})
                           for k, e in DEFAULT.SALES_CALENDAR.items()},
    }
    sections |= {k: ONE[k] for k in single}
    return Config(**(sections | fields))


def _unstocked_without_stock() -> Config:
    """Every offer listed before its first delivery, with nothing to cover (min_stock 0)."""
    cfg = build(seed=9, num_customers=20, num_products=8, num_merchants=2,
                avg_views_per_day=50, start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 20))
    cfg.INVENTORY_CONFIG.unstocked_listing_share = 1.0
    return scarce_stock(cfg, 0.001, 0)


def one_of_everything(**fields: Any) -> Config:
    """One customer, product, merchant, day, category (one subcategory, one brand), and one
    of every behaviour section."""
    base = dict(seed=1, num_customers=1, num_products=1, num_merchants=1,
                avg_views_per_day=50, start=dt.date(2024, 10, 5), end=dt.date(2024, 10, 5))
    return build(ONE_CATEGORY, single=tuple(ONE), SALES_CALENDAR={}, **(base | fields))


@st.composite
def tiny_configs(draw: st.DrawFn) -> Config:
    """Small runs with degenerate corners: 1-5 customers, few products and categories,
    zero-weight segments, single-entry sections, down to one view a day."""
    days = draw(st.integers(1, 4))
    start = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 365)))
    mode = draw(st.sampled_from(["default", "subset", "one"]))
    cats: dict[str, Category] | None = None
    if mode == "subset":
        keep = draw(st.lists(st.sampled_from(list(DEFAULT.CATEGORIES)), min_size=1,
                             max_size=3, unique=True))
        cats = {k: DEFAULT.CATEGORIES[k] for k in keep}
    elif mode == "one":
        cats = ONE_CATEGORY
    zero = draw(st.none() | st.sampled_from(list(DEFAULT.CUSTOMER_SEGMENTS)))
    single = draw(st.lists(st.sampled_from(list(ONE)), unique=True, max_size=len(ONE)))
    if "CUSTOMER_SEGMENTS" in single:
        zero = None
    cfg = build(cats, zero, tuple(single),
                seed=draw(st.integers(0, 2**32)),
                num_customers=draw(st.integers(1, 5) | st.integers(6, 60)),
                num_products=draw(st.integers(1, 12)),
                num_merchants=draw(st.integers(1, 4)),
                avg_views_per_day=draw(st.sampled_from([1, 2, 5]) | st.integers(1, 400)),
                start=start, end=start + dt.timedelta(days=days - 1))
    if draw(st.booleans()):  # scarce stock: sell-outs, failed checkouts, restocks
        scarce_stock(cfg, 0.05, draw(st.integers(0, 1)))
    return cfg


def _passes(cfg: Config, out: Path) -> None:
    from ecomgen.pipeline import generate

    res = generate(cfg, out, validate=True, report=False, progress=False, overwrite=True)
    bad = [(r.name, r.status, r.failing_rows, r.message, r.sample[:2])
           for r in res.validation.results if r.severity == "error" and not r.passed]
    assert res.passed and not bad, bad


NAMED: dict[str, Config] = {
    "one_of_everything": one_of_everything(),
    "one_of_everything_one_view_a_day": one_of_everything(avg_views_per_day=1, seed=3),
    # The one account lives through the run (a drawn lifetime could make it dormant).
    "one_of_everything_long_run": one_of_everything(
        avg_views_per_day=400, end=dt.date(2024, 10, 25),
        CUSTOMER_LIFECYCLE=Lifecycle(lifetime_days=36_500, lifetime_shape=5.0)),
    "one_customer": build(seed=2, num_customers=1, num_products=20, num_merchants=3,
                          avg_views_per_day=60, start=dt.date(2024, 5, 6),
                          end=dt.date(2024, 5, 12)),
    "five_customers_one_view_a_day": build(seed=5, num_customers=5, num_products=10,
                                           num_merchants=2, avg_views_per_day=1,
                                           start=dt.date(2024, 5, 6), end=dt.date(2024, 6, 4)),
    "zero_weight_segment": build(zero_segment="premium", seed=6, num_customers=60,
                                 num_products=30, num_merchants=3, avg_views_per_day=300,
                                 start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 12)),
    "fewer_products_than_categories": build(seed=7, num_customers=30, num_products=3,
                                            num_merchants=2, avg_views_per_day=200,
                                            start=dt.date(2024, 5, 6),
                                            end=dt.date(2024, 5, 9)),
    "unstocked_listings_without_stock": _unstocked_without_stock(),
    "one_product_many_categories": build(seed=8, num_customers=30, num_products=1,
                                         num_merchants=4, avg_views_per_day=200,
                                         start=dt.date(2024, 10, 3),
                                         end=dt.date(2024, 10, 5)),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_tiny_config_passes_validation(name: str, tmp_path: Path) -> None:
    _passes(NAMED[name], tmp_path / "data")


def test_one_of_everything_really_is_one(tmp_path: Path) -> None:
    """The named config holds one of each entity and still sells something; realism
    figures of a single customer are not applicable."""
    import polars as pl

    from ecomgen.pipeline import generate

    d = tmp_path / "data"
    res = generate(NAMED["one_of_everything_long_run"], d, validate=True, report=False,
                   progress=False)
    for table in ("customers", "products", "merchants", "offers"):
        assert res.tables[table].rows == 1, table
    assert res.tables["sales"].rows > 0
    assert pl.read_csv(d / "customers.csv")["preferred_categories"].null_count() == 1
    realism = [r for r in res.validation.results if r.name.startswith("realism_")]
    assert realism and all(r.status == "skipped" for r in realism)


def test_first_delivery_of_an_unstocked_listing_brings_stock(tmp_path: Path) -> None:
    """An offer listed before its first delivery receives at least one unit (a restock of
    zero units broke the ledger's sign rule)."""
    import polars as pl

    from ecomgen.pipeline import generate

    d = tmp_path / "data"
    generate(NAMED["unstocked_listings_without_stock"], d, validate=False, report=False,
             progress=False)
    led = pl.read_csv(d / "inventory_events.csv")
    restocks = led.filter(pl.col("event_type") == "restock")
    assert restocks.height > 0 and (restocks["quantity"] >= 1).all()


_SETTINGS = dict(deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])


@settings(max_examples=25, **_SETTINGS)
@given(tiny_configs())
def test_tiny_configs_pass_validation(tmp_path: Path, cfg: Config) -> None:
    _passes(cfg, tmp_path / "data")


@pytest.mark.slow
@settings(max_examples=60, **_SETTINGS)
@given(tiny_configs())
def test_tiny_configs_pass_validation_many(tmp_path: Path, cfg: Config) -> None:
    _passes(cfg, tmp_path / "data")


def test_period_without_traffic_is_refused_up_front() -> None:
    """A period that falls only on weekdays without traffic would have no sessions at all:
    the configuration is refused before any work."""
    from pydantic import ValidationError

    cfg = build(seed=10, num_customers=5, num_products=3, num_merchants=1,
                avg_views_per_day=100, start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 7))
    data = cfg.model_dump()
    data["TRAFFIC"]["weekday_weights"] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]  # Sundays only
    with pytest.raises(ValidationError, match="zero weight"):
        Config.model_validate(data)


def test_traffic_profiles_without_any_weight_are_refused() -> None:
    from pydantic import ValidationError

    cfg = build()
    for field in ("hourly_weights", "weekday_weights"):
        with pytest.raises(ValidationError, match="positive"):
            setattr(cfg.TRAFFIC, field, [0.0] * len(getattr(cfg.TRAFFIC, field)))
