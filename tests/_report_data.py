"""A small hand-made dataset (DuckDB SQL, deterministic hashes) for the report tests."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

_U = "((hash({k}) % 1000000) / 1000000.0)"


def u(key: str) -> str:
    """SQL for a deterministic uniform in [0, 1) keyed by the SQL expression ``key``."""
    return _U.format(k=key)


_SQL = f"""
CREATE TABLE customers AS
SELECT i AS customer_id,
       ['price_sensitive','premium','mainstream','impulse'][1 + i % 4] AS segment,
       18 + CAST({u("i * 7")} * 40 AS INT) AS age, 'Male' AS gender, 'Pune' AS city
FROM range(1, 201) t(i);
CREATE TABLE merchants AS
SELECT i AS merchant_id, 'M' || i AS merchant_name,
       ['brand_store','marketplace_seller','wholesaler','local_retailer'][1 + i % 4]
           AS merchant_type
FROM range(1, 6) t(i);
CREATE TABLE products AS
SELECT i AS product_id, 'SKU-' || lpad(i::VARCHAR, 8, '0') AS sku,
       ['Electronics','Fashion','Home','Beauty','Grocery'][1 + i % 5] AS category,
       round(100 * exp({u("i * 13")} * 6), 2) AS base_price
FROM range(1, 101) t(i);
CREATE TABLE offers AS
SELECT row_number() OVER (ORDER BY p.product_id, m.merchant_id) AS offer_id,
       m.merchant_id, p.sku, p.product_id, m.merchant_type, p.base_price AS price,
       20 AS initial_stock
FROM products p JOIN merchants m ON (p.product_id + m.merchant_id) % 3 = 0;
CREATE TABLE browsing_sessions AS
SELECT i AS session_id, 1 + i % 200 AS customer_id,
       ['mobile','desktop','tablet'][1 + (i // 7) % 3] AS device,
       TIMESTAMP '2024-01-01 08:00:00' + INTERVAL (i * 617) SECOND AS start_time,
       1 + CAST({u("i * 3")} * 6 AS INT) AS views,
       CASE WHEN i % 9 = 0 THEN 1 ELSE 0 END AS add_to_carts,
       CASE WHEN i % 27 = 0 THEN i ELSE NULL END AS order_id
FROM range(1, 4001) t(i);
CREATE TABLE sales AS
SELECT s.order_id, 1 AS line_number, s.customer_id, s.session_id, o.merchant_id, o.sku,
       o.product_id, p.category, 1 + (s.session_id % 2) AS quantity, o.price AS unit_price,
       0.0 AS discount_pct, o.price * (1 + (s.session_id % 2)) AS line_total,
       o.price * (1 + (s.session_id % 2)) AS order_total,
       'upi' AS payment_method, s.device, s.start_time + INTERVAL 300 SECOND AS timestamp
FROM browsing_sessions s
JOIN offers o ON o.offer_id = 1 + (s.session_id * 7) % 23
JOIN products p USING (product_id)
WHERE s.order_id IS NOT NULL;
CREATE TABLE cart_events AS
SELECT s.session_id * 10 + k AS event_id, s.session_id, s.customer_id,
       ['add_to_cart','checkout','remove_from_cart'][k] AS event_type, s.device,
       s.start_time AS timestamp
FROM browsing_sessions s, range(1, 4) r(k)
WHERE s.add_to_carts > 0 AND (k = 1 OR (k = 2 AND s.order_id IS NOT NULL)
      OR (k = 3 AND s.session_id % 2 = 0));
CREATE TABLE ratings AS
SELECT row_number() OVER (ORDER BY order_id) AS rating_id, order_id, 1 AS line_number,
       customer_id, product_id, merchant_id, sku,
       [5,5,5,4,5,3,1,4,2,5][1 + order_id % 10] AS rating,
       timestamp + INTERVAL 5 DAY AS timestamp
FROM sales;
CREATE TABLE inventory_events AS
WITH l AS (
  SELECT o.offer_id, o.merchant_id, o.sku, 'initial_stock' AS event_type,
         3 + o.offer_id % 8 AS quantity,
         TIMESTAMP '2024-01-01 00:00:00' AS timestamp, 0 AS ord
  FROM offers o
  UNION ALL
  SELECT o.offer_id, o.merchant_id, o.sku, 'sale', -s.quantity, s.timestamp, 1
  FROM sales s JOIN offers o USING (merchant_id, sku)
  UNION ALL
  SELECT o.offer_id, o.merchant_id, o.sku, 'restock', 6, TIMESTAMP '2024-01-12 00:00:00', 0
  FROM offers o WHERE o.offer_id % 2 = 0)
SELECT row_number() OVER (ORDER BY offer_id, timestamp, ord) AS event_id, merchant_id, sku,
       offer_id, event_type, quantity, timestamp,
       sum(quantity) OVER (PARTITION BY offer_id ORDER BY timestamp, ord, quantity
                           ROWS UNBOUNDED PRECEDING) AS new_balance
FROM l;
"""


def write_dataset(out: Path, fmt: str = "csv") -> Path:
    """Write the hand-made dataset (CSV or Parquet) and a manifest into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(_SQL)
    # Keep balances non-negative, as the real ledger guarantees.
    con.execute("UPDATE inventory_events SET new_balance = greatest(new_balance, 0)")
    names = ["customers", "merchants", "products", "offers", "browsing_sessions", "sales",
             "cart_events", "ratings", "inventory_events"]
    for n in names:
        target = out / f"{n}.{fmt}"
        opts = ("(HEADER, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S')" if fmt == "csv"
                else "(FORMAT parquet)")
        con.execute(f"COPY {n} TO '{target}' {opts}")
    rows = {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}
    manifest = {
        "seed": 7,
        "config": {"seed": 7, "num_customers": 200, "num_products": 100, "num_merchants": 5,
                   "start": "2024-01-01", "end": "2024-01-30", "avg_views_per_day": 500},
        "tables": {n: {"rows": r, "file": f"{n}.{fmt}"} for n, r in rows.items()},
        "timings": {"simulate_s": 0.4, "write_s": 0.2},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return out
