"""Stock status at view time from the day's accepted sales (settlement itself is the offer
kernels' first-fit pass: ``ecomgen.kernels.offers.settle_offers``)."""

from __future__ import annotations

from typing import Any

from ecomgen.simulation.arrays import stable_order
from ecomgen.simulation.clock import DAY


def sold_before(xp: Any, sale_offer: Any, sale_time: Any, sale_qty: Any, offer: Any,
                time: Any) -> Any:
    """Units of each queried offer sold strictly before each queried time (same day)."""
    if sale_offer.shape[0] == 0:
        return xp.zeros(offer.shape[0], dtype=xp.int64)
    key = sale_offer.astype(xp.int64) * DAY + sale_time.astype(xp.int64)
    order = stable_order(xp, key)
    key = key[order]
    qty = xp.cumsum(sale_qty[order].astype(xp.int64))
    csum = xp.concatenate([xp.zeros(1, dtype=xp.int64), qty])
    base = offer.astype(xp.int64) * DAY
    hi = xp.searchsorted(key, base + time.astype(xp.int64), side="left")
    lo = xp.searchsorted(key, base, side="left")
    return csum[hi] - csum[lo]
