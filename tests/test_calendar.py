"""The sales calendar: festivals on their real dates, event shapes, regional festivals,
payday and category seasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecomgen.config import Config, SaleEvent
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.festival_dates import FIRST_YEAR, LAST_YEAR, LUNISOLAR
from ecomgen.simulation.calendar import build_calendar, event_shape, sale_windows
from ecomgen.simulation.festivals import FESTIVAL_NAMES, METONIC, festival_windows
from tests.simkit import run_in_memory

D = dt.date


@pytest.mark.parametrize(("name", "year", "first"), [
    ("big_billion_days", 2023, D(2023, 10, 8)), ("big_billion_days", 2024, D(2024, 9, 27)),
    ("big_billion_days", 2025, D(2025, 9, 23)), ("diwali", 2023, D(2023, 11, 12)),
    ("diwali", 2024, D(2024, 10, 31)), ("diwali", 2025, D(2025, 10, 20)),
    ("holi", 2024, D(2024, 3, 25)), ("eid_al_fitr", 2024, D(2024, 4, 10)),
    ("onam", 2024, D(2024, 9, 15)), ("pongal", 2025, D(2025, 1, 14)),
])
def test_published_dates(name: str, year: int, first: dt.date) -> None:
    """The dates realism.md #26 names (and a few more) come out of the table."""
    assert festival_windows(name, year)[0][0] == first


def test_every_festival_falls_in_its_season_every_supported_year() -> None:
    """2000–2099: each festival once a year (Eid once or twice), in its usual months."""
    months = {"pongal": {1}, "holi": {2, 3}, "raksha_bandhan": {8}, "onam": {8, 9},
              "ganesh_chaturthi": {8, 9}, "big_billion_days": {9, 10}, "navratri": {9, 10},
              "dussehra": {9, 10}, "diwali": {10, 11}}
    for year in range(2000, 2100):
        for name in FESTIVAL_NAMES:
            wins = festival_windows(name, year)
            assert 1 <= len(wins) <= (2 if name == "eid_al_fitr" else 1), (name, year)
            for a, b in wins:
                assert a.year == year and a <= b, (name, year)
                assert name not in months or a.month in months[name], (name, year, a)
        navratri = festival_windows("navratri", year)[0][0]
        dussehra = festival_windows("dussehra", year)[0][0]
        diwali = festival_windows("diwali", year)[0][0]
        assert navratri < dussehra < diwali, year


def test_metonic_projection_is_within_two_days_on_the_table() -> None:
    """Years outside the table take the date 19 years away; inside it that rule is met
    within two days in at least 95 % of cases."""
    errors = []
    for dates in LUNISOLAR.values():
        for y in range(FIRST_YEAR, LAST_YEAR - METONIC + 1):
            a = D(y, int(dates[y][:2]), int(dates[y][3:]))
            b = D(y, int(dates[y + METONIC][:2]), int(dates[y + METONIC][3:]))
            errors.append(abs((b - a).days))
    assert np.mean(np.array(errors) <= 2) >= 0.95


def test_shapes() -> None:
    """spike falls from its first day, build_up rises to its last; teaser and dip days
    frame the window."""
    spike = event_shape(SaleEvent(start="10-01", end="10-05", traffic_uplift=4.0,
                                  shape="spike", decay=0.7, teaser_days=2,
                                  teaser_uplift=1.3, dip_days=3, dip=0.8), 5)
    assert spike.tolist()[:2] == [1.3, 1.3] and spike.tolist()[-3:] == [0.8, 0.8, 0.8]
    core = spike[2:7]
    assert core[0] == 4.0 and np.all(np.diff(core) < 0) and core[-1] > 1.0
    build = event_shape(SaleEvent(start="10-01", end="10-05", traffic_uplift=3.0,
                                  shape="build_up"), 5)
    assert build[-1] == 3.0 and np.all(np.diff(build) > 0)
    flat = event_shape(SaleEvent(start="10-01", end="10-05", traffic_uplift=2.0), 5)
    assert flat.tolist() == [2.0] * 5


def _year(**fields: object) -> Config:
    return Config(num_customers=200, num_products=100, num_merchants=5, avg_views_per_day=100,
                  start=D(2024, 1, 1), end=D(2024, 12, 31), **fields)


def test_default_windows_follow_the_year() -> None:
    """The default calendar's anchored events move with the year's festival dates."""
    for year in (2023, 2024, 2025):
        cfg = Config(start=D(year, 1, 1), end=D(year, 12, 31))
        wins = {n: (a, b) for n, a, b in sale_windows(cfg)}
        assert wins["big_billion_days"][0] == festival_windows("big_billion_days", year)[0][0]
        diwali = festival_windows("diwali", year)[0][0]
        assert wins["diwali"][1] == diwali - dt.timedelta(days=1)


def test_regional_festivals_lift_only_their_states() -> None:
    """Onam multiplies Kerala's column only; national traffic is untouched by it."""
    cal = build_calendar(_year())
    kerala = voc.states().index("Kerala")
    onam = (festival_windows("onam", 2024)[0][0] - D(2024, 1, 1)).days
    assert cal.regional[onam, kerala] > 1.3
    assert np.all(np.delete(cal.regional[onam], kerala) == 1.0)
    assert np.all(cal.regional[onam - 30:onam - 10] == 1.0)
    no_regional = _year(SALES_CALENDAR={
        k: e for k, e in Config().SALES_CALENDAR.items() if not e.states})
    assert np.allclose(build_calendar(no_regional).traffic, cal.traffic)


def test_payday_and_seasons() -> None:
    """The 1st of a month is busier than the 10th by the payday lift; category seasons
    move smoothly, with no step at a month's first day."""
    cfg = _year(SALES_CALENDAR={})
    cal = build_calendar(cfg)
    flat = build_calendar(_year(SALES_CALENDAR={},
                                TRAFFIC=cfg.TRAFFIC.model_copy(update={"payday_days": 0})))
    ratio = cal.traffic / flat.traffic
    first = [(D(2024, m, 1) - cfg.start).days for m in range(1, 13)]
    tenth = [(D(2024, m, 10) - cfg.start).days for m in range(1, 13)]
    assert np.allclose(ratio[first] / ratio[tenth], cfg.TRAFFIC.payday_uplift)
    up = cal.category_uplift
    assert np.abs(np.diff(up, axis=0)).max() < 0.01
    home = list(cfg.CATEGORIES).index("Home")
    assert up[(D(2024, 5, 15) - cfg.start).days, home] > 1.2 > up[(D(2024, 1, 15)
                                                                   - cfg.start).days, home]


def test_sessions_of_a_regional_festival_come_from_its_state() -> None:
    """On Onam, sessions of Kerala's customers rise by the festival's multiplier (thinning
    keeps every other state's sessions as drawn on an ordinary day)."""
    onam = festival_windows("onam", 2024)[0][0]
    # Many customers, few sessions each: a busy customer's extra sessions of a day would be
    # moved apart (and some past the day's end), which is not what this test is about.
    base = dict(num_customers=30_000, num_products=200, num_merchants=5,
                avg_views_per_day=6_000, start=onam - dt.timedelta(days=2), end=onam)
    only = {"onam": SaleEvent(anchor="onam", traffic_uplift=5.0, states=["Kerala"])}
    lifted = run_in_memory(Config(**base, SALES_CALENDAR=only))
    plain = run_in_memory(Config(**base, SALES_CALENDAR={}))
    state = lifted["customers"].select("customer_id", "state")

    def kerala_share(t: dict[str, pl.DataFrame], day: dt.date) -> float:
        s = t["browsing_sessions"].filter(pl.col("start_time").dt.date() == day)
        return s.join(state, on="customer_id")["state"].cast(pl.String).eq("Kerala").mean()

    assert kerala_share(lifted, onam) > 3 * kerala_share(plain, onam) > 0
    before = onam - dt.timedelta(days=2)
    assert kerala_share(lifted, before) == kerala_share(plain, before)
