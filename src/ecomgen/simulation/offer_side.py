"""The offer side of a day, for one shard of offers (whole products, a contiguous range).

A shard owns the stock state of its offers (:class:`Inventory`). Its day:

1. :meth:`OfferShard.open`: supplier deliveries and gains at 00:00; hands out the stock at
   00:00 (for every customer shard's buy box and view status) and what is on order.
2. :meth:`OfferShard.settle`: first-fit settlement of the checkout attempts on its offers
   (given in the canonical tie order).
3. :meth:`OfferShard.close`: books the accepted sales (with their order ids), losses and
   corrections at 23:59:59, supplier orders; hands out how many ledger and status rows it
   has. :meth:`OfferShard.emit` then builds them with the ids it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.schema import Cat
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.customer_side import Sales
from ecomgen.simulation.inventory import (
    LEDGER_REASONS,
    LEDGER_TYPES,
    STATUS,
    TRANSITION_REASONS,
    Inventory,
    Ledger,
    transitions,
)
from ecomgen.simulation.settlement import settle
from ecomgen.simulation.world import World

Batch = dict[str, Any]


@dataclass(frozen=True)
class Opened:
    """Stock of the shard's offers at 00:00 and units on order."""

    stock: Any
    on_order: Any


@dataclass(frozen=True)
class Closed:
    """The day's ledger of the shard's offers and its status transitions."""

    ledger: Ledger
    transitions: tuple[Any, Any, Any, Any]  # (row index, new, previous, reason)

    def counts(self) -> dict[str, int]:
        """Ids of each kind the shard needs for the day."""
        return {"ledger": int(self.ledger.offer.shape[0]),
                "instock": int(self.transitions[0].shape[0])}


class OfferShard:
    """The offers ``[inv.lo, inv.lo + inv.n)``: their stock, day by day."""

    def __init__(self, w: World, backend: Any, inv: Inventory) -> None:
        self.w, self.b, self.inv = w, backend, inv
        self.lo, self.hi = inv.lo, inv.lo + inv.n
        self._prev_end: Any = None

    def h(self, a: Any) -> np.ndarray:
        """Host copy."""
        return self.b.to_host(a)

    def open(self, d: int) -> Opened:
        """Deliveries and gains at 00:00."""
        self._prev_end = self.inv.stock.copy()
        self.inv.open_day(d)
        return Opened(self.inv.stock.copy(), self.inv.on_order.copy())

    def settle(self, offer: Any, qty: Any, time: Any, stock0: Any) -> Any:
        """Which attempts on the shard's offers are accepted (``offer``: indices among all
        offers; ties in the given order)."""
        return settle(self.w.xp, offer - self.lo, qty, time, stock0)

    def close(self, d: int, sales: Sales) -> Closed:
        """Book the accepted sales, then losses, corrections and supplier orders."""
        inv = self.inv
        sold = inv.book_sales(sales.offer, sales.qty, sales.time, sales.order_id)
        inv.close_day(d, sold)
        led = inv.ledger(self._prev_end)
        low = self.w.cfg.INVENTORY_CONFIG.low_stock_threshold
        return Closed(led, transitions(self.w.xp, led, low))

    def emit(self, d: int, c: Closed, first: dict[str, int]) -> list[tuple[str, Batch]]:
        """The day's ledger and status-transition rows (ids from ``first``)."""
        xp, of = self.w.xp, self.w.offers
        t0 = (self.w.calendar.first_day + d) * DAY
        led = c.ledger
        n = int(led.offer.shape[0])
        out: list[tuple[str, Batch]] = [("inventory_events", {
            "event_id": self.h(first["ledger"] + xp.arange(n, dtype=xp.int64)),
            "merchant_id": self.h(of.merchant[led.offer] + 1),
            "sku": self.h(of.product[led.offer] + 1),
            "offer_id": self.h(led.offer + 1),
            "event_type": Cat(self.h(led.kind), LEDGER_TYPES),
            "quantity": self.h(led.qty),
            "new_balance": self.h(led.balance),
            "timestamp": self.h(t0 + led.time),
            "reason": Cat(self.h(led.reason), LEDGER_REASONS),
            "reference_id": self.h(led.ref),
        })]
        idx, new, prev, reason = c.transitions
        m = int(idx.shape[0])
        o = led.offer[idx]
        out.append(("instock_events", {
            "event_id": self.h(first["instock"] + xp.arange(m, dtype=xp.int64)),
            "merchant_id": self.h(of.merchant[o] + 1),
            "sku": self.h(of.product[o] + 1),
            "offer_id": self.h(o + 1),
            "timestamp": self.h(t0 + led.time[idx]),
            "status": Cat(self.h(new), STATUS),
            "previous_status": Cat(self.h(prev), STATUS),
            "reason": Cat(self.h(reason), TRANSITION_REASONS),
            "stock_level": self.h(led.balance[idx]),
        }))
        return out

    def offers_table(self, reserved: Any) -> Batch:
        """Final state of the shard's offers (``reserved``: units held per offer)."""
        xp, of, inv = self.w.xp, self.w.offers, self.inv
        lo, hi = self.lo, self.hi
        reserved = xp.minimum(reserved, inv.stock)
        return {
            "offer_id": self.h(xp.arange(lo, hi, dtype=xp.int64) + 1),
            "merchant_id": self.h(of.merchant[lo:hi] + 1),
            "sku": self.h(of.product[lo:hi] + 1),
            "product_id": self.h(of.product[lo:hi] + 1),
            "merchant_type": Cat(self.h(of.mtype[lo:hi]), tuple(self.w.cfg.MERCHANT_TYPES)),
            "price": self.h(of.price[lo:hi]),
            "initial_stock": self.h(of.initial_stock[lo:hi]),
            "reorder_point": self.h(of.reorder_point[lo:hi]),
            "current_stock": self.h(inv.stock),
            "reserved_stock": self.h(reserved),
            "available_stock": self.h(inv.stock - reserved),
            "on_order_stock": self.h(inv.on_order),
        }
