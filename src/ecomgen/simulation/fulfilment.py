"""After the click: each order's fate, drawn on the day it is placed.

An order (its paid lines) is cancelled before dispatch (by the customer, more often during
sale events, or by the seller), or dispatched and taken out for delivery on consecutive
days until it is delivered or, after its last failed attempt, sent back to the seller
(return to origin, RTO; mostly cash-on-delivery orders the buyer refuses). A delivered line
may be returned within its category's window (picked up, received, resellable or not).
Prepaid money comes back as refunds per line: at the cancellation, at the RTO's receipt,
at a return's pickup; cash on delivery is refunded (bank transfer or store credit) only
for returns. Units come back to the offer's stock at 00:00 of the day after the
cancellation or the receipt (the settlement needs the day's stock fixed at 00:00).

Every draw is keyed by the order's session key and day (lines: and line number), so the
fate of an order is the same whatever the split of the work. Times are absolute seconds;
events after the period's end are not written (an order's status is its state at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels import launch
from ecomgen.kernels.orders import (
    FATE_STREAMS,
    MAX_ATTEMPTS,
    RATING_LAG_DAYS,
    RATING_LAG_P,
    RETURN_ASK_P,
    FateIn,
    FateOut,
)
from ecomgen.rng import cumulative
from ecomgen.schema import TABLES, labels_of
from ecomgen.simulation.arrays import expand
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.ratings import Rated
from ecomgen.simulation.world import World

#: Order events (labels of ``order_events.event_type``), in their order within a second.
EVENTS = TABLES["order_events"].column("event_type").values
(PLACED, CONFIRMED, PACKED, SHIPPED, OUT, FAILED, DELIVERED, CANCELLED, RTO_INIT, RTO_RECV,
 RET_REQ, RET_PICK, RET_RECV, REFUNDED) = range(len(EVENTS))
#: A line's state at the end of the period (``sales.status``).
STATUSES = TABLES["sales"].column("status").values
S_PROC, S_SHIP, S_DELIV, S_CANC, S_RTO, S_RETREQ, S_RET = range(len(STATUSES))
#: Shipment outcomes (``shipments.outcome``) at the end of the period.
OUTCOMES = TABLES["shipments"].column("outcome").values
#: The shipment's outcome of each order-level status (processing and shipped: in transit).
OUTCOME_OF_STATUS = {S_PROC: 0, S_SHIP: 0, S_DELIV: 1, S_RTO: 2, S_CANC: 3}
#: Who cancelled (``shipments.cancelled_by``).
CANCELLERS = TABLES["shipments"].column("cancelled_by").values
#: Why a line was returned (``returns.reason``).
RETURN_REASONS = TABLES["returns"].column("reason").values
#: Chance that a returned unit is unsellable (written off), by return reason.
UNSELLABLE = {"size_fit": 0.04, "defective": 0.85, "damaged_in_transit": 1.0,
              "not_as_described": 0.10, "wrong_item": 0.02, "changed_mind": 0.03,
              "late_delivery": 0.03}
CONDITIONS = TABLES["returns"].column("condition").values
#: Why money went back (``refunds.reason``).
REFUND_REASONS = TABLES["refunds"].column("reason").values
#: Median days of a store-credit refund (credited within the hour).
STORE_CREDIT_DAYS = 0.02


@dataclass
class Fate:
    """What happens to a day's orders (per order) and their paid lines (per line)."""

    # per order
    placed_t: Any
    courier: Any
    promised_day: Any  # epoch day
    cancel_t: Any  # -1: not cancelled
    cancelled_by: Any  # -1 / index into CANCELLERS
    confirm_t: Any
    pack_t: Any  # -1: cancelled first
    dispatch_t: Any  # -1: cancelled
    attempts: Any  # delivery attempts made (0: cancelled)
    first_attempt_day: Any  # epoch day, -1 when cancelled
    delivered_t: Any  # -1: not delivered
    rto_init_t: Any  # -1: no RTO
    rto_recv_t: Any
    # per line
    late: Any  # delivered after the promised date
    ret_qty: Any  # units returned (0: kept)
    ret_reason: Any
    ret_request_t: Any
    ret_pickup_t: Any
    ret_receipt_t: Any
    ret_damaged: Any  # bool
    refund_reason: Any  # -1: no refund
    refund_method: Any  # index into refund methods
    refund_t: Any
    refund_done_t: Any
    # per order: second of the day each delivery attempt goes out and ends ([orders, 3])
    attempt_out: Any = None
    attempt_done: Any = None


def refund_methods(w: World) -> tuple[str, ...]:
    """Labels of ``refunds.method``: the prepaid payment methods, then bank transfer and
    store credit (refunds of cash on delivery)."""
    return labels_of(TABLES["refunds"].column("method"), w.cfg)


def fates(w: World, d: int, okey: Any, placed: Any, payment: Any, tier: Any, mtype: Any,
          scarce: Any, line_start: Any, line_no: Any, line_cat: Any, line_qty: Any,
          line_product: Any, line_price: Any, period_end: int) -> tuple[Fate, Rated]:
    """The fates of day ``d``'s paid orders (``okey`` their session keys, ``placed``
    absolute payment times, ``payment`` method codes, ``tier`` the buyers' city tiers,
    ``mtype`` the merchant type of each order's first line, ``scarce`` whether a line was
    bought at low stock) and of their lines (order p's from ``line_start[p]``, with number,
    category, units, product and unit price), and the lines' ratings: one launch of the
    fate kernel."""
    xp = w.xp
    t = fate_inputs(w, d, okey, placed, payment, tier, mtype, scarce, line_start, line_no,
                    line_cat, line_qty, line_product, line_price, period_end)
    o = fate_outputs(xp, int(okey.shape[0]), int(line_no.shape[0]))
    launch.run("fate", int(okey.shape[0]), t, o)
    fate = Fate(placed, *o[:12], *o[14:25], attempt_out=o.attempt_out,
                attempt_done=o.attempt_done)
    rated = xp.nonzero(o.rated)[0]
    return fate, Rated(rated, o.stars[rated], o.rating_days[rated], o.rating_t[rated])


def fate_outputs(xp: Any, n: int, nl: int) -> FateOut:
    """Empty outputs of the fate kernel for ``n`` orders of ``nl`` lines."""
    def i64(k: int) -> Any:
        return xp.empty(k, dtype=xp.int64)

    def flag(k: int) -> Any:
        return xp.empty(k, dtype=xp.bool_)

    return FateOut(*(i64(n) for _ in range(12)),
                   attempt_out=xp.zeros((n, MAX_ATTEMPTS), dtype=xp.int64),
                   attempt_done=xp.zeros((n, MAX_ATTEMPTS), dtype=xp.int64),
                   late=flag(nl), ret_qty=i64(nl),
                   ret_reason=i64(nl), ret_request_t=i64(nl), ret_pickup_t=i64(nl),
                   ret_receipt_t=i64(nl), ret_damaged=flag(nl), refund_reason=i64(nl),
                   refund_method=i64(nl), refund_t=i64(nl), refund_done_t=i64(nl),
                   rated=flag(nl), stars=i64(nl), rating_days=i64(nl), rating_t=i64(nl))


def fate_inputs(w: World, d: int, okey: Any, placed: Any, payment: Any, tier: Any, mtype: Any,
                scarce: Any, line_start: Any, line_no: Any, line_cat: Any, line_qty: Any,
                line_product: Any, line_price: Any, period_end: int) -> FateIn:
    """The fate kernel's view of day ``d``'s paid orders (see :func:`fates`)."""
    xp = w.xp
    return FateIn(
        keys=xp.asarray(w.rng.keys(FATE_STREAMS, d, origin="kernels/orders.py:fate")),
        okey=okey, placed=placed, payment=payment, tier=tier, mtype=mtype, scarce=scarce,
        line_start=line_start, line_no=line_no, line_cat=line_cat, line_qty=line_qty,
        line_product=line_product, line_price=line_price, d=int(d),
        today=int(w.calendar.first_day + d), sale=float(w.calendar.event[d] >= 0),
        period_end=int(period_end), **w.once("fate", lambda: _fate_tables(w)))


def _fate_tables(w: World) -> dict[str, Any]:
    """The fate kernel's inputs that stay the same all period."""
    xp, cfg = w.xp, w.cfg
    f, r = cfg.FULFILMENT, cfg.RATINGS
    cats = list(cfg.CATEGORIES.values())
    types = list(cfg.MERCHANT_TYPES.values())
    couriers = list(f.couriers.values())
    methods = list(cfg.PAYMENT_METHODS)
    rm = refund_methods(w)
    lag_days = [cfg.PAYMENT_METHODS[m].refund_days if m in cfg.PAYMENT_METHODS
                else (f.bank_transfer_days if m == "bank_transfer" else STORE_CREDIT_DAYS)
                for m in rm]
    weight = np.array([c.weight for c in couriers], dtype=np.float64)
    ask_q, lag_q = fm.host.log1p(-RETURN_ASK_P), fm.host.log1p(-RATING_LAG_P)

    def table(values: Any, dtype: Any = np.float64) -> Any:
        return xp.asarray(np.asarray(values, dtype=dtype))

    return dict(
        handling=table([t.handling_hours for t in types]),
        lead_shift=table([min(max(t.lead_time_shift, -1), 1) for t in types], np.int64),
        bulky=table([c.extra_transit_days for c in cats], np.int64),
        courier_cdf=cumulative(xp, weight), courier_last=int(np.flatnonzero(weight > 0)[-1]),
        courier_extra=table([c.extra_days for c in couriers], np.int64),
        courier_late=table([c.late_multiplier for c in couriers]),
        late_tier=table(f.late_tier_multipliers), refusal_tier=table(f.refusal_tier_multipliers),
        return_rate=table([c.return_rate for c in cats]),
        return_window=table([c.return_window_days for c in cats], np.int64),
        ask_log_q=ask_q, ask_below=table([-fm.host.expm1(c.return_window_days * ask_q)
                                          for c in cats]),
        lag_log_q=lag_q, lag_below=-fm.host.expm1(RATING_LAG_DAYS * lag_q),
        reason_weight=table([[c.return_reasons.get(x, 0.0) for x in RETURN_REASONS]
                             for c in cats]),
        unsellable=table([UNSELLABLE[x] for x in RETURN_REASONS]),
        refund_lag=table(lag_days), quality=w.products.quality,
        base_price=w.products.base_price, base_shares=table(r.base_shares),
        cod=methods.index("cash_on_delivery") if "cash_on_delivery" in methods else -1,
        n_refund_methods=len(rm), late_reason=RETURN_REASONS.index("late_delivery"),
        customer_cancel_rate=float(f.customer_cancel_rate),
        sale_cancel_multiplier=float(f.sale_cancel_multiplier),
        seller_cancel_rate=float(f.seller_cancel_rate),
        low_stock_cancel_multiplier=float(f.low_stock_cancel_multiplier),
        late_rate=float(f.late_rate), late_days=float(f.late_days),
        early_share=float(f.early_share), first_attempt_success=float(f.first_attempt_success),
        cod_refusal_rate=float(f.cod_refusal_rate),
        prepaid_refusal_rate=float(f.prepaid_refusal_rate),
        late_return_multiplier=float(f.late_return_multiplier),
        store_credit_share=float(f.store_credit_share), response_rate=float(r.response_rate),
        quality_effect=float(r.quality_effect), delay_effect=float(r.delay_effect),
        price_effect=float(r.price_effect), late_effect=float(r.late_effect),
        return_effect=float(r.return_effect))


def attempt_rows(xp: Any, fate: Fate) -> tuple[Any, Any, Any, Any]:
    """Every delivery attempt: (order index, out-for-delivery time, outcome kind FAILED or
    DELIVERED, outcome time); the last attempt of a delivered order delivers."""
    order, k = expand(xp, fate.attempts)
    out, done = fate.attempt_out[order, k], fate.attempt_done[order, k]
    day = fate.first_attempt_day[order] + k
    last = k + 1 == fate.attempts[order]
    outcome = xp.where(last & (fate.delivered_t[order] >= 0), DELIVERED, FAILED)
    return order, day * DAY + out, outcome, day * DAY + done
