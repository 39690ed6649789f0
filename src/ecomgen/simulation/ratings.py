"""Post-purchase ratings: some buyers rate a line after delivery, J-shaped scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.rng import cumulative_rows
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.world import World

#: Days from delivery to the rating: geometric (most within days, a long tail) below a
#: month (mean about 2.3 days).
RATING_LAG_P = 0.3
RATING_LAG_DAYS = 30

@dataclass
class Rated:
    """Ratings drawn for a day's sale lines (index into those lines)."""

    line: Any
    stars: Any
    delivery_days: Any
    time: Any  # absolute seconds


def delivery_days(w: World, d: int, session_key: Any, line_no: Any, cust: Any,
                  mtype: Any) -> Any:
    """Days from sale to delivery: faster to metros and from brand stores."""
    xp = w.xp
    base = w.rng.stream("sales.delivery").integers(1, 4, d, session_key, line_no)
    tier = w.customers.city_tier[cust]
    shift = xp.asarray(np.array([t.lead_time_shift for t in w.cfg.MERCHANT_TYPES.values()],
                                dtype=np.int64))[mtype]
    return xp.maximum(base + (tier - 1) + xp.clip(shift, -1, 1), 1)


def rate(w: World, d: int, session_key: Any, line_no: Any, product: Any, unit_price: Any,
         days: Any, period_end: int) -> Rated:
    """Which lines are rated, with what score and when (ratings after the period are dropped).

    A line is keyed by its order's session key and its line number.
    """
    xp, cfg = w.xp, w.cfg.RATINGS
    rng = w.rng
    rated = rng.stream("ratings.rated").uniform(d, session_key, line_no) < cfg.response_rate
    idx = xp.nonzero(rated)[0]
    quality = w.products.quality[product[idx]]
    paid = unit_price[idx] / w.products.base_price[product[idx]]
    dd = days[idx]
    shift = (cfg.quality_effect * (quality - 4.0) - cfg.delay_effect * (dd - 3)
             - cfg.price_effect * (paid - 1.0))
    base = np.asarray(cfg.base_shares, dtype=np.float64)
    tilt = xp.exp(0.5 * shift[:, None] * (xp.arange(5) - 2)[None, :])
    cdf = cumulative_rows(xp, xp.asarray(base)[None, :] * tilt)
    oid, line = session_key[idx], line_no[idx]
    stars = rng.stream("ratings.stars").choice_rows(cdf, d, oid, line) + 1
    delivered = w.calendar.first_day + d + dd
    after = rng.stream("ratings.days_after").geometric_below(RATING_LAG_P, RATING_LAG_DAYS, d,
                                                               oid, line)
    sec = rng.stream("ratings.second").integers(8 * 3600, 23 * 3600, d, oid, line)
    time = (delivered + after) * DAY + sec
    keep = xp.nonzero(time <= period_end)[0]
    return Rated(idx[keep], stars[keep], dd[keep], time[keep])
