"""Cart lines and session outcomes of a day (made by the browse kernel), and the payment
method of each order (the payment kernel's inputs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.kernels import launch
from ecomgen.kernels.orders import HABIT_STREAMS, PAY_STREAMS, PayIn, PayOut
from ecomgen.schema import TABLES
from ecomgen.simulation.world import World

CART_EVENTS = TABLES["cart_events"].column("event_type").values
ADD, REMOVE, CHECKOUT, FAILED, ABANDON = range(5)


@dataclass
class Lines:
    """Cart lines (one per add_to_cart), in view order."""

    view: Any  # index into the day's views
    sess: Any
    offer: Any
    qty: Any
    price: Any  # paise per unit
    discount_bp: Any  # sale discount in that price, basis points
    added: Any  # seconds into the day
    removed: Any  # bool
    removed_at: Any

    def take(self, m: Any) -> Lines:
        """Lines selected by a mask or index (a mask becomes an index once: one device sync
        for all the fields, not one per field)."""
        if m.dtype == bool:
            m = m.nonzero()[0]
        return Lines(*(getattr(self, f)[m] for f in self.__dataclass_fields__))

    @staticmethod
    def concat(xp: Any, parts: list[Lines]) -> Lines:
        """Lines of consecutive batches as one."""
        if len(parts) == 1:
            return parts[0]
        return Lines(*(xp.concatenate([getattr(p, f) for p in parts])
                       for f in Lines.__dataclass_fields__))


@dataclass
class Outcome:
    """What each session does with its cart."""

    browse_end: Any  # end of the last view
    checkout: Any  # bool: the customer proceeds to pay
    checkout_at: Any
    paid_at: Any  # payment confirmation (settlement time)
    abandon_at: Any


def payment_methods(w: World, d: int, order_key: Any, total: Any, customer: Any) -> Any:
    """Payment method of each order (``total``: paise attempted): the customer's habitual
    method most of the time, else one weighted by method, city tier and order value (one
    launch of the payment kernel)."""
    n = int(order_key.shape[0])
    o = PayOut(w.xp.empty(n, dtype=w.xp.int64))
    launch.run("pay", n, pay_inputs(w, d, order_key, total, customer), o)
    return o.method


def pay_inputs(w: World, d: int, order_key: Any, total: Any, customer: Any) -> PayIn:
    """The payment kernel's view of day ``d``'s orders (see :func:`payment_methods`)."""
    return PayIn(keys=w.xp.asarray(w.rng.keys(PAY_STREAMS, d, origin="kernels/orders.py:pay")),
                 okey=order_key, total=total, customer=customer, c0=w.own.c0,
                 **w.once("pay", lambda: _pay_tables(w)))


def _pay_tables(w: World) -> dict[str, Any]:
    """The payment kernel's inputs that stay the same all period."""
    xp = w.xp
    methods = list(w.cfg.PAYMENT_METHODS.values())

    def per_method(attr: str) -> Any:
        return xp.asarray(np.array([getattr(m, attr) for m in methods], dtype=np.float64))

    return dict(
        habit_key=w.rng.keys(HABIT_STREAMS, origin="kernels/orders.py:habit")[0],
        city_tier=w.own.customers.city_tier, weight=per_method("weight"),
        min_rupees=per_method("min_order_value"), max_rupees=per_method("max_order_value"),
        high_mult=per_method("high_value_multiplier"), low_mult=per_method("low_value_multiplier"),
        tier_mult=xp.asarray(np.array([m.tier_multipliers for m in methods],
                                      dtype=np.float64).T.copy()))
