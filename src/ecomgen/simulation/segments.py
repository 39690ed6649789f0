"""Per-segment tallies accumulated over the day loop, and the customer_segments table."""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.rng import to_numpy
from ecomgen.schema import Cat
from ecomgen.simulation.arrays import count_by, sum_by

FIELDS = ("sessions", "views", "add_to_carts", "carts", "abandoned_carts", "orders", "units",
          "revenue")


class SegmentTally:
    """Integer counters per segment."""

    def __init__(self, xp: Any, n_segments: int) -> None:
        self.xp = xp
        self.n = n_segments
        self.totals = {f: np.zeros(n_segments, dtype=np.int64) for f in FIELDS}

    def add_count(self, field: str, seg: Any) -> None:
        """Count one per element of ``seg``."""
        self.totals[field] += np.asarray(to_numpy(count_by(self.xp, seg, self.n)))

    def add_sum(self, field: str, seg: Any, values: Any) -> None:
        """Add ``values`` grouped by ``seg``."""
        self.totals[field] += np.asarray(to_numpy(sum_by(self.xp, seg, values, self.n)))

    def table(self, cfg: Config, customers_per_segment: np.ndarray) -> dict[str, Any]:
        """The customer_segments output batch."""
        t = self.totals
        segs = list(cfg.CUSTOMER_SEGMENTS.values())
        names = tuple(cfg.CUSTOMER_SEGMENTS)
        div = lambda a, b: np.where(b > 0, a / np.maximum(b, 1), 0.0)  # noqa: E731
        revenue = t["revenue"]
        total_rev = revenue.sum()
        aov = np.where(t["orders"] > 0, revenue // np.maximum(t["orders"], 1), 0)
        return {
            "segment": Cat(np.arange(self.n), names),
            "customers": customers_per_segment,
            "customer_share": div(customers_per_segment, customers_per_segment.sum()),
            "config_weight": np.array([s.weight for s in segs]),
            "conversion_base": np.array([s.conversion_base for s in segs]),
            "cart_abandonment_rate": np.array([s.cart_abandonment_rate for s in segs]),
            "sessions": t["sessions"],
            "views": t["views"],
            "add_to_carts": t["add_to_carts"],
            "view_to_cart": div(t["add_to_carts"], t["views"]),
            "carts": t["carts"],
            "abandoned_carts": t["abandoned_carts"],
            "abandonment_rate": div(t["abandoned_carts"], t["carts"]),
            "orders": t["orders"],
            "session_conversion": div(t["orders"], t["sessions"]),
            "units": t["units"],
            "revenue": revenue,
            "revenue_share": div(revenue, np.full(self.n, total_rev)),
            "avg_order_value": aov,
        }
