"""What a customer shard's day hands from phase to phase: checkout attempts, accepted sales,
the browsed day (phase 1) and what stands after settlement (phase 2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecomgen.schema import TABLES
from ecomgen.simulation import carts as ct
from ecomgen.simulation.browse import Sessions, Views
from ecomgen.simulation.exchange import Columns
from ecomgen.simulation.order_rows import AfterOrder
from ecomgen.simulation.ratings import Rated

#: Id kinds a customer shard numbers: those of its tables' id columns.
ID_KINDS = tuple(dict.fromkeys(kind for t in TABLES.values() if t.side == "customer"
                               for _, kind in t.ids))


@dataclass(frozen=True)
class Attempts(Columns):
    """Checkout attempts of a shard's day, in line order (the settlement's tie order); a
    message of the day's exchange (customer shards -> offer shards)."""

    offer: Any
    qty: Any
    time: Any  # payment time, seconds into the day


@dataclass(frozen=True)
class Sales(Columns):
    """Accepted sales of a day (offer, units, payment time; order id once known, and the
    units that come back); a message of the day's exchange (customer shards -> offer
    shards)."""

    offer: Any
    qty: Any
    time: Any
    order_id: Any = None
    back_qty: Any = None  # units of the line that come back to stock (order_rows.py)
    back_day: Any = None  # day index they are booked at 00:00, -1: none in the period
    back_kind: Any = None


@dataclass(frozen=True)
class Browsed:
    """Phase 1's result: the day's sessions, views, lines and checkout decisions."""

    s: Sessions
    v: Views
    lines: ct.Lines
    out: ct.Outcome
    attempt: Any  # bool per line: goes to payment

    def attempts(self) -> Attempts:
        """The lines that go to payment."""
        ai = self.attempt.nonzero()[0]
        return Attempts(self.lines.offer[ai], self.lines.qty[ai],
                        self.out.paid_at[self.lines.sess[ai]])


@dataclass(frozen=True)
class Resolved:
    """Phase 2's result: what stands after settlement, and the ids it needs."""

    lines: ct.Lines  # lines of views that were not sold out
    attempt: Any
    accepted: Any
    status: Any  # per view
    oos_reason: Any  # per view, -1 unless out of stock
    osess: Any  # sessions with an order, in order-id order
    paid: Any  # per session: the order has a paid line
    paid_total: Any
    payment: Any  # per session, -1 without an order
    acc: Any  # accepted lines in (order, line) order
    line_no: Any
    paid_sess: Any  # session of each paid order, in order-id order
    after: AfterOrder  # what happens to the paid orders
    rated: Rated
    cart_events: int

    def counts(self, b: Browsed) -> dict[str, int]:
        """Ids of each kind the shard needs for the day."""
        return {"session": b.s.n, "view": b.v.n, "cart": self.cart_events,
                "order": int(self.osess.shape[0]), "rating": int(self.rated.line.shape[0]),
                **self.after.counts()}
