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


def rate(w: World, d: int, session_key: Any, line_no: Any, product: Any, unit_price: Any,
         delivered_t: Any, late: Any, returned_at: Any, period_end: int) -> Rated:
    """Which delivered lines are rated, with what score and when (ratings after the period
    are dropped). Late deliveries score lower, and so do lines whose return the buyer had
    asked for by the time of the rating; lines never delivered (cancelled, returned to
    origin) are not rated.

    A line is keyed by its order's session key and its line number; ``delivered_t`` is
    the absolute delivery time and ``returned_at`` the return request's (-1: none).
    """
    xp, cfg = w.xp, w.cfg.RATINGS
    rng = w.rng
    rated = (rng.stream("ratings.rated").uniform(d, session_key, line_no) < cfg.response_rate) \
        & (delivered_t >= 0)
    idx = xp.nonzero(rated)[0]
    oid, line = session_key[idx], line_no[idx]
    dday = delivered_t[idx] // DAY
    after = rng.stream("ratings.days_after").geometric_below(RATING_LAG_P, RATING_LAG_DAYS, d,
                                                               oid, line)
    # On the day of delivery a rating comes after the delivery (before 23:00).
    dsec = delivered_t[idx] % DAY
    lo = xp.where(after == 0, xp.maximum(dsec + 60, 8 * 3600), 8 * 3600)
    u = rng.stream("ratings.second").uniform(d, oid, line)
    sec = lo + xp.floor(u * (23 * 3600 - lo)).astype(xp.int64)
    time = (dday + after) * DAY + sec
    asked = returned_at[idx]
    returned = (asked >= 0) & (asked <= time)
    quality = w.products.quality[product[idx]]
    paid = unit_price[idx] / w.products.base_price[product[idx]]
    dd = dday - (w.calendar.first_day + d)
    shift = (cfg.quality_effect * (quality - 4.0) - cfg.delay_effect * (dd - 3)
             - cfg.price_effect * (paid - 1.0) - cfg.late_effect * late[idx]
             - cfg.return_effect * returned)
    base = np.asarray(cfg.base_shares, dtype=np.float64)
    tilt = xp.exp(0.5 * shift[:, None] * (xp.arange(5) - 2)[None, :])
    cdf = cumulative_rows(xp, xp.asarray(base)[None, :] * tilt)
    stars = rng.stream("ratings.stars").choice_rows(cdf, d, oid, line) + 1
    keep = xp.nonzero(time <= period_end)[0]
    return Rated(idx[keep], stars[keep], dd[keep], time[keep])
