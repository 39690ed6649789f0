"""The offer side of a day, for one shard of offers (whole products, a contiguous range).

A shard owns the stock state of its offers (:class:`Inventory`). Its day:

1. :meth:`OfferShard.open`: supplier deliveries and gains at 00:00; hands out the stock at
   00:00 (for every customer shard's buy box and view status) and what is on order.
2. :meth:`OfferShard.settle`: first-fit settlement of the checkout attempts on its offers
   (given in the canonical tie order).
3. :meth:`OfferShard.close`: books the accepted sales (with their order ids; units that
   will come back are booked at 00:00 of their day), losses and corrections at 23:59:59,
   supplier orders; hands out how many ledger, status and price
   rows it has (price rows: each offer's price interval that ended at the day's 00:00,
   and on the last day those still open). :meth:`OfferShard.emit` then builds them with
   the ids it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.schema import Cat
from ecomgen.simulation.calendar import BP
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.customer_day import Sales
from ecomgen.simulation.inventory import (
    LEDGER_REASONS,
    LEDGER_TYPES,
    STATUS,
    TRANSITION_REASONS,
    Inventory,
    Ledger,
)
from ecomgen.simulation.price_rows import HeldPrices, PriceRows
from ecomgen.simulation.pricing import REASONS
from ecomgen.simulation.world import World

Batch = dict[str, Any]


@dataclass(frozen=True)
class Opened:
    """Stock of the shard's offers at 00:00 and units on order."""

    stock: Any
    on_order: Any


@dataclass(frozen=True)
class Closed:
    """The day's ledger of the shard's offers, its status transitions and the price rows
    that ended (on the last day: every price row still open, too)."""

    ledger: Ledger
    transitions: tuple[Any, Any, Any, Any]  # (row index, new, previous, reason)
    prices: PriceRows

    def counts(self) -> dict[str, int]:
        """Ids of each kind the shard needs for the day."""
        return {"ledger": int(self.ledger.offer.shape[0]),
                "instock": int(self.transitions[0].shape[0]),
                "price": int(self.prices.offer.shape[0])}


class OfferShard:
    """The offers ``[inv.lo, inv.lo + inv.n)``: their stock, day by day."""

    def __init__(self, w: World, backend: Any, inv: Inventory) -> None:
        self.w, self.b, self.inv = w, backend, inv
        self.lo, self.hi = inv.lo, inv.lo + inv.n
        self._held: HeldPrices | None = None
        self._price_rows: PriceRows | None = None

    def h(self, a: Any) -> np.ndarray:
        """Host copy."""
        return self.b.to_host(a)

    def open(self, d: int) -> Opened:
        """Deliveries and gains at 00:00; the price rows that ended at 00:00."""
        self._price_rows = self._prices(d)
        self.inv.open_day(d)
        return Opened(self.inv.stock.copy(), self.inv.on_order.copy())

    def settle(self, offer: Any, qty: Any, time: Any) -> Any:
        """Which attempts on the shard's offers are accepted (``offer``: indices among all
        offers; ties in the given order)."""
        return self.inv.settle(offer - self.lo, qty, time)

    def close(self, d: int, sales: Sales) -> Closed:
        """Book the accepted sales, then losses, corrections and supplier orders."""
        inv = self.inv
        led = inv.close_day(sales.offer, sales.qty, sales.time, sales.order_id)
        if sales.back_day is not None:
            inv.expect_back(sales.offer, sales.back_qty, sales.back_day, sales.back_kind,
                            sales.order_id)
        assert self._price_rows is not None
        return Closed(led, led.transitions(self.w.xp), self._price_rows)

    def _prices(self, d: int) -> PriceRows:
        """Price rows of the shard's offers that end at day ``d``'s 00:00 (and, on the last
        day, the rows still open at the period's end, by offer and start)."""
        xp = self.w.xp
        today = HeldPrices.of(self.w.prices.on(d), self.lo, self.hi, d)
        held, self._held = self._held, today
        if held is None or d == 0:
            rows = PriceRows.none(xp)
        else:
            differs = today.differs(held)
            idx = xp.nonzero(differs)[0]
            rows = held.rows(xp, idx, d, self.lo) if idx.shape[0] else PriceRows.none(xp)
            today.since = xp.where(differs, d, held.since)
        if d == self.w.cfg.num_days - 1:
            rows = rows.merge(xp, today.rows(xp, xp.arange(self.hi - self.lo, dtype=xp.int64),
                                             d + 1, self.lo))
        return rows

    def emit(self, d: int, c: Closed, first: dict[str, int]) -> list[tuple[str, Batch]]:
        """The day's ledger, status-transition and price rows (ids from ``first``)."""
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
        p = c.prices
        k = int(p.offer.shape[0])
        if k == 0:
            return out
        events = self.w.calendar.event_names
        out.append(("offer_prices", {
            "price_id": self.h(first["price"] + xp.arange(k, dtype=xp.int64)),
            "offer_id": self.h(p.offer + 1),
            "merchant_id": self.h(of.merchant[p.offer] + 1),
            "sku": self.h(of.product[p.offer] + 1),
            "valid_from": self.h((self.w.calendar.first_day + p.since) * DAY),
            "valid_to": self.h((self.w.calendar.first_day + p.until) * DAY),
            "price": self.h(p.price),
            "regular_price": self.h(p.regular),
            "discount_pct": self.h(p.sale_bp / BP),
            "reason": Cat(self.h(p.reason.astype(xp.int64)), REASONS),
            "sale_event": Cat(self.h(p.event), events),
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
