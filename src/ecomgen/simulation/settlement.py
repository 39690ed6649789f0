"""Exact settlement of checkout attempts against stock, and the stock level at view time
from the day's accepted sales (docs/model.md)."""

from __future__ import annotations

from typing import Any

from ecomgen.kernels import launch
from ecomgen.kernels.offers import SettleIn, SettleOut
from ecomgen.simulation.arrays import count_by, stable_order
from ecomgen.simulation.clock import DAY


def settle(xp: Any, offer: Any, qty: Any, time: Any, stock: Any) -> Any:
    """Accept attempts first-fit in time order without ever exceeding ``stock``.

    ``offer``/``qty``/``time`` describe the day's attempts (``offer`` an index into
    ``stock``, time = seconds into the day, ties broken by input order); ``stock`` is every
    offer's stock at the start of the day, which only falls during the day. An attempt is
    accepted when its units are still in stock at its moment, so a line that does not fit
    never blocks a later one that does. One launch of the settlement kernel
    (``ecomgen.kernels.offers.settle_offers``); returns a boolean array: accepted.
    """
    n = int(stock.shape[0])
    order = stable_order(xp, offer.astype(xp.int64) * DAY + time.astype(xp.int64))
    start = xp.concatenate([xp.zeros(1, dtype=xp.int64),
                            xp.cumsum(count_by(xp, offer, n))])
    o = SettleOut(xp.empty(offer.shape[0], dtype=xp.bool_))
    launch.run("offers.settle", n,
               SettleIn(start, qty[order].astype(xp.int64), stock.astype(xp.int64)), o)
    accepted = xp.empty(offer.shape[0], dtype=xp.bool_)
    accepted[order] = o.accepted
    return accepted
