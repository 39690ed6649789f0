"""Business-logic checks: the ledger adds up, nothing is oversold, money and funnels agree."""

from __future__ import annotations

from ecomgen.checks.registry import Context, check
from ecomgen.simulation.calendar import BP, build_calendar

#: Ledger balance per offer after the last event at each distinct timestamp (ASOF target).
LEDGER_AT = ("(SELECT merchant_id, sku, timestamp AS ts, arg_max(new_balance, event_id) AS bal "
             "FROM inventory_events GROUP BY ALL)")


def offer_key(m: str, p: str, ctx: Context) -> str:
    """SQL packing merchant and product id into one integer key, unique for every product
    id the config can hold (DuckDB's ASOF join is several times faster on one integer
    equality key than on two columns)."""
    return f"({m}::BIGINT * {ctx.cfg.num_products + 1} + {p})"


def ledger_at_key(ctx: Context) -> str:
    """Ledger balance per offer key after the last event at each distinct timestamp."""
    return ("(SELECT merchant_id, pid, " + offer_key("merchant_id", "pid", ctx)
            + " AS k, ts, bal FROM (SELECT merchant_id, TRY_CAST(substr(sku, 5) AS BIGINT) "
            "AS pid, timestamp AS ts, arg_max(new_balance, event_id) AS bal "
            "FROM inventory_events GROUP BY ALL))")


def status_sql(balance: str, ctx: Context) -> str:
    """SQL mapping a stock balance to in_stock / low_stock / out_of_stock."""
    return (f"CASE WHEN {balance} IS NULL THEN NULL WHEN {balance} <= 0 THEN 'out_of_stock' "
            f"WHEN {balance} <= {ctx.low_stock} THEN 'low_stock' ELSE 'in_stock' END")


# --------------------------------------------------------------------------- ledger
@check("ledger_starts_with_initial_stock", "business",
       "Every offer's ledger starts with exactly one initial_stock row.")
def _ledger_first(ctx: Context) -> str:
    return ("WITH f AS (SELECT merchant_id, sku, arg_min(event_type, event_id) AS first_type, "
            "count(*) FILTER (WHERE event_type = 'initial_stock') AS initial_rows "
            "FROM inventory_events GROUP BY ALL) "
            "SELECT * FROM f WHERE first_type <> 'initial_stock' OR initial_rows <> 1 "
            "UNION ALL SELECT o.merchant_id, o.sku, NULL, 0 FROM offers o "
            "ANTI JOIN f ON o.merchant_id = f.merchant_id AND o.sku = f.sku")


@check("ledger_initial_matches_offer", "business",
       "The initial_stock row holds offers.initial_stock units (quantity = new_balance).")
def _ledger_initial(ctx: Context) -> str:
    return ("SELECT e.event_id, e.merchant_id, e.sku, e.quantity, e.new_balance, o.initial_stock "
            "FROM inventory_events e JOIN offers o USING (merchant_id, sku) "
            "WHERE e.event_type = 'initial_stock' AND "
            "(e.quantity <> o.initial_stock OR e.new_balance <> o.initial_stock)")


@check("ledger_running_sum", "business",
       "new_balance = previous new_balance of the offer + quantity (event_id order).")
def _ledger_sum(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, quantity, new_balance, previous_balance FROM "
            "(SELECT *, lag(new_balance) OVER (PARTITION BY merchant_id, sku ORDER BY event_id) "
            "AS previous_balance FROM inventory_events) "
            "WHERE new_balance IS DISTINCT FROM coalesce(previous_balance, 0) + quantity")


@check("ledger_non_negative", "business", "Ledger balances are never negative.")
def _ledger_nonneg(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, event_type, quantity, new_balance "
            "FROM inventory_events WHERE new_balance < 0")


@check("ledger_final_equals_current_stock", "business",
       "Each offer's last ledger balance equals offers.current_stock.")
def _ledger_final(ctx: Context) -> str:
    return ("WITH l AS (SELECT merchant_id, sku, arg_max(new_balance, event_id) AS final_balance "
            "FROM inventory_events GROUP BY ALL) "
            "SELECT o.offer_id, o.merchant_id, o.sku, o.current_stock, l.final_balance "
            "FROM offers o LEFT JOIN l USING (merchant_id, sku) "
            "WHERE l.final_balance IS DISTINCT FROM o.current_stock")


@check("ledger_quantity_sign", "business",
       "Sales and damage take stock (quantity < 0), restocks, releases and return restocks "
       "add it, damaged returns and releases of units not found leave it (0), adjustments "
       "are non-zero.")
def _ledger_sign(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, event_type, quantity FROM inventory_events "
            "WHERE (event_type IN ('sale', 'damage') AND quantity >= 0) "
            "OR (event_type IN ('restock', 'return_restock') AND quantity <= 0) "
            "OR (event_type = 'release' AND reason = 'cancellation' AND quantity <= 0) "
            "OR ((event_type = 'return_damaged' OR reason = 'stock_not_found') "
            "AND quantity <> 0) "
            "OR (event_type = 'initial_stock' AND quantity < 0) "
            "OR (event_type = 'adjustment' AND quantity = 0)")


@check("ledger_reason", "business",
       "Ledger reasons fit the event: damage/expiry/theft for damage, count_correction for "
       "adjustment, supplier_delivery for restock, cancellation or stock_not_found for "
       "release, "
       "return_to_origin or customer_return for return_restock, customer_return for "
       "return_damaged, none otherwise.")
def _ledger_reason(ctx: Context) -> str:
    return ("SELECT event_id, event_type, reason FROM inventory_events WHERE NOT coalesce("
            "CASE event_type WHEN 'damage' THEN reason IN ('damage', 'expiry', 'theft') "
            "WHEN 'adjustment' THEN reason = 'count_correction' "
            "WHEN 'restock' THEN reason = 'supplier_delivery' "
            "WHEN 'release' THEN reason IN ('cancellation', 'stock_not_found') "
            "WHEN 'return_restock' THEN reason IN ('return_to_origin', 'customer_return') "
            "WHEN 'return_damaged' THEN reason = 'customer_return' "
            "ELSE reason IS NULL END, false)")


@check("no_oversell", "business",
       "No sale takes more units than the offer held just before it.")
def _no_oversell(ctx: Context) -> str:
    return ("SELECT event_id, merchant_id, sku, reference_id AS order_id, quantity, "
            "balance_before FROM (SELECT *, lag(new_balance) OVER "
            "(PARTITION BY merchant_id, sku ORDER BY event_id) AS balance_before "
            "FROM inventory_events) WHERE event_type = 'sale' "
            "AND coalesce(balance_before, 0) < -quantity")


@check("sale_matches_ledger", "business",
       "Each sales line has a ledger sale row of the same order and offer, same time and "
       "units, and vice versa.")
def _sale_ledger(ctx: Context) -> str:
    return ("WITH s AS (SELECT order_id, merchant_id, sku, sum(quantity) AS units, "
            "min(timestamp) AS ts FROM sales GROUP BY ALL), "
            "l AS (SELECT reference_id AS order_id, merchant_id, sku, -sum(quantity) AS units, "
            "min(timestamp) AS ts FROM inventory_events WHERE event_type = 'sale' GROUP BY ALL) "
            "SELECT coalesce(s.order_id, l.order_id) AS order_id, "
            "coalesce(s.merchant_id, l.merchant_id) AS merchant_id, coalesce(s.sku, l.sku) AS sku, "
            "s.units AS sale_units, l.units AS ledger_units, s.ts AS sale_time, "
            "l.ts AS ledger_time FROM s FULL JOIN l USING (order_id, merchant_id, sku) "
            "WHERE s.units IS DISTINCT FROM l.units OR s.ts IS DISTINCT FROM l.ts")


@check("sales_units_per_offer_day", "business",
       "Units sold per offer and day equal the ledger's sale units per offer and day.")
def _sales_day(ctx: Context) -> str:
    return ("WITH s AS (SELECT merchant_id, sku, timestamp::DATE AS day, sum(quantity) AS units "
            "FROM sales GROUP BY ALL), l AS (SELECT merchant_id, sku, timestamp::DATE AS day, "
            "-sum(quantity) AS units FROM inventory_events WHERE event_type = 'sale' GROUP BY ALL) "
            "SELECT merchant_id, sku, day, s.units AS sale_units, l.units AS ledger_units "
            "FROM s FULL JOIN l USING (merchant_id, sku, day) "
            "WHERE s.units IS DISTINCT FROM l.units")


# --------------------------------------------------------------------------- stock status
@check("view_stock_status", "business",
       "A view's stock_status follows the offer's ledger balance just before the view "
       "(0 out_of_stock, <= low_stock_threshold low_stock, else in_stock).")
def _view_status(ctx: Context) -> str:
    bal = "CASE WHEN l.merchant_id = v.merchant_id AND l.pid = v.product_id THEN l.bal END"
    exp = status_sql("ledger_balance", ctx)
    return (f"SELECT view_id, merchant_id, sku, timestamp, stock_status, ledger_balance, "
            f"{exp} AS expected FROM (SELECT v.view_id, v.merchant_id, v.sku, v.timestamp, "
            f"v.stock_status, {bal} AS ledger_balance FROM "
            f"(SELECT *, {offer_key('merchant_id', 'product_id', ctx)} AS k FROM views) v "
            f"ASOF LEFT JOIN {ledger_at_key(ctx)} l ON v.k = l.k AND v.timestamp > l.ts) "
            f"WHERE stock_status IS DISTINCT FROM {exp}")


@check("view_oos_reason", "business",
       "views.oos_reason is set exactly for out_of_stock views.")
def _view_reason(ctx: Context) -> str:
    return ("SELECT view_id, stock_status, oos_reason FROM views "
            "WHERE (stock_status = 'out_of_stock') <> (oos_reason IS NOT NULL)")


@check("instock_stock_level", "business",
       "instock_events.stock_level is the balance after a ledger event of the offer at that "
       "same time (the event that caused the transition).")
def _instock_level(ctx: Context) -> str:
    return ("SELECT e.event_id, e.merchant_id, e.sku, e.timestamp, e.stock_level "
            "FROM instock_events e ANTI JOIN inventory_events l ON e.merchant_id = l.merchant_id "
            "AND e.sku = l.sku AND e.timestamp = l.timestamp AND e.stock_level = l.new_balance")


@check("instock_status", "business",
       "instock_events.status follows its stock_level; previous_status is the offer's "
       "previous status.")
def _instock_status(ctx: Context) -> str:
    exp = status_sql("stock_level", ctx)
    return (f"SELECT event_id, merchant_id, sku, stock_level, status, previous_status, "
            f"prev FROM (SELECT *, lag(status) OVER (PARTITION BY merchant_id, sku "
            f"ORDER BY event_id) AS prev FROM instock_events) "
            f"WHERE status IS DISTINCT FROM {exp} OR previous_status IS DISTINCT FROM prev "
            f"OR status = prev")


# --------------------------------------------------------------------------- cart funnel
@check("checkout_failed_reason", "business",
       "cart_events.reason is out_of_stock exactly for checkout_failed events.")
def _failed_reason(ctx: Context) -> str:
    return ("SELECT event_id, event_type, reason FROM cart_events WHERE "
            "(event_type = 'checkout_failed') <> (reason IS NOT DISTINCT FROM 'out_of_stock') "
            "OR (event_type <> 'checkout_failed' AND reason IS NOT NULL)")


@check("checkout_failed_insufficient", "business",
       "A checkout fails only when the offer's ledger balance just before it is below the "
       "line's quantity (within a second, checkouts settle in order_id order: sales of the "
       "same second with a smaller order_id come before it).")
def _failed_stock(ctx: Context) -> str:
    # Settlement orders one offer's attempts by (payment time, order id); the ledger books
    # the sales of one second in order_id order. The balance just before a failed attempt is
    # therefore the one after the offer's last sale in its second with a smaller order id,
    # or, when there is none, the balance after the last event strictly before its second.
    return (f"WITH f AS (SELECT event_id, merchant_id, sku, timestamp, order_id, quantity "
            f"FROM cart_events WHERE event_type = 'checkout_failed'), "
            f"tie AS (SELECT f.event_id, arg_max(l.new_balance, l.event_id) AS bal FROM f "
            f"JOIN inventory_events l ON l.merchant_id = f.merchant_id AND l.sku = f.sku "
            f"AND l.timestamp = f.timestamp AND l.event_type = 'sale' "
            f"AND l.reference_id < f.order_id GROUP BY f.event_id) "
            f"SELECT c.event_id, c.merchant_id, c.sku, c.timestamp, c.order_id, c.quantity, "
            f"coalesce(t.bal, l.bal) AS balance_before FROM f c "
            f"ASOF LEFT JOIN {LEDGER_AT} l ON c.merchant_id = l.merchant_id AND c.sku = l.sku "
            f"AND c.timestamp > l.ts LEFT JOIN tie t ON t.event_id = c.event_id "
            f"WHERE coalesce(t.bal, l.bal, 0) >= c.quantity")


@check("sale_has_checkout", "business",
       "Every sales line has a checkout event of the same order, session and offer.")
def _sale_checkout(ctx: Context) -> str:
    return ("SELECT s.order_id, s.line_number, s.session_id, s.merchant_id, s.sku FROM sales s "
            "ANTI JOIN (SELECT * FROM cart_events WHERE event_type = 'checkout') c "
            "ON s.order_id = c.order_id AND s.session_id = c.session_id "
            "AND s.merchant_id = c.merchant_id AND s.sku = c.sku")


@check("checkout_has_sale", "business",
       "Every checkout attempt became a sales line of its order or was followed by a "
       "checkout_failed of the same order and offer.")
def _checkout_sale(ctx: Context) -> str:
    return ("SELECT c.event_id, c.order_id, c.merchant_id, c.sku FROM cart_events c "
            "ANTI JOIN sales s ON s.order_id = c.order_id AND s.merchant_id = c.merchant_id "
            "AND s.sku = c.sku ANTI JOIN (SELECT order_id, merchant_id, sku FROM cart_events "
            "WHERE event_type = 'checkout_failed') f ON f.order_id = c.order_id "
            "AND f.merchant_id = c.merchant_id AND f.sku = c.sku WHERE c.event_type = 'checkout'")


@check("failed_checkout_not_sold", "business",
       "A line whose checkout failed has no sales line; the failure follows a checkout attempt.")
def _failed_not_sold(ctx: Context) -> str:
    return ("SELECT f.event_id, f.order_id, f.merchant_id, f.sku, s.line_number AS sold_line "
            "FROM cart_events f LEFT JOIN sales s ON s.order_id = f.order_id "
            "AND s.merchant_id = f.merchant_id AND s.sku = f.sku "
            "LEFT JOIN (SELECT DISTINCT order_id, merchant_id, sku FROM cart_events "
            "WHERE event_type = 'checkout') c ON c.order_id = f.order_id "
            "AND c.merchant_id = f.merchant_id AND c.sku = f.sku "
            "WHERE f.event_type = 'checkout_failed' AND (s.order_id IS NOT NULL "
            "OR c.order_id IS NULL)")


@check("cart_line_has_add", "business",
       "Every remove, checkout, failure or abandonment follows an add_to_cart of the same "
       "session, view and offer.")
def _cart_add(ctx: Context) -> str:
    return ("SELECT c.event_id, c.event_type, c.session_id, c.view_id, c.merchant_id, c.sku "
            "FROM cart_events c ANTI JOIN (SELECT session_id, view_id, merchant_id, sku "
            "FROM cart_events WHERE event_type = 'add_to_cart') a "
            "ON c.session_id = a.session_id AND c.view_id = a.view_id "
            "AND c.merchant_id = a.merchant_id AND c.sku = a.sku "
            "WHERE c.event_type <> 'add_to_cart'")


@check("cart_view_matches", "business",
       "A cart event's view is of the same session, customer and offer.")
def _cart_view(ctx: Context) -> str:
    return ("SELECT c.event_id, c.view_id, c.session_id, v.session_id AS view_session, "
            "c.merchant_id, v.merchant_id AS view_merchant, c.sku, v.sku AS view_sku "
            "FROM cart_events c JOIN views v USING (view_id) "
            "WHERE c.session_id <> v.session_id OR c.customer_id <> v.customer_id "
            "OR c.merchant_id <> v.merchant_id OR c.sku <> v.sku")


# --------------------------------------------------------------------------- money
@check("line_total", "business", "sales.line_total = quantity x unit_price.")
def _line_total(ctx: Context) -> str:
    return ("SELECT order_id, line_number, quantity, unit_price, line_total FROM sales "
            "WHERE line_total <> quantity * unit_price")


@check("order_total", "business",
       "sales.order_total equals the sum of line_total over the order, on every line.")
def _order_total(ctx: Context) -> str:
    return ("SELECT order_id, line_number, order_total, sum_lines FROM (SELECT order_id, "
            "line_number, order_total, sum(line_total) OVER (PARTITION BY order_id) AS sum_lines "
            "FROM sales) WHERE order_total <> sum_lines")


@check("order_lines", "business",
       "An order's lines are numbered 1..n and share customer, session, payment and time.")
def _order_lines(ctx: Context) -> str:
    return ("SELECT order_id, count(*) AS lines, max(line_number) AS max_line, "
            "count(DISTINCT customer_id) AS customers, count(DISTINCT session_id) AS sessions, "
            "count(DISTINCT payment_method) AS payments FROM sales GROUP BY order_id "
            "HAVING count(*) <> max(line_number) OR min(line_number) <> 1 "
            "OR count(DISTINCT customer_id) > 1 OR count(DISTINCT session_id) > 1 "
            "OR count(DISTINCT payment_method) > 1")


@check("price_row_parts", "business",
       "offer_prices: price is regular_price less discount_pct, rounded down to the whole rupee "
       "(paise x (10000 - basis points) // 1000000 x 100, exactly); whole-rupee regular "
       "prices; a discount (at most 80 %) and a sale_event exactly on sale rows; an offer's "
       "first row is its listing price (offers.price; reason list, or sale when the period "
       "opens in a sale), and so is every list row's regular_price; after a clearance row "
       "only clearance and sale rows follow (clearance is final).")
def _price_row_parts(ctx: Context) -> str:
    bp = f"round(discount_pct * {BP})::BIGINT"
    regular = "round(regular_price * 100)::BIGINT"
    expected = f"{regular} * ({BP} - {bp}) // {BP * 100} * 100"
    return ("SELECT price_id, price, regular_price, discount_pct, reason, sale_event "
            f"FROM offer_prices WHERE round(price * 100)::BIGINT <> {expected} "
            f"OR {regular} % 100 <> 0 OR discount_pct < 0 OR discount_pct > 0.8 "
            "OR (reason = 'sale') <> (discount_pct > 0) "
            "OR (reason = 'sale') <> (sale_event IS NOT NULL) "
            "UNION ALL SELECT p.price_id, p.price, p.regular_price, p.discount_pct, p.reason, "
            "p.sale_event FROM offer_prices p JOIN offers o USING (offer_id) "
            f"WHERE (p.valid_from = {ctx.start_ts} AND (p.regular_price <> o.price "
            "OR p.reason NOT IN ('list', 'sale'))) "
            "OR (p.reason = 'list' AND p.regular_price <> o.price) "
            "UNION ALL SELECT price_id, price, regular_price, discount_pct, reason, sale_event "
            "FROM (SELECT *, bool_or(reason = 'clearance') OVER (PARTITION BY offer_id "
            "ORDER BY valid_from ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS cleared "
            "FROM offer_prices) WHERE cleared AND reason NOT IN ('clearance', 'sale')")


@check("sale_rows_in_their_event", "business",
       "Every day of a sale row of offer_prices is a day whose discounting SALES_CALENDAR "
       "event (the deepest of the day) is the row's sale_event.")
def _sale_rows_in_event(ctx: Context) -> str:
    cal = build_calendar(ctx.cfg)
    days = [(cal.first_day + d, cal.event_names[int(e)])
            for d, e in enumerate(cal.sale_event.tolist()) if e >= 0]
    values = ", ".join(f"(DATE '1970-01-01' + {day}, '{name}')" for day, name in days) \
        or "(NULL::DATE, NULL::VARCHAR)"
    return ("WITH cal(day, event) AS (VALUES " + values + "), "
            "p AS (SELECT price_id, sale_event, unnest(generate_series(valid_from, valid_to "
            "- INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day FROM offer_prices "
            "WHERE reason = 'sale') "
            "SELECT p.price_id, p.sale_event, p.day, c.event AS calendar_event FROM p "
            "LEFT JOIN cal c USING (day) WHERE c.event IS DISTINCT FROM p.sale_event")


@check("price_at_time", "business",
       "Every view's price, cart event's unit_price and sale line's unit_price and "
       "discount_pct are those of the offer's offer_prices row valid at its timestamp "
       "(valid_from <= timestamp < valid_to).")
def _price_at_time(ctx: Context) -> str:
    def at(table: str, key: str, col: str, extra: str = "") -> str:
        return (f"SELECT '{table}' AS row_kind, t.{key} AS id, t.timestamp, t.{col} AS charged, "
                f"p.price AS listed FROM {table} t ASOF LEFT JOIN offer_prices p "
                "ON t.merchant_id = p.merchant_id AND t.sku = p.sku "
                "AND t.timestamp >= p.valid_from "
                f"WHERE p.price IS NULL OR t.timestamp >= p.valid_to OR t.{col} <> p.price"
                + extra)
    return " UNION ALL ".join([
        at("views", "view_id", "price"), at("cart_events", "event_id", "unit_price"),
        at("sales", "order_id", "unit_price", " OR t.discount_pct <> p.discount_pct")])


@check("price_within_mrp", "business",
       "No offer, price row and sale line is priced above the product's MRP "
       "(products.base_price): an MRP is a legal ceiling in India.")
def _price_within_mrp(ctx: Context) -> str:
    return ("SELECT 'offer' AS row_kind, o.merchant_id, o.sku, o.price, p.base_price "
            "FROM offers o JOIN products p USING (sku) WHERE o.price > p.base_price "
            "UNION ALL SELECT 'price_row', o.merchant_id, o.sku, o.regular_price, p.base_price "
            "FROM offer_prices o JOIN products p USING (sku) WHERE o.regular_price > p.base_price "
            "UNION ALL SELECT 'sale', s.merchant_id, s.sku, s.unit_price, p.base_price "
            "FROM sales s JOIN products p USING (sku) WHERE s.unit_price > p.base_price")


# --------------------------------------------------------------------------- ratings
@check("rating_matches_sale", "business",
       "A rating's sale line was bought by the same customer, of the same product and offer.")
def _rating_sale(ctx: Context) -> str:
    return ("SELECT r.rating_id, r.order_id, r.line_number, r.customer_id, "
            "s.customer_id AS buyer, r.sku, s.sku AS sold_sku FROM ratings r "
            "JOIN sales s USING (order_id, line_number) WHERE r.customer_id <> s.customer_id "
            "OR r.sku <> s.sku OR r.merchant_id <> s.merchant_id OR r.product_id <> s.product_id")


@check("rating_once_per_line", "business", "A sale line is rated at most once.")
def _rating_once(ctx: Context) -> str:
    return ("SELECT order_id, line_number, count(*) AS ratings FROM ratings GROUP BY ALL "
            "HAVING count(*) > 1")


@check("rating_delivery_days", "business",
       "ratings.delivery_days = sale's delivery_date - sale date.")
def _rating_days(ctx: Context) -> str:
    return ("SELECT r.rating_id, r.order_id, r.line_number, r.delivery_days, "
            "s.delivery_date - s.timestamp::DATE AS actual FROM ratings r "
            "JOIN sales s USING (order_id, line_number) "
            "WHERE r.delivery_days <> s.delivery_date - s.timestamp::DATE")


# --------------------------------------------------------------------------- offers
@check("offer_stock_fields", "business",
       "available_stock = current_stock - reserved_stock, with 0 <= reserved <= current.")
def _offer_stock(ctx: Context) -> str:
    return ("SELECT offer_id, current_stock, reserved_stock, available_stock FROM offers "
            "WHERE available_stock <> current_stock - reserved_stock OR reserved_stock < 0 "
            "OR reserved_stock > current_stock OR current_stock < 0")


@check("offer_merchant_type", "business", "offers.merchant_type is its merchant's type.")
def _offer_mtype(ctx: Context) -> str:
    return ("SELECT o.offer_id, o.merchant_id, o.merchant_type, m.merchant_type AS actual "
            "FROM offers o JOIN merchants m USING (merchant_id) "
            "WHERE o.merchant_type <> m.merchant_type")


@check("offer_unique_per_merchant_sku", "business",
       "A merchant lists a SKU at most once ((merchant_id, sku) is unique in offers).")
def _offer_unique(ctx: Context) -> str:
    return ("SELECT merchant_id, sku, count(*) AS offers FROM offers GROUP BY ALL "
            "HAVING count(*) > 1")


# --------------------------------------------------------------------------- consistency
@check("sku_product_consistent", "business",
       "Wherever product_id and sku appear together they name the same product.")
def _sku_product(ctx: Context) -> str:
    parts = [f"SELECT '{t}' AS table_name, t.product_id, t.sku, count(*) AS rows FROM {t} t "
             "ANTI JOIN products p ON t.product_id = p.product_id AND t.sku = p.sku GROUP BY ALL"
             for t in ("views", "sales", "ratings", "product_descriptions")]
    return " UNION ALL ".join(parts)


@check("sale_category", "business", "sales.category is the product's category.")
def _sale_cat(ctx: Context) -> str:
    return ("SELECT s.order_id, s.line_number, s.category, p.category AS product_category "
            "FROM sales s JOIN products p USING (product_id) WHERE s.category <> p.category")


@check("view_session_match", "business", "A view's customer and device are its session's.")
def _view_session(ctx: Context) -> str:
    return ("SELECT v.view_id, v.session_id, v.customer_id, b.customer_id AS session_customer, "
            "v.device, b.device AS session_device FROM views v JOIN browsing_sessions b "
            "USING (session_id) WHERE v.customer_id <> b.customer_id OR v.device <> b.device")


@check("cart_session_match", "business",
       "A cart event's customer and device are its session's.")
def _cart_session(ctx: Context) -> str:
    return ("SELECT c.event_id, c.session_id, c.customer_id, b.customer_id AS session_customer, "
            "c.device, b.device AS session_device FROM cart_events c JOIN browsing_sessions b "
            "USING (session_id) WHERE c.customer_id <> b.customer_id OR c.device <> b.device")


@check("sale_session_match", "business", "A sale's customer and device are its session's.")
def _sale_session(ctx: Context) -> str:
    return ("SELECT s.order_id, s.line_number, s.session_id, s.customer_id, "
            "b.customer_id AS session_customer, s.device, b.device AS session_device "
            "FROM sales s JOIN browsing_sessions b USING (session_id) "
            "WHERE s.customer_id <> b.customer_id OR s.device <> b.device")


@check("session_counts", "business",
       "browsing_sessions.views and add_to_carts equal the session's view and add_to_cart "
       "counts.")
def _session_counts(ctx: Context) -> str:
    return ("WITH v AS (SELECT session_id, count(*) AS n FROM views GROUP BY 1), "
            "a AS (SELECT session_id, count(*) AS n FROM cart_events "
            "WHERE event_type = 'add_to_cart' GROUP BY 1) "
            "SELECT b.session_id, b.views, coalesce(v.n, 0) AS actual_views, b.add_to_carts, "
            "coalesce(a.n, 0) AS actual_add_to_carts FROM browsing_sessions b "
            "LEFT JOIN v USING (session_id) LEFT JOIN a USING (session_id) "
            "WHERE b.views <> coalesce(v.n, 0) OR b.add_to_carts <> coalesce(a.n, 0)")


@check("session_has_order", "business",
       "A session with sales lines records their order in browsing_sessions.order_id.")
def _session_order(ctx: Context) -> str:
    return ("SELECT DISTINCT s.session_id, s.order_id, b.order_id AS session_order "
            "FROM sales s JOIN browsing_sessions b USING (session_id) "
            "WHERE b.order_id IS DISTINCT FROM s.order_id")


@check("customer_segment_traits", "business",
       "customers.conversion_base and cart_abandonment_rate are their segment's configured "
       "values.")
def _cust_traits(ctx: Context) -> str:
    rows = ", ".join(f"('{k}', {s.conversion_base!r}, {s.cart_abandonment_rate!r})"
                     for k, s in ctx.cfg.CUSTOMER_SEGMENTS.items())
    return ("SELECT c.customer_id, c.segment, c.conversion_base, c.cart_abandonment_rate "
            f"FROM customers c JOIN (VALUES {rows}) AS g(segment, conv, aband) USING (segment) "
            "WHERE abs(c.conversion_base - g.conv) > 1e-9 "
            "OR abs(c.cart_abandonment_rate - g.aband) > 1e-9")


_SEGMENT_ACTUAL = """
WITH cu AS (SELECT customer_id, segment FROM customers),
 se AS (SELECT cu.segment, count(*) AS sessions FROM browsing_sessions b JOIN cu USING (customer_id)
        GROUP BY 1),
 vi AS (SELECT cu.segment, count(*) AS views FROM views v JOIN cu USING (customer_id) GROUP BY 1),
 ad AS (SELECT cu.segment, count(*) AS add_to_carts, count(DISTINCT session_id) AS carts
        FROM cart_events c JOIN cu USING (customer_id) WHERE event_type = 'add_to_cart'
        GROUP BY 1),
 ab AS (SELECT cu.segment, count(*) AS abandoned_carts FROM
        (SELECT DISTINCT session_id, customer_id FROM cart_events
         WHERE event_type = 'add_to_cart') c
        JOIN cu USING (customer_id) ANTI JOIN (SELECT DISTINCT session_id FROM sales) s
        USING (session_id) GROUP BY 1),
 sa AS (SELECT cu.segment, count(DISTINCT order_id) AS orders, sum(quantity) AS units,
        sum(line_total) AS revenue FROM sales s JOIN cu USING (customer_id) GROUP BY 1),
 cc AS (SELECT segment, count(*) AS customers FROM cu GROUP BY 1),
 actual AS (SELECT cc.segment, cc.customers, coalesce(se.sessions, 0) AS sessions,
        coalesce(vi.views, 0) AS views, coalesce(ad.add_to_carts, 0) AS add_to_carts,
        coalesce(ad.carts, 0) AS carts, coalesce(ab.abandoned_carts, 0) AS abandoned_carts,
        coalesce(sa.orders, 0) AS orders, coalesce(sa.units, 0) AS units,
        coalesce(sa.revenue, 0) AS revenue
        FROM cc LEFT JOIN se USING (segment) LEFT JOIN vi USING (segment)
        LEFT JOIN ad USING (segment) LEFT JOIN ab USING (segment) LEFT JOIN sa USING (segment))
"""

_SEGMENT_METRICS = ("customers", "sessions", "views", "add_to_carts", "carts", "abandoned_carts",
                    "orders", "units", "revenue")


@check("segment_summary_counts", "business",
       "customer_segments counts (customers, sessions, views, carts, orders, units, revenue) "
       "equal those recomputed from the tables.")
def _segment_counts(ctx: Context) -> str:
    # A segment without customers has no row in the tables: its actual counts are 0.
    parts = [f"SELECT segment, '{m}' AS metric, g.{m}::VARCHAR AS reported, "
             f"coalesce(a.{m}, 0)::VARCHAR AS actual FROM customer_segments g FULL JOIN "
             f"actual a USING (segment) WHERE g.{m} IS DISTINCT FROM coalesce(a.{m}, 0)"
             for m in _SEGMENT_METRICS]
    return _SEGMENT_ACTUAL + " " + " UNION ALL ".join(parts)


@check("segment_summary_rates", "business",
       "customer_segments rates and shares equal their ratios (within 1e-6; AOV to the paisa).")
def _segment_rates(ctx: Context) -> str:
    rules = {
        "customer_share": "customers / sum(customers) OVER ()",
        "view_to_cart": "add_to_carts / nullif(views, 0)",
        "abandonment_rate": "abandoned_carts / nullif(carts, 0)",
        "session_conversion": "orders / nullif(sessions, 0)",
        "revenue_share": "revenue / nullif(sum(revenue) OVER (), 0)",
        "avg_order_value": "revenue / nullif(orders, 0)",
    }
    exprs = ", ".join(f"({e})::DOUBLE AS exp_{k}" for k, e in rules.items())
    tol = {k: ("0.0101" if k == "avg_order_value" else "1e-6") for k in rules}
    parts = [f"SELECT segment, '{k}' AS metric, {k}::DOUBLE AS reported, exp_{k} AS expected "
             f"FROM r WHERE abs(coalesce({k}::DOUBLE, 0) - coalesce(exp_{k}, 0)) > {tol[k]}"
             for k in rules]
    return (f"WITH r AS (SELECT *, {exprs} FROM customer_segments) "
            + " UNION ALL ".join(parts))
