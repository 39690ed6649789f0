"""Sale discounts: discount_pct is the configured discount, prices follow from it exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from ecomgen.checks.runner import validate_dir
from ecomgen.config import Config, SaleEvent
from ecomgen.simulation.calendar import basis_points, build_calendar, discounted_price

#: Awkward discounts, one per day: 12.5 %, a third-ish, 0.01 %, 80 % (the largest allowed).
AWKWARD = {"03-04": 0.125, "03-05": 0.333, "03-06": 0.0001, "03-07": 0.8, "03-08": 0.2999}


def _awkward_config() -> Config:
    cfg = Config(seed=5, num_customers=300, num_products=80, num_merchants=6,
                 avg_views_per_day=4_000, start=dt.date(2024, 3, 3), end=dt.date(2024, 3, 8))
    cfg.SALES_CALENDAR = {f"sale_{md}": SaleEvent(start=md, end=md, traffic_uplift=1.0,
                                                  discount_pct=pct, participation=1.0)
                          for md, pct in AWKWARD.items()}
    cfg.TRAFFIC.base_cart_rate = 0.2  # plenty of sales every day
    for c in cfg.CATEGORIES.values():  # low prices: a paisa is a large share of them
        c.price_min, c.price_median = 20.0, 45.0
        c.sale_depth, c.clearance_discount = 1.0, 0.0  # the configured cut, everywhere
    for t in cfg.MERCHANT_TYPES.values():
        t.sale_depth, t.reprice_days = 1.0, 0.0  # offers keep their listing price
    return cfg


def test_discounted_price_rounds_down_to_the_whole_rupee() -> None:
    """One formula: paise x (10,000 - bp) // 1,000,000 x 100 (storefronts show rupees)."""
    price = np.array([4_900, 99_900, 100, 1, 12_345_600])
    assert discounted_price(price, np.full(5, 1_250)).tolist() == [
        4_200, 87_400, 0, 0, 10_802_400]
    assert basis_points(np.array([0.125, 0.333, 0.0001, 0.8])).tolist() == [1_250, 3_330, 1,
                                                                           8_000]


def test_calendar_stores_whole_basis_points_of_every_event() -> None:
    cal = build_calendar(_awkward_config())
    assert cal.discount_bp[:, 0].tolist() == [0, 1_250, 3_330, 1, 8_000, 2_999]


def test_discount_finer_than_a_basis_point_is_refused() -> None:
    with pytest.raises(ValidationError, match="basis point"):
        SaleEvent(start="03-04", end="03-04", traffic_uplift=1.0, discount_pct=0.12345)


def test_sales_carry_the_configured_discount_and_its_exact_price(tmp_path: Path) -> None:
    from ecomgen.pipeline import generate

    d = tmp_path / "data"
    generate(_awkward_config(), d, validate=False, report=False, progress=False)
    sales = pl.read_csv(d / "sales.csv", try_parse_dates=True)
    offers = pl.read_csv(d / "offers.csv")
    got = (sales.group_by(pl.col("timestamp").dt.strftime("%m-%d").alias("md"))
           .agg(pl.col("discount_pct").unique()))
    want = {"03-03": [0.0], **{k: [v] for k, v in AWKWARD.items()}}
    assert {r["md"]: sorted(r["discount_pct"]) for r in got.iter_rows(named=True)} == want
    # Prices where the discount leaves a fraction of a rupee really occur, and agree.
    s = sales.join(offers.select("merchant_id", "sku", pl.col("price").alias("offer_price")),
                   on=["merchant_id", "sku"])
    paise = (s["offer_price"] * 100).round().cast(pl.Int64)
    bp = (s["discount_pct"] * 10_000).round().cast(pl.Int64)
    assert ((paise * (10_000 - bp)) % 1_000_000 != 0).sum() > 0
    unit = (s["unit_price"] * 100).round().cast(pl.Int64)
    assert (unit == paise * (10_000 - bp) // 1_000_000 * 100).all()
    assert (unit % 100 == 0).all()
    rep = validate_dir(d, names=["price_row_parts", "price_at_time", "ranges_sales"],
                       write=False)
    assert rep.passed, [(r.name, r.sample_dicts()) for r in rep.failures]


def test_a_sale_reaches_the_offers_taking_part(tmp_path: Path) -> None:
    """With participation 0.5, an event day has discounted and full-price lines, and an
    offer is either in the sale for the whole window or not at all."""
    from ecomgen.pipeline import generate

    cfg = _awkward_config()
    cfg.SALES_CALENDAR = {"sale": SaleEvent(start="03-04", end="03-07", traffic_uplift=1.0,
                                            discount_pct=0.2, participation=0.5)}
    d = tmp_path / "data"
    generate(cfg, d, validate=False, report=False, progress=False)
    sales = pl.read_csv(d / "sales.csv", try_parse_dates=True)
    md = pl.col("timestamp").dt.strftime("%m-%d")
    in_window = sales.filter(md.is_between(pl.lit("03-04"), pl.lit("03-07")))
    assert set(in_window["discount_pct"].unique()) == {0.0, 0.2}
    per_offer = in_window.group_by("merchant_id", "sku").agg(pl.col("discount_pct").n_unique())
    assert (per_offer["discount_pct"] == 1).all()
    rep = validate_dir(d, names=["price_row_parts", "price_at_time", "price_within_mrp"],
                       write=False)
    assert rep.passed, [(r.name, r.sample_dicts()) for r in rep.failures]


def test_a_later_event_takes_over_when_the_deeper_one_ends(tmp_path: Path) -> None:
    """Two sales opening the same day: after the deeper one ends, the other's cut (and its
    name) hold; each price row's days belong to its event."""
    from ecomgen.pipeline import generate

    cfg = _awkward_config()
    cfg.SALES_CALENDAR = {
        "deep": SaleEvent(start="03-04", end="03-05", traffic_uplift=1.0, discount_pct=0.3,
                          participation=1.0),
        "long": SaleEvent(start="03-04", end="03-08", traffic_uplift=1.0, discount_pct=0.1,
                          participation=1.0)}
    d = tmp_path / "data"
    generate(cfg, d, validate=False, report=False, progress=False)
    rows = pl.read_csv(d / "offer_prices.csv", try_parse_dates=True)
    sale = rows.filter(pl.col("reason") == "sale")
    late = sale.filter(pl.col("valid_from") >= dt.datetime(2024, 3, 6))
    early = sale.filter(pl.col("valid_from") == dt.datetime(2024, 3, 4))
    assert late.height > 0 and early.height > 0
    assert set(late["sale_event"]) == {"long"} and set(late["discount_pct"]) == {0.1}
    assert set(early["sale_event"]) == {"deep"} and set(early["discount_pct"]) == {0.3}
    rep = validate_dir(d, names=["sale_rows_in_their_event", "price_at_time",
                                 "price_rows_tile_period", "price_row_parts"], write=False)
    assert rep.passed, [(r.name, r.sample_dicts()) for r in rep.failures]
