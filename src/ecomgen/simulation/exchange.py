"""What crosses between shards in a day, as typed messages, and the rules that make them small.

Customer shards need from the offer side only each offer's stock *class* (in stock, low,
out; and whether units are on order), never its stock: the buy box weighs offers by class,
and a view's stock status is the class after the sales strictly before it. So:

- at 00:00 every offer shard sends the offers whose class code differs from what the
  customer shards hold (:class:`ClassCodes`; every offer on the first day), which each
  customer shard applies to its replicated copy of the codes; both sides have moved that
  copy on by the day before's class changes (:func:`apply_changes`), so a sell-out is
  not sent twice;
- customer shards send their checkout attempts (:class:`~ecomgen.simulation.customer_day.
  Attempts`) to the offer shards owning the offers;
- offer shards send back each attempt's acceptance and, to every customer shard, the
  moments a sale moved an offer to another class (:class:`ClassChanges`).

Offers are indices among all offers, so messages from shards in offer order concatenate
into one message in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

import numpy as np

from ecomgen.simulation.arrays import group_ids, stable_order
from ecomgen.simulation.clock import DAY

#: Stock classes (``instock_events.status`` codes): in stock, low stock, out of stock.
IN_STOCK, LOW_STOCK, OUT_OF_STOCK = 0, 1, 2
#: A class code is class + ON_ORDER when units are on order from the supplier.
ON_ORDER = 3


class Columns:
    """A message of the day's exchange whose fields are columns of equal length."""

    def map(self, f: Callable[[Any], Any]) -> Self:
        """The message with ``f`` applied to every column (a copy to host or device)."""
        return type(self)(*(f(getattr(self, k)) for k in fields_of(self)))

    def take(self, idx: Any) -> Self:
        """The rows at ``idx``."""
        return self.map(lambda a: a[idx])

    @classmethod
    def join(cls, parts: list[Self]) -> Self:
        """The messages of shards in shard order as one (host arrays)."""
        return cls(*(np.concatenate([getattr(p, k) for p in parts]) for k in fields_of(cls)))

    @classmethod
    def none(cls) -> Self:
        """No rows (host arrays)."""
        return cls(*(np.zeros(0, np.int64) for _ in fields_of(cls)))


def fields_of(message: Any) -> tuple[str, ...]:
    """Field names of a dataclass message, in order."""
    return tuple(message.__dataclass_fields__)


@dataclass(frozen=True)
class ClassCodes(Columns):
    """Offers whose class code (class + ON_ORDER if units are on order) changed at 00:00."""

    offer: np.ndarray  # int32 (int64 past 2**31 offers), ascending
    code: np.ndarray  # int8


@dataclass(frozen=True)
class ClassChanges(Columns):
    """The day's sales that moved an offer to another class: offer, second of the day and the
    class after every sale of that offer at that second; sorted by (offer, second)."""

    offer: np.ndarray  # int32 (int64 past 2**31 offers)
    time: np.ndarray  # int32
    cls: np.ndarray  # int8



def class_of(xp: Any, level: Any, low: int) -> Any:
    """Stock class of stock levels: out at 0 or below, low up to ``low``, else in stock."""
    return xp.where(level <= 0, OUT_OF_STOCK,
                    xp.where(level <= low, LOW_STOCK, IN_STOCK)).astype(xp.int8)


def class_codes(xp: Any, stock: Any, on_order: Any, low: int) -> Any:
    """Class code of each offer from its stock and units on order."""
    return (class_of(xp, stock, low) + ON_ORDER * (on_order > 0)).astype(xp.int8)


def offer_dtype(n_offers: int) -> Any:
    """The narrowest integer type of offer indices in messages."""
    return np.int32 if n_offers < 2**31 else np.int64


def changed_codes(xp: Any, codes: Any, before: Any | None, lo: int, n_offers: int
                  ) -> tuple[Any, Any]:
    """Offers (indices among all ``n_offers``, the range starting at ``lo``) whose code
    differs from ``before`` (None: every offer), and their codes."""
    idx = (xp.arange(codes.shape[0], dtype=xp.int64) if before is None
           else xp.nonzero(codes != before)[0].astype(xp.int64))
    return (idx + lo).astype(offer_dtype(n_offers)), codes[idx]


def apply_changes(xp: Any, codes: Any, lo: int, offer: Any, cls: Any) -> None:
    """Move class codes (of offers from ``lo``) on to the class after the day's last change
    of each offer (``offer`` sorted, as :class:`ClassChanges`), keeping the on-order part."""
    if offer.shape[0] == 0:
        return
    last = xp.ones(offer.shape[0], dtype=bool)
    last[:-1] = offer[1:] != offer[:-1]
    o = offer[last].astype(xp.int64) - lo
    codes[o] = (cls[last] + ON_ORDER * (codes[o] >= ON_ORDER)).astype(xp.int8)


def class_changes(xp: Any, stock0: Any, lo: int, offer: Any, qty: Any, time: Any,
                  low: int) -> tuple[Any, Any, Any]:
    """(offer, second, class) where accepted sales (``offer``: indices among all offers,
    ``stock0`` the range's stock at 00:00 from offer ``lo``) moved an offer to another
    class; sales at the same second count together."""
    if offer.shape[0] == 0:
        z = xp.zeros(0, dtype=xp.int64)
        return z, z.astype(xp.int32), z.astype(xp.int8)
    key = offer.astype(xp.int64) * DAY + time.astype(xp.int64)
    order = stable_order(xp, key)
    key, offer, qty = key[order], offer[order], qty[order].astype(xp.int64)
    gid, starts = group_ids(xp, offer)
    run = xp.cumsum(qty)
    sold = run - (run[starts] - qty[starts])[gid]  # units sold up to each sale, per offer
    after = class_of(xp, stock0[offer - lo] - sold, low)
    last = xp.ones(key.shape[0], dtype=bool)  # the last sale of each (offer, second)
    last[:-1] = key[1:] != key[:-1]
    key, offer, after = key[last], offer[last], after[last]
    before = class_of(xp, stock0[offer - lo], low)
    prev_same = xp.zeros(key.shape[0], dtype=bool)
    prev_same[1:] = offer[1:] == offer[:-1]
    before[1:] = xp.where(prev_same[1:], after[:-1], before[1:])
    moved = xp.nonzero(after != before)[0]
    return offer[moved], (key[moved] - offer[moved] * DAY).astype(xp.int32), after[moved]


def class_at(xp: Any, codes: Any, change_offer: Any, change_time: Any, change_cls: Any,
             offer: Any, time: Any) -> Any:
    """Class of each queried offer at a second of the day: the class after the sales strictly
    before it (``codes``: every offer's class code at 00:00)."""
    cls = (codes[offer] % ON_ORDER).astype(xp.int64)
    if change_offer.shape[0] == 0 or offer.shape[0] == 0:
        return cls
    ckey = change_offer.astype(xp.int64) * DAY + change_time.astype(xp.int64)
    q = offer.astype(xp.int64) * DAY + time.astype(xp.int64)
    at = xp.searchsorted(ckey, q, side="left") - 1
    hit = at >= 0
    at = xp.maximum(at, 0)
    hit &= change_offer[at] == offer
    return xp.where(hit, change_cls[at].astype(xp.int64), cls)
