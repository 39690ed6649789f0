"""Configuration rules: nonsense values are refused in one line before any work starts."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ecomgen.cli import main
from ecomgen.config import (
    FIRST_DATE,
    LAST_DATE,
    MAX_WRAP_DAYS,
    Config,
    month_day_problem,
    wrap_days,
)
from ecomgen.errors import UserError
from ecomgen.output import read_manifest
from ecomgen.settings import build_config, describe_validation_error, to_toml

WEIGHTED = ("AGE_BEHAVIOR_MAPPING", "GENDER_PREFERENCES", "DEVICES", "MERCHANT_TYPES",
            "SESSION_TYPES")
DST_ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Europe/Berlin",
             "America/Chicago")
FIXED_ZONES = ("UTC", "Asia/Kolkata", "Asia/Tokyo", "Asia/Dubai", "Etc/GMT-3", "Etc/GMT+5",
               "Asia/Singapore", "Asia/Shanghai")


def _zero_table(section: str) -> str:
    return to_toml({section: {name: {"weight": 0} for name in getattr(Config(), section)}})


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


# (TOML text or None, extra command-line arguments, expected part of the message)
REJECTED: list[tuple[str | None, list[str], str]] = [
    # time zones
    ('timezone = "Mars/Base"\n', [],
     'config: timezone = "Mars/Base" is not a known time zone; use an IANA name such as '
     "Asia/Kolkata, UTC"),
    ('timezone = "asia/tokyo"\n', [], "did you mean Asia/Tokyo?"),
    ('timezone = ""\n', [], 'config: timezone = "" is not a known time zone'),
    ('timezone = "localtime"\n', [], "is not a known time zone"),
    ('timezone = "Europe/London"\nstart = 2024-01-01\nend = 2024-12-31\n', [],
     'config: timezone = "Europe/London" changes its UTC offset on 2024-03-31 (UTC+00:00 to '
     "UTC+01:00), inside the period; ecomgen simulates fixed-offset zones only: use one such "
     "as Asia/Kolkata, UTC, Asia/Tokyo, Asia/Dubai or Etc/GMT-3"),
    ('timezone = "America/New_York"\n', ["--start", "2024-10-01", "--end", "2024-11-30"],
     "changes its UTC offset on 2024-11-03 (UTC-04:00 to UTC-05:00)"),
    # all-zero weight tables
    ("[TRAFFIC]\nhourly_weights = [" + ", ".join(["0"] * 24) + "]\n", [],
     "config: TRAFFIC.hourly_weights are all zero; give at least one hour a positive weight"),
    ("[TRAFFIC]\nweekday_weights = [0, 0, 0, 0, 0, 0, 0.0]\n", [],
     "config: TRAFFIC.weekday_weights are all zero; give at least one weekday a positive "
     "weight"),
    ("[TRAFFIC]\nweekday_weights = [1, 1, 1, 1, 1, 0, 0]\n",
     ["--start", "2024-01-06", "--end", "2024-01-07"],
     "config: TRAFFIC.weekday_weights give every day from 2024-01-06 to 2024-01-07 zero "
     "weight"),
    ("[RATINGS]\nbase_shares = [0, 0, 0, 0, 0]\n", [],
     "config: RATINGS.base_shares are all zero; give at least one star rating a positive "
     "share"),
    (_zero_table("AGE_BEHAVIOR_MAPPING"), [],
     "config: AGE_BEHAVIOR_MAPPING.*.weight are all zero; give at least one age group a "
     "positive weight"),
    (_zero_table("GENDER_PREFERENCES"), [],
     "config: GENDER_PREFERENCES.*.weight are all zero; give at least one gender a positive "
     "weight"),
    (_zero_table("DEVICES"), [],
     "config: DEVICES.*.weight are all zero; give at least one device a positive weight"),
    (_zero_table("MERCHANT_TYPES"), [],
     "config: MERCHANT_TYPES.*.weight are all zero; give at least one merchant type a "
     "positive weight"),
    (_zero_table("SESSION_TYPES"), [],
     "config: SESSION_TYPES.*.weight are all zero; give at least one session type a positive "
     "weight"),
    # prices and quantities
    ("[CATEGORIES.Books]\nprice_min = 6000\n", [],
     "config: CATEGORIES.Books has price_min = 6000 above price_max = 5000; make price_min "
     "<= price_max"),
    ("[CATEGORIES.Books]\nprice_median = 9000\n", [],
     "config: CATEGORIES.Books has price_median = 9000 outside price_min..price_max "
     "(79..5000); choose a median inside the range"),
    ("[CATEGORIES.Books]\nprice_median = 20\n", [], "has price_median = 20 outside"),
    ("[CATEGORIES.Books]\nprice_min = 100.2\nprice_max = 100.7\nprice_median = 100.5\n", [],
     "config: CATEGORIES.Books has no whole rupee between price_min = 100.2 and price_max = "
     "100.7"),
    ("[CATEGORIES.Books]\nmax_quantity = 1\n", [],
     "config: CATEGORIES.Books has multi_unit_prob = 0.08 but max_quantity = 1 allows one unit "
     "per line; set multi_unit_prob = 0 or max_quantity >= 2"),
    # sale dates
    ('[SALES_CALENDAR.diwali]\nstart = "02-30"\n', [],
     'config: SALES_CALENDAR.diwali.start = "02-30" is not a day of the year (February has 29 '
     'days); use MM-DD, e.g. "10-28"'),
    ('[SALES_CALENDAR.diwali]\nend = "04-31"\n', [],
     'config: SALES_CALENDAR.diwali.end = "04-31" is not a day of the year (April has 30 days)'),
    ('[SALES_CALENDAR.diwali]\nstart = "13-01"\n', [], "(there is no month 13)"),
    ('[SALES_CALENDAR.diwali]\nstart = "00-10"\n', [], "(there is no month 00)"),
    ('[SALES_CALENDAR.diwali]\nstart = "10-00"\n', [], "(October has 31 days)"),
    ('[SALES_CALENDAR.diwali]\nstart = "1-28"\n', [], "(not in MM-DD form)"),
    ('[SALES_CALENDAR.big_billion_days]\nstart = "10-09"\nend = "10-03"\n', [],
     "config: SALES_CALENDAR.big_billion_days ends (10-03) before it starts (10-09): a 360-day "
     "sale across the new year; swap start and end"),
    ('[SALES_CALENDAR.winter]\nstart = "11-01"\nend = "02-01"\ntraffic_uplift = 2\n', [],
     "a 93-day sale across the new year; swap start and end"),
    ('[SALES_CALENDAR.diwali]\nanchor = "diwalli"\n', [],
     'config: SALES_CALENDAR.diwali.anchor = "diwalli" is not a festival ecomgen knows the '
     "dates of (did you mean diwali?); use one of pongal, holi"),
    ('[SALES_CALENDAR.diwali]\nanchor = "diwali"\nstart = "10-28"\nend = "11-02"\n', [],
     "config: SALES_CALENDAR.diwali gives both anchor (diwali) and start/end; keep one"),
    ('[SALES_CALENDAR.diwali]\nstart = "10-28"\n', [],
     "config: SALES_CALENDAR.diwali needs start and end (MM-DD) or an anchor"),
    ('[SALES_CALENDAR.diwali]\ndays_before = 2\ndays_after = -3\n', [],
     "config: SALES_CALENDAR.diwali has days_before = 2 and days_after = -3: the window "
     "would close before it opens"),
    ('[SALES_CALENDAR.sale]\nstart = "03-01"\nend = "03-02"\ntraffic_uplift = 2\n'
     "days_before = 1\n", [], "config: SALES_CALENDAR.sale gives days_before/days_after "
     "without an anchor"),
    ('[SALES_CALENDAR.onam]\nstates = ["Kerela"]\n', [],
     "config: SALES_CALENDAR.onam.states: unknown state 'Kerela'; did you mean 'Kerala'?"),
    ('[SALES_CALENDAR.onam]\ndiscount_pct = 0.1\n', [],
     "config: SALES_CALENDAR.onam is regional (states) and also sets discount_pct"),
    ('[SALES_CALENDAR.diwali]\nshape = "ramp"\n', [], "SALES_CALENDAR.diwali.shape"),
    ("[CATEGORIES.Books]\nseasonality = [1.0, 2.0]\n", [], "CATEGORIES.Books.seasonality"),
    # currency
    ('currency = ""\n', [],
     'config: currency = "" is not a currency code; use a 3-letter upper-case ISO 4217 code '
     "such as INR, USD or EUR"),
    ('currency = "   "\n', [], 'config: currency = "   " is not a currency code'),
    ('currency = "inr"\n', [], 'config: currency = "inr" is not a currency code'),
    ('currency = "RUPEE"\n', [], "is not a currency code"),
    # booleans and numbers
    ("seed = true\n", [],
     "config: seed = true is true/false where a number belongs; write a number"),
    ("num_customers = true\n", [], "config: num_customers = true is true/false"),
    ("[INVENTORY_CONFIG]\ndamage_rate = false\n", [],
     "config: INVENTORY_CONFIG.damage_rate = false is true/false where a number belongs"),
    ("[TRAFFIC]\nhourly_weights = [true" + ", 1" * 23 + "]\n", [],
     "config: TRAFFIC.hourly_weights[0] = true is true/false where a number belongs"),
    ("[INVENTORY_CONFIG]\nsupplier_delay_range = [1, true]\n", [],
     "config: INVENTORY_CONFIG.supplier_delay_range[1] = true is true/false"),
    ("[CATEGORIES.Grocery]\nperishable = 1\n", [],
     "config: CATEGORIES.Grocery.perishable = 1 is not true or false; write true or false"),
    ('[CATEGORIES.Grocery]\nperishable = "yes"\n', [],
     'config: CATEGORIES.Grocery.perishable = "yes" is not true or false'),
    ("[TRAFFIC]\nannual_growth = inf\n", [], "TRAFFIC.annual_growth = inf is invalid"),
    ("[TRAFFIC]\nhourly_weights = [nan" + ", 1" * 23 + "]\n", [],
     "TRAFFIC.hourly_weights[0] = nan is invalid"),
    # supported years
    (None, ["--start", "0001-01-01"],
     "--start 0001-01-01 is outside the supported range; use a date from 2000-01-01 to "
     "2099-12-31"),
    (None, ["--end", "9999-12-31"], "--end 9999-12-31 is outside the supported range"),
    (None, ["--start", "9999-12-25"], "--start 9999-12-25 is outside the supported range"),
    (None, ["--start", "1999-12-31", "--end", "2000-01-31"],
     "--start 1999-12-31 is outside the supported range"),
    (None, ["--start", "2099-12-20"],
     "--preset tiny runs 30 days from --start 2099-12-20, past the supported last day "
     "2099-12-31; start on 2099-12-02 or earlier"),
    ("start = 1969-12-31\n", [],
     "config: start = 1969-12-31 is outside the supported range; use a date from 2000-01-01 "
     "to 2099-12-31"),
    ("start = 2099-12-30\nend = 2100-01-02\n", [], "config: end = 2100-01-02 is outside"),
    ("start = 2099-12-30\n", [], "from start = 2099-12-30, past the supported last day"),
    # other nonsense
    ('[CUSTOMER_SEGMENTS.premium]\npreferred_categories = ["Beauty", "Books", "Beauty"]\n', [],
     'config: CUSTOMER_SEGMENTS.premium.preferred_categories lists "Beauty" twice; name each '
     "entry once"),
    ('[CATEGORIES.Books]\nbrands = ["Rupa", "Rupa"]\n', [],
     'config: CATEGORIES.Books.brands lists "Rupa" twice'),
    ('[CATEGORIES.Books.subcategories.Fiction]\nbrands = ["Nobody"]\n', [],
     'config: CATEGORIES.Books has subcategory "Fiction" naming brand "Nobody", which is not '
     "in the category's brands"),
    ('[CATEGORIES.Books.subcategories.Fiction]\nvariants = [{label = "Paperback", '
     'price_factor = 1.0, brands = ["Scholastic"]}]\n', [],
     'has subcategory "Fiction" with variant "Paperback" naming brand "Scholastic", which does '
     "not make the subcategory"),
    ("[PAYMENT_METHODS.emi]\nmin_order_value = 20000000\n", [],
     "config: PAYMENT_METHODS.emi has min_order_value = 20000000 above max_order_value = "
     "10000000"),
    ('[AGE_BEHAVIOR_MAPPING."18-24"]\nmax_age = 17\n', [],
     "config: AGE_BEHAVIOR_MAPPING.18-24 has max_age = 17 below min_age = 18"),
    ("[GPU_CONFIG]\nbatch_size_views = 100000000000000000000\n", [],
     "config: GPU_CONFIG.batch_size_views = 100000000000000000000 is out of range"),
    ('[CATEGORIES."x\\ny"]\nproduct_share = 1\n', [],  # a key with a line break in it
     'config: CATEGORIES."x\\ny".traffic_share is required here'),
    ('timezone = "Asia/\\u2028Tokyo"\n', [], 'config: timezone = "Asia/\\u2028Tokyo" is not'),
    ("[GPU_CONFIG]\nmemory_cleanup_frequency = -1\n", [],
     "config: GPU_CONFIG.memory_cleanup_frequency = -1 is out of range (must be >= 0)"),
]


@pytest.mark.parametrize(("text", "args", "message"), REJECTED)
def test_rejected_in_one_line_exit_2_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        text: str | None, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    if text is not None:
        (tmp_path / "c.toml").write_text(text)
        args = ["--config", "c.toml", *args]
    before = _listing(tmp_path)
    assert main(["--preset", "tiny", "--outdir", "out", *args], default_generate=True) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ecomgen: error: "), err
    assert message in err, err
    assert "Traceback" not in err
    assert _listing(tmp_path) == before


ACCEPTED = [
    "[TRAFFIC]\nhourly_weights = [" + ", ".join(["0"] * 23) + ", 1]\n",
    "[TRAFFIC]\nweekday_weights = [0, 0, 0, 0, 0, 0, 1]\n",
    "[RATINGS]\nbase_shares = [0, 0, 0, 0, 1]\n",
    "[DEVICES.mobile]\nweight = 0\n",
    "[CUSTOMER_SEGMENTS.premium]\nweight = 0\n[CUSTOMER_SEGMENTS.mainstream]\nweight = 0.5\n",
    '[SALES_CALENDAR.new_year]\nstart = "12-28"\nend = "01-03"\ntraffic_uplift = 2\n',
    '[SALES_CALENDAR.winter]\nstart = "11-01"\nend = "01-31"\ntraffic_uplift = 1.5\n',
    '[SALES_CALENDAR.leap]\nstart = "02-29"\nend = "03-02"\ntraffic_uplift = 2\n',
    '[SALES_CALENDAR.to_leap]\nstart = "12-01"\nend = "02-29"\ntraffic_uplift = 1.2\n',
    '[SALES_CALENDAR.one_day]\nstart = "07-15"\nend = "07-15"\ntraffic_uplift = 1.2\n',
    '[SALES_CALENDAR.diwali]\nstart = "10-28"\nend = "11-02"\n',
    '[SALES_CALENDAR.republic_day_sale]\nanchor = "pongal"\ndays_after = 3\n',
    '[SALES_CALENDAR.eid]\nanchor = "eid_al_fitr"\ntraffic_uplift = 1.3\nstates = ["Kerala"]\n',
    'timezone = "Asia/Tokyo"\ncurrency = "JPY"\n',
    'timezone = "Etc/GMT+5"\n',
    'timezone = "Europe/London"\nstart = 2024-01-01\nend = 2024-01-31\n',  # no change inside
    "[INVENTORY_CONFIG]\ndamage_rate = 0\n[TRAFFIC]\nannual_growth = 1\n",  # ints for floats
    'start = "2024-02-01"\nend = "2024-02-29"\n',  # dates as strings
    "start = 2000-01-01\nend = 2019-12-31\n",
    "start = 2080-01-01\nend = 2099-12-31\n",
    "[CATEGORIES.Books]\nmax_quantity = 1\nmulti_unit_prob = 0\nprice_min = 349\n",
    "[CATEGORIES.Grocery]\nperishable = false\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted(tmp_path: Path, text: str) -> None:
    (tmp_path / "c.toml").write_text(text)
    build_config(config_file=tmp_path / "c.toml")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_text('\ufeffseed = 5\ncurrency = "EUR"\n', encoding="utf-8")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfseed")
    cfg = build_config(config_file=path)
    assert cfg.seed == 5 and cfg.currency == "EUR"


def test_month_days_and_wraps() -> None:
    assert month_day_problem("02-29") is None
    assert month_day_problem("12-31") is None
    assert month_day_problem("02-30") == "February has 29 days"
    assert month_day_problem("１２-01") == "not in MM-DD form"
    assert wrap_days("12-28", "01-03") == 7
    assert wrap_days("12-01", "02-29") == 91
    assert wrap_days("10-09", "10-03") == 360


# ------------------------------------------------------------ every number, every boolean
def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(data, list | tuple):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, (*path, i))]
    return [(path, data)]


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replaced(data[head], rest, value)}
    items = list(data)
    items[head] = _replaced(items[head], rest, value)
    return items


def _path_text(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


DEFAULTS = Config().model_dump()
NUMBERS = [p for p, v in _leaves(DEFAULTS) if isinstance(v, int | float)
           and not isinstance(v, bool)]
BOOLEANS = [p for p, v in _leaves(DEFAULTS) if isinstance(v, bool)]


def _message(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Config.model_validate(data)
    return describe_validation_error(info.value)


def test_every_number_refuses_true_and_false() -> None:
    assert len(NUMBERS) > 300
    for path in NUMBERS:
        for flag, text in ((True, "true"), (False, "false")):
            message = _message(_replaced(DEFAULTS, path, flag))
            assert message == f"config: {_path_text(path)} = {text} is true/false where a " \
                "number belongs; write a number", message


def test_every_boolean_refuses_numbers_and_strings() -> None:
    assert BOOLEANS
    for path in BOOLEANS:
        for value in (0, 1, "true"):
            message = _message(_replaced(DEFAULTS, path, value))
            assert message.startswith(f"config: {_path_text(path)} = ") and \
                "is not true or false" in message, message


# --------------------------------------------------------------------------- properties
def _write_and_build(data: dict[str, Any], args: dict[str, Any] | None = None) -> Config:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.toml"
        path.write_text(to_toml(data))
        return build_config(config_file=path, flags=args)


@st.composite
def month_day(draw: st.DrawFn) -> str:
    """Any real MM-DD, 02-29 included."""
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)))
    return day.strftime("%m-%d")


@st.composite
def sale_window(draw: st.DrawFn) -> tuple[str, str]:
    """A legal window: end on or after start, or across the new year for at most 92 days."""
    start = draw(month_day())
    if draw(st.booleans()):
        end = draw(month_day().filter(lambda e: e >= start))
    else:
        first = dt.date(2001, 12, 31) - dt.timedelta(days=draw(st.integers(0, 60)))
        end_day = first + dt.timedelta(days=draw(st.integers(1, 31)))
        start, end = first.strftime("%m-%d"), end_day.strftime("%m-%d")
    return start, end


weights = st.floats(0, 1_000, allow_nan=False)


@st.composite
def valid_overrides(draw: st.DrawFn) -> dict[str, Any]:
    """A random small configuration inside every rule."""
    days = draw(st.integers(1, 800))
    start = draw(st.dates(FIRST_DATE, LAST_DATE - dt.timedelta(days=days - 1)))
    weekday = draw(st.lists(weights, min_size=7, max_size=7))
    weekday[start.weekday()] = draw(st.floats(0.01, 10))  # the first day has traffic
    hourly = draw(st.lists(weights, min_size=24, max_size=24).filter(any))
    seg = draw(st.lists(st.integers(0, 10), min_size=4, max_size=4).filter(any))
    segments = dict(zip(Config().CUSTOMER_SEGMENTS, seg, strict=True))
    lo = draw(st.integers(1, 10_000))
    hi = draw(st.integers(lo, 1_000_000))
    mid = draw(st.floats(lo, hi))
    sale_start, sale_end = draw(sale_window())
    data: dict[str, Any] = {
        "seed": draw(st.integers(0, 2**63 - 1)),
        "num_customers": draw(st.integers(1, 1_000_000)),
        "num_products": draw(st.integers(1, 100_000)),
        "num_merchants": draw(st.integers(1, 1_000)),
        "avg_views_per_day": draw(st.integers(1, 1_000_000)),
        "start": start,
        "end": start + dt.timedelta(days=days - 1),
        "timezone": draw(st.sampled_from(FIXED_ZONES)),
        "currency": draw(st.sampled_from(["INR", "USD", "EUR", "JPY", "AED"])),
        "TRAFFIC": {"hourly_weights": hourly, "weekday_weights": weekday},
        "RATINGS": {"base_shares": draw(st.lists(weights, min_size=5, max_size=5)
                                        .filter(any))},
        "CUSTOMER_SEGMENTS": {k: {"weight": v / sum(seg)} for k, v in segments.items()},
        "CATEGORIES": {"Books": {"price_min": lo, "price_max": hi, "price_median": mid}},
        "SALES_CALENDAR": {"diwali": {"start": sale_start, "end": sale_end}},
    }
    for section in WEIGHTED:
        names = list(getattr(Config(), section))
        values = draw(st.lists(st.floats(0, 1), min_size=len(names), max_size=len(names))
                      .filter(any))
        data[section] = {n: {"weight": v} for n, v in zip(names, values, strict=True)}
    return data


@given(valid_overrides())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_valid_configs_are_accepted(data: dict[str, Any]) -> None:
    cfg = _write_and_build(data)
    assert cfg.start == data["start"] and cfg.end == data["end"]
    assert cfg.TRAFFIC.hourly_weights == data["TRAFFIC"]["hourly_weights"]
    assert cfg.SALES_CALENDAR["diwali"].start == data["SALES_CALENDAR"]["diwali"]["start"]


@st.composite
def corruption(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """One nonsense value put into the default configuration, and the key path to blame."""
    kind = draw(st.sampled_from(["bool", "number_for_bool", "zero_table", "zero_list",
                                 "reversed", "impossible", "zone", "dst", "year", "price"]))
    if kind == "bool":
        path = draw(st.sampled_from(NUMBERS))
        return _nested(path, draw(st.booleans())), _path_text(path)
    if kind == "number_for_bool":
        path = draw(st.sampled_from(BOOLEANS))
        return _nested(path, draw(st.integers(-5, 5))), _path_text(path)
    if kind == "zero_table":
        section = draw(st.sampled_from(WEIGHTED))
        return ({section: {n: {"weight": 0} for n in getattr(Config(), section)}},
                f"{section}.*.weight")
    if kind == "zero_list":
        section, key, n = draw(st.sampled_from([("TRAFFIC", "hourly_weights", 24),
                                                ("TRAFFIC", "weekday_weights", 7),
                                                ("RATINGS", "base_shares", 5)]))
        return {section: {key: [0.0] * n}}, f"{section}.{key}"
    if kind == "reversed":  # end before start, across the new year for over 92 days
        start = draw(st.dates(dt.date(2001, 1, 3), dt.date(2001, 12, 31)))
        to_new_year = (dt.date(2002, 1, 1) - start).days
        days = draw(st.integers(max(MAX_WRAP_DAYS + 1, to_new_year + 1), 364))
        end = start + dt.timedelta(days=days - 1)
        name = draw(st.sampled_from(list(Config().SALES_CALENDAR)))
        window = {"start": start.strftime("%m-%d"), "end": end.strftime("%m-%d")}
        return {"SALES_CALENDAR": {name: window}}, f"SALES_CALENDAR.{name}"
    if kind == "impossible":
        month = draw(st.integers(0, 99))
        day = draw(st.integers(0, 99))
        text = f"{month:02d}-{day:02d}"
        if month_day_problem(text) is None:
            text = f"{month:02d}-{32 + day % 60:02d}"
        name = draw(st.sampled_from(list(Config().SALES_CALENDAR)))
        which = draw(st.sampled_from(["start", "end"]))
        return ({"SALES_CALENDAR": {name: {which: text}}},
                f"SALES_CALENDAR.{name}.{which}")
    if kind == "zone":
        zone = draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
        return {"timezone": zone + "/Nowhere"}, "timezone"
    if kind == "dst":
        return {"timezone": draw(st.sampled_from(DST_ZONES))}, "timezone"
    if kind == "year":
        day = draw(st.dates(dt.date(1, 1, 1), FIRST_DATE - dt.timedelta(days=1))
                   | st.dates(LAST_DATE + dt.timedelta(days=1), dt.date(9999, 12, 31)))
        key = draw(st.sampled_from(["start", "end"]))
        return {key: day}, f"config: {key} = {day} is outside the supported range"
    name = draw(st.sampled_from(list(Config().CATEGORIES)))
    low = draw(st.integers(2, 1_000_000))
    return ({"CATEGORIES": {name: {"price_min": low, "price_max": low - 1}}},
            f"CATEGORIES.{name}")


def _nested(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """The default configuration's top-level table holding ``path``, with ``value`` there."""
    top = path[0]
    return {top: _replaced(DEFAULTS[top], path[1:], value)}


@given(corruption())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_corruptions_are_one_line_user_errors(case: tuple[dict[str, Any], str]) -> None:
    data, path = case
    with pytest.raises(UserError) as info:
        _write_and_build(data)
    message = info.value.message
    assert "\n" not in message and "\r" not in message
    assert message.startswith("config: ") or message.startswith("--preset"), message
    assert path in message, message


# ------------------------------------------------------------------------- end to end
def test_fixed_offset_zone_from_the_first_supported_day(tmp_path: Path) -> None:
    """A non-default fixed-offset zone at 2000-01-01: validation passes, entity dates sane."""
    import polars as pl

    (tmp_path / "c.toml").write_text('timezone = "Asia/Tokyo"\ncurrency = "JPY"\n')
    out = tmp_path / "tokyo"
    rc = main(["generate", "--preset", "tiny", "--start", "2000-01-01", "--config",
               str(tmp_path / "c.toml"), "--outdir", str(out), "--no-report", "--quiet"])
    assert rc == 0  # the data-quality checks pass
    m = read_manifest(out)
    assert m["timezone"] == "Asia/Tokyo" and m["currency"] == "JPY"
    assert m["period"]["start"] == "2000-01-01"
    for table, column in (("merchants", "join_date"), ("customers", "signup_date"),
                          ("products", "launch_date")):
        dates = pl.read_csv(out / f"{table}.csv", try_parse_dates=True)[column]
        assert dt.date(1990, 1, 1) <= dates.min() < dt.date(2000, 1, 1), (table, dates.min())
        assert dates.max() <= dt.date(2000, 1, 30)


def test_last_supported_days(tmp_path: Path) -> None:
    out = tmp_path / "far"
    rc = main(["generate", "--preset", "tiny", "--start", "2099-12-02", "--end", "2099-12-31",
               "--outdir", str(out), "--no-report", "--quiet"])
    assert rc == 0  # the data-quality checks pass
    assert read_manifest(out)["period"] == {"start": "2099-12-02", "end": "2099-12-31",
                                             "days": 30}
