"""Structural checks: columns present, types, formats, non-null, enum values, ranges, keys."""

from __future__ import annotations

from collections.abc import Callable

from ecomgen.checks.registry import Check, Context, file_order_increasing, register
from ecomgen.schema import TABLES, Table, labels_of
from ecomgen.tabledb import TYPE_FAMILIES


def _q(name: str) -> str:
    return '"' + name + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _values(rows: list[tuple[str, ...]], names: tuple[str, ...]) -> str:
    cols = ", ".join(names)
    if not rows:
        nulls = ", ".join(f"NULL::VARCHAR AS {n}" for n in names)
        return f"SELECT {nulls} WHERE false"
    vals = ", ".join("(" + ", ".join(_lit(v) for v in r) + ")" for r in rows)
    return f"SELECT * FROM (VALUES {vals}) AS v({cols})"


def _columns_query(t: Table) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        missing = ctx.info.missing_columns.get(t.name, [])
        if t.name in ctx.info.missing_tables:
            problem = ctx.info.unreadable.get(t.name, "missing")
            return _values([(t.name, "(table file)", problem)],
                           ("table_name", "column_name", "problem"))
        return _values([(t.name, c, "missing") for c in missing],
                       ("table_name", "column_name", "problem"))
    return q


def _types_query(t: Table) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        fmt = ctx.info.formats.get(t.name)
        if fmt == "csv":
            rej = ctx.info.rejects.get(t.name)
            if rej is None:  # views: a cell that does not parse makes this scan fail
                return f"SELECT * FROM {_q(t.name)} WHERE false"
            return (f"SELECT line, column_name, error_type, csv_line FROM {_q(rej)} "
                    "ORDER BY line")
        bad = []
        for col, actual in ctx.info.source_types.get(t.name, {}).items():
            if col not in t.column_names:
                continue
            kind = t.column(col).kind
            base = actual.split("(")[0].upper()
            if base not in TYPE_FAMILIES[kind]:
                bad.append((col, actual, kind))
        return _values(bad, ("column_name", "actual_type", "expected_kind"))
    return q


def _not_null_query(t: Table) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        missing = set(ctx.info.missing_columns.get(t.name, []))
        cols = [c.name for c in t.columns if not c.nullable and c.name not in missing]
        if not cols:
            return f"SELECT * FROM {_q(t.name)} WHERE false"
        which = ", ".join(f"CASE WHEN {_q(c)} IS NULL THEN {_lit(c)} END" for c in cols)
        cond = " OR ".join(f"{_q(c)} IS NULL" for c in cols)
        keys = ", ".join(_q(k) for k in t.primary_key)
        return (f"SELECT {keys}, concat_ws(',', {which}) AS null_columns "
                f"FROM {_q(t.name)} WHERE {cond}")
    return q


def _pk_query(t: Table) -> Callable[[Context], str]:
    keys = ", ".join(_q(k) for k in t.primary_key)
    return lambda ctx: (f"SELECT {keys}, count(*) AS copies FROM {_q(t.name)} "
                        f"GROUP BY ALL HAVING count(*) > 1")


def _pk_proof(t: Table) -> Callable[[Context], bool] | None:
    """Keys that increase strictly in file order are unique (no GROUP BY over every row)."""
    if any(t.column(k).kind not in ("int", "ts", "date") for k in t.primary_key):
        return None
    return lambda ctx: (t.name not in ctx.info.missing_tables
                        and not ctx.info.missing_columns.get(t.name)
                        and file_order_increasing(ctx, t.name, t.primary_key))


for _t in TABLES.values():
    register(Check(f"columns_{_t.name}", "structural", "error",
                   f"{_t.name}: every column of the data contract is present.",
                   query=_columns_query(_t)))
    register(Check(f"types_{_t.name}", "structural", "error",
                   f"{_t.name}: every cell parses as its column's type (ISO timestamps, "
                   "dates, numbers).", query=_types_query(_t)))
    register(Check(f"not_null_{_t.name}", "structural", "error",
                   f"{_t.name}: non-nullable columns hold no nulls.",
                   query=_not_null_query(_t)))
    register(Check(f"pk_{_t.name}", "structural", "error",
                   f"{_t.name}: primary key ({', '.join(_t.primary_key)}) is unique.",
                   query=_pk_query(_t), proof=_pk_proof(_t)))


# --------------------------------------------------------------------------- formats
def _email(ctx: Context) -> str:
    return ("SELECT customer_id, email FROM customers WHERE NOT regexp_full_match(email, "
            r"'[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}')")


register(Check("email_format", "structural", "error",
               "customers.email looks like local@domain.tld.", query=_email))
register(Check("email_unique", "structural", "error", "customers.email is unique.",
               query=lambda ctx: "SELECT lower(email) AS email, count(*) AS copies "
                                 "FROM customers GROUP BY 1 HAVING count(*) > 1"))
register(Check("sku_format", "structural", "error",
               "products.sku is SKU- and 8 digits encoding product_id.",
               query=lambda ctx: "SELECT product_id, sku FROM products WHERE "
                                 "sku IS DISTINCT FROM printf('SKU-%08d', product_id)"))


# --------------------------------------------------------------------------- enums
def _enum_domains(ctx: Context) -> dict[str, dict[str, tuple[str, ...]]]:
    """Each table's categorical columns with their allowed labels (the data contract's
    ``values``, or the configured names they take: ``schema.labels_of``)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for table in TABLES.values():
        cols = {c.name: labels_of(c, ctx.cfg) for c in table.columns if c.kind == "cat"}
        if any(cols.values()):
            out[table.name] = {name: labels for name, labels in cols.items() if labels}
    return out


def _enum_query(table: str) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        dom = _enum_domains(ctx)[table]
        parts = []
        for col, values in dom.items():
            vals = ", ".join(_lit(v) for v in values)
            parts.append(f"SELECT {_lit(col)} AS column_name, {_q(col)}::VARCHAR AS value, "
                         f"count(*) AS n FROM {_q(table)} WHERE {_q(col)} IS NOT NULL AND "
                         f"{_q(col)} NOT IN ({vals}) GROUP BY ALL")
        return " UNION ALL ".join(parts)
    return q


for _name in (t.name for t in TABLES.values()
              if any(c.values or c.labels_from for c in t.columns if c.kind == "cat")):
    register(Check(f"enum_{_name}", "structural", "error",
                   f"{_name}: categorical columns hold only their allowed labels.",
                   query=_enum_query(_name)))


# --------------------------------------------------------------------------- ranges
def _ranges(ctx: Context) -> dict[str, list[tuple[str, str]]]:
    ages = ctx.cfg.AGE_BEHAVIOR_MAPPING.values()
    lo, hi = min(a.min_age for a in ages), max(a.max_age for a in ages)
    return {
        "customers": [("age", f"age BETWEEN {lo} AND {hi}"), ("city_tier", "city_tier IN (1,2,3)"),
                      ("price_sensitivity", "price_sensitivity BETWEEN 0 AND 1"),
                      ("tech_affinity", "tech_affinity BETWEEN 0 AND 1"),
                      ("conversion_base", "conversion_base > 0 AND conversion_base <= 1"),
                      ("cart_abandonment_rate", "cart_abandonment_rate BETWEEN 0 AND 1")],
        "merchants": [("seller_rating", "seller_rating BETWEEN 1 AND 5")],
        "products": [("base_price", "base_price > 0"),
                     ("quality_score", "quality_score BETWEEN 1 AND 5"),
                     ("popularity_rank", "popularity_rank >= 1")],
        "offers": [("price", "price > 0"), ("initial_stock", "initial_stock >= 0"),
                   ("reorder_point", "reorder_point >= 0"),
                   ("on_order_stock", "on_order_stock >= 0")],
        "browsing_sessions": [("views", "views >= 1"), ("add_to_carts", "add_to_carts >= 0")],
        "views": [("price", "price > 0"), ("dwell_seconds", "dwell_seconds >= 0")],
        "cart_events": [("quantity", "quantity >= 1"), ("unit_price", "unit_price > 0")],
        "sales": [("quantity", "quantity >= 1"), ("line_number", "line_number >= 1"),
                  ("unit_price", "unit_price > 0"),
                  ("discount_pct", "discount_pct >= 0 AND discount_pct < 1")],
        "offer_prices": [("price", "price > 0"), ("regular_price", "regular_price >= price"),
                         ("discount_pct", "discount_pct >= 0 AND discount_pct <= 0.8")],
        "ratings": [("rating", "rating BETWEEN 1 AND 5"),
                    ("delivery_days", "delivery_days >= 0")],
        "shipments": [("attempts", "attempts BETWEEN 0 AND 3"),
                      ("delivery_days", "delivery_days >= 1")],
        "returns": [("quantity", "quantity >= 1")],
        "refunds": [("amount", "amount > 0")],
    }


def _range_query(table: str) -> Callable[[Context], str]:
    def q(ctx: Context) -> str:
        t = TABLES[table]
        keys = ", ".join(_q(k) for k in t.primary_key)
        parts = [f"SELECT {keys}, {_lit(col)} AS column_name, {_q(col)}::VARCHAR AS value "
                 f"FROM {_q(table)} WHERE NOT ({cond})" for col, cond in _ranges(ctx)[table]]
        return " UNION ALL ".join(parts)
    return q


for _name in ("customers", "merchants", "products", "offers", "browsing_sessions", "views",
              "cart_events", "sales", "ratings", "offer_prices", "shipments", "returns",
              "refunds"):
    register(Check(f"ranges_{_name}", "structural", "error",
                   f"{_name}: numeric columns lie in their valid ranges (prices > 0, "
                   "rates in 0..1, stars 1..5, ...).", query=_range_query(_name)))
