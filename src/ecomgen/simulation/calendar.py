"""Daily traffic, conversion and discount multipliers: weekday, growth and the sales calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.config import Config, SaleEvent
from ecomgen.entities import vocabulary as voc
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.simulation.festivals import festival_windows

EPOCH = dt.date(1970, 1, 1)
#: Discounts are whole basis points: 1/BP of the price.
BP = 10_000
#: The deepest sale discount, basis points (80 %).
MAX_DISCOUNT_BP = 8_000


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
    discount_bp: np.ndarray  # [D, C] discount in basis points by category (sale_depth applied)
    category_uplift: np.ndarray  # [D, C] category demand multiplier
    event: np.ndarray  # [D] index of the active sale event, -1 when none
    event_names: tuple[str, ...]
    sale_window: np.ndarray  # [D] epoch day the discounting event's window began, -1: none
    participation: np.ndarray  # [D] share of offers taking part in that event
    sale_event: np.ndarray  # [D] index of that event, -1: none
    discount_spread: np.ndarray  # [D] its discount_spread
    regional: np.ndarray  # [D, S] traffic multiplier by customers' state (voc.states())

    @property
    def days(self) -> int:
        """Days in the period."""
        return int(self.traffic.shape[0])


def event_windows(cfg: Config, ev: SaleEvent) -> list[tuple[dt.date, dt.date]]:
    """First and last day of each of the event's windows that touch the period (unclipped;
    teaser and dip days not included)."""
    out = []
    for year in range(cfg.start.year - 1, cfg.end.year + 1):
        if ev.anchor is not None:
            for a, b in festival_windows(ev.anchor, year):
                out.append((a - dt.timedelta(days=ev.days_before),
                            b + dt.timedelta(days=ev.days_after)))
            continue
        assert ev.start is not None and ev.end is not None
        try:
            a = dt.date(year, int(ev.start[:2]), int(ev.start[3:]))
            b = dt.date(year, int(ev.end[:2]), int(ev.end[3:]))
        except ValueError:  # 02-29 outside a leap year
            continue
        if b < a:
            b = dt.date(year + 1, b.month, b.day)
        out.append((a, b))
    return [(a, b) for a, b in out if b >= cfg.start and a <= cfg.end]


def sale_windows(cfg: Config) -> list[tuple[str, dt.date, dt.date]]:
    """Every event window inside the period (clipped to it), by first day."""
    out = [(name, max(a, cfg.start), min(b, cfg.end))
           for name, ev in cfg.SALES_CALENDAR.items() for a, b in event_windows(cfg, ev)]
    return sorted(out, key=lambda w: (w[1], w[0]))


def event_shape(ev: SaleEvent, n: int) -> np.ndarray:
    """Traffic multipliers of the teaser days, the ``n`` window days and the dip days."""
    k = np.arange(n, dtype=np.float64)
    extra = ev.traffic_uplift - 1.0
    if ev.shape == "spike":
        core = 1.0 + extra * fm.pow_v(np, ev.decay, k)
    elif ev.shape == "build_up":
        core = 1.0 + extra * fm.pow_v(np, ev.decay, n - 1 - k)
    else:
        core = np.full(n, ev.traffic_uplift)
    return np.concatenate([np.full(ev.teaser_days, ev.teaser_uplift), core,
                           np.full(ev.dip_days, ev.dip)])


def seasonality(cfg: Config, dates: list[dt.date]) -> np.ndarray:
    """[D, C] category multipliers: each month's value at its middle, linear in between
    (round the year), so no step shows at a month's first day."""
    months = np.array([[*c.seasonality] for c in cfg.CATEGORIES.values()], dtype=np.float64)
    doy = np.array([d.timetuple().tm_yday - 1 for d in dates], dtype=np.float64)
    pos = doy / 365.25 * 12.0 - 0.5  # month index, 0 at mid-January
    lo = np.floor(pos).astype(np.int64)
    frac = pos - lo
    return (months[:, lo % 12] * (1.0 - frac) + months[:, (lo + 1) % 12] * frac).T


def payday(cfg: Config, dates: list[dt.date]) -> np.ndarray:
    """[D] traffic lift of the month's first days (salaries are paid on the 1st), fading
    linearly over ``TRAFFIC.payday_days``."""
    t = cfg.TRAFFIC
    if t.payday_days == 0:
        return np.ones(len(dates))
    dom = np.array([d.day - 1 for d in dates], dtype=np.float64)
    return 1.0 + (t.payday_uplift - 1.0) * np.clip(1.0 - dom / t.payday_days, 0.0, 1.0)


def build_calendar(cfg: Config) -> Calendar:
    """The calendar of the configured period."""
    cats = list(cfg.CATEGORIES)
    states = voc.states()
    days = cfg.num_days
    first = (cfg.start - EPOCH).days
    dates = [cfg.start + dt.timedelta(days=i) for i in range(days)]
    weekday = np.array([d.weekday() for d in dates])
    t = np.arange(days, dtype=np.float64)
    traffic = np.asarray(cfg.TRAFFIC.weekday_weights, dtype=np.float64)[weekday]
    growth = fm.pow_v(np, 1.0 + cfg.TRAFFIC.annual_growth, t / 365.0)
    traffic = traffic * growth * payday(cfg, dates)
    regional = np.ones((days, len(states)))
    conversion = np.ones(days)
    discount_bp = np.zeros((days, len(cats)), dtype=np.int64)
    uplift = seasonality(cfg, dates)
    event = np.full(days, -1, dtype=np.int64)
    sale_window = np.full(days, -1, dtype=np.int64)
    participation = np.zeros(days)
    sale_event = np.full(days, -1, dtype=np.int64)
    spread = np.zeros(days)
    depth = np.array([c.sale_depth for c in cfg.CATEGORIES.values()])
    best_bp = np.zeros(days, dtype=np.int64)
    names = tuple(cfg.SALES_CALENDAR)
    for e_idx, ev in enumerate(cfg.SALES_CALENDAR.values()):
        cat_up = np.array([ev.category_uplift.get(c, 1.0) for c in cats])
        cols = [states.index(s) for s in ev.states]
        for a, b in event_windows(cfg, ev):
            n = (b - a).days + 1
            shape = event_shape(ev, n)
            first_shaped = (a - cfg.start).days - ev.teaser_days
            lo_s, hi_s = max(first_shaped, 0), min(first_shaped + shape.shape[0], days)
            if hi_s > lo_s:
                part = shape[lo_s - first_shaped:hi_s - first_shaped]
                if cols:
                    regional[lo_s:hi_s, cols] *= part[:, None]
                else:
                    traffic[lo_s:hi_s] *= part
            lo = max((a - cfg.start).days, 0)
            hi = min((b - cfg.start).days, days - 1)
            if hi < lo or cols:
                continue
            sl = slice(lo, hi + 1)
            conversion[sl] = np.maximum(conversion[sl], ev.conversion_uplift)
            bp = int(basis_points(ev.discount_pct))
            by_cat = np.minimum(np.rint(bp * depth), MAX_DISCOUNT_BP).astype(np.int64)
            discount_bp[sl] = np.maximum(discount_bp[sl], by_cat)
            # The event with the deepest cut sets the day's discount and who takes part.
            wins = np.zeros(days, dtype=bool)
            wins[sl] = (bp > best_bp[sl]) & (bp > 0)
            best_bp[wins] = bp
            sale_window[wins] = (a - EPOCH).days
            participation[wins] = ev.participation
            sale_event[wins] = e_idx
            spread[wins] = ev.discount_spread
            uplift[sl] *= cat_up
            event[sl] = e_idx
    # Normalise so the period averages avg_views_per_day (sale days included; regional
    # festivals come on top).
    mean = traffic.mean()  # zero when the period has only weekdays without traffic
    traffic = traffic / mean if mean > 0 else traffic
    return Calendar(first, traffic, conversion, discount_bp, uplift, event, names, sale_window,
                    participation, sale_event, spread, regional)
