"""Session draws as kernels: who a block's drawn session belongs to, and each session's
type, start hour and second, device and depth.

Every draw is keyed by the session key with the day folded into the stream keys, exactly as
the array code it replaced (``tests/reference/sessions_arrays.py``), so any split of the
blocks gives the same sessions.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from ecomgen.kernels import draws as dr
from ecomgen.kernels.fmath import scalar
from ecomgen.simulation.clock import MAX_VIEWS

#: Chance that a session uses the customer's preferred device (before the hour's factor).
KEEP_DEVICE = 0.85
#: Weekday office hours (inclusive) and the last night hour, for device use by time of day.
OFFICE_HOURS = (10, 18)
NIGHT_LAST_HOUR = 5

#: Columns of the pick table (rows in pick order: by block, sign-up day, id).
PICK_CDF, PICK_CUSTOMER, PICK_LAPSE, PICK_STATE = range(4)

PICK_STREAMS = ("sessions.customer", "sessions.regional")
K_CUSTOMER, K_REGIONAL = range(len(PICK_STREAMS))
TRAIT_STREAMS = ("sessions.type", "sessions.hour", "sessions.device.other",
                 "sessions.device.keep", "sessions.second", "sessions.depth")
K_TYPE, K_HOUR, K_OTHER, K_KEEP, K_SECOND, K_DEPTH = range(len(TRAIT_STREAMS))


class PickIn(NamedTuple):
    """A day's drawn sessions (``key``, ``block``) and the customers they may belong to."""

    keys: Any  # uint64 [len(PICK_STREAMS)], the day folded in
    key: Any
    block: Any
    activity: Any  # per block: activity of its customers signed up by today
    base: Any  # per block: running activity before its first customer
    pick: Any  # int64 [N, 4] in pick order: running activity, customer, lapse day, state
    guide: Any  # the first row whose running activity is at or above each guide_step
    guide_step: int
    share: Any  # per state: today's regional multiplier / the day's highest
    today: int
    regional: bool  # a regional festival day: sessions kept with their state's share


class PickOut(NamedTuple):
    """The customer of each session and whether the session happens."""

    cust: Any
    keep: Any


@scalar
def pick_customers(lo: int, hi: int, t: PickIn, o: PickOut) -> None:
    """Sessions ``lo..hi-1``: a customer of the session's block in proportion to activity;
    dormant customers' sessions (and, on a regional festival day, some of those of the
    states not celebrating) do not happen."""
    for i in range(lo, hi):
        key = t.key[i]
        b = t.block[i]
        u = dr.uniform(dr.h1(t.keys[K_CUSTOMER], key))
        target = t.base[b] + int(math.floor(u * float(t.activity[b])))
        # The first running sum above the target: rows below target's guide are below it,
        # those from the next guide on above it (a search of a few rows, not all).
        g = target // t.guide_step
        a, z = t.guide[g], t.guide[g + 1]
        while a < z:
            m = (a + z) >> 1
            if t.pick[m, PICK_CDF] <= target:
                a = m + 1
            else:
                z = m
        keep = t.pick[a, PICK_LAPSE] > t.today
        if t.regional:
            keep = keep and (dr.uniform(dr.h1(t.keys[K_REGIONAL], key))
                             < t.share[t.pick[a, PICK_STATE]])
        o.cust[i] = t.pick[a, PICK_CUSTOMER]
        o.keep[i] = keep


class TraitIn(NamedTuple):
    """A day's sessions (``key``, ``cust``) and the tables of their traits."""

    keys: Any  # uint64 [len(TRAIT_STREAMS)], the day folded in
    key: Any
    cust: Any
    pref_device: Any  # per customer
    stype_cdf: Any  # cumulative session-type weights
    stype_last: int
    depth_log_q: Any  # per session type: log1p(-1 / mean views)
    depth_below: Any  # and the chance of fewer than MAX_VIEWS views
    hour_cdf: Any  # cumulative start-hour weights
    hour_last: int
    hour_first: Any
    hour_seconds: Any
    device_hour_cdf: Any  # [3, devices]: other hours, office hours, night
    device_hour_factor: Any
    workday: bool
    c0: int = 0  # customer index of the first row of the per-customer arrays (a shard's)


class TraitOut(NamedTuple):
    """Each session's type, device, start second (before spacing) and drawn views."""

    stype: Any
    device: Any
    start: Any
    views: Any


@scalar
def session_traits(lo: int, hi: int, t: TraitIn, o: TraitOut) -> None:
    """Sessions ``lo..hi-1``: type; start hour (its weight times the share of it a session
    may start in) and second; the customer's own device mostly, less so when it is little
    used at that hour, else one weighted by its use then; views drawn below MAX_VIEWS."""
    ndev = t.device_hour_cdf.shape[1]
    for i in range(lo, hi):
        key = t.key[i]
        k = t.keys
        stype = dr.choice(t.stype_cdf, t.stype_last, dr.uniform(dr.h1(k[K_TYPE], key)))
        hour = dr.choice(t.hour_cdf, t.hour_last, dr.uniform(dr.h1(k[K_HOUR], key)))
        cls = 2 if hour <= NIGHT_LAST_HOUR else 0
        if t.workday and OFFICE_HOURS[0] <= hour <= OFFICE_HOURS[1]:
            cls = 1
        pref = t.pref_device[t.cust[i] - t.c0]
        x = dr.uniform(dr.h1(k[K_OTHER], key)) * t.device_hour_cdf[cls, ndev - 1]
        other = 0
        for j in range(ndev):
            if t.device_hour_cdf[cls, j] <= x:
                other += 1
        other = min(other, ndev - 1)
        keep = dr.uniform(dr.h1(k[K_KEEP], key)) < KEEP_DEVICE * t.device_hour_factor[cls, pref]
        o.stype[i] = stype
        o.device[i] = pref if keep else other
        o.start[i] = t.hour_first[hour] + dr.integers(dr.uniform(dr.h1(k[K_SECOND], key)), 0,
                                                      t.hour_seconds[hour])
        o.views[i] = 1 + dr.geometric_below_from(dr.uniform(dr.h1(k[K_DEPTH], key)),
                                                 t.depth_log_q[stype], t.depth_below[stype],
                                                 MAX_VIEWS)
