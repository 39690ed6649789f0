"""Checks of what happens after the click: order events in causal order, cancellations,
returns to origin, returns, refunds, the ledger rows of units coming back, statuses."""

from __future__ import annotations

from ecomgen.checks.registry import Context, check

#: The events that may come right before each order event, in time order (None: it may
#: open the sequence). An order's own events: placed, confirmed, then packed or a
#: cancellation, shipped, delivery attempts (each failed attempt is followed by another or
#: by a return to origin), delivered. Each line's: a return requested, picked up, then
#: received and refunded (the refund starts at the pickup, so either may come first); a
#: refund of a cancellation or a return to origin opens the line's sequence.
ORDER_STEPS: dict[str, tuple[str | None, ...]] = {
    "placed": (None,), "confirmed": ("placed",), "packed": ("confirmed",),
    "cancelled": ("confirmed", "packed"), "shipped": ("packed",),
    "out_for_delivery": ("shipped", "delivery_failed"),
    "delivery_failed": ("out_for_delivery",), "delivered": ("out_for_delivery",),
    "rto_initiated": ("delivery_failed",), "rto_received": ("rto_initiated",)}
LINE_STEPS: dict[str, tuple[str | None, ...]] = {
    "return_requested": (None,), "return_picked_up": ("return_requested",),
    "return_received": ("return_picked_up", "refunded"),
    "refunded": (None, "return_picked_up", "return_received")}


def _steps_sql() -> str:
    """SQL VALUES (is_line, previous, event) of every allowed step."""
    rows = [f"({line}, {'NULL' if p is None else repr(p)}, '{e}')"
            for line, steps in ((False, ORDER_STEPS), (True, LINE_STEPS))
            for e, before in steps.items() for p in before]
    return f"(VALUES {', '.join(rows)}) st(is_line, previous, event)"


def _first(event: str) -> str:
    """SQL: per order, the time of its first event of a type."""
    return (f"(SELECT order_id, min(timestamp) AS t FROM order_events "
            f"WHERE event_type = '{event}' GROUP BY 1)")


@check("order_events_causal", "temporal",
       "Each order's events follow cause and effect, each step right after the one it needs: "
       "placed, confirmed, packed (or cancelled), shipped, delivery attempts (a failed one is "
       "followed by another or by a return to origin), then delivered or the return "
       "received; each line's return requested, picked up, received (its refund from the "
       "pickup on); every order starts with placed at its payment time.")
def _causal(ctx: Context) -> str:
    return ("WITH e AS (SELECT event_id, order_id, line_number, event_type, timestamp, "
            "lag(event_type) OVER (PARTITION BY order_id, line_number "
            "ORDER BY timestamp, event_id) AS previous FROM order_events) "
            "SELECT e.event_id, e.order_id, e.line_number, e.previous, e.event_type, "
            f"e.timestamp FROM e ANTI JOIN {_steps_sql()} "
            "ON st.is_line = (e.line_number IS NOT NULL) AND st.event = e.event_type "
            "AND st.previous IS NOT DISTINCT FROM e.previous "
            "UNION ALL SELECT NULL, s.order_id, NULL, NULL, 'placed', s.timestamp FROM "
            "(SELECT DISTINCT order_id, timestamp FROM sales) s "
            f"LEFT JOIN {_first('placed')} p USING (order_id) "
            "WHERE p.t IS DISTINCT FROM s.timestamp")


@check("cancelled_before_dispatch", "business",
       "A cancelled order was never shipped, taken out for delivery or delivered.")
def _cancelled(ctx: Context) -> str:
    return ("SELECT c.order_id, e.event_type, e.timestamp FROM "
            f"{_first('cancelled')} c JOIN order_events e USING (order_id) "
            "WHERE e.event_type IN ('shipped', 'out_for_delivery', 'delivery_failed', "
            "'delivered', 'rto_initiated', 'rto_received', 'return_requested')")


@check("rto_only_undelivered", "business",
       "Return to origin only for orders never delivered, after a failed delivery attempt.")
def _rto(ctx: Context) -> str:
    return ("SELECT r.order_id, r.t AS rto_initiated, d.t AS delivered, f.t AS last_failed "
            f"FROM {_first('rto_initiated')} r LEFT JOIN {_first('delivered')} d "
            "USING (order_id) LEFT JOIN (SELECT order_id, max(timestamp) AS t FROM "
            "order_events WHERE event_type = 'delivery_failed' GROUP BY 1) f USING (order_id) "
            "WHERE d.t IS NOT NULL OR f.t IS NULL OR f.t > r.t")


def _windows(ctx: Context) -> str:
    rows = ", ".join(f"('{name.replace(chr(39), chr(39) * 2)}', {c.return_window_days})"
                     for name, c in ctx.cfg.CATEGORIES.items())
    return f"(VALUES {rows}) w(category, days)"


@check("returns_after_delivery", "business",
       "A return is requested after its line was delivered and within the category's "
       "return window, takes at most the units sold, and is picked up, then received "
       "(condition known once received).")
def _returns(ctx: Context) -> str:
    return ("SELECT r.return_id, r.order_id, r.line_number, r.requested_at, sh.delivered_at, "
            "r.quantity, s.quantity AS sold FROM returns r "
            "JOIN sales s USING (order_id, line_number) "
            "LEFT JOIN shipments sh ON sh.order_id = r.order_id "
            f"LEFT JOIN {_windows(ctx)} ON w.category = s.category "
            "WHERE sh.delivered_at IS NULL OR r.requested_at <= sh.delivered_at "
            "OR r.requested_at::DATE >= sh.delivered_at::DATE + w.days "
            "OR r.quantity > s.quantity OR r.quantity < 1 "
            "OR r.merchant_id <> s.merchant_id OR r.sku <> s.sku "
            "OR r.customer_id <> s.customer_id "
            "OR r.picked_up_at <= r.requested_at OR r.received_at <= r.picked_up_at "
            "OR (r.picked_up_at IS NULL AND r.received_at IS NOT NULL) "
            "OR (r.received_at IS NULL) <> (r.condition IS NULL)")


@check("refund_amounts", "business",
       "Refunds reconcile with the lines: a cancelled or RTO line gets its line_total back, "
       "a return its units x unit_price, never more than the line paid; prepaid money goes "
       "back by the order's method, cash on delivery (returns only) by bank transfer or "
       "store credit.")
def _refunds(ctx: Context) -> str:
    return ("SELECT f.refund_id, f.order_id, f.line_number, f.reason, f.amount, s.line_total, "
            "f.method, s.payment_method FROM (SELECT *, sum(amount) OVER "
            "(PARTITION BY order_id, line_number) AS refunded FROM refunds) f "
            "JOIN sales s USING (order_id, line_number) "
            "LEFT JOIN returns r ON r.return_id = f.return_id "
            "WHERE f.refunded > s.line_total OR f.customer_id <> s.customer_id "
            "OR (f.reason = 'return') <> (f.return_id IS NOT NULL) "
            "OR (f.reason = 'return' AND (r.order_id IS DISTINCT FROM f.order_id "
            "OR r.line_number IS DISTINCT FROM f.line_number "
            "OR f.amount <> r.quantity * s.unit_price)) "
            "OR (f.reason <> 'return' AND f.amount <> s.line_total) "
            "OR (s.payment_method = 'cash_on_delivery' AND (f.reason <> 'return' "
            "OR f.method NOT IN ('bank_transfer', 'store_credit'))) "
            "OR (s.payment_method <> 'cash_on_delivery' AND f.method <> s.payment_method)")


@check("refund_timing", "temporal",
       "A refund starts at (after) what caused it — the cancellation, the RTO's receipt, the "
       "return's pickup — and its refunded event is its completion.")
def _refund_timing(ctx: Context) -> str:
    return ("SELECT f.refund_id, f.order_id, f.line_number, f.reason, f.initiated_at, "
            "f.completed_at, coalesce(c.t, o.t, r.picked_up_at) AS cause, e.timestamp "
            f"AS refunded_event FROM refunds f LEFT JOIN {_first('cancelled')} c "
            "ON f.reason = 'cancellation' AND c.order_id = f.order_id "
            f"LEFT JOIN {_first('rto_received')} o ON f.reason = 'return_to_origin' "
            "AND o.order_id = f.order_id "
            "LEFT JOIN returns r ON r.return_id = f.return_id "
            "LEFT JOIN order_events e ON e.order_id = f.order_id "
            "AND e.line_number = f.line_number AND e.event_type = 'refunded' "
            "WHERE coalesce(c.t, o.t, r.picked_up_at) IS NULL "
            "OR f.initiated_at <= coalesce(c.t, o.t, r.picked_up_at) "
            "OR f.completed_at <= f.initiated_at "
            "OR e.timestamp IS DISTINCT FROM f.completed_at")


@check("refunds_complete", "business",
       "Every prepaid line of a cancelled or RTO order and every picked-up return has its "
       "refund (when its cause is at least 4 hours before the period's end: a refund starts "
       "within 4 hours), and every refunded event is a refund's completion.")
def _refunds_complete(ctx: Context) -> str:
    return ("WITH need AS (SELECT s.order_id, s.line_number, 'cancellation' AS reason, "
            f"c.t AS cause FROM sales s JOIN {_first('cancelled')} c USING (order_id) "
            "WHERE s.payment_method <> 'cash_on_delivery' "
            "UNION ALL SELECT s.order_id, s.line_number, 'return_to_origin', o.t FROM sales s "
            f"JOIN {_first('rto_received')} o USING (order_id) "
            "WHERE s.payment_method <> 'cash_on_delivery' "
            "UNION ALL SELECT order_id, line_number, 'return', picked_up_at FROM returns "
            "WHERE picked_up_at IS NOT NULL) "
            "SELECT n.order_id, n.line_number, n.reason, n.cause, NULL AS refunded_event "
            "FROM need n ANTI JOIN refunds f ON f.order_id = n.order_id "
            "AND f.line_number = n.line_number AND f.reason = n.reason "
            f"WHERE n.cause + INTERVAL 4 HOUR <= {ctx.end_ts} "
            "UNION ALL SELECT e.order_id, e.line_number, 'refunded', NULL, e.timestamp "
            "FROM order_events e ANTI JOIN refunds f ON f.order_id = e.order_id "
            "AND f.line_number = e.line_number AND f.completed_at = e.timestamp "
            "WHERE e.event_type = 'refunded'")


@check("ledger_return_rows", "business",
       "Units coming back are in the ledger at 00:00 of the day after: the lines of an order "
       "the buyer cancelled as release (the seller's cancellation as release of quantity 0, "
       "reason stock_not_found: the units were not there), an RTO's lines and resellable "
       "returns as return_restock, damaged returns as return_damaged (quantity 0), each "
       "referencing its order; no other such rows.")
def _ledger_back(ctx: Context) -> str:
    return ("WITH x AS ("
            "SELECT s.order_id, s.merchant_id, s.sku, 'release' AS event_type, "
            "CASE sh.cancelled_by WHEN 'customer' THEN 'cancellation' ELSE 'stock_not_found' "
            "END AS reason, CASE sh.cancelled_by WHEN 'customer' THEN s.quantity ELSE 0 END "
            "AS qty, c.t::DATE + 1 AS day FROM sales s "
            f"JOIN {_first('cancelled')} c USING (order_id) "
            "JOIN shipments sh ON sh.order_id = s.order_id AND sh.cancelled_by IS NOT NULL "
            "UNION ALL SELECT s.order_id, s.merchant_id, s.sku, 'return_restock', "
            "'return_to_origin', s.quantity, o.t::DATE + 1 FROM sales s "
            f"JOIN {_first('rto_received')} o USING (order_id) "
            "UNION ALL SELECT order_id, merchant_id, sku, CASE condition WHEN 'damaged' "
            "THEN 'return_damaged' ELSE 'return_restock' END, 'customer_return', "
            "CASE condition WHEN 'damaged' THEN 0 ELSE quantity END, received_at::DATE + 1 "
            "FROM returns WHERE received_at IS NOT NULL), "
            f"e AS (SELECT * FROM x WHERE day <= DATE '{ctx.end_date.isoformat()}'), "
            "l AS (SELECT reference_id AS order_id, merchant_id, sku, event_type, reason, "
            "quantity AS qty, timestamp FROM inventory_events "
            "WHERE event_type IN ('release', 'return_restock', 'return_damaged')) "
            "SELECT coalesce(e.order_id, l.order_id) AS order_id, "
            "coalesce(e.merchant_id, l.merchant_id) AS merchant_id, "
            "coalesce(e.sku, l.sku) AS sku, e.event_type AS expected, l.event_type AS ledger, "
            "e.qty AS expected_units, l.qty AS ledger_units, e.day, l.timestamp "
            "FROM e FULL OUTER JOIN l ON e.order_id = l.order_id "
            "AND e.merchant_id = l.merchant_id AND e.sku = l.sku "
            "AND e.event_type = l.event_type AND e.reason = l.reason "
            "WHERE e.order_id IS NULL OR l.order_id IS NULL OR e.qty <> l.qty "
            "OR l.timestamp <> e.day::TIMESTAMP")


@check("status_matches_events", "business",
       "sales.status is the line's state after its order's last event by the period's end; "
       "sales.delivery_date is the delivered event's date.")
def _status(ctx: Context) -> str:
    return ("WITH o AS (SELECT order_id, "
            "bool_or(event_type = 'cancelled') AS cancelled, "
            "bool_or(event_type = 'rto_initiated') AS rto, "
            "max(timestamp) FILTER (WHERE event_type = 'delivered') AS delivered, "
            "bool_or(event_type = 'shipped') AS shipped FROM order_events "
            "WHERE line_number IS NULL GROUP BY 1), "
            "l AS (SELECT order_id, line_number, "
            "bool_or(event_type = 'return_requested') AS requested, "
            "bool_or(event_type = 'return_received') AS received FROM order_events "
            "WHERE line_number IS NOT NULL GROUP BY ALL) "
            "SELECT s.order_id, s.line_number, s.status, s.delivery_date, o.delivered FROM sales s "
            "LEFT JOIN o USING (order_id) LEFT JOIN l USING (order_id, line_number) "
            "WHERE s.status IS DISTINCT FROM CASE WHEN coalesce(l.received, false) THEN "
            "'returned' WHEN coalesce(l.requested, false) THEN 'return_requested' "
            "WHEN o.cancelled THEN 'cancelled' WHEN o.rto THEN 'returned_to_origin' "
            "WHEN o.delivered IS NOT NULL THEN 'delivered' WHEN o.shipped THEN 'shipped' "
            "ELSE 'processing' END "
            "OR s.delivery_date IS DISTINCT FROM o.delivered::DATE")


@check("shipments_match_events", "business",
       "A shipment's dispatch, delivery, attempts (out_for_delivery events), outcome and "
       "cancellation agree with its order's events; a shipment with attempts, a delivery or "
       "a return to origin was dispatched; delivery_days = delivery date - order date.")
def _shipments(ctx: Context) -> str:
    return ("WITH o AS (SELECT order_id, "
            "min(timestamp) FILTER (WHERE event_type = 'placed') AS placed, "
            "min(timestamp) FILTER (WHERE event_type = 'shipped') AS shipped, "
            "min(timestamp) FILTER (WHERE event_type = 'delivered') AS delivered, "
            "count(*) FILTER (WHERE event_type = 'out_for_delivery') AS attempts, "
            "bool_or(event_type = 'cancelled') AS cancelled, "
            "bool_or(event_type = 'rto_initiated') AS rto FROM order_events "
            "WHERE line_number IS NULL GROUP BY 1) "
            "SELECT sh.order_id, sh.dispatched_at, o.shipped, sh.delivered_at, o.delivered, "
            "sh.attempts, o.attempts AS attempt_events, sh.outcome FROM shipments sh "
            "LEFT JOIN o USING (order_id) "
            "WHERE sh.dispatched_at IS DISTINCT FROM o.shipped "
            "OR (sh.dispatched_at IS NULL AND (sh.attempts > 0 OR sh.delivered_at IS NOT NULL "
            "OR sh.outcome IN ('delivered', 'returned_to_origin'))) "
            "OR sh.delivered_at IS DISTINCT FROM o.delivered "
            "OR sh.attempts IS DISTINCT FROM o.attempts "
            "OR sh.delivery_days IS DISTINCT FROM "
            "date_diff('day', o.placed::DATE, o.delivered::DATE) "
            "OR (sh.cancelled_by IS NOT NULL) IS DISTINCT FROM o.cancelled "
            "OR sh.outcome IS DISTINCT FROM CASE WHEN o.cancelled THEN 'cancelled' "
            "WHEN o.rto THEN 'returned_to_origin' WHEN o.delivered IS NOT NULL THEN "
            "'delivered' ELSE 'in_transit' END "
            "UNION ALL SELECT s.order_id, NULL, NULL, NULL, NULL, NULL, NULL, 'missing' "
            "FROM (SELECT DISTINCT order_id FROM sales) s ANTI JOIN shipments USING (order_id)")


@check("ratings_only_delivered", "business",
       "Only delivered lines are rated (never a cancelled or RTO order), after delivery.")
def _rated(ctx: Context) -> str:
    return ("SELECT r.rating_id, r.order_id, r.line_number, sh.delivered_at, r.timestamp "
            "FROM ratings r LEFT JOIN shipments sh USING (order_id) "
            "WHERE sh.delivered_at IS NULL OR r.timestamp <= sh.delivered_at")
