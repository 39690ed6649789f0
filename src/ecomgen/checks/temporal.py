"""Temporal checks: inside the period, in funnel order, ledger in time order."""

from __future__ import annotations

from collections.abc import Callable

from ecomgen.checks.registry import Check, Context, check, file_order_increasing, register
from ecomgen.schema import TABLES
from ecomgen.simulation import blocks


def _period_query(table: str, cols: tuple[str, ...]) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        keys = ", ".join(TABLES[table].primary_key)
        parts = [f"SELECT {keys}, '{c}' AS column_name, {c} AS value FROM {table} "
                 f"WHERE {c} NOT BETWEEN {ctx.start_ts} AND {ctx.end_ts}" for c in cols]
        return " UNION ALL ".join(parts)
    return q


for _t, _cols in ((t.name, t.period) for t in TABLES.values() if t.period):
    register(Check(f"period_{_t}", "temporal", "error",
                   f"{_t}: {', '.join(_cols)} lie inside the period [start 00:00:00, "
                   "end 23:59:59].", query=_period_query(_t, _cols)))


@check("signup_before_first_session", "temporal",
       "customers.signup_date is on or before the date of their first session.")
def _signup(ctx: Context) -> str:
    return ("SELECT c.customer_id, c.signup_date, f.first_session FROM customers c JOIN "
            "(SELECT customer_id, min(start_time) AS first_session FROM browsing_sessions "
            "GROUP BY 1) f USING (customer_id) WHERE c.signup_date > f.first_session::DATE")


@check("merchant_join_before_period", "temporal",
       "merchants.join_date is before the period start.")
def _merchant_join(ctx: Context) -> str:
    return (f"SELECT merchant_id, join_date FROM merchants "
            f"WHERE join_date >= DATE '{ctx.cfg.start.isoformat()}'")


@check("price_rows_tile_period", "temporal",
       "offer_prices: each offer's rows run from the period's first 00:00 to the day after its "
       "end without gap or overlap, start and end at 00:00, and each row differs from the "
       "one before (price, regular price, discount, reason or event); every offer has rows.")
def _price_tiles(ctx: Context) -> str:
    after = f"(DATE '{ctx.cfg.end.isoformat()}' + 1)::TIMESTAMP"
    return ("SELECT offer_id, valid_from, valid_to, previous_to FROM (SELECT *, "
            "lag(valid_to) OVER w AS previous_to, row_number() OVER w AS k, "
            "count(*) OVER (PARTITION BY offer_id) AS n, "
            "lag(price) OVER w AS p0, lag(regular_price) OVER w AS r0, "
            "lag(discount_pct) OVER w AS d0, lag(reason) OVER w AS why0, "
            "lag(sale_event) OVER w AS e0 FROM offer_prices "
            "WINDOW w AS (PARTITION BY offer_id ORDER BY valid_from)) "
            "WHERE valid_from >= valid_to OR valid_from::TIME <> TIME '00:00:00' "
            "OR valid_to::TIME <> TIME '00:00:00' "
            f"OR (k = 1 AND valid_from <> {ctx.start_ts}) OR (k > 1 AND valid_from <> previous_to) "
            f"OR (k = n AND valid_to <> {after}) "
            "OR (k > 1 AND price = p0 AND regular_price = r0 AND discount_pct = d0 "
            "AND reason = why0 AND sale_event IS NOT DISTINCT FROM e0) "
            "UNION ALL SELECT offer_id, NULL, NULL, NULL FROM offers "
            "WHERE offer_id NOT IN (SELECT offer_id FROM offer_prices)")


@check("session_start_before_end", "temporal", "A session's start_time <= end_time.")
def _session_order(ctx: Context) -> str:
    return ("SELECT session_id, start_time, end_time FROM browsing_sessions "
            "WHERE start_time > end_time")


@check("session_single_day", "temporal", "A session starts and ends on the same day.")
def _session_day(ctx: Context) -> str:
    return ("SELECT session_id, start_time, end_time FROM browsing_sessions "
            "WHERE start_time::DATE <> end_time::DATE")


@check("views_inside_session", "temporal",
       "A view's timestamp lies between its session's start_time and end_time.")
def _views_in(ctx: Context) -> str:
    return ("SELECT v.view_id, v.session_id, v.timestamp, b.start_time, b.end_time FROM views v "
            "JOIN browsing_sessions b USING (session_id) "
            "WHERE v.timestamp NOT BETWEEN b.start_time AND b.end_time")


@check("cart_events_inside_session", "temporal",
       "A cart event's timestamp lies between its session's start_time and end_time.")
def _cart_in(ctx: Context) -> str:
    return ("SELECT c.event_id, c.session_id, c.timestamp, b.start_time, b.end_time "
            "FROM cart_events c JOIN browsing_sessions b USING (session_id) "
            "WHERE c.timestamp NOT BETWEEN b.start_time AND b.end_time")


@check("view_before_add_to_cart", "temporal",
       "An add_to_cart comes after the view it was added from.")
def _view_add(ctx: Context) -> str:
    return ("SELECT c.event_id, c.view_id, v.timestamp AS view_time, c.timestamp AS add_time "
            "FROM cart_events c JOIN views v USING (view_id) "
            "WHERE c.event_type = 'add_to_cart' AND c.timestamp <= v.timestamp")


@check("add_before_later_cart_events", "temporal",
       "Removes, checkouts, failures and abandonments come after the line's add_to_cart.")
def _add_checkout(ctx: Context) -> str:
    return ("SELECT c.event_id, c.event_type, c.timestamp, a.add_time FROM cart_events c JOIN "
            "(SELECT session_id, view_id, merchant_id, sku, min(timestamp) AS add_time "
            "FROM cart_events WHERE event_type = 'add_to_cart' GROUP BY ALL) a "
            "USING (session_id, view_id, merchant_id, sku) "
            "WHERE c.event_type <> 'add_to_cart' AND c.timestamp <= a.add_time")


@check("checkout_before_sale", "temporal",
       "A sale's payment time comes after its checkout event.")
def _checkout_sale(ctx: Context) -> str:
    return ("SELECT s.order_id, s.line_number, c.timestamp AS checkout_time, "
            "s.timestamp AS sale_time FROM sales s JOIN cart_events c "
            "ON c.event_type = 'checkout' AND s.order_id = c.order_id "
            "AND s.merchant_id = c.merchant_id AND s.sku = c.sku "
            "WHERE s.timestamp <= c.timestamp")


@check("delivery_after_sale", "temporal",
       "sales.delivery_date, when set, is on or after the sale date.")
def _delivery(ctx: Context) -> str:
    return ("SELECT order_id, line_number, timestamp, delivery_date FROM sales "
            "WHERE delivery_date < timestamp::DATE")


@check("rating_after_delivery", "temporal",
       "A rating comes after its sale and on or after the sale's delivery date.")
def _rating_after(ctx: Context) -> str:
    return ("SELECT r.rating_id, r.order_id, r.line_number, s.timestamp AS sale_time, "
            "s.delivery_date, r.timestamp AS rating_time FROM ratings r "
            "JOIN sales s USING (order_id, line_number) "
            "WHERE r.timestamp <= s.timestamp OR r.timestamp < s.delivery_date::TIMESTAMP")


@check("ledger_time_order", "temporal",
       "An offer's ledger rows are in time order by event_id.")
def _ledger_time(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, timestamp, previous_time FROM "
            "(SELECT *, lag(timestamp) OVER (PARTITION BY merchant_id, sku ORDER BY event_id) "
            "AS previous_time FROM inventory_events) WHERE timestamp < previous_time")


def _file_order_applies(ctx: Context) -> bool:
    return ctx.info.materialized


@check("ledger_file_order", "temporal",
       "An offer's ledger rows appear in the file in event_id order (so a group-by 'last' "
       "is the final stock).", applies=_file_order_applies)
def _ledger_file(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, previous_event_id FROM "
            "(SELECT *, lag(event_id) OVER (PARTITION BY merchant_id, sku ORDER BY rowid) "
            "AS previous_event_id FROM inventory_events) WHERE event_id < previous_event_id")


@check("ledger_event_clock", "temporal",
       "Initial stock at the period start; restocks, units coming back (release, "
       "return_restock, return_damaged) and positive adjustments at 00:00:00; damage and "
       "negative adjustments at 23:59:59.")
def _ledger_clock(ctx: Context) -> str:
    return ("SELECT event_id, event_type, quantity, timestamp FROM inventory_events WHERE "
            f"(event_type = 'initial_stock' AND timestamp <> {ctx.start_ts}) "
            "OR ((event_type IN ('restock', 'release', 'return_restock', 'return_damaged') "
            "OR (event_type = 'adjustment' AND quantity > 0)) "
            "AND timestamp::TIME <> TIME '00:00:00') "
            "OR ((event_type = 'damage' OR (event_type = 'adjustment' AND quantity < 0)) "
            "AND timestamp::TIME <> TIME '23:59:59')")


def _block(column: str) -> str:
    """SQL: the customer block of a customer_id column (ids are 1-based)."""
    return f"(({column} - 1) >> {blocks.CUSTOMER_BLOCK_BITS})"


def _follows_time(table: str, key: str, ts: str) -> str:
    """Rows whose (day, customer block, time) is below the previous row's in ``key`` order."""
    return (f"SELECT {key}, customer_id, {ts}, previous_time FROM (SELECT {key}, customer_id, "
            f"{ts}, CAST({ts} AS DATE) AS day, {_block('customer_id')} AS block, "
            f"lag({ts}) OVER (ORDER BY {key}) AS previous_time, "
            f"lag(CAST({ts} AS DATE)) OVER (ORDER BY {key}) AS previous_day, "
            f"lag({_block('customer_id')}) OVER (ORDER BY {key}) AS previous_block "
            f"FROM {table}) WHERE day < previous_day "
            "OR (day = previous_day AND block < previous_block) "
            f"OR (day = previous_day AND block = previous_block AND {ts} < previous_time)")


def _follows_time_proof(table: str, key: str, ts: str) -> Callable[[Context], bool]:
    def proof(ctx: Context) -> bool:
        """Ids strictly and (day, block, time) weakly increasing in file order."""
        return (file_order_increasing(ctx, table, (key,))
                and file_order_increasing(
                    ctx, table, ("day", "block", ts), strict=False,
                    exprs={"day": f"CAST({ts} AS DATE)", "block": _block("customer_id")}))
    return proof


@check("view_ids_follow_time", "temporal",
       "view_id increases with the day, then the customer block (65,536 customers), then the "
       "time: within a day and a block, later views have larger ids.",
       proof=_follows_time_proof("views", "view_id", "timestamp"))
def _view_ids(ctx: Context) -> str:
    return _follows_time("views", "view_id", "timestamp")


@check("session_ids_follow_time", "temporal",
       "session_id increases with the day, then the customer block, then start_time.",
       proof=_follows_time_proof("browsing_sessions", "session_id", "start_time"))
def _session_ids(ctx: Context) -> str:
    return _follows_time("browsing_sessions", "session_id", "start_time")


@check("instock_follows_ledger", "temporal",
       "Each stock-status transition happens at the time of a ledger event of its offer.")
def _instock_time(ctx: Context) -> str:
    return ("SELECT e.event_id, e.merchant_id, e.sku, e.timestamp FROM instock_events e "
            "ANTI JOIN inventory_events l ON e.merchant_id = l.merchant_id AND e.sku = l.sku "
            "AND e.timestamp = l.timestamp")
