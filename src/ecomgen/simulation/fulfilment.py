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
from typing import Any, get_args

import numpy as np

from ecomgen.config import ReturnReason
from ecomgen.rng import cumulative_rows
from ecomgen.simulation.arrays import expand
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.world import World

HOUR = 3600
#: Order events (labels of ``order_events.event_type``), in their order within a second.
EVENTS = ("placed", "confirmed", "packed", "shipped", "out_for_delivery", "delivery_failed",
          "delivered", "cancelled", "rto_initiated", "rto_received", "return_requested",
          "return_picked_up", "return_received", "refunded")
(PLACED, CONFIRMED, PACKED, SHIPPED, OUT, FAILED, DELIVERED, CANCELLED, RTO_INIT, RTO_RECV,
 RET_REQ, RET_PICK, RET_RECV, REFUNDED) = range(len(EVENTS))
#: A line's state at the end of the period (``sales.status``).
STATUSES = ("processing", "shipped", "delivered", "cancelled", "returned_to_origin",
            "return_requested", "returned")
S_PROC, S_SHIP, S_DELIV, S_CANC, S_RTO, S_RETREQ, S_RET = range(len(STATUSES))
#: Shipment outcomes (``shipments.outcome``) at the end of the period.
OUTCOMES = ("in_transit", "delivered", "returned_to_origin", "cancelled")
#: The shipment's outcome of each order-level status (processing and shipped: in transit).
OUTCOME_OF_STATUS = {S_PROC: 0, S_SHIP: 0, S_DELIV: 1, S_RTO: 2, S_CANC: 3}
#: Who cancelled (``shipments.cancelled_by``).
CANCELLERS = ("customer", "seller")
#: Why a line was returned (``returns.reason``).
RETURN_REASONS: tuple[str, ...] = get_args(ReturnReason)
#: Chance that a returned unit is unsellable (written off), by return reason.
UNSELLABLE = {"size_fit": 0.04, "defective": 0.85, "damaged_in_transit": 1.0,
              "not_as_described": 0.10, "wrong_item": 0.02, "changed_mind": 0.03,
              "late_delivery": 0.03}
CONDITIONS = ("resellable", "damaged")
#: Why money went back (``refunds.reason``).
REFUND_REASONS = ("cancellation", "return_to_origin", "return")
#: Delivery attempts before an order goes back to its seller.
MAX_ATTEMPTS = 3
#: Days a shipment takes back to its seller after RTO, beyond its way out.
RTO_EXTRA_DAYS = (1, 4)
#: Days from a return request to the pickup, and from the pickup to the seller's receipt.
PICKUP_DAYS = (1, 4)
RECEIPT_DAYS = (2, 6)
#: Share of returns that send back every unit of the line (the rest: some of them).
WHOLE_RETURN_SHARE = 0.8
#: Share of a late line's returns given as late_delivery (the rest: the category's reasons).
LATE_REASON_SHARE = 0.3
#: Daily chance that a buyer who will return a line asks on that day (geometric within the
#: category's return window: most ask within days of the delivery).
RETURN_ASK_P = 0.3
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


def refund_methods(w: World) -> tuple[str, ...]:
    """Labels of ``refunds.method``: the prepaid payment methods, then bank transfer and
    store credit (refunds of cash on delivery)."""
    return tuple(m for m in w.cfg.PAYMENT_METHODS if m != "cash_on_delivery") + (
        "bank_transfer", "store_credit")


def usual_transit_days(w: World, d: int, okey: Any, cust: Any, mtype: Any, category: Any
                       ) -> Any:
    """A courier's usual days from dispatch to each order's buyer: 1-3, longer to tier-2
    and tier-3 cities, ± 1 for the merchant type's lead time, longer for bulky categories
    (``Category.extra_transit_days``)."""
    xp = w.xp
    base = w.rng.stream("orders.transit_days").integers(1, 4, d, okey)
    tier = w.customers.city_tier[cust]
    shift = xp.asarray(np.array([t.lead_time_shift for t in w.cfg.MERCHANT_TYPES.values()],
                                dtype=np.int64))[mtype]
    bulky = xp.asarray(np.array([c.extra_transit_days for c in w.cfg.CATEGORIES.values()],
                                dtype=np.int64))[category]
    return xp.maximum(base + (tier - 1) + xp.clip(shift, -1, 1) + bulky, 1)


def decide(w: World, d: int, okey: Any, placed: Any, payment: Any, tier: Any, mtype: Any,
           transit_days: Any, scarce: Any, line_order: Any, line_no: Any, line_cat: Any,
           line_qty: Any) -> Fate:
    """The fate of day ``d``'s orders: ``okey`` their session keys, ``placed`` absolute
    payment times, ``payment`` method codes, ``tier`` the buyers' city tiers, ``mtype`` the
    merchant type of each order's first line, ``transit_days`` the courier's usual days
    from dispatch to the buyer, ``scarce`` whether a line was bought at low stock; lines by
    order index ``line_order``, with number, category and units."""
    xp, cfg, rng = w.xp, w.cfg, w.rng
    f = cfg.FULFILMENT
    n = okey.shape[0]
    day0 = placed // DAY
    methods = list(cfg.PAYMENT_METHODS)
    cod = payment == methods.index("cash_on_delivery") if "cash_on_delivery" in methods \
        else xp.zeros(n, dtype=bool)
    t_idx = xp.clip(tier.astype(xp.int64) - 1, 0, 2)
    types = list(cfg.MERCHANT_TYPES.values())
    handling = xp.asarray(np.array([t.handling_hours for t in types]))[mtype]

    couriers = list(f.couriers.values())
    courier = rng.stream("orders.courier").choice(np.array([c.weight for c in couriers]), d,
                                                 okey)
    transit_days = transit_days + xp.asarray(
        np.array([c.extra_days for c in couriers], dtype=np.int64))[courier]
    # The promise: a day to spare, the seller's usual handling in whole days, the transit.
    usual = xp.ceil(handling / 24.0).astype(xp.int64)
    promised = day0 + 1 + usual + transit_days
    confirm = placed + rng.stream("orders.confirm").integers(20, 900, d, okey)
    hours = rng.stream("orders.handling").lognormal(d, okey, median=handling, sigma=0.45)
    dispatch = confirm + xp.maximum(xp.rint(hours * HOUR), HOUR).astype(xp.int64)
    pack = dispatch - rng.stream("orders.pack").integers(HOUR // 2, 5 * HOUR, d, okey)
    pack = xp.maximum(pack, confirm + 60)

    # Cancellations before dispatch: customers (more in sale events), sellers (more when
    # they sold their last units: the stock they thought they had is not on the shelf).
    sale = float(w.calendar.event[d] >= 0)
    p_cust = f.customer_cancel_rate * (1.0 + (f.sale_cancel_multiplier - 1.0) * sale)
    u = rng.stream("orders.cancel").uniform(d, okey)
    p_seller = f.seller_cancel_rate * xp.where(scarce, f.low_stock_cancel_multiplier, 1.0)
    by = xp.where(u < p_cust, 0, xp.where(u < p_cust + p_seller, 1, -1))
    cancelled = by >= 0
    at = confirm + xp.floor(rng.stream("orders.cancel_time").uniform(d, okey)
                            * (dispatch - confirm)).astype(xp.int64)
    cancel_t = xp.where(cancelled, xp.maximum(at, confirm + 1), -1)
    pack = xp.where(cancelled & (pack >= cancel_t), -1, pack)
    dispatch = xp.where(cancelled, -1, dispatch)

    # The way out: the usual transit, a day early, or late; attempts on consecutive days.
    late_p = f.late_rate * xp.asarray(np.array(f.late_tier_multipliers))[t_idx] \
        * xp.asarray(np.array([c.late_multiplier for c in couriers]))[courier]
    u = rng.stream("orders.transit").uniform(d, okey)
    extra = 1 + rng.stream("orders.late_days").geometric(1.0 / f.late_days, d, okey)
    shift = xp.where(u < late_p, extra, xp.where(u < late_p + f.early_share, -1, 0))
    first = dispatch // DAY + xp.maximum(transit_days + shift, 1)
    refuse_p = xp.where(cod, f.cod_refusal_rate, f.prepaid_refusal_rate) \
        * xp.asarray(np.array(f.refusal_tier_multipliers))[t_idx]
    refused = rng.stream("orders.refused").uniform(d, okey) < refuse_p
    # A buyer who takes the parcel gets it at the first attempt that finds them at home.
    found = rng.stream("orders.attempts").geometric(f.first_attempt_success, d, okey)
    tries = rng.stream("orders.refused_attempts").integers(1, MAX_ATTEMPTS + 1, d, okey)
    rto = refused | (found >= MAX_ATTEMPTS)
    attempts = xp.where(rto, xp.where(refused, tries, MAX_ATTEMPTS), found + 1)
    attempts = xp.where(cancelled, 0, attempts)
    first = xp.where(cancelled, -1, first)
    last_day = first + attempts - 1
    _, done_sec = attempt_seconds(w, d, okey, attempts)
    delivered = ~cancelled & ~rto
    last_done = last_day * DAY + done_sec
    delivered_t = xp.where(delivered, last_done, -1)
    rto = ~cancelled & rto
    rto_init = xp.where(rto, last_done + rng.stream("orders.rto_hours").integers(
        HOUR, 8 * HOUR, d, okey), -1)
    back = transit_days + rng.stream("orders.rto_days").integers(*RTO_EXTRA_DAYS, d, okey)
    rto_recv = xp.where(rto, (rto_init // DAY + back) * DAY
                        + rng.stream("orders.rto_second").integers(10 * HOUR, 19 * HOUR, d,
                                                                    okey), -1)

    # Returns of delivered lines.
    lo = line_order
    lkey = okey[lo]
    cats = list(cfg.CATEGORIES.values())
    rate = xp.asarray(np.array([c.return_rate for c in cats]))[line_cat]
    late = delivered[lo] & ((delivered_t[lo] // DAY) > promised[lo])
    rate = xp.where(late, xp.minimum(rate * f.late_return_multiplier, 1.0), rate)
    ret = delivered[lo] & (rng.stream("returns.returned").uniform(d, lkey, line_no) < rate)
    part = rng.stream("returns.quantity").integers(1, line_qty + 1, d, lkey, line_no)
    whole = rng.stream("returns.whole").uniform(d, lkey, line_no) < WHOLE_RETURN_SHARE
    ret_qty = xp.where(ret, xp.where(whole, line_qty, part), 0)
    weights = np.array([[c.return_reasons.get(r, 0.0) for r in RETURN_REASONS] for c in cats])
    cdf = cumulative_rows(xp, xp.asarray(weights)[line_cat])
    reason = rng.stream("returns.reason").choice_rows(cdf, d, lkey, line_no)
    reason = xp.where(late & (rng.stream("returns.late").uniform(d, lkey, line_no)
                              < LATE_REASON_SHARE),
                      RETURN_REASONS.index("late_delivery"), reason)
    window = xp.asarray(np.array([c.return_window_days for c in cats], dtype=np.int64))[
        line_cat]
    after = rng.stream("returns.after").geometric_below(RETURN_ASK_P, window, d, lkey,
                                                        line_no)
    deliv_day = delivered_t[lo] // DAY
    # On the delivery day after the delivery (by midnight); later days 08:10-18:00.
    first_sec = xp.where(after == 0, delivered_t[lo] % DAY + 600, 8 * HOUR + 600)
    span = xp.where(after == 0, DAY - first_sec, 10 * HOUR - 600)
    req = (deliv_day + after) * DAY + first_sec + xp.floor(
        rng.stream("returns.second").uniform(d, lkey, line_no) * span).astype(xp.int64)
    pick = (req // DAY + rng.stream("returns.pickup_days").integers(*PICKUP_DAYS, d, lkey,
                                                                     line_no)) * DAY \
        + rng.stream("returns.pickup_second").integers(10 * HOUR, 19 * HOUR, d, lkey, line_no)
    recv = (pick // DAY + rng.stream("returns.receipt_days").integers(*RECEIPT_DAYS, d, lkey,
                                                                       line_no)) * DAY \
        + rng.stream("returns.receipt_second").integers(10 * HOUR, 19 * HOUR, d, lkey, line_no)
    damaged = rng.stream("returns.condition").uniform(d, lkey, line_no) < xp.asarray(
        np.array([UNSELLABLE[r] for r in RETURN_REASONS]))[reason]
    none = xp.full(lo.shape[0], -1, dtype=xp.int64)
    req, pick, recv = (xp.where(ret, a, none) for a in (req, pick, recv))

    # Refunds, per line: prepaid money at cancellation / RTO receipt / return pickup; cash
    # on delivery only for returns (bank transfer or store credit).
    lcod = cod[lo]
    prepaid = ~lcod
    rr = xp.where(prepaid & cancelled[lo], 0,
                  xp.where(prepaid & rto[lo], 1, xp.where(ret, 2, -1)))
    start = xp.where(rr == 0, cancel_t[lo], xp.where(rr == 1, rto_recv[lo], pick))
    start = start + rng.stream("refunds.after").integers(60, 4 * HOUR, d, lkey, line_no)
    rm = refund_methods(w)
    credit = rng.stream("refunds.store_credit").uniform(d, lkey, line_no) < f.store_credit_share
    pm = payment[lo]
    # Prepaid methods keep their order in refund_methods (cash on delivery removed).
    cod_code = methods.index("cash_on_delivery") if "cash_on_delivery" in methods else -1
    method = xp.where(lcod, xp.where(credit, len(rm) - 1, len(rm) - 2),
                      xp.where((cod_code >= 0) & (pm > cod_code), pm - 1, pm))
    lag_days = np.array([cfg.PAYMENT_METHODS[m].refund_days if m in cfg.PAYMENT_METHODS
                         else (f.bank_transfer_days if m == "bank_transfer"
                               else STORE_CREDIT_DAYS)
                         for m in rm])
    lag = rng.stream("refunds.days").lognormal(d, lkey, line_no,
                                               median=xp.asarray(lag_days)[method], sigma=0.4)
    done = start + xp.rint(lag * DAY).astype(xp.int64) + 60
    start = xp.where(rr >= 0, start, none)
    done = xp.where(rr >= 0, done, none)

    return Fate(placed, courier, promised, cancel_t, by, confirm, pack, dispatch, attempts, first,
                delivered_t, rto_init, rto_recv, late, ret_qty, reason, req, pick, recv, damaged,
                rr, method, start, done)


def attempt_seconds(w: World, d: int, okey: Any, k: Any) -> tuple[Any, Any]:
    """Seconds into its day of delivery attempt ``k`` (from 1) of each order: out for
    delivery, then the outcome."""
    rng = w.rng
    out = rng.stream("orders.out_second").integers(7 * HOUR, 11 * HOUR, d, okey, k)
    done = out + rng.stream("orders.attempt_second").integers(HOUR // 2, 9 * HOUR, d, okey, k)
    return out, done


def attempt_rows(w: World, d: int, okey: Any, fate: Fate) -> tuple[Any, Any, Any, Any]:
    """Every delivery attempt: (order index, out-for-delivery time, outcome kind FAILED or
    DELIVERED, outcome time); the last attempt of a delivered order delivers."""
    xp = w.xp
    order, k = expand(xp, fate.attempts)
    out, done = attempt_seconds(w, d, okey[order], k + 1)
    day = fate.first_attempt_day[order] + k
    last = k + 1 == fate.attempts[order]
    outcome = xp.where(last & (fate.delivered_t[order] >= 0), DELIVERED, FAILED)
    return order, day * DAY + out, outcome, day * DAY + done
