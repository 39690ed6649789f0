"""Orders after the click as kernels: each order's payment method, and each paid order's
fate with its lines' returns, refunds and ratings, one order per call of the loop body.

Every draw is keyed by the order's session key (lines: and line number) with the day
folded into the stream keys, exactly as the array code it replaced
(``simulation/fulfilment.py``, ``simulation/ratings.py``, ``simulation/carts.py``); the
readable references are in ``tests/reference/``.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from ecomgen.kernels import draws as dr
from ecomgen.kernels.fmath import exp, rint, scalar
from ecomgen.simulation.clock import DAY

HOUR = 3600
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
#: Daily chance that a buyer who will return a line asks on that day.
RETURN_ASK_P = 0.3
#: Days from delivery to a rating: geometric below a month.
RATING_LAG_P = 0.3
RATING_LAG_DAYS = 30
#: Orders up to INR 10,000 may be paid by habit; above, the method is chosen for the order.
HIGH_VALUE_PAISE = 1_000_000
LOW_VALUE_PAISE = 50_000
#: Share of a customer's orders paid with their habitual method (when the value allows it).
PAYMENT_HABIT = 0.7

#: Streams of the payment kernel with the day folded in, and the one keyed by customer only.
PAY_STREAMS = ("orders.payment", "orders.payment.habit")
K_PAYMENT, K_PAYMENT_HABIT = range(len(PAY_STREAMS))
HABIT_STREAMS = ("customers.payment_habit",)
#: Streams of the fate kernel, with the day folded in.
FATE_STREAMS = ("orders.transit_days", "orders.courier", "orders.confirm", "orders.handling",
                "orders.pack", "orders.cancel", "orders.cancel_time", "orders.transit",
                "orders.late_days", "orders.refused", "orders.attempts",
                "orders.refused_attempts", "orders.out_second", "orders.attempt_second",
                "orders.rto_hours", "orders.rto_days", "orders.rto_second", "returns.returned",
                "returns.quantity", "returns.whole", "returns.reason", "returns.late",
                "returns.after", "returns.second", "returns.pickup_days",
                "returns.pickup_second", "returns.receipt_days", "returns.receipt_second",
                "returns.condition", "refunds.after", "refunds.store_credit", "refunds.days",
                "ratings.rated", "ratings.days_after", "ratings.second", "ratings.stars")
(K_TRANSIT_DAYS, K_COURIER, K_CONFIRM, K_HANDLING, K_PACK, K_CANCEL, K_CANCEL_TIME,
 K_TRANSIT, K_LATE_DAYS, K_REFUSED, K_ATTEMPTS, K_REFUSED_ATTEMPTS, K_OUT_SECOND,
 K_ATTEMPT_SECOND, K_RTO_HOURS, K_RTO_DAYS, K_RTO_SECOND, K_RETURNED, K_RET_QTY, K_WHOLE,
 K_REASON, K_RET_LATE, K_AFTER, K_RET_SECOND, K_PICKUP_DAYS, K_PICKUP_SECOND,
 K_RECEIPT_DAYS, K_RECEIPT_SECOND, K_CONDITION, K_REFUND_AFTER, K_CREDIT, K_REFUND_DAYS,
 K_RATED, K_RATING_DAYS, K_RATING_SECOND, K_STARS) = range(len(FATE_STREAMS))


class PayIn(NamedTuple):
    """Orders (with a checkout attempt) to find a payment method for."""

    keys: Any  # uint64 [len(PAY_STREAMS)], the day folded in
    habit_key: Any  # uint64 key of customers.payment_habit (keyed by customer only)
    okey: Any
    total: Any  # paise attempted
    customer: Any
    city_tier: Any  # per customer
    weight: Any  # [M] per method
    min_rupees: Any
    max_rupees: Any
    high_mult: Any
    low_mult: Any
    tier_mult: Any  # [3, M]
    c0: int = 0  # customer index of the first row of the per-customer arrays (a shard's)


class PayOut(NamedTuple):
    """Method index per order."""

    method: Any


@scalar
def _pay_weight(t: PayIn, k: int, tier: int, total: int, drawn: bool) -> float:
    """Weight of method ``k`` for an order: for the order's own draw, zero unless the value
    is allowed and times the value's multiplier; for the habit, the plain weight."""
    if not drawn:
        return t.weight[k] * t.tier_mult[tier, k]
    rupees = total / 100.0
    if not (rupees >= t.min_rupees[k] and rupees <= t.max_rupees[k]):
        return 0.0
    if total > HIGH_VALUE_PAISE:
        mult = t.high_mult[k]
    elif total < LOW_VALUE_PAISE:
        mult = t.low_mult[k]
    else:
        mult = 1.0
    return t.weight[k] * mult * t.tier_mult[tier, k]


@scalar
def _pick_method(t: PayIn, tier: int, total: int, drawn: bool, u: float) -> int:
    """Method drawn by ``u`` from the weights (the first when they are all 0)."""
    m = t.weight.shape[0]
    acc = 0.0
    for k in range(m):
        acc = acc + _pay_weight(t, k, tier, total, drawn)
    if acc == 0.0:
        return 0
    x = u * acc
    run = 0.0
    n = 0
    for k in range(m):
        run = run + _pay_weight(t, k, tier, total, drawn)
        if run <= x:
            n += 1
    return min(n, m - 1)


@scalar
def pay_orders(lo: int, hi: int, t: PayIn, o: PayOut) -> None:
    """Payment method of orders ``lo..hi-1``: the customer's habitual method (PAYMENT_HABIT
    of the time, on orders up to INR 10,000 the method allows), else one weighted by method,
    city tier and order value."""
    for i in range(lo, hi):
        key = t.okey[i]
        c = t.customer[i]
        total = t.total[i]
        tier = min(max(t.city_tier[c - t.c0] - 1, 0), 2)
        drawn = _pick_method(t, tier, total, True,
                             dr.uniform(dr.h1(t.keys[K_PAYMENT], key)))
        habit = _pick_method(t, tier, total, False, dr.uniform(dr.h1(t.habit_key, c)))
        keeps = (dr.uniform(dr.h1(t.keys[K_PAYMENT_HABIT], key)) < PAYMENT_HABIT
                 and total <= HIGH_VALUE_PAISE)
        rupees = total / 100.0
        usable = rupees >= t.min_rupees[habit] and rupees <= t.max_rupees[habit]
        o.method[i] = habit if keeps and usable else drawn



class FateIn(NamedTuple):
    """A day's paid orders and their lines (lines of order p: ``line_start[p]`` up to
    ``line_start[p + 1]``), with the tables their fates are drawn from."""

    keys: Any  # uint64 [len(FATE_STREAMS)], the day folded in
    okey: Any
    placed: Any  # absolute payment time
    payment: Any  # method index
    tier: Any  # buyer's city tier
    mtype: Any  # merchant type of the order's first line
    scarce: Any  # a line was bought at low stock
    line_start: Any
    line_no: Any
    line_cat: Any
    line_qty: Any
    line_product: Any
    line_price: Any
    handling: Any  # [types] hours
    lead_shift: Any  # [types] lead_time_shift clipped to -1..1
    bulky: Any  # [C] extra_transit_days
    courier_cdf: Any  # cumulative courier weights
    courier_last: int
    courier_extra: Any
    courier_late: Any
    late_tier: Any  # [3]
    refusal_tier: Any  # [3]
    return_rate: Any  # [C]
    return_window: Any  # [C]
    ask_log_q: float  # log1p(-RETURN_ASK_P)
    ask_below: Any  # [C] chance a return is asked within the window (geometric_below)
    lag_log_q: float  # log1p(-RATING_LAG_P)
    lag_below: float  # chance a rating comes within RATING_LAG_DAYS
    reason_weight: Any  # [C, R]
    unsellable: Any  # [R]
    refund_lag: Any  # [refund methods] median days
    quality: Any  # [P]
    base_price: Any  # [P]
    base_shares: Any  # [5]
    d: int
    today: int  # epoch day of day d
    sale: float  # 1.0 during a sale event
    cod: int  # index of cash on delivery, -1: none
    n_refund_methods: int
    late_reason: int
    period_end: int
    customer_cancel_rate: float
    sale_cancel_multiplier: float
    seller_cancel_rate: float
    low_stock_cancel_multiplier: float
    late_rate: float
    late_days: float
    early_share: float
    first_attempt_success: float
    cod_refusal_rate: float
    prepaid_refusal_rate: float
    late_return_multiplier: float
    store_credit_share: float
    response_rate: float
    quality_effect: float
    delay_effect: float
    price_effect: float
    late_effect: float
    return_effect: float


class FateOut(NamedTuple):
    """Per paid order, then per line (as ``simulation.fulfilment.Fate``), and each line's
    rating (``rated``: rated by the period's end)."""

    courier: Any
    promised_day: Any
    cancel_t: Any
    cancelled_by: Any
    confirm_t: Any
    pack_t: Any
    dispatch_t: Any
    attempts: Any
    first_attempt_day: Any
    delivered_t: Any
    rto_init_t: Any
    rto_recv_t: Any
    attempt_out: Any  # [orders, MAX_ATTEMPTS] second of the day each attempt goes out
    attempt_done: Any  # [orders, MAX_ATTEMPTS] second of its outcome
    late: Any
    ret_qty: Any
    ret_reason: Any
    ret_request_t: Any
    ret_pickup_t: Any
    ret_receipt_t: Any
    ret_damaged: Any
    refund_reason: Any
    refund_method: Any
    refund_t: Any
    refund_done_t: Any
    rated: Any
    stars: Any
    rating_days: Any
    rating_t: Any


@scalar
def _u(keys: Any, k: int, key: int) -> float:
    return dr.uniform(dr.h1(keys[k], key))


@scalar
def _ul(keys: Any, k: int, key: int, line: int) -> float:
    return dr.uniform(dr.h2(keys[k], key, line))


@scalar
def _return_reason(weights: Any, cat: int, u: float) -> int:
    """Reason drawn by ``u`` from the category's row of reason weights."""
    m = weights.shape[1]
    total = 0.0
    for k in range(m):
        total = total + weights[cat, k]
    x = u * total
    acc = 0.0
    n = 0
    for k in range(m):
        acc = acc + weights[cat, k]
        if acc <= x:
            n += 1
    return min(n, m - 1)


@scalar
def _stars(shares: Any, shift: float, u: float) -> int:
    """Stars 1-5 drawn by ``u`` from the base shares tilted by ``shift``."""
    total = 0.0
    for k in range(5):
        total = total + shares[k] * exp(0.5 * shift * (k - 2))
    x = u * total
    acc = 0.0
    n = 0
    for k in range(5):
        acc = acc + shares[k] * exp(0.5 * shift * (k - 2))
        if acc <= x:
            n += 1
    return min(n, 4) + 1


@scalar
def fate_orders(lo: int, hi: int, t: FateIn, o: FateOut) -> None:
    """The fates of paid orders ``lo..hi-1`` and of their lines."""
    keys = t.keys
    for i in range(lo, hi):
        key = t.okey[i]
        placed = t.placed[i]
        mt = t.mtype[i]
        first_line = t.line_start[i]
        t_idx = min(max(t.tier[i] - 1, 0), 2)
        cod = t.payment[i] == t.cod

        # The courier's usual transit, the promise, handling and cancellations.
        base = dr.integers(_u(keys, K_TRANSIT_DAYS, key), 1, 4)
        transit = max(base + (t.tier[i] - 1) + t.lead_shift[mt]
                      + t.bulky[t.line_cat[first_line]], 1)
        courier = dr.choice(t.courier_cdf, t.courier_last, _u(keys, K_COURIER, key))
        transit = transit + t.courier_extra[courier]
        handling = t.handling[mt]
        usual = int(math.ceil(handling / 24.0))
        day0 = placed // DAY
        promised = day0 + 1 + usual + transit
        confirm = placed + dr.integers(_u(keys, K_CONFIRM, key), 20, 900)
        hours = dr.lognormal(dr.h1(keys[K_HANDLING], key), handling, 0.45)
        dispatch = confirm + int(max(rint(hours * HOUR), float(HOUR)))
        pack = dispatch - dr.integers(_u(keys, K_PACK, key), HOUR // 2, 5 * HOUR)
        pack = max(pack, confirm + 60)
        p_cust = t.customer_cancel_rate * (1.0 + (t.sale_cancel_multiplier - 1.0) * t.sale)
        u = _u(keys, K_CANCEL, key)
        p_seller = t.seller_cancel_rate * (t.low_stock_cancel_multiplier if t.scarce[i]
                                           else 1.0)
        by = 0 if u < p_cust else (1 if u < p_cust + p_seller else -1)
        cancelled = by >= 0
        at = confirm + int(math.floor(_u(keys, K_CANCEL_TIME, key) * float(dispatch - confirm)))
        cancel_t = max(at, confirm + 1) if cancelled else -1
        if cancelled and pack >= cancel_t:
            pack = -1
        if cancelled:
            dispatch = -1

        # The way out: attempts on consecutive days until delivered or sent back.
        late_p = t.late_rate * t.late_tier[t_idx] * t.courier_late[courier]
        u = _u(keys, K_TRANSIT, key)
        extra = 1 + dr.geometric(dr.uniform_open(dr.h1(keys[K_LATE_DAYS], key)),
                                 1.0 / t.late_days)
        shift = extra if u < late_p else (-1 if u < late_p + t.early_share else 0)
        first = dispatch // DAY + max(transit + shift, 1)
        refuse_p = (t.cod_refusal_rate if cod else t.prepaid_refusal_rate) \
            * t.refusal_tier[t_idx]
        refused = _u(keys, K_REFUSED, key) < refuse_p
        found = dr.geometric(dr.uniform_open(dr.h1(keys[K_ATTEMPTS], key)),
                             t.first_attempt_success)
        tries = dr.integers(_u(keys, K_REFUSED_ATTEMPTS, key), 1, MAX_ATTEMPTS + 1)
        rto = refused or found >= MAX_ATTEMPTS
        attempts = (tries if refused else MAX_ATTEMPTS) if rto else found + 1
        if cancelled:
            attempts = 0
            first = -1
        last_day = first + attempts - 1
        done_sec = 0
        for k in range(attempts):  # out for delivery, then the outcome, each attempt
            out_sec = dr.integers(_ul(keys, K_OUT_SECOND, key, k + 1), 7 * HOUR, 11 * HOUR)
            done_sec = out_sec + dr.integers(_ul(keys, K_ATTEMPT_SECOND, key, k + 1),
                                             HOUR // 2, 9 * HOUR)
            o.attempt_out[i, k] = out_sec
            o.attempt_done[i, k] = done_sec
        delivered = not cancelled and not rto
        last_done = last_day * DAY + done_sec
        delivered_t = last_done if delivered else -1
        rto = not cancelled and rto
        rto_init = last_done + dr.integers(_u(keys, K_RTO_HOURS, key), HOUR, 8 * HOUR) \
            if rto else -1
        back = transit + dr.integers(_u(keys, K_RTO_DAYS, key), RTO_EXTRA_DAYS[0],
                                     RTO_EXTRA_DAYS[1])
        rto_recv = (rto_init // DAY + back) * DAY + dr.integers(
            _u(keys, K_RTO_SECOND, key), 10 * HOUR, 19 * HOUR) if rto else -1
        o.courier[i] = courier
        o.promised_day[i] = promised
        o.cancel_t[i] = cancel_t
        o.cancelled_by[i] = by
        o.confirm_t[i] = confirm
        o.pack_t[i] = pack
        o.dispatch_t[i] = dispatch
        o.attempts[i] = attempts
        o.first_attempt_day[i] = first
        o.delivered_t[i] = delivered_t
        o.rto_init_t[i] = rto_init
        o.rto_recv_t[i] = rto_recv

        for j in range(first_line, t.line_start[i + 1]):
            _line(t, o, i, j, key, delivered, delivered_t, promised, cancelled, cancel_t, rto,
                  rto_recv, cod)


@scalar
def _line(t: FateIn, o: FateOut, i: int, j: int, key: int, delivered: bool,
          delivered_t: int, promised: int, cancelled: bool, cancel_t: int, rto: bool,
          rto_recv: int, cod: bool) -> None:
    """Line ``j`` of order ``i``: return, refund and rating."""
    keys = t.keys
    ln = t.line_no[j]
    cat = t.line_cat[j]
    qty = t.line_qty[j]
    rate = t.return_rate[cat]
    late = delivered and delivered_t // DAY > promised
    if late:
        rate = min(rate * t.late_return_multiplier, 1.0)
    ret = delivered and _ul(keys, K_RETURNED, key, ln) < rate
    part = dr.integers(_ul(keys, K_RET_QTY, key, ln), 1, qty + 1)
    whole = _ul(keys, K_WHOLE, key, ln) < WHOLE_RETURN_SHARE
    ret_qty = (qty if whole else part) if ret else 0
    reason = _return_reason(t.reason_weight, cat, _ul(keys, K_REASON, key, ln))
    if late and _ul(keys, K_RET_LATE, key, ln) < LATE_REASON_SHARE:
        reason = t.late_reason
    after = dr.geometric_below_from(_ul(keys, K_AFTER, key, ln), t.ask_log_q,
                                    t.ask_below[cat], t.return_window[cat])
    deliv_day = delivered_t // DAY
    first_sec = delivered_t % DAY + 600 if after == 0 else 8 * HOUR + 600
    span = DAY - first_sec if after == 0 else 10 * HOUR - 600
    req = (deliv_day + after) * DAY + first_sec + int(math.floor(
        _ul(keys, K_RET_SECOND, key, ln) * float(span)))
    pick = (req // DAY + dr.integers(_ul(keys, K_PICKUP_DAYS, key, ln), PICKUP_DAYS[0],
                                     PICKUP_DAYS[1])) * DAY \
        + dr.integers(_ul(keys, K_PICKUP_SECOND, key, ln), 10 * HOUR, 19 * HOUR)
    recv = (pick // DAY + dr.integers(_ul(keys, K_RECEIPT_DAYS, key, ln), RECEIPT_DAYS[0],
                                      RECEIPT_DAYS[1])) * DAY \
        + dr.integers(_ul(keys, K_RECEIPT_SECOND, key, ln), 10 * HOUR, 19 * HOUR)
    damaged = _ul(keys, K_CONDITION, key, ln) < t.unsellable[reason]
    if not ret:
        req, pick, recv = -1, -1, -1

    # Refunds: prepaid money at cancellation / RTO receipt / return pickup; cash on delivery
    # only for returns (bank transfer or store credit).
    prepaid = not cod
    rr = 0 if prepaid and cancelled else (1 if prepaid and rto else (2 if ret else -1))
    start = cancel_t if rr == 0 else (rto_recv if rr == 1 else pick)
    start = start + dr.integers(_ul(keys, K_REFUND_AFTER, key, ln), 60, 4 * HOUR)
    credit = _ul(keys, K_CREDIT, key, ln) < t.store_credit_share
    pm = t.payment[i]
    if cod:
        method = t.n_refund_methods - 1 if credit else t.n_refund_methods - 2
    else:
        method = pm - 1 if t.cod >= 0 and pm > t.cod else pm
    lag = dr.lognormal(dr.h2(keys[K_REFUND_DAYS], key, ln), t.refund_lag[method], 0.4)
    done = start + int(rint(lag * DAY)) + 60
    if rr < 0:
        start, done = -1, -1
    o.late[j] = late
    o.ret_qty[j] = ret_qty
    o.ret_reason[j] = reason
    o.ret_request_t[j] = req
    o.ret_pickup_t[j] = pick
    o.ret_receipt_t[j] = recv
    o.ret_damaged[j] = damaged
    o.refund_reason[j] = rr
    o.refund_method[j] = method
    o.refund_t[j] = start
    o.refund_done_t[j] = done

    # A rating, by some buyers of delivered lines, after the delivery.
    o.rated[j] = False
    if not (_ul(keys, K_RATED, key, ln) < t.response_rate and delivered_t >= 0):
        return
    lag_days = dr.geometric_below_from(_ul(keys, K_RATING_DAYS, key, ln), t.lag_log_q,
                                       t.lag_below, RATING_LAG_DAYS)
    dsec = delivered_t % DAY
    first = max(dsec + 60, 8 * HOUR) if lag_days == 0 else 8 * HOUR
    sec = first + int(math.floor(_ul(keys, K_RATING_SECOND, key, ln)
                                 * float(23 * HOUR - first)))
    time = (deliv_day + lag_days) * DAY + sec
    if time > t.period_end:
        return
    returned = req >= 0 and req <= time
    product = t.line_product[j]
    paid = t.line_price[j] / t.base_price[product]
    dd = deliv_day - t.today
    shift = (t.quality_effect * (t.quality[product] - 4.0) - t.delay_effect * (dd - 3)
             - t.price_effect * (paid - 1.0) - t.late_effect * (1.0 if late else 0.0)
             - t.return_effect * (1.0 if returned else 0.0))
    o.rated[j] = True
    o.stars[j] = _stars(t.base_shares, shift, _ul(keys, K_STARS, key, ln))
    o.rating_days[j] = dd
    o.rating_t[j] = time
