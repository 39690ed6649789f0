"""The realism figures of the default scenario, measured on the written tables with DuckDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ecomgen.config import Config
from ecomgen.interrupts import reraise_if_interrupted
from ecomgen.profile.bands import (
    BANDS,
    BANDS_BY_KEY,
    BUSIEST_SECOND_MAX_PCT,
    LATE_RATING_GAP,
    PILE_UP_MAX,
    PILE_UP_MIN_ROWS,
    PILE_UP_NEIGHBOURS,
    PREPAID_RTO_MAX,
    RATING_SHARE_BANDS,
    RETURN_RATE_BANDS,
    SUBCATEGORY_PRICE_BANDS,
    Band,
)
from ecomgen.simulation.calendar import sale_windows
from ecomgen.simulation.festivals import festival_windows
from ecomgen.tabledb import DatasetError, load_config, open_dataset, reason

#: Windows of the sales calendar used for the peak-day figure (#14).
PEAK_EVENTS: tuple[str, ...] = ("diwali", "big_billion_days")
#: #26: the week before Diwali averages at least this many median days of orders.
DIWALI_WEEK_MIN = 1.3
#: #22: the dormancy window (days before the end) and the least share of dormant customers.
MIN_ON_HAND = 5
DORMANT_DAYS = 90
DORMANT_MIN_PCT = 30.0
ELECTRONICS = "Electronics"
AOV_PEERS: tuple[str, ...] = ("Fashion", "Beauty", "Books")
#: Device labels counted as mobile (the app and the mobile web; "mobile" in older configs).
MOBILE_DEVICES: tuple[str, ...] = ("app", "mobile_web", "mobile")
_MOBILE_SQL = ", ".join(f"'{d}'" for d in MOBILE_DEVICES)


@dataclass
class Figure:
    """One measured figure with its band."""

    band: Band
    value: float | None
    details: dict[str, Any] = field(default_factory=dict)
    ok_override: bool | None = None
    applicable: bool = True

    @property
    def ok(self) -> bool:
        """Whether the value lies inside the band (and any extra condition holds)."""
        if not self.applicable:
            return True
        if self.ok_override is not None:
            return self.ok_override
        return self.band.contains(self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"number": self.band.number, "key": self.band.key, "title": self.band.title,
                "value": self.value, "unit": self.band.unit, "band": self.band.text(),
                "lo": self.band.lo, "hi": self.band.hi, "ok": self.ok,
                "details": self.details, "anchor": self.band.anchor,
                "applicable": self.applicable}


@dataclass
class Profile:
    """All figures of a dataset."""

    path: str
    figures: list[Figure]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"path": self.path, "in_band": sum(f.ok for f in self.figures),
                "figures": [f.to_dict() for f in self.figures]}

    def figure(self, key: str) -> Figure:
        """The figure with this band key."""
        for f in self.figures:
            if f.band.key == key:
                return f
        raise KeyError(key)


def _row(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The first row of ``sql`` (None: no rows), with the result read to its end: a result
    left unfinished makes the connection refuse the next relation query."""
    rows = con.execute(sql).fetchall()
    return rows[0] if rows else None


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = _row(con, sql)
    return None if row is None else row[0]


def _pct(num: Any, den: Any) -> float | None:
    return None if not den else 100.0 * float(num or 0) / float(den)


_CARTS = ("(SELECT DISTINCT session_id FROM cart_events WHERE event_type = 'add_to_cart')")
_PAID = "(SELECT DISTINCT session_id FROM sales)"

Fn = Callable[[duckdb.DuckDBPyConnection, Config], Figure]
FIGURES: dict[str, Fn] = {}


def _figure(key: str) -> Callable[[Fn], Fn]:
    def deco(fn: Fn) -> Fn:
        FIGURES[key] = fn
        return fn
    return deco


@_figure("cart_abandonment")
def cart_abandonment(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#1: carts (sessions with an add_to_cart) without a paid order ÷ carts."""
    carts, abandoned = _row(con,
        f"SELECT count(*), count(*) FILTER (WHERE p.session_id IS NULL) FROM {_CARTS} c "
        f"LEFT JOIN {_PAID} p USING (session_id)") or (0, 0)
    return Figure(BANDS_BY_KEY["cart_abandonment"], _pct(abandoned, carts),
                  {"carts": carts, "abandoned": abandoned})


@_figure("abandonment_mobile_minus_desktop")
def abandonment_by_device(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#2: abandonment by the session's device; value = mobile (app and mobile web together)
    − desktop in points."""
    rows = con.execute(
        f"SELECT b.device, count(*), count(*) FILTER (WHERE p.session_id IS NULL) "
        f"FROM {_CARTS} c JOIN browsing_sessions b USING (session_id) "
        f"LEFT JOIN {_PAID} p USING (session_id) GROUP BY 1 ORDER BY 1").fetchall()
    by = {d: _pct(a, n) for d, n, a in rows}
    mobile = [(n, a) for d, n, a in rows if d in MOBILE_DEVICES]
    mob = _pct(sum(a for _, a in mobile), sum(n for n, _ in mobile)) if mobile else None
    desk = by.get("desktop")
    val = None if mob is None or desk is None else mob - desk
    return Figure(BANDS_BY_KEY["abandonment_mobile_minus_desktop"], val,
                  {"abandonment_pct_by_device": by})


@_figure("session_conversion")
def session_conversion(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#3: sessions with a sale ÷ sessions."""
    n = _one(con, "SELECT count(*) FROM browsing_sessions")
    s = _one(con, f"SELECT count(*) FROM {_PAID}")
    return Figure(BANDS_BY_KEY["session_conversion"], _pct(s, n),
                  {"sessions": n, "sessions_with_sale": s})


@_figure("sessions_with_add_to_cart")
def sessions_with_cart(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#4: sessions with an add_to_cart ÷ sessions."""
    n = _one(con, "SELECT count(*) FROM browsing_sessions")
    c = _one(con, f"SELECT count(*) FROM {_CARTS}")
    return Figure(BANDS_BY_KEY["sessions_with_add_to_cart"], _pct(c, n),
                  {"sessions": n, "sessions_with_add_to_cart": c})


def _session_totals(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(sessions, views): rows of browsing_sessions and the sum of their ``views`` column.

    The validation check ``session_counts`` guarantees that each session's ``views`` equals
    its rows in ``views``, so the sum is the views row count without scanning that table
    (the largest one: tens of millions of rows at preset L).
    """
    n, v = _row(con, "SELECT count(*), coalesce(sum(views), 0) FROM browsing_sessions"
                       ) or (0, 0)
    return int(n), int(v)


@_figure("views_per_session")
def views_per_session(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#5: views (sum of browsing_sessions.views) ÷ rows of browsing_sessions."""
    n, v = _session_totals(con)
    return Figure(BANDS_BY_KEY["views_per_session"], (v / n) if n else None,
                  {"views": v, "sessions": n})


def _cart_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(con.execute("SELECT event_type, count(*) FROM cart_events GROUP BY 1").fetchall())


@_figure("view_to_add_to_cart")
def view_to_cart(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#6: add_to_cart events ÷ views (sum of browsing_sessions.views)."""
    adds = _cart_counts(con).get("add_to_cart", 0)
    _, v = _session_totals(con)
    return Figure(BANDS_BY_KEY["view_to_add_to_cart"], _pct(adds, v),
                  {"add_to_cart": adds, "views": v})


@_figure("remove_per_add")
def remove_per_add(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#7: remove_from_cart events ÷ add_to_cart events."""
    c = _cart_counts(con)
    adds, rem = c.get("add_to_cart", 0), c.get("remove_from_cart", 0)
    return Figure(BANDS_BY_KEY["remove_per_add"], _pct(rem, adds),
                  {"remove_from_cart": rem, "add_to_cart": adds})


def _rating_counts(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    got = dict(con.execute("SELECT rating, count(*) FROM ratings GROUP BY 1").fetchall())
    return {s: int(got.get(s, 0)) for s in (5, 4, 3, 2, 1)}


@_figure("rating_shape")
def rating_shape(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#8: star shares each in band and 1★ share above 2★ (value 1 = all hold, else 0)."""
    n = _rating_counts(con)
    total = sum(n.values())
    shares = {s: _pct(c, total) for s, c in n.items()}
    inside = {s: shares[s] is not None and lo <= shares[s] <= hi  # type: ignore[operator]
              for s, (lo, hi) in RATING_SHARE_BANDS.items()}
    j_shape = total > 0 and n[1] > n[2]
    ok = all(inside.values()) and j_shape
    return Figure(BANDS_BY_KEY["rating_shape"], 1.0 if ok else 0.0,
                  {"shares_pct": {f"{s}_star": shares[s] for s in shares}, "ratings": total,
                   "in_band": {f"{s}_star": v for s, v in inside.items()},
                   "one_above_two": j_shape})


@_figure("mean_rating")
def mean_rating(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#9: mean of ratings.rating."""
    m = _one(con, "SELECT avg(rating) FROM ratings")
    return Figure(BANDS_BY_KEY["mean_rating"], None if m is None else float(m))


@_figure("rated_line_share")
def rated_lines(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#10: rated sale lines ÷ sale lines."""
    lines = _one(con, "SELECT count(*) FROM sales")
    rated = _one(con, "SELECT count(DISTINCT (order_id, line_number)) FROM ratings")
    return Figure(BANDS_BY_KEY["rated_line_share"], _pct(rated, lines),
                  {"lines": lines, "rated_lines": rated})


@_figure("single_item_orders")
def single_item(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#11: orders whose units (sum of quantity) equal 1 ÷ orders."""
    n, one = _row(con, "SELECT count(*), count(*) FILTER (WHERE units = 1) FROM "
                         "(SELECT order_id, sum(quantity) AS units FROM sales GROUP BY 1)"
                         ) or (0, 0)
    return Figure(BANDS_BY_KEY["single_item_orders"], _pct(one, n),
                  {"orders": n, "single_item_orders": one})


def _balance_runs(cfg: Config) -> str:
    """SQL common table expressions ``d`` and ``r``: per offer and day of the period with
    ledger rows, the end-of-day balance ``eod`` (the day's last row), and in ``r`` each such
    balance with the ``days`` it holds (until the offer's next day with rows, or the end)."""
    start, end = cfg.start.isoformat(), cfg.end.isoformat()
    return f"""d AS (SELECT merchant_id, sku, timestamp::DATE AS day,
                          arg_max(new_balance, event_id) AS eod
                   FROM inventory_events
                   WHERE timestamp::DATE BETWEEN DATE '{start}' AND DATE '{end}'
                   GROUP BY ALL),
             r AS (SELECT eod, lead(day, 1, DATE '{end}' + 1)
                          OVER (PARTITION BY merchant_id, sku ORDER BY day) - day AS days
                   FROM d)"""


@_figure("oos_offer_days")
def oos_offer_days(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#12: offer-days whose end-of-day ledger balance is 0 ÷ offers × days of the period."""
    zero_days = _one(con, f"""WITH {_balance_runs(cfg)}
        SELECT coalesce(sum(days), 0) FROM r WHERE eod = 0""")
    offers = _one(con, "SELECT count(*) FROM offers")
    days = cfg.num_days
    return Figure(BANDS_BY_KEY["oos_offer_days"], _pct(zero_days, offers * days),
                  {"zero_offer_days": zero_days, "offers": offers, "days": days})


@_figure("shrink_per_sold")
def shrink(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#13: units of ledger damage rows ÷ units in sales."""
    lost = _one(con, "SELECT -coalesce(sum(quantity), 0) FROM inventory_events "
                     "WHERE event_type = 'damage'")
    sold = _one(con, "SELECT coalesce(sum(quantity), 0) FROM sales")
    return Figure(BANDS_BY_KEY["shrink_per_sold"], _pct(lost, sold),
                  {"units_lost": lost, "units_sold": sold})


def peak_windows(cfg: Config) -> list[tuple[dt.date, dt.date]]:
    """Days of the PEAK_EVENTS windows inside the period (clipped to it)."""
    return [(a, b) for name, a, b in sale_windows(cfg) if name in PEAK_EVENTS]


def _orders_per_day(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Temp table _orders_per_day(day, n): orders of every day of the period (0 if none)."""
    start, end = cfg.start.isoformat(), cfg.end.isoformat()
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _orders_per_day AS
        SELECT g.day::DATE AS day, coalesce(o.n, 0) AS n FROM
        range(DATE '{start}', DATE '{end}' + 1, INTERVAL 1 DAY) AS g(day)
        LEFT JOIN (SELECT timestamp::DATE AS day, count(DISTINCT order_id) AS n FROM sales
                   GROUP BY 1) o ON o.day = g.day::DATE""")


@_figure("peak_day_ratio")
def peak_ratio(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#14: max orders/day inside Diwali / Big Billion Days ÷ median orders/day of the period."""
    wins = peak_windows(cfg)
    _orders_per_day(con, cfg)
    median = _one(con, "SELECT median(n) FROM _orders_per_day")
    if not wins:
        return Figure(BANDS_BY_KEY["peak_day_ratio"], None,
                      {"note": "no Diwali / Big Billion Days window inside the period"},
                      applicable=False)
    cond = " OR ".join(f"day BETWEEN DATE '{a}' AND DATE '{b}'" for a, b in wins)
    peak = _one(con, f"SELECT max(n) FROM _orders_per_day WHERE {cond}")
    val = float(peak) / float(median) if median else None
    return Figure(BANDS_BY_KEY["peak_day_ratio"], val,
                  {"peak_orders": peak, "median_orders": median,
                   "windows": [f"{a}..{b}" for a, b in wins]})


@_figure("cod_share")
def cod_share(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#15: orders paid cash_on_delivery ÷ orders."""
    n, cod = _row(con, "SELECT count(DISTINCT order_id), count(DISTINCT order_id) FILTER "
                         "(WHERE payment_method = 'cash_on_delivery') FROM sales") \
        or (0, 0)
    return Figure(BANDS_BY_KEY["cod_share"], _pct(cod, n), {"orders": n, "cod_orders": cod})


@_figure("customers_18_35")
def young_customers(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#16: customers with 18 <= age <= 35 ÷ customers."""
    n, y = _row(con, "SELECT count(*), count(*) FILTER (WHERE age BETWEEN 18 AND 35) "
                       "FROM customers") or (0, 0)
    return Figure(BANDS_BY_KEY["customers_18_35"], _pct(y, n), {"customers": n, "aged_18_35": y})


def _category_stats(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float, int]]:
    rows = con.execute("SELECT category, sum(line_total)::DOUBLE, count(DISTINCT order_id) "
                       "FROM sales GROUP BY 1").fetchall()
    return {c: (float(r or 0), int(o)) for c, r, o in rows}


@_figure("electronics_revenue_share")
def electronics_share(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#17: Electronics line_total ÷ all line_total; Fashion or Grocery above it by orders."""
    st = _category_stats(con)
    total = sum(r for r, _ in st.values())
    e_rev, e_orders = st.get(ELECTRONICS, (0.0, 0))
    share = _pct(e_rev, total)
    ranks_above = any(st.get(c, (0, 0))[1] > e_orders for c in ("Fashion", "Grocery"))
    band = BANDS_BY_KEY["electronics_revenue_share"]
    return Figure(band, share, {"orders_by_category": {c: o for c, (_, o) in st.items()},
                                "fashion_or_grocery_above_by_orders": ranks_above},
                  ok_override=band.contains(share) and ranks_above)


@_figure("electronics_aov_ratio")
def aov_ratio(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#18: category AOV = its line_total ÷ orders holding it; Electronics ÷ max of peers."""
    st = _category_stats(con)
    aov = {c: r / o for c, (r, o) in st.items() if o}
    peers = [aov[c] for c in AOV_PEERS if c in aov]
    val = aov[ELECTRONICS] / max(peers) if ELECTRONICS in aov and peers else None
    return Figure(BANDS_BY_KEY["electronics_aov_ratio"], val, {"aov_by_category": aov})


@_figure("sale_lines_below_mrp")
def below_mrp(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#20: sale lines with unit_price < the product's base_price (its MRP) ÷ sale lines;
    in band only when no offer and no sale line is priced above the MRP."""
    lines, below, above = _row(con,
        "SELECT count(*), count(*) FILTER (s.unit_price < p.base_price), "
        "count(*) FILTER (s.unit_price > p.base_price) "
        "FROM sales s JOIN products p USING (sku)") or (0, 0, 0)
    offers_above = _one(con, "SELECT count(*) FROM offers o JOIN products p USING (sku) "
                             "WHERE o.price > p.base_price")
    share = _pct(below, lines)
    band = BANDS_BY_KEY["sale_lines_below_mrp"]
    return Figure(band, share, {"sale_lines": lines, "below_mrp": below, "above_mrp": above,
                                "offers_above_mrp": offers_above},
                  ok_override=band.contains(share) and above == 0 and offers_above == 0)


@_figure("cod_by_tier")
def cod_by_tier(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#25: cash-on-delivery share of orders in tier-3 minus tier-1 cities (points); in band
    only when COD's average order value is at least UPI's."""
    rows = con.execute(
        "WITH o AS (SELECT order_id, any_value(customer_id) AS customer_id, "
        "any_value(payment_method) AS pay, any_value(order_total)::DOUBLE AS total "
        "FROM sales GROUP BY 1) SELECT c.city_tier, count(*), "
        "count(*) FILTER (o.pay = 'cash_on_delivery') FROM o JOIN customers c "
        "USING (customer_id) GROUP BY 1").fetchall()
    share = {int(t): _pct(cod, n) for t, n, cod in rows if t is not None}
    aov = dict(con.execute(
        "SELECT payment_method, avg(order_total)::DOUBLE FROM (SELECT order_id, "
        "any_value(payment_method) AS payment_method, any_value(order_total) AS order_total "
        "FROM sales GROUP BY 1) WHERE payment_method IN ('cash_on_delivery', 'upi') "
        "GROUP BY 1").fetchall())
    t1, t3 = share.get(1), share.get(3)
    val = None if t1 is None or t3 is None else t3 - t1
    cod, upi = aov.get("cash_on_delivery"), aov.get("upi")
    band = BANDS_BY_KEY["cod_by_tier"]
    return Figure(band, val, {"cod_pct_by_tier": share, "aov_cod": cod, "aov_upi": upi},
                  ok_override=band.contains(val) and cod is not None and upi is not None
                  and cod >= upi)


@_figure("device_mix")
def device_mix(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#24: sessions on app or mobile web ÷ sessions; in band only with tablets ≤ 3 %."""
    n, mobile, tablet = _row(con,
        f"SELECT count(*), count(*) FILTER (device IN ({_MOBILE_SQL})), "
        "count(*) FILTER (device = 'tablet') FROM browsing_sessions") or (0, 0, 0)
    share, tablets = _pct(mobile, n), _pct(tablet, n)
    office = _row(con,
        "SELECT 100.0 * avg((device = 'desktop')::INT) FILTER (hour(start_time) BETWEEN 10 "
        "AND 18 AND isodow(start_time) <= 5), 100.0 * avg((device = 'desktop')::INT) FILTER "
        "(hour(start_time) <= 5) FROM browsing_sessions") or (None, None)
    band = BANDS_BY_KEY["device_mix"]
    return Figure(band, share, {"sessions": n, "mobile_pct": share, "tablet_pct": tablets,
                                "desktop_pct_weekday_office_hours": office[0],
                                "desktop_pct_night": office[1]},
                  ok_override=band.contains(share) and tablets is not None and tablets <= 3)


def _year_checks(con: duckdb.DuckDBPyConnection, cfg: Config, year: int
                 ) -> dict[str, Any] | None:
    """#26 for one year of the period: where Sep–Nov peaks, and the week before Diwali."""
    bbd = festival_windows("big_billion_days", year)[0][0]
    diwali = festival_windows("diwali", year)[0][0]
    week = (diwali - dt.timedelta(days=7), diwali - dt.timedelta(days=1))
    autumn = (dt.date(year, 9, 1), dt.date(year, 11, 30))
    out: dict[str, Any] = {"big_billion_days": bbd.isoformat(), "diwali": diwali.isoformat()}
    checks = []
    if cfg.start <= autumn[0] and autumn[1] <= cfg.end:
        row = _row(con, f"""SELECT day, n FROM _orders_per_day
            WHERE day BETWEEN DATE '{autumn[0]}' AND DATE '{autumn[1]}'
            ORDER BY n DESC, day LIMIT 1""")
        busiest = row[0] if row and row[1] else None
        out["busiest_sep_nov"] = None if busiest is None else busiest.isoformat()
        checks.append(busiest is not None and 0 <= (busiest - bbd).days <= 2)
    lo, hi = max(cfg.start, dt.date(year, 1, 1)), min(cfg.end, dt.date(year, 12, 31))
    if cfg.start <= week[0] and week[1] <= cfg.end:
        ratio = _row(con, f"""SELECT avg(n) FILTER (day BETWEEN DATE '{week[0]}'
                AND DATE '{week[1]}') / nullif(median(n), 0) FROM _orders_per_day
            WHERE day BETWEEN DATE '{lo}' AND DATE '{hi}'""")[0]
        out["week_before_diwali_vs_median"] = None if ratio is None else round(ratio, 2)
        checks.append(ratio is not None and ratio >= DIWALI_WEEK_MIN)
    if not checks:
        return None
    out["ok"] = all(checks)
    return out


@_figure("festival_dates")
def festival_dates(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#26: share of the period's years whose orders peak on the real festival dates: the
    busiest order day of Sep–Nov within the first 3 days of that year's Big Billion Days,
    and the 7 days before Diwali at ≥ 1.3 × the year's median day (each part judged where
    the period covers it)."""
    _orders_per_day(con, cfg)
    years = {}
    for year in range(cfg.start.year, cfg.end.year + 1):
        res = _year_checks(con, cfg, year)
        if res is not None:
            years[str(year)] = res
    band = BANDS_BY_KEY["festival_dates"]
    if not years:
        return Figure(band, None, {"note": "the period covers no September–November and no "
                                   "week before Diwali"}, applicable=False)
    ok = sum(y["ok"] for y in years.values())
    return Figure(band, 100.0 * ok / len(years), {"years": years})


@_figure("subcategory_prices")
def subcategory_prices(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#19: share of the banded subcategories (Mobiles, Laptops, Televisions) sold in the
    period whose median unit price over sale lines lies in its band."""
    rows = con.execute("""SELECT p.subcategory, median(s.unit_price)::DOUBLE, count(*)
        FROM sales s JOIN products p USING (product_id)
        GROUP BY 1""").fetchall()
    med = {sub: (m, n) for sub, m, n in rows if sub in SUBCATEGORY_PRICE_BANDS}
    band = BANDS_BY_KEY["subcategory_prices"]
    if not med:
        return Figure(band, None, {"note": "no sale of Mobiles, Laptops or Televisions"},
                      applicable=False)
    ok = {sub: SUBCATEGORY_PRICE_BANDS[sub][0] <= m <= SUBCATEGORY_PRICE_BANDS[sub][1]
          for sub, (m, _) in med.items()}
    return Figure(band, 100.0 * sum(ok.values()) / len(ok),
                  {"median_price": {sub: m for sub, (m, _) in med.items()},
                   "sale_lines": {sub: n for sub, (_, n) in med.items()}, "in_band": ok})


@_figure("low_stock_views")
def low_stock_views(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#21: views whose stock_status is low_stock ÷ views; in band only when the median
    end-of-day ledger balance over in-stock offer-days (balance > 0) is ≥ 5 units."""
    n, low = _row(con, "SELECT count(*), count(*) FILTER (WHERE stock_status = 'low_stock') "
                         "FROM views") or (0, 0)
    on_hand = _one(con, f"""WITH {_balance_runs(cfg)},
             c AS (SELECT eod, sum(days) OVER (ORDER BY eod ROWS UNBOUNDED PRECEDING) AS cum,
                          sum(days) OVER () AS total FROM r WHERE eod > 0)
        SELECT min(eod) FROM c WHERE 2 * cum >= total""")
    band = BANDS_BY_KEY["low_stock_views"]
    value = _pct(low, n)
    ok = band.contains(value) and on_hand is not None and on_hand >= MIN_ON_HAND
    return Figure(band, value, {"views": n, "low_stock_views": low,
                                "median_units_on_hand_in_stock": on_hand}, ok_override=ok)


@_figure("customer_activity")
def customer_activity(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#22: share of sessions from the top 10 % of customers (by sessions, among customers
    with one); in band only with ≥ 30 % of customers signed up 90 days before the end
    without a session in the last 90 days (judged on periods of a year or more)."""
    top = _one(con, """WITH c AS (SELECT customer_id, count(*) AS n FROM browsing_sessions
                                  GROUP BY 1),
                            r AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS k,
                                         count(*) OVER () AS m FROM c)
                       SELECT 100.0 * sum(n) FILTER (k <= ceil(m / 10.0)) / sum(n) FROM r""")
    cut = cfg.end - dt.timedelta(days=DORMANT_DAYS - 1)
    dormant = _one(con, f"""SELECT 100.0 * avg((s.customer_id IS NULL)::INT) FROM customers c
        LEFT JOIN (SELECT DISTINCT customer_id FROM browsing_sessions
                   WHERE start_time >= TIMESTAMP '{cut}') s USING (customer_id)
        WHERE c.signup_date < DATE '{cut}'""")
    year = cfg.num_days >= 365
    band = BANDS_BY_KEY["customer_activity"]
    ok = band.contains(top) and (not year or (dormant is not None
                                              and dormant >= DORMANT_MIN_PCT))
    return Figure(band, top, {"top_10pct_session_share": top,
                              "dormant_last_90_days_pct": dormant if year else None},
                  ok_override=ok)


@_figure("retention_12m")
def retention_12m(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#23: customers with a session in the period's first 30 days who also have one in the
    last 30 days of its first year (or of the period, if shorter) ÷ customers with a session
    in the first 30 days (periods of ≥ 330 days)."""
    band = BANDS_BY_KEY["retention_12m"]
    if cfg.num_days < 330:
        return Figure(band, None, {"note": "the period is shorter than 330 days"},
                      applicable=False)
    first = cfg.start + dt.timedelta(days=30)
    year_end = min(cfg.end, cfg.start + dt.timedelta(days=364))
    last = year_end - dt.timedelta(days=29)
    row = _row(con, f"""WITH f AS (SELECT DISTINCT customer_id FROM browsing_sessions
                                      WHERE start_time < TIMESTAMP '{first}'),
                               l AS (SELECT DISTINCT customer_id FROM browsing_sessions
                                      WHERE start_time >= TIMESTAMP '{last}'
                                        AND start_time < TIMESTAMP '{year_end}'
                                                         + INTERVAL 1 DAY)
                          SELECT count(*), count(l.customer_id) FROM f
                          LEFT JOIN l USING (customer_id)""") or (0, 0)
    return Figure(band, _pct(row[1], row[0]), {"active_first_30_days": row[0],
                                               "also_active_last_30_days": row[1]})


#: Figure 27: categories that replenish, and those they must out-repeat.
REPEAT_HIGH = ("Grocery", "Beauty")
REPEAT_LOW = ("Fashion", "Electronics")


@_figure("category_repeat")
def category_repeat(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#27: per category, the share (%) of its buyers with ≥ 2 orders holding a line of it;
    value = the lower of Grocery and Beauty minus the higher of Fashion and Electronics
    (points), in band at 0 or more."""
    rows = con.execute("""WITH b AS (SELECT customer_id, category,
                                            count(DISTINCT order_id) AS n
                                     FROM sales GROUP BY 1, 2)
                          SELECT category, 100.0 * avg((n >= 2)::INT), count(*) FROM b
                          GROUP BY 1""").fetchall()
    share = {c: v for c, v, _ in rows}
    band = BANDS_BY_KEY["category_repeat"]
    details = {"repeat_pct": share, "buyers": {c: n for c, _, n in rows}}
    if not all(c in share for c in REPEAT_HIGH + REPEAT_LOW):
        return Figure(band, None, details | {"note": "no buyer in one of Grocery, Beauty, "
                                             "Fashion or Electronics"}, applicable=False)
    value = min(share[c] for c in REPEAT_HIGH) - max(share[c] for c in REPEAT_LOW)
    return Figure(band, value, details)


def _pile_up(con: duckdb.DuckDBPyConnection, values_sql: str) -> dict[str, Any]:
    """Rows at the largest value of ``values_sql`` (a query of one column ``v``) and their
    ratio to the mean rows of the PILE_UP_NEIGHBOURS values below it."""
    row = _row(con, f"""WITH c AS (SELECT v, count(*) AS n FROM ({values_sql}) GROUP BY 1
                                     ORDER BY v DESC LIMIT {PILE_UP_NEIGHBOURS + 1}),
                               t AS (SELECT max(v) AS top FROM c)
                          SELECT max(n) FILTER (WHERE v = top), avg(n) FILTER (WHERE v < top)
                          FROM c, t""")
    top, below = (row or (None, None))
    return {"top_rows": top, "ratio": None if not top or not below else top / below}


def _piled(p: dict[str, Any]) -> bool:
    return p["ratio"] is not None and p["top_rows"] >= PILE_UP_MIN_ROWS \
        and p["ratio"] > PILE_UP_MAX


@_figure("artefacts")
def artefacts(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#28: sessions that start before an earlier session of the same customer has ended; in
    band only when no second of the day holds more than 0.05 % of session starts and the
    top value of views per session, dwell and rating lag holds at most twice the mean rows
    of the 5 values below it (a top value of fewer than 30 rows is no pile-up)."""
    overlaps = _one(con, """WITH s AS (SELECT start_time, max(end_time) OVER (
            PARTITION BY customer_id ORDER BY start_time, session_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM browsing_sessions)
        SELECT count(*) FILTER (WHERE before > start_time) FROM s""")
    busiest = _one(con, """WITH c AS (SELECT start_time::TIME AS t, count(*) AS n
                                      FROM browsing_sessions GROUP BY 1)
                           SELECT 100.0 * max(n) / sum(n) FROM c""")
    piles = {
        "views_per_session": _pile_up(con, "SELECT views AS v FROM browsing_sessions"),
        "dwell_seconds": _pile_up(con, "SELECT dwell_seconds AS v FROM views"),
        "rating_lag_days": _pile_up(con, """SELECT date_diff('day', s.timestamp::DATE,
            r.timestamp::DATE) AS v FROM ratings r JOIN sales s USING (order_id, line_number)
            """),
    }
    band = BANDS_BY_KEY["artefacts"]
    ok = band.contains(overlaps) and (busiest is None or busiest <= BUSIEST_SECOND_MAX_PCT) \
        and not any(_piled(p) for p in piles.values())
    return Figure(band, None if overlaps is None else float(overlaps),
                  {"overlapping_sessions": overlaps, "busiest_second_pct": busiest,
                   "top_value_vs_next": piles}, ok_override=ok)


@_figure("returns_by_category")
def returns_by_category(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#29: returned units (``returns.quantity``) ÷ units of delivered lines, all categories;
    in band only when Fashion and Electronics are in theirs."""
    rows = con.execute(
        "WITH d AS (SELECT s.order_id, s.line_number, s.category, s.quantity FROM sales s "
        "JOIN shipments sh USING (order_id) WHERE sh.delivered_at IS NOT NULL) "
        "SELECT d.category, sum(d.quantity), coalesce(sum(r.quantity), 0) FROM d "
        "LEFT JOIN returns r USING (order_id, line_number) GROUP BY 1").fetchall()
    share = {c: _pct(ret, n) for c, n, ret in rows}
    total = _pct(sum(int(r[2]) for r in rows), sum(int(r[1]) for r in rows))
    band = BANDS_BY_KEY["returns_by_category"]
    inside = all(c not in share or (share[c] is not None and lo <= share[c] <= hi)
                 for c, (lo, hi) in RETURN_RATE_BANDS.items())
    return Figure(band, total, {"return_pct": share, "delivered_units":
                                {c: int(n) for c, n, _ in rows}},
                  ok_override=band.contains(total) and inside)


@_figure("rto_by_payment")
def rto_by_payment(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#30: shipments returned to origin ÷ shipments of cash-on-delivery orders; in band only
    when prepaid orders stay at or below 5 %."""
    rows = con.execute(
        "SELECT o.pay = 'cash_on_delivery', count(*), count(*) FILTER "
        "(sh.outcome = 'returned_to_origin') FROM shipments sh JOIN (SELECT order_id, "
        "any_value(payment_method) AS pay FROM sales GROUP BY 1) o USING (order_id) "
        "GROUP BY 1").fetchall()
    share = {bool(cod): _pct(rto, n) for cod, n, rto in rows}
    tiers = dict(con.execute(
        "SELECT c.city_tier, 100.0 * avg((sh.outcome = 'returned_to_origin')::INT) "
        "FROM shipments sh JOIN customers c USING (customer_id) JOIN (SELECT order_id, "
        "any_value(payment_method) AS pay FROM sales GROUP BY 1) o USING (order_id) "
        "WHERE o.pay = 'cash_on_delivery' GROUP BY 1").fetchall())
    cod, prepaid = share.get(True), share.get(False)
    band = BANDS_BY_KEY["rto_by_payment"]
    return Figure(band, cod, {"cod_rto_pct": cod, "prepaid_rto_pct": prepaid,
                              "cod_rto_pct_by_tier": tiers},
                  ok_override=band.contains(cod) and (prepaid is None
                                                      or prepaid <= PREPAID_RTO_MAX))


@_figure("cancellations")
def cancellations(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#31: shipments cancelled before dispatch ÷ paid orders (shipments)."""
    n, cust, seller = _row(con,
        "SELECT count(*), count(*) FILTER (cancelled_by = 'customer'), count(*) FILTER "
        "(cancelled_by = 'seller') FROM shipments") or (0, 0, 0)
    val = _pct((cust or 0) + (seller or 0), n)
    return Figure(BANDS_BY_KEY["cancellations"], val,
                  {"orders": n, "by_customer": cust, "by_seller": seller})


@_figure("late_deliveries")
def late_deliveries(con: duckdb.DuckDBPyConnection, cfg: Config) -> Figure:
    """#32: delivered shipments whose delivery date is after the promised date ÷ delivered
    shipments; in band only when late orders' ratings average at least a star below
    on-time orders' (when both have ratings)."""
    n, late = _row(con,
        "SELECT count(*), count(*) FILTER (delivered_at::DATE > promised_date) "
        "FROM shipments WHERE delivered_at IS NOT NULL") or (0, 0)
    stars = dict(con.execute(
        "SELECT sh.delivered_at::DATE > sh.promised_date, avg(r.rating)::DOUBLE FROM ratings r "
        "JOIN shipments sh USING (order_id) GROUP BY 1").fetchall())
    val = _pct(late, n)
    on_time, slow = stars.get(False), stars.get(True)
    gap = None if on_time is None or slow is None else on_time - slow
    band = BANDS_BY_KEY["late_deliveries"]
    return Figure(band, val, {"delivered": n, "late": late, "mean_rating_on_time": on_time,
                              "mean_rating_late": slow},
                  ok_override=band.contains(val) and (gap is None or gap >= LATE_RATING_GAP))


def compute_figures(con: duckdb.DuckDBPyConnection, cfg: Config,
                    keys: list[str] | None = None) -> list[Figure]:
    """Measure the figures (all, or those in ``keys``) on an open dataset connection."""
    out = []
    for b in BANDS:
        if keys is None or b.key in keys:
            out.append(FIGURES[b.key](con, cfg))
    return out


def profile_dir(path: Path) -> Profile:
    """Measure all realism figures of the dataset in ``path``."""
    path = Path(path)
    con = open_dataset(path)
    try:
        return Profile(str(path), compute_figures(con, load_config(path)))
    except duckdb.Error as exc:
        reraise_if_interrupted(exc)
        raise DatasetError(f"{path}: cannot compute the profile ({reason(exc)}); run "
                           f"`ecomgen validate {path}` for a full diagnosis") from None
    finally:
        con.close()


def render(profile: Profile) -> None:
    """Print the figures as a rich table: figure, value, band, ok."""
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"Realism profile — {profile.path}")
    for col in ("#", "figure", "value", "band", "ok"):
        t.add_column(col)
    for f in profile.figures:
        if f.band.key == "rating_shape":
            sh = f.details.get("shares_pct", {})
            val = " / ".join("–" if sh.get(f"{s}_star") is None else f"{sh[f'{s}_star']:.1f}"
                             for s in (5, 4, 3, 2, 1)) + " %"
            band = "see realism.md #8"
        else:
            val = "n/a" if f.value is None else f"{f.value:.2f} {f.band.unit}".strip()
            band = f.band.text()
        ok = "n/a" if not f.applicable else ("[green]yes[/]" if f.ok else "[red]no[/]")
        t.add_row(str(f.band.number), f.band.title, val, band, ok)
    Console().print(t)
