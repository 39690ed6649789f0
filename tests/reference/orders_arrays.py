"""Orders after the click in array operations: the readable reference of the order kernels
(``ecomgen.kernels.orders``): payment method, each order's fate, returns, refunds and
ratings. ``tests/test_kernel_orders.py`` checks that both give the same values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecomgen.kernels import fmath_arrays as fm
from ecomgen.kernels.orders import (
    HIGH_VALUE_PAISE,
    HOUR,
    LATE_REASON_SHARE,
    LOW_VALUE_PAISE,
    MAX_ATTEMPTS,
    PAYMENT_HABIT,
    PICKUP_DAYS,
    RATING_LAG_DAYS,
    RATING_LAG_P,
    RECEIPT_DAYS,
    RETURN_ASK_P,
    RTO_EXTRA_DAYS,
    WHOLE_RETURN_SHARE,
)
from ecomgen.rng import cumulative_rows
from ecomgen.simulation.clock import DAY
from ecomgen.simulation.fulfilment import (
    RETURN_REASONS,
    STORE_CREDIT_DAYS,
    UNSELLABLE,
    Fate,
    refund_methods,
)
from ecomgen.simulation.ratings import Rated
from ecomgen.simulation.world import World


def payment_method(w: World, d: int, order_key: Any, total: Any, customer: Any) -> Any:
    """Payment method of each order: the customer's habitual method (PAYMENT_HABIT of the
    time, on orders up to INR 10,000 the method allows), else one weighted by method, the
    customer's city tier and the order value (paise)."""
    xp = w.xp
    methods = list(w.cfg.PAYMENT_METHODS.values())
    n = total.shape[0]
    tier = xp.clip(w.own.customers.city_tier[customer].astype(xp.int64) - 1, 0, 2)
    tier_mult = xp.asarray(np.array([m.tier_multipliers for m in methods]).T)[tier]

    def per_method(attr: str) -> Any:
        return xp.asarray(np.array([getattr(m, attr) for m in methods], dtype=np.float64))

    # One [orders, methods] pass per step (not one per method: fewer device launches).
    rupees = (total / 100.0)[:, None]
    allowed = (rupees >= per_method("min_order_value")) & (rupees <= per_method(
        "max_order_value"))
    mult = xp.where((total > HIGH_VALUE_PAISE)[:, None], per_method("high_value_multiplier"),
                    xp.where((total < LOW_VALUE_PAISE)[:, None],
                             per_method("low_value_multiplier"), 1.0))
    weight = per_method("weight")
    weights = xp.where(allowed, weight * mult * tier_mult, 0.0)
    habit_w = weight * tier_mult
    weights[:, 0] = xp.where(weights.sum(axis=1) == 0, 1.0, weights[:, 0])
    drawn = w.rng.stream("orders.payment").choice_rows(cumulative_rows(xp, weights), d,
                                                        order_key)
    # The habit is a pure function of the customer: the same method every time it applies.
    habit = w.rng.stream("customers.payment_habit").choice_rows(cumulative_rows(xp, habit_w),
                                                                customer)
    # Habit rules everyday orders; a big-ticket order's method is chosen for it (cards,
    # no-cost EMI).
    keeps = (w.rng.stream("orders.payment.habit").uniform(d, order_key) < PAYMENT_HABIT) \
        & (total <= HIGH_VALUE_PAISE)
    usable = allowed[xp.arange(n), habit]
    return xp.where(keeps & usable, habit, drawn)


def usual_transit_days(w: World, d: int, okey: Any, cust: Any, mtype: Any, category: Any
                       ) -> Any:
    """A courier's usual days from dispatch to each order's buyer: 1-3, longer to tier-2
    and tier-3 cities, ± 1 for the merchant type's lead time, longer for bulky categories
    (``Category.extra_transit_days``)."""
    xp = w.xp
    base = w.rng.stream("orders.transit_days").integers(1, 4, d, okey)
    tier = w.own.customers.city_tier[cust]
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


def rate(w: World, d: int, session_key: Any, line_no: Any, product: Any, unit_price: Any,
         delivered_t: Any, late: Any, returned_at: Any, period_end: int) -> Rated:
    """Which delivered lines are rated, with what score and when (ratings after the period
    are dropped). Late deliveries score lower, and so do lines whose return the buyer had
    asked for by the time of the rating; lines never delivered (cancelled, returned to
    origin) are not rated.

    A line is keyed by its order's session key and its line number; ``delivered_t`` is
    the absolute delivery time and ``returned_at`` the return request's (-1: none).
    """
    xp, cfg = w.xp, w.cfg.RATINGS
    rng = w.rng
    rated = (rng.stream("ratings.rated").uniform(d, session_key, line_no) < cfg.response_rate) \
        & (delivered_t >= 0)
    idx = xp.nonzero(rated)[0]
    oid, line = session_key[idx], line_no[idx]
    dday = delivered_t[idx] // DAY
    after = rng.stream("ratings.days_after").geometric_below(RATING_LAG_P, RATING_LAG_DAYS, d,
                                                               oid, line)
    # On the day of delivery a rating comes after the delivery (before 23:00).
    dsec = delivered_t[idx] % DAY
    lo = xp.where(after == 0, xp.maximum(dsec + 60, 8 * 3600), 8 * 3600)
    u = rng.stream("ratings.second").uniform(d, oid, line)
    sec = lo + xp.floor(u * (23 * 3600 - lo)).astype(xp.int64)
    time = (dday + after) * DAY + sec
    asked = returned_at[idx]
    returned = (asked >= 0) & (asked <= time)
    quality = w.products.quality[product[idx]]
    paid = unit_price[idx] / w.products.base_price[product[idx]]
    dd = dday - (w.calendar.first_day + d)
    shift = (cfg.quality_effect * (quality - 4.0) - cfg.delay_effect * (dd - 3)
             - cfg.price_effect * (paid - 1.0) - cfg.late_effect * late[idx]
             - cfg.return_effect * returned)
    base = np.asarray(cfg.base_shares, dtype=np.float64)
    tilt = fm.exp_v(xp, 0.5 * shift[:, None] * (xp.arange(5) - 2)[None, :])
    cdf = cumulative_rows(xp, xp.asarray(base)[None, :] * tilt)
    stars = rng.stream("ratings.stars").choice_rows(cdf, d, oid, line) + 1
    keep = xp.nonzero(time <= period_end)[0]
    return Rated(idx[keep], stars[keep], dd[keep], time[keep])


def attempt_seconds(w: World, d: int, okey: Any, k: Any) -> tuple[Any, Any]:
    """Seconds into its day of delivery attempt ``k`` (from 1) of each order: out for
    delivery, then the outcome."""
    rng = w.rng
    out = rng.stream("orders.out_second").integers(7 * HOUR, 11 * HOUR, d, okey, k)
    done = out + rng.stream("orders.attempt_second").integers(HOUR // 2, 9 * HOUR, d, okey, k)
    return out, done
