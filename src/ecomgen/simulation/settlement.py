"""Exact, vectorised settlement of checkout attempts against stock (docs/model.md)."""

from __future__ import annotations

from typing import Any

from ecomgen.simulation.arrays import group_ids, segmented_cumsum, stable_order, sum_by
from ecomgen.simulation.clock import DAY


def settle(xp: Any, offer: Any, qty: Any, time: Any, stock: Any) -> Any:
    """Accept attempts first-fit in time order without ever exceeding ``stock``.

    ``offer``/``qty``/``time`` describe the day's attempts (time = seconds into the day, ties
    broken by input order); ``stock`` is every offer's stock at the start of the day, which
    only falls during the day. Returns a boolean array: attempt accepted.
    """
    n = int(offer.shape[0])
    accepted = xp.zeros(n, dtype=bool)
    if n == 0:
        return accepted
    order = stable_order(xp, offer.astype(xp.int64) * DAY + time.astype(xp.int64))
    off, q = offer[order], qty[order].astype(xp.int64)
    gid, starts = group_ids(xp, off)
    remaining = stock[off[starts]].astype(xp.int64)  # per group
    acc = xp.zeros(n, dtype=bool)
    pending = xp.ones(n, dtype=bool)
    while bool(pending.any()):
        pending &= q <= remaining[gid]  # larger than what is left: can never fit (stock only falls)
        pq = xp.where(pending, q, 0)
        fits = pending & (segmented_cumsum(xp, pq, gid, starts) <= remaining[gid])
        acc |= fits
        remaining -= sum_by(xp, gid[fits], q[fits], int(starts.shape[0]))
        pending &= ~fits
    accepted[order] = acc
    return accepted


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
