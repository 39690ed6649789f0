"""A purchase sates the buyer's wish for more of a category with ``satiation_days``."""

from __future__ import annotations

import polars as pl

from ecomgen.config import Config
from tests.simkit import run_in_memory


def _dense(satiation_days: float | None, depth: float = 1.0) -> Config:
    """Few customers with many sessions each, so most Fashion buyers would buy it again."""
    cfg = Config(num_customers=300, num_products=600, num_merchants=6, seed=3,
                 start="2024-01-01", end="2024-06-30", avg_views_per_day=6_000)
    cfg.CATEGORIES["Fashion"].satiation_days = satiation_days
    cfg.CUSTOMER_LIFECYCLE.satiation_depth = depth
    return cfg


def _fashion_days(cfg: Config) -> pl.DataFrame:
    """Per Fashion buyer: distinct days with a Fashion purchase and the gap between the
    first two."""
    sales = run_in_memory(cfg)["sales"].filter(pl.col("category") == "Fashion")
    days = sales.select("customer_id", pl.col("timestamp").dt.date().alias("day")).unique()
    return days.sort("customer_id", "day").group_by("customer_id").agg(
        pl.len().alias("days"), (pl.col("day").sort().diff().dt.total_days().drop_nulls()
                                 .first()).alias("gap"))


def test_a_sated_buyer_waits_before_buying_the_category_again() -> None:
    free = _fashion_days(_dense(None))
    sated = _fashion_days(_dense(60.0))
    assert free.height > 100 and sated.height > 100
    # Buyers buy Fashion on far fewer days: the wish recovers over weeks after each order.
    assert free["days"].mean() > 5
    assert sated["days"].mean() < 0.5 * free["days"].mean(), (
        free["days"].mean(), sated["days"].mean())
    # And the second purchase comes later.
    assert sated["gap"].median() > 2 * free["gap"].median(), (
        free["gap"].median(), sated["gap"].median())


def test_no_depth_means_no_satiation() -> None:
    """satiation_depth 0 leaves every add-to-cart chance as it was: the same sales as with
    no category's satiation_days."""
    plain = _dense(None)
    for c in plain.CATEGORIES.values():
        c.satiation_days = None
    a = run_in_memory(plain)["sales"]
    b = run_in_memory(_dense(60.0, depth=0.0))["sales"]
    assert a.equals(b)
