"""The day's clock: session starts follow the hourly profile inside the allowed seconds, and
every session event stays strictly between the day's opening and closing ledger seconds."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import numpy as np
import pytest

from ecomgen.backend import CPU
from ecomgen.config import Config, preset_overrides
from ecomgen.simulation import clock
from ecomgen.simulation.browse import draw_sessions
from ecomgen.simulation.setup import setup
from ecomgen.simulation.world import start_hours


def _session_starts(cfg: Config) -> np.ndarray:
    """Second of the day of every session start over the whole period (sessions only)."""
    w, _ = setup(cfg, CPU, lambda name, batch: None)
    return np.concatenate([draw_sessions(w, d).start for d in range(cfg.num_days)])


def test_no_second_collects_the_starts_of_cut_off_hours() -> None:
    """Preset S density (10,000 views a day over a year): the busiest second holds a tiny
    share of the starts, none lies outside [FIRST_START, LAST_VIEW]."""
    cfg = Config(**preset_overrides("S"))
    start = _session_starts(cfg)
    assert start.size > 500_000
    assert start.min() >= clock.FIRST_START and start.max() <= clock.LAST_VIEW
    counts = np.bincount(start, minlength=clock.DAY)
    assert counts.max() / start.size <= 0.0005, (int(counts.argmax()), int(counts.max()))
    # Both ends are reached: the bounds cut the profile, they do not shift it.
    assert counts[clock.FIRST_START] > 0 and counts[clock.LAST_VIEW - 60:].sum() > 0


def test_start_profile_follows_the_hourly_weights_inside_the_allowed_seconds() -> None:
    # Many customers, few sessions each: a customer's later sessions of a day are moved
    # past the one before (no overlap), which only a busy customer's day shows.
    cfg = Config(num_customers=400_000, num_products=200, num_merchants=5,
                 avg_views_per_day=200_000, start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 8))
    start = _session_starts(cfg)
    hours = start_hours(cfg.TRAFFIC.hourly_weights)
    want = hours.weight / hours.weight.sum()
    got = np.bincount(start // 3600, minlength=24) / start.size
    assert np.abs(got - want).max() < 0.004
    # The last hour is cut at LAST_VIEW: its starts spread evenly over the part allowed.
    last = start[start >= 23 * 3600] - 23 * 3600
    assert hours.seconds[23] - 30 <= last.max() <= hours.seconds[23] - 1
    halves = np.bincount(last * 2 // hours.seconds[23], minlength=2)
    assert abs(halves[0] - halves[1]) < 4 * np.sqrt(last.size)


def test_start_hours_weights_each_hour_by_its_allowed_share() -> None:
    hours = start_hours([1.0] * 24)
    assert hours.first[0] == clock.FIRST_START and hours.seconds[0] == 3600 - clock.FIRST_START
    assert hours.first[23] == 23 * 3600
    assert hours.first[23] + hours.seconds[23] - 1 == clock.LAST_VIEW
    assert hours.weight[5] == 1.0 and hours.weight[23] == hours.seconds[23] / 3600
    with pytest.raises(ValueError, match="hourly_weights"):
        start_hours([0.0] * 24)


def test_clock_bounds_leave_room_for_the_longest_session_tail() -> None:
    """The derivation: a view starting at LAST_VIEW, dwelling MAX_DWELL, then the longest
    checkout-and-payment or abandonment delay, ends by LAST_EVENT, before CLOSE."""
    longest_pay = clock.CHECKOUT_DELAY[1] - 1 + clock.PAYMENT_DELAY[1] - 1
    longest = clock.MAX_DWELL + max(longest_pay, clock.ABANDON_DELAY[1] - 1)
    assert clock.LAST_VIEW + longest == clock.LAST_EVENT
    assert clock.OPEN < clock.FIRST_START and clock.LAST_EVENT < clock.CLOSE < clock.DAY


def _extreme_config(stype_dwell: float) -> Config:
    cfg = Config(seed=3, num_customers=300, num_products=40, num_merchants=4,
                 avg_views_per_day=3_000, start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 7))
    for t in cfg.SESSION_TYPES.values():
        t.dwell_seconds, t.mean_views, t.cart_multiplier = stype_dwell, 50.0, 5.0
    cfg.TRAFFIC.base_cart_rate = 1.0
    cfg.TRAFFIC.price_elasticity = 0.0
    return cfg


#: Streams that set a time inside the day (their largest or smallest draws are the extremes).
TIME_STREAMS = ("sessions.hour", "sessions.second", "views.gap", "cart.add_time",
                "cart.remove_time", "cart.checkout_delay", "cart.payment_delay",
                "cart.abandon_delay")


def _pinned_rng(pins: dict[str, int], made: list[Any]) -> Any:
    """An Rng class whose named streams return constant bits (0: smallest, all ones: largest);
    its instances are appended to ``made``."""
    from ecomgen.rng import Rng, Stream, _finish

    class Pinned(Stream):
        def _draw(self, keys: tuple[Any, ...], out: str) -> Any:
            b = super()._draw(keys, "bits")  # every draw of a stream goes through here
            return _finish(self.xp, self.xp.full_like(b, np.uint64(pins[self.name])), out)

    class PinnedRng(Rng):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

        def stream(self, name: str) -> Stream:
            if name not in pins:
                return super().stream(name)
            return Pinned(self.xp, self.seed, name, self.chunk, self.sites)

    return PinnedRng


def _pin_kernels(monkeypatch: pytest.MonkeyPatch, cfg: Config, pins: dict[str, int]) -> None:
    """Run the phase kernels as plain Python (their ``py_func``), with the kernel draws of
    the pinned streams returning constant bits: a kernel's stream key (the day folded in)
    tells its stream apart."""
    from numba.core.dispatcher import Dispatcher

    from ecomgen.kernels import draws, launch
    from ecomgen.rng import folded_keys

    for module in {sys.modules[f.__module__] for f in launch.PHASES.values()} | {draws}:
        for name, value in vars(module).copy().items():
            if isinstance(value, Dispatcher):
                monkeypatch.setattr(module, name, value.py_func)
    pinned = {int(folded_keys(cfg.seed, [name], d)[0]): bits for name, bits in pins.items()
              for d in range(cfg.num_days)}

    def keyed(plain: Any) -> Any:
        def draw(key: Any, *keys: Any) -> Any:
            bits = pinned.get(int(key))
            return plain(key, *keys) if bits is None else np.uint64(bits)
        return draw

    for name in ("h1", "h2", "h3"):
        monkeypatch.setattr(draws, name, keyed(getattr(draws, name)))
    monkeypatch.setattr(launch, "run", lambda phase, n, t, o: launch.PHASES[phase].py_func(
        0, n, t, o) if n > 0 else None)


def _run_pinned(monkeypatch: pytest.MonkeyPatch, cfg: Config,
                pins: dict[str, int]) -> dict[str, Any]:
    import ecomgen.simulation.setup as setup
    from tests.simkit import run_in_memory

    made: list[Any] = []
    monkeypatch.setattr(setup, "Rng", _pinned_rng(pins, made))
    _pin_kernels(monkeypatch, cfg, pins)
    with np.errstate(over="ignore"):  # uint64 hashing wraps, as it does compiled
        tables = run_in_memory(cfg)
    missing = set(pins) - set(made[0].sites)
    assert not missing, f"pinned streams never drawn from (renamed?): {missing}"
    return tables


def _seconds(col: Any) -> np.ndarray:
    """Second of the day of a timestamp column."""
    t = col.dt.epoch("s").to_numpy()
    return t % clock.DAY


def _session_event_seconds(t: dict[str, Any]) -> dict[str, np.ndarray]:
    views = t["views"]
    ends = _seconds(views["timestamp"]) + views["dwell_seconds"].to_numpy()
    return {
        "session start": _seconds(t["browsing_sessions"]["start_time"]),
        "session end": _seconds(t["browsing_sessions"]["end_time"]),
        "view": _seconds(views["timestamp"]),
        "view end": ends,
        "cart event": _seconds(t["cart_events"]["timestamp"]),
        "sale": _seconds(t["sales"]["timestamp"]),
    }


HIGH, LOW = (1 << 64) - 1, 0


@pytest.mark.parametrize("pay", [True, False], ids=["all_pay", "all_abandon"])
def test_latest_draws_end_by_the_last_event_second(monkeypatch: pytest.MonkeyPatch,
                                                   pay: bool) -> None:
    """Longest dwell, every time draw at its largest, starts at LAST_VIEW: events end at
    LAST_EVENT at the latest, before the losses at 23:59:59, and the bound is reached."""
    pins = dict.fromkeys(TIME_STREAMS, HIGH) | {"cart.checkout": LOW if pay else HIGH}
    t = _run_pinned(monkeypatch, _extreme_config(stype_dwell=86_400.0), pins)
    sec = _session_event_seconds(t)
    assert (sec["session start"] == clock.LAST_VIEW).all()
    assert (t["views"]["dwell_seconds"] == clock.MAX_DWELL).all()
    for name, s in sec.items():
        assert s.size == 0 or s.max() <= clock.LAST_EVENT, name
    if pay:
        assert t["sales"].height > 0
        assert sec["sale"].max() == (clock.LAST_VIEW + clock.MAX_DWELL
                                     + clock.CHECKOUT_DELAY[1] - 1 + clock.PAYMENT_DELAY[1] - 1)
    else:
        assert t["sales"].height == 0
        assert sec["cart event"].max() == clock.LAST_EVENT  # the tail is exactly TAIL
    _ledger_brackets_sessions(t)


def test_earliest_draws_start_after_the_opening_ledger_second(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time draw at its smallest: sessions start at FIRST_START, after 00:00:00 (a
    customer's later sessions of the day after the one before)."""
    pins = dict.fromkeys(TIME_STREAMS, LOW) | {"cart.checkout": LOW}
    t = _run_pinned(monkeypatch, _extreme_config(stype_dwell=1.0), pins)
    sec = _session_event_seconds(t)
    import polars as pl

    sessions = t["browsing_sessions"]
    firsts = sessions.group_by("customer_id", sessions["start_time"].dt.date().alias(
        "day")).agg(pl.col("start_time").min())
    assert (_seconds(firsts["start_time"]) == clock.FIRST_START).all()
    assert (sec["session start"] >= clock.FIRST_START).all()
    assert t["sales"].height > 0
    for name, s in sec.items():
        assert s.size == 0 or s.min() >= clock.FIRST_START, name
    _ledger_brackets_sessions(t)


def _ledger_brackets_sessions(t: dict[str, Any]) -> None:
    """Restocks and gains at 00:00:00, losses at 23:59:59, sales strictly between."""
    import polars as pl

    led = t["inventory_events"]
    sec = _seconds(led["timestamp"])
    kind = led["event_type"].cast(pl.String).to_numpy()
    qty = led["quantity"].to_numpy()
    opening = (kind == "initial_stock") | (kind == "restock") | ((kind == "adjustment")
                                                                  & (qty > 0))
    closing = (kind == "damage") | ((kind == "adjustment") & (qty < 0))
    assert (sec[opening] == clock.OPEN).all() and (sec[closing] == clock.CLOSE).all()
    sales = sec[kind == "sale"]
    assert sales.size == 0 or (sales.min() > clock.OPEN and sales.max() < clock.CLOSE)
