"""Size presets: the customers, products, merchants and views per day of tiny, S, M, L and XL."""

from __future__ import annotations

import datetime as dt
from typing import Literal

Preset = Literal["tiny", "S", "M", "L", "XL"]


#: Size presets: customers, products, merchants, days, avg views/day.
PRESETS: dict[str, dict[str, int]] = {
    "tiny": dict(num_customers=200, num_products=100, num_merchants=5, days=30,
                 avg_views_per_day=500),
    "S": dict(num_customers=10_000, num_products=5_000, num_merchants=50, days=365,
              avg_views_per_day=10_000),
    "M": dict(num_customers=100_000, num_products=50_000, num_merchants=100, days=365,
              avg_views_per_day=20_000),
    "L": dict(num_customers=500_000, num_products=100_000, num_merchants=200, days=365,
              avg_views_per_day=50_000),
    "XL": dict(num_customers=10_000_000, num_products=1_000_000, num_merchants=2_000, days=365,
               avg_views_per_day=1_000_000),
}


def preset_overrides(name: str, start: dt.date = dt.date(2024, 1, 1)) -> dict[str, object]:
    """Config fields set by a size preset."""
    p = PRESETS[name]
    return {
        "num_customers": p["num_customers"],
        "num_products": p["num_products"],
        "num_merchants": p["num_merchants"],
        "avg_views_per_day": p["avg_views_per_day"],
        "start": start,
        "end": start + dt.timedelta(days=p["days"] - 1),
    }
