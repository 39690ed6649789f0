"""Rows of the offer_prices table: each offer's price intervals, written when they end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecomgen.simulation.arrays import stable_order
from ecomgen.simulation.pricing import SALE, PriceBook


@dataclass
class HeldPrices:
    """The prices of a range of offers on one day, and the day each has held since."""

    price: Any
    regular: Any
    sale_bp: Any
    reason: Any
    event: Any  # sale event index, -1 outside a sale
    since: Any  # day index the price row began

    @classmethod
    def of(cls, book: PriceBook, lo: int, hi: int, d: int) -> HeldPrices:
        """The offers ``lo..hi-1`` on the book's day, as if held since day ``d``."""
        xp = book.xp
        reason = book.reason[lo:hi].copy()
        return cls(book.price[lo:hi].copy(), book.regular[lo:hi].copy(),
                   book.sale_bp[lo:hi].copy(), reason,
                   xp.where(reason == SALE, book.event, -1).astype(xp.int64),
                   xp.full(hi - lo, d, dtype=xp.int64))

    def differs(self, other: HeldPrices) -> Any:
        """Offers whose row changes between ``other`` and these prices (the price follows
        from the regular price and the cut)."""
        return ((self.regular != other.regular) | (self.sale_bp != other.sale_bp)
                | (self.reason != other.reason) | (self.event != other.event))

    def rows(self, xp: Any, idx: Any, until: int, lo: int) -> PriceRows:
        """The rows of offers ``idx`` (within the range starting at offer ``lo``), ending
        at day ``until``'s 00:00."""
        return PriceRows(lo + idx, self.since[idx], xp.full(idx.shape[0], until, dtype=xp.int64),
                         self.price[idx], self.regular[idx], self.sale_bp[idx],
                         self.reason[idx], self.event[idx])


@dataclass(frozen=True)
class PriceRows:
    """offer_prices rows: offer index, first and end day (exclusive), prices, why."""

    offer: Any
    since: Any
    until: Any
    price: Any
    regular: Any
    sale_bp: Any
    reason: Any
    event: Any

    @classmethod
    def none(cls, xp: Any) -> PriceRows:
        """No rows."""
        def z() -> Any:
            return xp.zeros(0, dtype=xp.int64)
        return cls(z(), z(), z(), z(), z(), z(), xp.zeros(0, dtype=xp.int8), z())

    def merge(self, xp: Any, other: PriceRows) -> PriceRows:
        """Both sets of rows, by offer then start day (each offer's rows in time order)."""
        cols = [xp.concatenate([getattr(self, f), getattr(other, f)])
                for f in self.__dataclass_fields__]
        order = stable_order(xp, cols[0] * 2 + xp.concatenate(
            [xp.zeros(self.offer.shape[0], dtype=xp.int64),
             xp.ones(other.offer.shape[0], dtype=xp.int64)]))
        return PriceRows(*(c[order] for c in cols))
