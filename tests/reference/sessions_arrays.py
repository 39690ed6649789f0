"""Session draws in array operations: the readable reference of the session kernels
(``ecomgen.kernels.sessions``); ``tests/test_kernel_sessions.py`` checks both give the same
sessions.
"""

from __future__ import annotations

from ecomgen.kernels.sessions import KEEP_DEVICE, NIGHT_LAST_HOUR, OFFICE_HOURS
from ecomgen.simulation.arrays import expand
from ecomgen.simulation.blocks import session_key
from ecomgen.simulation.browse import (
    EPOCH_WEEKDAY,
    Sessions,
    _with_return_visits,
    block_activity,
    space_sessions,
)
from ecomgen.simulation.clock import LAST_VIEW, MAX_VIEWS
from ecomgen.simulation.world import World


def draw_sessions(w: World, d: int, block_lo: int = 0, block_hi: int | None = None) -> Sessions:
    """Draw today's sessions of blocks ``[block_lo, block_hi)``: count per block, customer,
    type, device and start time.

    A block's count is Poisson with the day's expected sessions times the block's share of
    the activity of customers signed up by today (keyed by block and day); each session picks
    a customer of its block in proportion to activity. Every draw is keyed by (day, session
    key), so blocks can be drawn apart and give the same sessions.

    Dormant customers (past their ``lapse_day``) browse no more: the count is drawn for all
    signed-up customers' activity, scaled up by the share still active, and the sessions of
    dormant customers are dropped (thinning), so the day keeps its expected traffic. On a
    regional festival day the count is also drawn for the day's highest state multiplier and
    each session kept with its customer's state multiplier over that: customers of the
    festive states browse more, the others as on any day.
    """
    xp, rng, cfg = w.xp, w.rng, w.cfg
    activity, base = block_activity(w, d)
    total = int(activity.sum())
    regional = w.calendar.regional[d]
    peak = float(regional.max())
    alive = float(w.alive_share[d])
    expected = cfg.avg_views_per_day * float(w.calendar.traffic[d]) * peak / w.mean_views
    expected = expected / alive if alive > 0 else 0.0
    block_hi = w.n_blocks if block_hi is None else block_hi
    mine = xp.arange(block_lo, block_hi, dtype=xp.int64)
    if total > 0:
        lam = expected * activity[block_lo:block_hi].astype(xp.float64) / float(total)
        counts = rng.stream("sessions.count").poisson(lam, mine, d)
    else:
        counts = xp.zeros(mine.shape[0], dtype=xp.int64)
    owner, k = expand(xp, counts)
    block = owner + block_lo
    key = session_key(xp, block, k)
    r = xp.floor(rng.stream("sessions.customer").uniform(d, key)
                 * activity[block]).astype(xp.int64)
    pick = xp.searchsorted(w.own.cust_cdf, base[block] + r, side="right")
    cust = w.own.cust_order[pick]
    keep = w.own.customers.lapse_day[cust] > w.calendar.first_day + d
    if peak > 1.0:
        share = xp.asarray(regional / peak)[w.own.customers.state[cust]]
        keep &= rng.stream("sessions.regional").uniform(d, key) < share
    kept = keep.nonzero()[0]
    key, cust = key[kept], cust[kept]
    key, cust, reorder = _with_return_visits(w, d, block_lo, block_hi, key, cust)
    stype = rng.stream("sessions.type").choice(w.stype_weight, d, key)
    # The hour is drawn with its weight times the share of it sessions may start in, the
    # second uniformly within that share: start times follow the hourly profile cut to
    # [FIRST_START, LAST_VIEW], with no pile-up at either end.
    hour = rng.stream("sessions.hour").choice(w.hour_weight, d, key)
    # The customer's own device mostly, less so when it is little used at that hour (a
    # desktop at night); otherwise a device weighted by its use then (desktops in office
    # hours on weekdays).
    workday = (w.calendar.first_day + d + EPOCH_WEEKDAY) % 7 < 5
    hour_class = xp.where(hour <= NIGHT_LAST_HOUR, 2, 0)
    if workday:
        hour_class = xp.where((hour >= OFFICE_HOURS[0]) & (hour <= OFFICE_HOURS[1]), 1,
                              hour_class)
    pref = w.own.customers.device[cust]
    other = rng.stream("sessions.device.other").choice_rows(w.device_hour_cdf[hour_class],
                                                            d, key)
    keep_p = KEEP_DEVICE * w.device_hour_factor[hour_class, pref]
    keep = rng.stream("sessions.device.keep").uniform(d, key) < keep_p
    device = xp.where(keep, pref, other)
    start = w.hour_first[hour] + rng.stream("sessions.second").integers(
        0, w.hour_seconds[hour], d, key)
    mean = w.stype_views[stype]
    views = 1 + rng.stream("sessions.depth").geometric_below(1.0 / mean, MAX_VIEWS, d, key)
    start = space_sessions(xp, cust, start, views)
    fits = xp.nonzero(start <= LAST_VIEW)[0]  # a busy customer's last sessions may not fit
    return Sessions(key[fits], cust[fits], stype[fits], device[fits], start[fits], views[fits],
                    reorder[fits])
