"""Offer prices day by day: the everyday price (as listed, repriced, cleared) and sale cuts.

Prices change only at 00:00, so the price of a day holds for every view, cart line and sale
of that day. Every draw is keyed by offer and day (repricing) or by offer and sale window
(taking part, depth of the cut), so any process computes the same prices for any offer.

- **repricing**: a seller reviews an offer's everyday price after a gap drawn with mean
  ``MerchantType.reprice_days``; the new price is the listing's share of the MRP times
  noise (the merchant type's ``price_spread``), on a storefront ending, never above the
  MRP. Offers listed at the MRP are not repriced (clearance still marks them down).
- **clearance**: from the day after a seller's last reorder (end of line) the everyday price
  is marked down by the category's ``clearance_discount``, and stays there.
- **sale**: during a discounting event each offer takes part with the event's
  ``participation``; its cut is the event's discount x the category's and the merchant
  type's ``sale_depth`` x noise (``discount_spread``; with noise in whole percent, else in
  whole basis points), at most 80 %.
  A cut that would leave less than a rupee is not taken.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.entities.offers import Offers, buybox_weight
from ecomgen.entities.products import storefront_floor
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng
from ecomgen.schema import TABLES
from ecomgen.simulation.calendar import MAX_DISCOUNT_BP, Calendar, discounted_price

#: Why an offer has its price (offer_prices.reason).
REASONS = TABLES["offer_prices"].column("reason").values
LIST, REPRICING, CLEARANCE, SALE = range(len(REASONS))
#: next_review of an offer whose price is never reviewed again.
NEVER = np.iinfo(np.int64).max


class PriceBook:
    """Every offer's price on the current day (advanced one day at a time, recomputed from
    the start when asked for an earlier day): shared by the customer and offer sides."""

    def __init__(self, cfg: Config, rng: Rng, calendar: Calendar, offers: Offers,
                 mrp: Any, category: Any) -> None:
        xp = rng.xp
        self.xp, self.rng, self.cal, self.offers = xp, rng, calendar, offers
        types = list(cfg.MERCHANT_TYPES.values())
        cats = list(cfg.CATEGORIES.values())
        mtype = offers.mtype
        self.ocat = category[offers.product]
        self.mrp = mrp[offers.product]  # paise
        self.base_share = offers.price / self.mrp.astype(xp.float64)
        self.spread = xp.asarray(np.array([max(t.price_spread, 0.01) for t in types]))[mtype]
        self.gap = xp.asarray(np.array([t.reprice_days for t in types]))[mtype]
        self.type_depth = xp.asarray(np.array([t.sale_depth for t in types]))[mtype]
        self.bb_type = xp.asarray(np.array([t.buybox_weight for t in types]))[mtype]
        keep = xp.asarray(np.array([1.0 - c.clearance_discount for c in cats]))[self.ocat]
        self.clear_keep = keep
        ends = offers.last_order_day + 1
        self.clear_day = xp.where(ends < cfg.num_days, ends, -1)
        self.repriced = (offers.price < self.mrp) & (self.gap > 0)
        self.oid = xp.arange(offers.n, dtype=xp.int64)
        self._reset()

    def _reset(self) -> None:
        xp, of = self.xp, self.offers
        self.day = -1
        self.regular = of.price.copy()  # everyday price, paise
        self.regular_reason = xp.full(of.n, LIST, dtype=xp.int8)
        first = self._gap(self.rng.stream("prices.first_review").uniform_open(self.oid))
        self.next_review = xp.where(self.repriced, first, NEVER)  # day 0 lists
        self.window = (-1, -1)  # (first day of the sale window, its event)
        self.cut = xp.zeros(of.n, dtype=xp.int64)  # drawn sale cut of the window, bp
        self._all()

    @property
    def event(self) -> int:
        """Index of the sale event whose cuts are in force, -1: none."""
        return self.window[1]

    def _gap(self, u: Any, idx: Any = None) -> Any:
        """Days to the next review of offers ``idx`` (all: None), at least 1: exponential
        with the merchant type's mean."""
        gap = self.gap if idx is None else self.gap[idx]
        return xp_ceil(self.xp, -gap * fm.log_v(self.xp, u))

    def on(self, d: int) -> PriceBook:
        """Advance to day ``d`` (its prices then in ``price``, ``regular``, ``sale_bp``,
        ``reason``, ``event``, ``buybox``)."""
        if d < self.day:
            self._reset()
        while self.day < d:
            self._advance(self.day + 1)
        return self

    def _advance(self, d: int) -> None:
        xp, cal = self.xp, self.cal
        self.day = d
        window = (int(cal.sale_window[d]), int(cal.sale_event[d]))
        changed = xp.nonzero((self.next_review == d) | (self.clear_day == d))[0]
        if changed.shape[0]:
            self._reprice(d, changed)
        if window != self.window:  # a sale starts, ends, or another event's cuts take over
            self.window = window
            self._draw_cuts(d)
            self._all()
        elif changed.shape[0]:
            self._update(changed)

    def _reprice(self, d: int, idx: Any) -> None:
        """New everyday prices of offers ``idx``: reviewed today, or cleared from today."""
        xp = self.xp
        clear = self.clear_day[idx] == d
        mrp, regular = self.mrp[idx], self.regular[idx]
        noise = self.rng.stream("prices.reprice").lognormal(
            d, idx, median=1.0, sigma=self.spread[idx])
        share = xp.minimum(self.base_share[idx] * noise, 1.0)
        rupees = xp.where(clear, (regular // 100) * self.clear_keep[idx], (mrp // 100) * share)
        new = xp.where(~clear & (share >= 1.0), mrp, storefront_floor(rupees, xp) * 100)
        reason = xp.where(new != regular, REPRICING, self.regular_reason[idx])
        self.regular_reason[idx] = xp.where(clear, CLEARANCE, reason)
        self.regular[idx] = new
        gap = self._gap(self.rng.stream("prices.review_gap").uniform_open(d, idx), idx)
        self.next_review[idx] = xp.where(clear, NEVER, d + gap)

    def _draw_cuts(self, d: int) -> None:
        """Each offer's cut for the sale in force on day ``d`` (drawn per offer, window and
        event)."""
        xp, cal = self.xp, self.cal
        start, event = self.window
        if start < 0:
            self.cut = xp.zeros(self.offers.n, dtype=xp.int64)
            return
        bp = xp.asarray(cal.discount_bp[d])[self.ocat] * self.type_depth
        spread = float(cal.discount_spread[d])
        if spread > 0:  # varied cuts are shown, and so drawn, in whole percent
            bp = xp.rint(bp * self.rng.stream("prices.sale_cut").lognormal(
                start, event, self.oid, median=1.0, sigma=spread) / 100.0) * 100.0
        cut = xp.clip(xp.rint(bp), 0, MAX_DISCOUNT_BP).astype(xp.int64)
        if cal.participation[d] < 1.0:
            takes_part = self.rng.stream("prices.sale_participation").uniform(
                start, event, self.oid) < cal.participation[d]
            cut = xp.where(takes_part, cut, 0)
        self.cut = cut

    def _all(self) -> None:
        """Today's prices of every offer from the everyday prices and the window's cuts."""
        self.sale_bp, self.price, self.reason, self.buybox = self._prices(
            self.regular, self.cut, self.regular_reason, self.bb_type, self.mrp)

    def _update(self, idx: Any) -> None:
        """Today's prices of the offers ``idx`` (their everyday price changed)."""
        bp, price, reason, bb = self._prices(self.regular[idx], self.cut[idx],
                                             self.regular_reason[idx], self.bb_type[idx],
                                             self.mrp[idx])
        self.sale_bp[idx], self.price[idx], self.reason[idx], self.buybox[idx] = \
            bp, price, reason, bb

    def _prices(self, regular: Any, cut: Any, reason: Any, bb_type: Any,
                mrp: Any) -> tuple[Any, Any, Any, Any]:
        xp = self.xp
        cut = xp.where(discounted_price(regular, cut) >= 100, cut, 0)
        price = discounted_price(regular, cut)
        why = xp.where(cut > 0, SALE, reason).astype(xp.int8)
        return cut, price, why, buybox_weight(xp, bb_type, mrp, price)


def xp_ceil(xp: Any, x: Any) -> Any:
    """Whole days, at least 1."""
    return xp.maximum(xp.ceil(x), 1.0).astype(xp.int64)
