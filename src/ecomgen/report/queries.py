"""DuckDB queries behind the report: every figure is an aggregate computed over the files.

Only aggregates leave DuckDB (a few hundred rows at most), so the report's cost is a
handful of scans of the mid-sized tables, whatever the dataset's size. The views table,
the largest, is never scanned: views per session come from ``browsing_sessions.views``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb

#: Histogram bins per decade of a log10-binned money distribution.
BINS_PER_DECADE = 10
#: Offers whose stock is drawn in the stock-level chart.
TOP_OFFERS = 5
#: Above this many ledger rows for one offer, the stock chart uses two points per day.
MAX_LEDGER_POINTS = 5_000
#: Tables read by several report and profile queries; held in memory when small enough.
SHARED_TABLES: tuple[str, ...] = ("customers", "offers", "products", "browsing_sessions",
                                  "cart_events", "sales", "ratings", "inventory_events")
#: Largest table (rows) copied into memory; bigger ones are re-read from the files.
MATERIALIZE_MAX_ROWS = 20_000_000


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
         ) -> list[dict[str, Any]]:
    """The query's result as a list of dicts (for small aggregate results only)."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables and views visible in the connection's main schema."""
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}


def cache_tables(con: duckdb.DuckDBPyConnection, row_counts: dict[str, int]) -> list[str]:
    """Copy the shared tables into memory as TEMP tables that shadow the file-backed views.

    Every later query (the report's and the realism profile's) then reads memory instead of
    parsing the files again. Only tables whose row count is known and at most
    MATERIALIZE_MAX_ROWS are copied; returns their names.
    """
    done = []
    for name in SHARED_TABLES:
        n = row_counts.get(name)
        if n is None or n > MATERIALIZE_MAX_ROWS:
            continue
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM main."{name}"')
        done.append(name)
    return done


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise the few columns the report reads from sales and cart_events (one scan each)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE r_customers AS
        SELECT customer_id, coalesce(segment, '(none)') AS segment FROM customers""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE r_sales AS
        SELECT s.order_id, s.line_number, s.customer_id, s.merchant_id, s.sku, s.category,
               s.quantity, CAST(s.unit_price AS DOUBLE) AS unit_price,
               CAST(s.line_total AS DOUBLE) AS line_total,
               CAST(s.order_total AS DOUBLE) AS order_total,
               coalesce(s.device, '(none)') AS device, s.timestamp,
               coalesce(c.segment, '(none)') AS segment
        FROM sales s LEFT JOIN r_customers c USING (customer_id)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE r_cart AS
        SELECT coalesce(c.segment, '(none)') AS segment,
               coalesce(e.device, '(none)') AS device, e.event_type, count(*) AS n
        FROM cart_events e LEFT JOIN r_customers c USING (customer_id)
        GROUP BY ALL""")


@dataclass
class Funnel:
    """Funnel counts overall (key ''), by segment and by device."""

    overall: dict[str, int]
    by_segment: dict[str, dict[str, int]] = field(default_factory=dict)
    by_device: dict[str, dict[str, int]] = field(default_factory=dict)


FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("views", "Product views"),
    ("add_to_cart", "Add to cart"),
    ("checkout", "Checkout"),
    ("sales", "Sale lines"),
)


def funnel(con: duckdb.DuckDBPyConnection) -> Funnel:
    """Views → add_to_cart → checkout → sale lines, plus session-level counts."""
    sess = rows(con, """
        SELECT grouping(c.segment) AS gs, grouping(s.device) AS gd,
               coalesce(c.segment, '(none)') AS segment, coalesce(s.device, '(none)') AS device,
               count(*) AS sessions, coalesce(sum(s.views), 0) AS views,
               count(*) FILTER (WHERE s.add_to_carts > 0) AS carts,
               count(*) FILTER (WHERE s.add_to_carts > 0
                                AND coalesce(s.order_id, -1) < 0) AS abandoned_carts,
               count(*) FILTER (WHERE coalesce(s.order_id, -1) >= 0) AS converted
        FROM browsing_sessions s LEFT JOIN r_customers c USING (customer_id)
        GROUP BY GROUPING SETS ((), (c.segment), (s.device))""")
    cart = rows(con, """
        SELECT grouping(segment) AS gs, grouping(device) AS gd, segment, device,
               coalesce(sum(n) FILTER (WHERE event_type = 'add_to_cart'), 0) AS add_to_cart,
               coalesce(sum(n) FILTER (WHERE event_type = 'remove_from_cart'), 0) AS removes,
               coalesce(sum(n) FILTER (WHERE event_type = 'checkout'), 0) AS checkout,
               coalesce(sum(n) FILTER (WHERE event_type = 'checkout_failed'), 0)
                   AS checkout_failed
        FROM r_cart GROUP BY GROUPING SETS ((), (segment), (device))""")
    sales = rows(con, """
        SELECT grouping(segment) AS gs, grouping(device) AS gd, segment, device,
               count(*) AS sales, count(DISTINCT order_id) AS orders,
               coalesce(sum(quantity), 0) AS units, coalesce(sum(line_total), 0) AS revenue
        FROM r_sales GROUP BY GROUPING SETS ((), (segment), (device))""")
    out = Funnel(overall={})
    for part in (sess, cart, sales):
        for r in part:
            vals = {k: v for k, v in r.items() if k not in ("gs", "gd", "segment", "device")}
            if r["gs"] and r["gd"]:
                target = out.overall
            elif not r["gs"]:
                target = out.by_segment.setdefault(r["segment"], {})
            else:
                target = out.by_device.setdefault(r["device"], {})
            target.update({k: (int(v) if k != "revenue" else float(v)) for k, v in vals.items()})
    keys = ("sessions", "views", "carts", "abandoned_carts", "converted", "add_to_cart",
            "removes", "checkout", "checkout_failed", "sales", "orders", "units")
    for d in (out.overall, *out.by_segment.values(), *out.by_device.values()):
        for k in keys:
            d.setdefault(k, 0)
        d.setdefault("revenue", 0.0)
    return out


def period(con: duckdb.DuckDBPyConnection, start: dt.date | None, end: dt.date | None
           ) -> tuple[dt.date, dt.date]:
    """The run's first and last day (from the config, else from the sales timestamps)."""
    if start is not None and end is not None:
        return start, end
    lo, hi = con.execute("SELECT min(timestamp)::DATE, max(timestamp)::DATE "
                         "FROM r_sales").fetchone()
    today = dt.date(1970, 1, 1)
    return (start or lo or today), (end or hi or lo or today)


def daily(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Orders, revenue and units per day, every day of the period (zeros included)."""
    return rows(con, """
        WITH d AS (SELECT CAST(timestamp AS DATE) AS day, count(DISTINCT order_id) AS orders,
                          sum(line_total) AS revenue, sum(quantity) AS units
                   FROM r_sales GROUP BY ALL)
        SELECT CAST(g.day AS DATE) AS day, coalesce(d.orders, 0) AS orders,
               coalesce(d.revenue, 0) AS revenue, coalesce(d.units, 0) AS units
        FROM generate_series(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), INTERVAL 1 DAY)
             AS g(day)
        LEFT JOIN d ON d.day = CAST(g.day AS DATE) ORDER BY 1""", [start, end])


def categories(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Orders, lines, units, revenue and average order value per category."""
    return rows(con, """
        WITH per_order AS (SELECT category, order_id, sum(line_total) AS value
                           FROM r_sales GROUP BY ALL)
        SELECT s.category, s.orders, s.lines, s.units, s.revenue, o.aov
        FROM (SELECT coalesce(category, '(none)') AS category,
                     count(DISTINCT order_id) AS orders, count(*) AS lines,
                     sum(quantity) AS units, sum(line_total) AS revenue
              FROM r_sales GROUP BY 1) s
        JOIN (SELECT coalesce(category, '(none)') AS category, avg(value) AS aov
              FROM per_order GROUP BY 1) o USING (category)
        ORDER BY s.revenue DESC""")


def _log_hist(con: duckdb.DuckDBPyConnection, source: str) -> list[dict[str, Any]]:
    """Counts of ``source``'s column x in log10 bins (bin b covers 10^(b/k)..10^((b+1)/k))."""
    k = BINS_PER_DECADE
    return rows(con, f"""
        SELECT CAST(floor(log10(greatest(x, 1)) * {k}) AS INTEGER) AS bin, count(*) AS n
        FROM ({source}) WHERE x IS NOT NULL GROUP BY 1 ORDER BY 1""")


def price_histograms(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Log-binned list prices (products), sold unit prices and order values."""
    return {
        "list_price": _log_hist(con, "SELECT CAST(base_price AS DOUBLE) AS x FROM products"),
        "sold_price": _log_hist(con, "SELECT unit_price AS x FROM r_sales"),
        "order_value": _log_hist(con, "SELECT sum(line_total) AS x FROM r_sales "
                                      "GROUP BY order_id"),
    }


def order_sizes(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Average order value and the share of single-item orders."""
    r = rows(con, """
        WITH o AS (SELECT order_id, sum(quantity) AS items, sum(line_total) AS value
                   FROM r_sales GROUP BY 1)
        SELECT count(*) AS orders, avg(value) AS aov, median(value) AS median_value,
               avg(CASE WHEN items = 1 THEN 1.0 ELSE 0.0 END) AS single_item_share
        FROM o""")[0]
    return r


def ratings(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Ratings per star (1..5, zeros included)."""
    return rows(con, """
        SELECT g.star AS rating, coalesce(r.n, 0) AS n
        FROM range(1, 6) g(star)
        LEFT JOIN (SELECT rating, count(*) AS n FROM ratings GROUP BY 1) r ON r.rating = g.star
        ORDER BY 1""")


def top_offers(con: duckdb.DuckDBPyConnection, limit: int = TOP_OFFERS) -> list[dict[str, Any]]:
    """The best-selling offers by units sold (ties broken by merchant, SKU)."""
    return rows(con, """
        SELECT merchant_id, sku, sum(quantity) AS units, count(*) AS lines
        FROM r_sales GROUP BY ALL ORDER BY units DESC, merchant_id, sku LIMIT ?""", [limit])


def stock_series(con: duckdb.DuckDBPyConnection, offers: list[dict[str, Any]]
                 ) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """Ledger balance over time for the given offers (two points per day when very long)."""
    if not offers:
        return {}
    con.execute("CREATE OR REPLACE TEMP TABLE r_top (merchant_id BIGINT, sku VARCHAR)")
    con.executemany("INSERT INTO r_top VALUES (?, ?)",
                    [[int(o["merchant_id"]), str(o["sku"])] for o in offers])
    con.execute("""
        CREATE OR REPLACE TEMP TABLE r_ledger AS
        SELECT i.merchant_id, i.sku, i.event_id, i.timestamp, i.event_type, i.quantity,
               i.new_balance
        FROM inventory_events i SEMI JOIN r_top t
             ON i.merchant_id = t.merchant_id AND i.sku = t.sku""")
    counts = dict(((m, s), n) for m, s, n in con.execute(
        "SELECT merchant_id, sku, count(*) FROM r_ledger GROUP BY ALL").fetchall())
    out: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for o in offers:
        key = (int(o["merchant_id"]), str(o["sku"]))
        if counts.get(key, 0) <= MAX_LEDGER_POINTS:
            sql = """SELECT timestamp AS ts, event_type, new_balance AS balance
                     FROM r_ledger WHERE merchant_id = ? AND sku = ?
                     ORDER BY timestamp, event_id"""
        else:
            # Stock only rises at 00:00 (restocks) and only falls after: the day's first and
            # last balances trace the step line; markers keep restocks and stock-outs.
            sql = """SELECT * FROM (
                       SELECT CAST(timestamp AS DATE)::TIMESTAMP AS ts,
                              CASE WHEN bool_or(event_type = 'restock') THEN 'restock'
                                   ELSE 'day_start' END AS event_type,
                              arg_min(new_balance, event_id) AS balance
                       FROM r_ledger WHERE merchant_id = ? AND sku = ? GROUP BY 1
                       UNION ALL
                       SELECT CAST(timestamp AS DATE)::TIMESTAMP + INTERVAL 86399 SECOND,
                              'day_end', arg_max(new_balance, event_id)
                       FROM r_ledger WHERE merchant_id = ? AND sku = ? GROUP BY 1)
                     ORDER BY ts"""
        params = [key[0], key[1]] * (1 if counts.get(key, 0) <= MAX_LEDGER_POINTS else 2)
        out[key] = rows(con, sql, params)
    return out


def oos_by_merchant_type(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date
                         ) -> list[dict[str, Any]]:
    """Offer-days at zero end-of-day stock ÷ (offers × days of the period), per merchant type.

    An offer's end-of-day balance is its last ledger row's new_balance that day, and it holds
    until the next day with a ledger row (as realism figure 12 measures it).
    """
    return rows(con, """
        WITH d AS (SELECT offer_id, CAST(timestamp AS DATE) AS day,
                          arg_max(new_balance, event_id) AS balance
                   FROM inventory_events
                   WHERE CAST(timestamp AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
                   GROUP BY ALL),
        s AS (SELECT offer_id, day, balance,
                     coalesce(lead(day) OVER (PARTITION BY offer_id ORDER BY day),
                              CAST(? AS DATE) + 1) AS next_day
              FROM d),
        z AS (SELECT offer_id, sum(datediff('day', day, next_day)) AS zero_days
              FROM s WHERE balance = 0 GROUP BY 1)
        SELECT coalesce(o.merchant_type, '(none)') AS merchant_type, count(*) AS offers,
               count(*) * (datediff('day', CAST(? AS DATE), CAST(? AS DATE)) + 1) AS offer_days,
               coalesce(sum(z.zero_days), 0) AS oos_days
        FROM offers o LEFT JOIN z USING (offer_id)
        GROUP BY 1 ORDER BY 1""", [start, end, end, start, end])


def row_counts(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int]:
    """count(*) of each named table (used only when the manifest has no row counts)."""
    return {n: int(con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def after_order(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Aggregates of what happened after the click: outcomes, returns by category, RTO by
    payment and city tier, delivery days, refund lags (empty when the tables are absent)."""
    names = table_names(con)
    if not {"shipments", "returns", "refunds"} <= names:
        return {}
    pay = ("(SELECT order_id, any_value(payment_method) AS pay FROM sales GROUP BY 1)")
    return {
        "outcomes": rows(con, """
            SELECT outcome, count(*) AS n, count(*) FILTER (WHERE cancelled_by = 'seller')
                   AS by_seller
            FROM shipments GROUP BY 1 ORDER BY 2 DESC"""),
        "returns": rows(con, """
            WITH d AS (SELECT s.order_id, s.line_number, s.category, s.quantity FROM sales s
                       JOIN shipments sh USING (order_id) WHERE sh.delivered_at IS NOT NULL),
                 r AS (SELECT d.category, r.reason, sum(r.quantity) AS units FROM d
                       JOIN returns r USING (order_id, line_number) GROUP BY 1, 2),
                 top AS (SELECT category, arg_max(reason, units) AS top_reason FROM r
                         GROUP BY 1)
            SELECT d.category, sum(d.quantity) AS delivered,
                   coalesce(sum(r.quantity), 0) AS returned, any_value(t.top_reason)
                   AS top_reason
            FROM d LEFT JOIN returns r USING (order_id, line_number)
            LEFT JOIN top t ON t.category = d.category
            GROUP BY 1 ORDER BY coalesce(sum(r.quantity), 0) * 1.0 / sum(d.quantity) DESC"""),
        "rto": rows(con, f"""
            SELECT o.pay = 'cash_on_delivery' AS cod, c.city_tier AS tier, count(*) AS n,
                   count(*) FILTER (WHERE sh.outcome = 'returned_to_origin') AS rto
            FROM shipments sh JOIN {pay} o USING (order_id)
            JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY 1 DESC, 2"""),
        "days": rows(con, """
            SELECT delivery_days AS days, count(*) AS n,
                   count(*) FILTER (WHERE delivered_at::DATE > promised_date) AS late
            FROM shipments WHERE delivery_days IS NOT NULL GROUP BY 1 ORDER BY 1"""),
        "refunds": rows(con, """
            SELECT method, count(*) AS n, sum(amount) AS amount,
                   quantile_cont(date_diff('second', initiated_at, completed_at) / 3600.0, 0.5)
                   AS median_hours,
                   quantile_cont(date_diff('second', initiated_at, completed_at) / 3600.0, 0.9)
                   AS p90_hours
            FROM refunds GROUP BY 1 ORDER BY 2 DESC"""),
    }
