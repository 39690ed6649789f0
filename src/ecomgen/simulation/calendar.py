"""Daily traffic, conversion and discount multipliers: weekday, growth and the sales calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.config import Config

EPOCH = dt.date(1970, 1, 1)
#: Discounts are whole basis points: 1/BP of the price.
BP = 10_000


def basis_points(pct: Any) -> np.ndarray:
    """Discount fractions (0.125 = 12.5 %) as whole basis points (1250)."""
    return np.rint(np.asarray(pct, dtype=np.float64) * BP).astype(np.int64)


def discounted_price(price: Any, bp: Any) -> Any:
    """Price in paise less a discount of ``bp`` basis points, rounded down to the whole rupee
    (storefronts show whole rupees).

    The one rule for a discounted price: views, cart lines and sales take it from here, and
    ``sales.discount_pct`` is ``bp / BP`` of the same discount.
    """
    return price * (BP - bp) // (BP * 100) * 100


@dataclass(frozen=True)
class Calendar:
    """Per-day multipliers on the host (float64, computed identically for every backend)."""

    first_day: int  # days since 1970-01-01 of day 0
    traffic: np.ndarray  # [D] views multiplier, mean 1 over the period
    conversion: np.ndarray  # [D] add-to-cart / checkout uplift
    discount_bp: np.ndarray  # [D, C] discount in basis points by category
    category_uplift: np.ndarray  # [D, C] category demand multiplier
    event: np.ndarray  # [D] index of the active sale event, -1 when none
    event_names: tuple[str, ...]
    sale_window: np.ndarray  # [D] epoch day the discounting event's window began, -1: none
    participation: np.ndarray  # [D] share of offers taking part in that event

    @property
    def days(self) -> int:
        """Days in the period."""
        return int(self.traffic.shape[0])


def _windows(cfg: Config, name: str, start_md: str, end_md: str) -> list[tuple[dt.date, dt.date]]:
    out = []
    for year in range(cfg.start.year - 1, cfg.end.year + 1):
        try:
            a = dt.date(year, int(start_md[:2]), int(start_md[3:]))
            b = dt.date(year, int(end_md[:2]), int(end_md[3:]))
        except ValueError:  # 02-29 outside a leap year
            continue
        if b < a:
            b = dt.date(year + 1, b.month, b.day)
        out.append((a, b))
    return out


def build_calendar(cfg: Config) -> Calendar:
    """The calendar of the configured period."""
    cats = list(cfg.CATEGORIES)
    days = cfg.num_days
    first = (cfg.start - EPOCH).days
    dates = [cfg.start + dt.timedelta(days=i) for i in range(days)]
    weekday = np.array([d.weekday() for d in dates])
    t = np.arange(days, dtype=np.float64)
    traffic = np.asarray(cfg.TRAFFIC.weekday_weights, dtype=np.float64)[weekday]
    traffic = traffic * (1.0 + cfg.TRAFFIC.annual_growth) ** (t / 365.0)
    conversion = np.ones(days)
    discount_bp = np.zeros((days, len(cats)), dtype=np.int64)
    uplift = np.ones((days, len(cats)))
    event = np.full(days, -1, dtype=np.int64)
    sale_window = np.full(days, -1, dtype=np.int64)
    participation = np.zeros(days)
    best_bp = np.zeros(days, dtype=np.int64)
    names = tuple(cfg.SALES_CALENDAR)
    for e_idx, (name, ev) in enumerate(cfg.SALES_CALENDAR.items()):
        cat_up = np.array([ev.category_uplift.get(c, 1.0) for c in cats])
        for a, b in _windows(cfg, name, ev.start, ev.end):
            lo = max((a - cfg.start).days, 0)
            hi = min((b - cfg.start).days, days - 1)
            if hi < lo:
                continue
            sl = slice(lo, hi + 1)
            traffic[sl] *= ev.traffic_uplift
            conversion[sl] = np.maximum(conversion[sl], ev.conversion_uplift)
            bp = int(basis_points(ev.discount_pct))
            discount_bp[sl] = np.maximum(discount_bp[sl], bp)
            # The event with the deepest cut sets the day's discount and who takes part.
            wins = np.zeros(days, dtype=bool)
            wins[sl] = (bp > best_bp[sl]) & (bp > 0)
            best_bp[wins] = bp
            sale_window[wins] = (a - EPOCH).days
            participation[wins] = ev.participation
            uplift[sl] *= cat_up
            event[sl] = e_idx
    # Normalise so the period averages avg_views_per_day (sale days included).
    mean = traffic.mean()  # zero when the period has only weekdays without traffic
    traffic = traffic / mean if mean > 0 else traffic
    return Calendar(first, traffic, conversion, discount_bp, uplift, event, names, sale_window,
                    participation)
