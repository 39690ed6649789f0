"""Every check catches the corruption it targets: mutate a clean tiny dataset, expect failure."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ecomgen.checks.registry import all_checks
from ecomgen.checks.runner import validate_dir
from ecomgen.config import Config, preset_overrides
from ecomgen.schema import TABLES

Expect = dict[str, Any]
Mutation = Callable[[Path], Expect]
TS = "%Y-%m-%dT%H:%M:%S"


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A freshly generated tiny CSV dataset (generated once for this module), simulated in
    shards as a distributed run would (blocks of 8 customers, 5 customer shards, 3 offer
    shards) and checked byte-identical to the one-process run. The block size stays
    patched while the module's checks run: the id-order checks read it."""
    import ecomgen.pipeline as pipeline
    from ecomgen.output import read_manifest
    from ecomgen.simulation import blocks, engine

    outs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(blocks, "CUSTOMER_BLOCK_BITS", 3)
        mp.setattr(blocks, "CUSTOMER_BLOCK", 8)
        for layout in ((1, 1), (5, 3)):
            sim = functools.partial(engine.simulate, layout=layout)
            mp.setattr(pipeline, "_simulate_fn", lambda sim=sim: sim)
            out = tmp_path_factory.mktemp("clean") / "data"
            pipeline.generate(Config(**preset_overrides("tiny")), out, fmt="csv",
                              validate=False, report=False, progress=False)
            outs[layout] = out
        mp.setattr(pipeline, "_simulate_fn", lambda: engine.simulate)
        files = [{k: v["sha256"] for k, v in read_manifest(o)["files"].items()}
                 for o in outs.values()]
        assert files[0] == files[1]
        yield outs[(5, 3)]


# --------------------------------------------------------------------------- editing helpers
def read(d: Path, t: str) -> pl.DataFrame:
    """A table as all-string columns (written back byte-for-byte in untouched cells)."""
    return pl.read_csv(d / f"{t}.csv", infer_schema=False)


def write(d: Path, t: str, df: pl.DataFrame) -> None:
    """Write a table back."""
    df.write_csv(d / f"{t}.csv")


def row(df: pl.DataFrame, where: pl.Expr | None = None, nth: int = 0) -> dict[str, Any]:
    """The nth row (matching ``where``) as a dict."""
    sub = df if where is None else df.filter(where)
    assert sub.height > nth, "mutation needs a matching row"
    return sub.row(nth, named=True)


def set_cells(d: Path, t: str, where: pl.Expr | None, nth: int = 0,
              **values: Any) -> dict[str, Any]:
    """Set columns of one row (the nth matching ``where``); returns the row before the change."""
    df = read(d, t).with_row_index("__i")
    r = row(df, where, nth)
    new = {k: (v(r) if callable(v) else v) for k, v in values.items()}
    df = df.with_columns([pl.when(pl.col("__i") == r["__i"]).then(pl.lit(None if v is None
                          else str(v), dtype=pl.String)).otherwise(pl.col(k)).alias(k)
                          for k, v in new.items()])
    write(d, t, df.drop("__i"))
    r.pop("__i")
    return r


def drop_rows(d: Path, t: str, where: pl.Expr) -> pl.DataFrame:
    """Delete rows matching ``where``; returns them."""
    df = read(d, t)
    write(d, t, df.filter(~where))
    return df.filter(where)


def shift(ts: str, seconds: int) -> str:
    """An ISO timestamp moved by ``seconds``."""
    return (dt.datetime.strptime(ts, TS) + dt.timedelta(seconds=seconds)).strftime(TS)


def keys(r: dict[str, Any], *cols: str) -> Expect:
    """Expected sample values: these columns of row ``r``."""
    return {c: r[c] for c in cols}


def c(name: str) -> pl.Expr:
    """Shorthand for pl.col."""
    return pl.col(name)


# --------------------------------------------------------------------------- generated checks
BAD_INT = "999999999"
BAD_SKU = "SKU-99999999"
RANGE_BAD: dict[str, tuple[str, str]] = {
    "customers": ("age", "7"), "merchants": ("seller_rating", "9.5"),
    "products": ("base_price", "-5.0"), "offers": ("price", "0.0"),
    "browsing_sessions": ("views", "0"), "views": ("dwell_seconds", "-3"),
    "cart_events": ("quantity", "0"), "sales": ("discount_pct", "1.5"),
    "ratings": ("rating", "7"), "offer_prices": ("discount_pct", "0.95"),
    "shipments": ("attempts", "9"), "returns": ("quantity", "0"),
    "refunds": ("amount", "-1.00"),
}


def _columns_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        col = TABLES[t].column_names[-1]
        write(d, t, read(d, t).drop(col))
        return {"column_name": col}
    return m


def _types_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        col = next(x.name for x in TABLES[t].columns if x.kind in ("int", "ts", "money"))
        set_cells(d, t, None, **{col: "x1"})
        return {"column_name": col}
    return m


def _not_null_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        tab = TABLES[t]
        col = next(x.name for x in tab.columns if not x.nullable and x.name not in tab.primary_key)
        r = set_cells(d, t, None, **{col: None})
        return keys(r, *tab.primary_key) | {"null_columns": col}
    return m


def _pk_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        df = read(d, t)
        write(d, t, pl.concat([df, df.head(1)]))
        return keys(df.row(0, named=True), *TABLES[t].primary_key)
    return m


def _fk_mut(t: str, cols: tuple[str, ...]) -> Mutation:
    def m(d: Path) -> Expect:
        col = "sku" if "sku" in cols else ("line_number" if "line_number" in cols else cols[0])
        bad = BAD_SKU if col == "sku" else BAD_INT
        set_cells(d, t, None, **{col: bad})
        return {col: bad}
    return m


def _enum_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        col = {"customers": "segment", "merchants": "merchant_type", "products": "category",
               "offers": "merchant_type", "browsing_sessions": "device", "views": "stock_status",
               "cart_events": "event_type", "sales": "payment_method",
               "inventory_events": "event_type", "instock_events": "reason",
               "customer_segments": "segment", "offer_prices": "reason",
               "shipments": "courier", "order_events": "event_type", "returns": "reason",
               "refunds": "method"}[t]
        set_cells(d, t, None, **{col: "bogus"})
        return {"column_name": col, "value": "bogus"}
    return m


def _range_mut(t: str) -> Mutation:
    def m(d: Path) -> Expect:
        col, bad = RANGE_BAD[t]
        r = set_cells(d, t, None, **{col: bad})
        return keys(r, *TABLES[t].primary_key) | {"column_name": col}
    return m


def _period_mut(t: str, col: str) -> Mutation:
    def m(d: Path) -> Expect:
        r = set_cells(d, t, None, **{col: "2030-01-01T00:00:00"})
        return keys(r, *TABLES[t].primary_key)
    return m


MUTATIONS: dict[str, Mutation] = {}
for _t, _tab in TABLES.items():
    MUTATIONS[f"columns_{_t}"] = _columns_mut(_t)
    MUTATIONS[f"types_{_t}"] = _types_mut(_t)
    MUTATIONS[f"not_null_{_t}"] = _not_null_mut(_t)
    MUTATIONS[f"pk_{_t}"] = _pk_mut(_t)
    for _fk in _tab.foreign_keys:
        MUTATIONS[f"fk_{_t}_{'_'.join(_fk.columns)}"] = _fk_mut(_t, _fk.columns)
for _t in ("customers", "merchants", "products", "offers", "browsing_sessions", "views",
           "cart_events", "sales", "inventory_events", "instock_events", "customer_segments",
           "offer_prices", "shipments", "order_events", "returns", "refunds"):
    MUTATIONS[f"enum_{_t}"] = _enum_mut(_t)
for _t in RANGE_BAD:
    MUTATIONS[f"ranges_{_t}"] = _range_mut(_t)
for _t, _col in (("browsing_sessions", "end_time"), ("views", "timestamp"),
                 ("cart_events", "timestamp"), ("sales", "timestamp"),
                 ("inventory_events", "timestamp"), ("instock_events", "timestamp"),
                 ("shipments", "dispatched_at"), ("order_events", "timestamp"),
                 ("returns", "requested_at"), ("refunds", "initiated_at"),
                 ("ratings", "timestamp")):
    MUTATIONS[f"period_{_t}"] = _period_mut(_t, _col)


def mutation(name: str) -> Callable[[Mutation], Mutation]:
    """Register the mutation for the check called ``name``."""
    def deco(fn: Mutation) -> Mutation:
        MUTATIONS[name] = fn
        return fn
    return deco


# --------------------------------------------------------------------------- structural
@mutation("email_format")
def _m_email(d: Path) -> Expect:
    return keys(set_cells(d, "customers", None, email="not-an-email"), "customer_id")


@mutation("email_unique")
def _m_email_unique(d: Path) -> Expect:
    first = row(read(d, "customers"))
    set_cells(d, "customers", None, nth=1, email=first["email"])
    return {"email": first["email"].lower()}


@mutation("sku_format")
def _m_sku(d: Path) -> Expect:
    return keys(set_cells(d, "products", None, sku="SKU-123"), "product_id")


# --------------------------------------------------------------------------- referential
def _other_offer(d: Path, offer_id: str) -> str:
    ids = read(d, "offers")["offer_id"].to_list()
    return next(i for i in ids if i != offer_id)


@mutation("offer_id_inventory_events")
def _m_offer_ledger(d: Path) -> Expect:
    r = row(read(d, "inventory_events"))
    set_cells(d, "inventory_events", None, offer_id=_other_offer(d, r["offer_id"]))
    return keys(r, "event_id")


@mutation("offer_id_offer_prices")
def _m_offer_prices(d: Path) -> Expect:
    r = row(read(d, "offer_prices"))
    set_cells(d, "offer_prices", None, offer_id=_other_offer(d, r["offer_id"]))
    return keys(r, "price_id")


@mutation("offer_id_instock_events")
def _m_offer_instock(d: Path) -> Expect:
    r = row(read(d, "instock_events"))
    set_cells(d, "instock_events", None, offer_id=_other_offer(d, r["offer_id"]))
    return keys(r, "event_id")


@mutation("session_order")
def _m_session_order(d: Path) -> Expect:
    return keys(set_cells(d, "browsing_sessions", c("order_id").is_null(), order_id=BAD_INT),
                "session_id")


@mutation("ledger_sale_reference")
def _m_ledger_ref(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale",
                          reference_id=BAD_INT), "event_id")


@mutation("offer_product_sku")
def _m_offer_product(d: Path) -> Expect:
    r = row(read(d, "offers"))
    other = next(p for p in read(d, "products")["product_id"] if p != r["product_id"])
    set_cells(d, "offers", None, product_id=other)
    return keys(r, "offer_id")


# --------------------------------------------------------------------------- business
@mutation("ledger_starts_with_initial_stock")
def _m_initial_first(d: Path) -> Expect:
    r = row(read(d, "inventory_events"), c("event_type") == "initial_stock")
    drop_rows(d, "inventory_events", c("event_id") == r["event_id"])
    return keys(r, "merchant_id", "sku")


@mutation("ledger_initial_matches_offer")
def _m_initial_offer(d: Path) -> Expect:
    return keys(set_cells(d, "offers", None, initial_stock=lambda r: int(r["initial_stock"]) + 1),
                "merchant_id", "sku")


@mutation("ledger_running_sum")
def _m_running(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale",
                          new_balance=lambda r: int(r["new_balance"]) + 1), "event_id")


@mutation("ledger_non_negative")
def _m_negative(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale", new_balance="-1"),
                "event_id")


@mutation("ledger_final_equals_current_stock")
def _m_final(d: Path) -> Expect:
    return keys(set_cells(d, "offers", None,
                          current_stock=lambda r: int(r["current_stock"]) + 1), "offer_id")


@mutation("ledger_quantity_sign")
def _m_sign(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale", quantity="1"),
                "event_id")


@mutation("ledger_reason")
def _m_reason(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale", reason="theft"),
                "event_id")


@mutation("no_oversell")
def _m_oversell(d: Path) -> Expect:
    def qty(r: dict[str, Any]) -> int:
        before = int(r["new_balance"]) - int(r["quantity"])
        return -(before + 1)
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale", quantity=qty),
                "event_id")


@mutation("sale_matches_ledger")
def _m_sale_ledger(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, quantity=lambda r: int(r["quantity"]) + 1),
                "order_id")


@mutation("sales_units_per_offer_day")
def _m_sale_day(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "sale",
                          timestamp=lambda r: shift(r["timestamp"], 86400)), "merchant_id", "sku")


@mutation("view_stock_status")
def _m_view_status(d: Path) -> Expect:
    return keys(set_cells(d, "views", c("stock_status") == "in_stock",
                          stock_status="out_of_stock", oos_reason="sold_out"), "view_id")


@mutation("view_oos_reason")
def _m_view_reason(d: Path) -> Expect:
    return keys(set_cells(d, "views", c("stock_status") == "in_stock", oos_reason="sold_out"),
                "view_id")


@mutation("instock_stock_level")
def _m_instock_level(d: Path) -> Expect:
    return keys(set_cells(d, "instock_events", None,
                          stock_level=lambda r: int(r["stock_level"]) + 7), "event_id")


@mutation("instock_status")
def _m_instock_status(d: Path) -> Expect:
    def other(r: dict[str, Any]) -> str:
        return "in_stock" if r["status"] != "in_stock" else "low_stock"
    return keys(set_cells(d, "instock_events", None, status=other), "event_id")


@mutation("checkout_failed_reason")
def _m_failed_reason(d: Path) -> Expect:
    return keys(set_cells(d, "cart_events", c("event_type") == "checkout", reason="out_of_stock"),
                "event_id")


@mutation("checkout_failed_insufficient")
def _m_failed_stock(d: Path) -> Expect:
    sold = read(d, "sales").select("order_id", "sku")
    ce = read(d, "cart_events").join(sold, on=["order_id", "sku"], how="semi")
    r = row(ce, c("event_type") == "checkout")
    set_cells(d, "cart_events", c("event_id") == r["event_id"], event_type="checkout_failed",
              reason="out_of_stock")
    return keys(r, "event_id")


def _checkout_of_first_sale(d: Path) -> dict[str, Any]:
    s = row(read(d, "sales"))
    return row(read(d, "cart_events"), (c("event_type") == "checkout")
               & (c("order_id") == s["order_id"]) & (c("sku") == s["sku"]))


@mutation("sale_has_checkout")
def _m_sale_checkout(d: Path) -> Expect:
    r = _checkout_of_first_sale(d)
    drop_rows(d, "cart_events", c("event_id") == r["event_id"])
    return keys(r, "order_id")


@mutation("checkout_has_sale")
def _m_checkout_sale(d: Path) -> Expect:
    r = _checkout_of_first_sale(d)
    drop_rows(d, "sales", (c("order_id") == r["order_id"]) & (c("sku") == r["sku"]))
    return keys(r, "event_id")


@mutation("failed_checkout_not_sold")
def _m_failed_sold(d: Path) -> Expect:
    # A sold line also marked failed (failed checkouts are rare at tiny: stock is in cases).
    ev = read(d, "cart_events")
    r = _checkout_of_first_sale(d)
    new_id = str(ev["event_id"].cast(pl.Int64).max() + 1)
    failed = pl.DataFrame([r | {"event_id": new_id, "event_type": "checkout_failed",
                                "reason": "out_of_stock"}], schema=ev.schema)
    write(d, "cart_events", pl.concat([ev, failed]))
    return {"event_id": new_id}


@mutation("cart_line_has_add")
def _m_cart_add(d: Path) -> Expect:
    r = _checkout_of_first_sale(d)
    drop_rows(d, "cart_events", (c("event_type") == "add_to_cart")
              & (c("session_id") == r["session_id"]) & (c("sku") == r["sku"]))
    return keys(r, "event_id")


@mutation("cart_view_matches")
def _m_cart_view(d: Path) -> Expect:
    r = row(read(d, "cart_events"))
    other = row(read(d, "views"), c("session_id") != r["session_id"])
    set_cells(d, "cart_events", None, view_id=other["view_id"])
    return keys(r, "event_id")


@mutation("line_total")
def _m_line_total(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, line_total=lambda r: f"{float(r['line_total']) + 1}"),
                "order_id", "line_number")


@mutation("order_total")
def _m_order_total(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None,
                          order_total=lambda r: f"{float(r['order_total']) + 1}"), "order_id")


@mutation("order_lines")
def _m_order_lines(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, line_number="7"), "order_id")


@mutation("price_row_parts")
def _m_price_parts(d: Path) -> Expect:
    return keys(set_cells(d, "offer_prices", c("reason") == "sale",
                          price=lambda r: f"{float(r['price']) + 1}"), "price_id")


@mutation("sale_rows_in_their_event")
def _m_sale_event(d: Path) -> Expect:
    r = set_cells(d, "offer_prices", c("reason") == "sale",
                  sale_event=lambda r: "diwali" if r["sale_event"] != "diwali"
                  else "big_billion_days")
    return keys(r, "price_id")


@mutation("price_at_time")
def _m_price_at_time(d: Path) -> Expect:
    r = set_cells(d, "views", None, price=lambda r: f"{float(r['price']) + 1}")
    return {"row_kind": "views", "id": r["view_id"]}


@mutation("price_rows_tile_period")
def _m_price_tiles(d: Path) -> Expect:
    r = set_cells(d, "offer_prices", c("reason") == "sale",
                  valid_to=lambda r: shift(r["valid_to"], 86_400))
    return keys(r, "offer_id")


@mutation("price_within_mrp")
def _m_mrp(d: Path) -> Expect:
    return keys(set_cells(d, "products", None, base_price="1.00"), "sku")


@mutation("rating_matches_sale")
def _m_rating_sale(d: Path) -> Expect:
    return keys(set_cells(d, "ratings", None,
                          customer_id=lambda r: int(r["customer_id"]) % 200 + 1), "rating_id")


@mutation("rating_once_per_line")
def _m_rating_once(d: Path) -> Expect:
    df = read(d, "ratings")
    dup = df.head(1).with_columns(pl.lit(BAD_INT).alias("rating_id"))
    write(d, "ratings", pl.concat([df, dup]))
    return keys(row(df), "order_id", "line_number")


@mutation("rating_delivery_days")
def _m_rating_days(d: Path) -> Expect:
    return keys(set_cells(d, "ratings", None,
                          delivery_days=lambda r: int(r["delivery_days"]) + 1), "rating_id")


@mutation("offer_stock_fields")
def _m_offer_stock(d: Path) -> Expect:
    return keys(set_cells(d, "offers", None,
                          available_stock=lambda r: int(r["available_stock"]) + 1), "offer_id")


@mutation("offer_merchant_type")
def _m_offer_type(d: Path) -> Expect:
    def other(r: dict[str, Any]) -> str:
        return "wholesaler" if r["merchant_type"] != "wholesaler" else "brand_store"
    return keys(set_cells(d, "offers", None, merchant_type=other), "offer_id")


@mutation("offer_unique_per_merchant_sku")
def _m_offer_unique(d: Path) -> Expect:
    df = read(d, "offers")
    write(d, "offers", pl.concat([df, df.head(1).with_columns(pl.lit(BAD_INT).alias("offer_id"))]))
    return keys(row(df), "merchant_id", "sku")


@mutation("sku_product_consistent")
def _m_sku_product(d: Path) -> Expect:
    set_cells(d, "views", None, product_id=lambda r: int(r["product_id"]) % 100 + 1)
    return {"table_name": "views"}


@mutation("sale_category")
def _m_sale_cat(d: Path) -> Expect:
    def other(r: dict[str, Any]) -> str:
        return "Books" if r["category"] != "Books" else "Toys"
    return keys(set_cells(d, "sales", None, category=other), "order_id")


def _other_device(r: dict[str, Any]) -> str:
    return "tablet" if r["device"] != "tablet" else "desktop"


@mutation("view_session_match")
def _m_view_session(d: Path) -> Expect:
    return keys(set_cells(d, "views", None, device=_other_device), "view_id")


@mutation("cart_session_match")
def _m_cart_session(d: Path) -> Expect:
    return keys(set_cells(d, "cart_events", None, device=_other_device), "event_id")


@mutation("sale_session_match")
def _m_sale_session(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, device=_other_device), "order_id")


@mutation("session_counts")
def _m_session_counts(d: Path) -> Expect:
    return keys(set_cells(d, "browsing_sessions", None, views=lambda r: int(r["views"]) + 1),
                "session_id")


@mutation("session_has_order")
def _m_session_has_order(d: Path) -> Expect:
    return keys(set_cells(d, "browsing_sessions", c("order_id").is_not_null(), order_id=None),
                "session_id")


@mutation("customer_segment_traits")
def _m_traits(d: Path) -> Expect:
    return keys(set_cells(d, "customers", None, conversion_base="0.5"), "customer_id")


@mutation("segment_summary_counts")
def _m_seg_counts(d: Path) -> Expect:
    r = set_cells(d, "customer_segments", None, customers=lambda r: int(r["customers"]) + 1)
    return keys(r, "segment") | {"metric": "customers"}


@mutation("segment_summary_rates")
def _m_seg_rates(d: Path) -> Expect:
    return keys(set_cells(d, "customer_segments", None, view_to_cart="0.9"), "segment") | {
        "metric": "view_to_cart"}


# --------------------------------------------------------------------------- temporal
@mutation("signup_before_first_session")
def _m_signup(d: Path) -> Expect:
    cust = row(read(d, "browsing_sessions"))["customer_id"]
    return keys(set_cells(d, "customers", c("customer_id") == cust, signup_date="2030-01-01"),
                "customer_id")


@mutation("merchant_join_before_period")
def _m_join(d: Path) -> Expect:
    return keys(set_cells(d, "merchants", None, join_date="2024-01-05"), "merchant_id")


@mutation("session_start_before_end")
def _m_start_end(d: Path) -> Expect:
    return keys(set_cells(d, "browsing_sessions", None,
                          end_time=lambda r: shift(r["start_time"], -1)), "session_id")


@mutation("session_single_day")
def _m_single_day(d: Path) -> Expect:
    return keys(set_cells(d, "browsing_sessions", None,
                          end_time=lambda r: shift(r["start_time"], 86400)), "session_id")


@mutation("views_inside_session")
def _m_view_in(d: Path) -> Expect:
    return keys(set_cells(d, "views", None, timestamp=lambda r: shift(r["timestamp"], -3600)),
                "view_id")


@mutation("cart_events_inside_session")
def _m_cart_in(d: Path) -> Expect:
    return keys(set_cells(d, "cart_events", None,
                          timestamp=lambda r: shift(r["timestamp"], 86400)), "event_id")


@mutation("view_before_add_to_cart")
def _m_view_add(d: Path) -> Expect:
    a = row(read(d, "cart_events"), c("event_type") == "add_to_cart")
    set_cells(d, "views", c("view_id") == a["view_id"], timestamp=shift(a["timestamp"], 10))
    return keys(a, "event_id")


@mutation("add_before_later_cart_events")
def _m_add_later(d: Path) -> Expect:
    return keys(set_cells(d, "cart_events", c("event_type") == "checkout",
                          timestamp="2024-01-01T00:00:00"), "event_id")


@mutation("checkout_before_sale")
def _m_checkout_sale_time(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, timestamp="2024-01-01T00:00:00"), "order_id")


@mutation("delivery_after_sale")
def _m_delivery(d: Path) -> Expect:
    return keys(set_cells(d, "sales", None, delivery_date="2023-12-01"), "order_id")


@mutation("rating_after_delivery")
def _m_rating_after(d: Path) -> Expect:
    r = row(read(d, "ratings"))
    s = row(read(d, "sales"), (c("order_id") == r["order_id"])
            & (c("line_number") == r["line_number"]))
    set_cells(d, "ratings", None, timestamp=s["timestamp"])
    return keys(r, "rating_id")


@mutation("ledger_time_order")
def _m_ledger_time(d: Path) -> Expect:
    r = row(read(d, "inventory_events"), c("event_type") == "sale")
    set_cells(d, "inventory_events", c("event_id") == r["event_id"],
              timestamp="2023-12-31T23:00:00")
    return keys(r, "event_id")


@mutation("ledger_file_order")
def _m_ledger_file(d: Path) -> Expect:
    df = read(d, "inventory_events")
    first = row(df)
    same = df.with_row_index("__i").filter((c("merchant_id") == first["merchant_id"])
                                           & (c("sku") == first["sku"]))
    i, j = same["__i"][0], same["__i"][1]
    order = list(range(df.height))
    order[i], order[j] = order[j], order[i]
    write(d, "inventory_events", df[order])
    return keys(first, "event_id")


@mutation("ledger_event_clock")
def _m_clock(d: Path) -> Expect:
    return keys(set_cells(d, "inventory_events", c("event_type") == "restock",
                          timestamp=lambda r: r["timestamp"][:10] + "T12:00:00"), "event_id")


@mutation("view_ids_follow_time")
def _m_view_ids(d: Path) -> Expect:
    df = read(d, "views")
    return keys(set_cells(d, "views", None, nth=df.height // 2,
                          timestamp="2024-01-01T00:00:00"), "view_id")


@mutation("session_ids_follow_time")
def _m_session_ids(d: Path) -> Expect:
    df = read(d, "browsing_sessions")
    return keys(set_cells(d, "browsing_sessions", None, nth=df.height // 2,
                          start_time="2024-01-01T00:00:00"), "session_id")


@mutation("instock_follows_ledger")
def _m_instock_time(d: Path) -> Expect:
    return keys(set_cells(d, "instock_events", None,
                          timestamp=lambda r: shift(r["timestamp"], 1)), "event_id")


# --------------------------------------------------------------------------- statistical
def _all(d: Path, t: str, **values: Any) -> None:
    write(d, t, read(d, t).with_columns([pl.lit(v).alias(k) for k, v in values.items()]))


def _figure_mut(fn: Callable[[Path], None], key: str) -> Mutation:
    def m(d: Path) -> Expect:
        fn(d)
        return {"figure": key}
    return m


def _calendar_now(d: Path) -> None:
    man = json.loads((d / "manifest.json").read_text())
    cal = man["config"]["SALES_CALENDAR"]
    cal["diwali"] |= {"start": "01-10", "end": "01-12", "anchor": None, "days_before": 0,
                      "days_after": 0}
    (d / "manifest.json").write_text(json.dumps(man))


def _period_whole_year(d: Path) -> None:
    """Claim the data covers all of 2024: its autumn then has no orders at all, so orders
    cannot peak on Big Billion Days nor rise before Diwali."""
    man = json.loads((d / "manifest.json").read_text())
    man["config"]["start"], man["config"]["end"] = "2024-01-01", "2024-12-31"
    (d / "manifest.json").write_text(json.dumps(man))


_FIG_MUTS: dict[str, Callable[[Path], None]] = {
    "cart_abandonment": lambda d: drop_rows(d, "sales", pl.lit(True)),
    "abandonment_mobile_minus_desktop": lambda d: _all(d, "browsing_sessions", device="desktop"),
    "session_conversion": lambda d: drop_rows(d, "sales", pl.lit(True)),
    "sessions_with_add_to_cart": lambda d: drop_rows(d, "cart_events", pl.lit(True)),
    "views_per_session": lambda d: _all(d, "browsing_sessions", views="100"),
    "view_to_add_to_cart": lambda d: drop_rows(d, "cart_events", pl.lit(True)),
    "remove_per_add": lambda d: drop_rows(d, "cart_events",
                                          c("event_type") == "remove_from_cart"),
    "rating_shape": lambda d: _all(d, "ratings", rating="3"),
    "mean_rating": lambda d: _all(d, "ratings", rating="1"),
    "rated_line_share": lambda d: drop_rows(d, "ratings", pl.lit(True)),
    "single_item_orders": lambda d: _all(d, "sales", quantity="2"),
    "oos_offer_days": lambda d: _all(d, "inventory_events", new_balance="0"),
    "shrink_per_sold": lambda d: _all(d, "inventory_events", event_type="damage"),
    "peak_day_ratio": _calendar_now,
    "cod_share": lambda d: _all(d, "sales", payment_method="upi"),
    "customers_18_35": lambda d: _all(d, "customers", age="50"),
    "electronics_revenue_share": lambda d: _all(d, "sales", category="Electronics"),
    "electronics_aov_ratio": lambda d: _all(d, "sales", category="Books"),
    "subcategory_prices": lambda d: (_all(d, "products", subcategory="Mobiles"),
                                     _all(d, "sales", unit_price="1.00")),
    "sale_lines_below_mrp": lambda d: _all(d, "products", base_price="1.00"),
    "device_mix": lambda d: _all(d, "browsing_sessions", device="tablet"),
    "cod_by_tier": lambda d: _all(d, "customers", city_tier="1"),
    "festival_dates": _period_whole_year,
    "low_stock_views": lambda d: _all(d, "views", stock_status="low_stock"),
    "customer_activity": lambda d: write(d, "browsing_sessions", read(d, "browsing_sessions")
                                         .with_columns(((c("session_id").cast(pl.Int64) % 150)
                                                        + 1).cast(pl.String)
                                                       .alias("customer_id"))),
    "retention_12m": _period_whole_year,
    # Every Fashion line from one buyer (100 % repeat), every Grocery and Beauty order from
    # a buyer of its own (0 % repeat).
    "category_repeat": lambda d: write(d, "sales", read(d, "sales").with_columns(
        pl.when(c("category") == "Fashion").then(pl.lit("1"))
        .when(c("category").is_in(["Grocery", "Beauty"]))
        .then((c("order_id").cast(pl.Int64) + 1_000_000).cast(pl.String))
        .otherwise(c("customer_id")).alias("customer_id"))),
    "artefacts": lambda d: _all(d, "browsing_sessions", end_time="2099-12-31T23:59:59"),
    "returns_by_category": lambda d: drop_rows(d, "returns", pl.lit(True)),
    "rto_by_payment": lambda d: _all(d, "shipments", outcome="returned_to_origin"),
    "cancellations": lambda d: _all(d, "shipments", cancelled_by="customer"),
    "late_deliveries": lambda d: _all(d, "shipments", promised_date="2000-01-01"),
}
for _name, _fn in _FIG_MUTS.items():
    _num = next(b.number for b in __import__("ecomgen.profile.bands", fromlist=["BANDS"]).BANDS
                if b.key == _name)
    MUTATIONS[f"realism_{_num:02d}_{_name}"] = _figure_mut(_fn, _name)


@mutation("segment_shares")
def _m_seg_shares(d: Path) -> Expect:
    _all(d, "customers", segment="premium")
    return {"label": "premium"}


@mutation("gender_shares")
def _m_gender(d: Path) -> Expect:
    _all(d, "customers", gender="Other")
    return {"label": "Other"}


@mutation("age_group_shares")
def _m_age_groups(d: Path) -> Expect:
    _all(d, "customers", age_group="55+")
    return {"label": "55+"}


@mutation("popularity_long_tail")
def _m_long_tail(d: Path) -> Expect:
    df = read(d, "views")
    write(d, "views", df.with_columns(
        ((c("view_id").cast(pl.Int64) % 100) + 1).cast(pl.String).alias("product_id")))
    return {}


# --------------------------------------------------------------------------- after the order
@mutation("order_events_causal")
def _m_causal(d: Path) -> Expect:
    r = set_cells(d, "order_events", c("event_type") == "shipped",
                  timestamp=lambda r: shift(r["timestamp"], -30 * 86_400))
    return keys(r, "order_id")


@mutation("cancelled_before_dispatch")
def _m_cancelled(d: Path) -> Expect:
    df = read(d, "order_events")
    shipped = df.filter(c("event_type") == "shipped")["order_id"]
    r = set_cells(d, "order_events", (c("event_type") == "packed")
                  & c("order_id").is_in(shipped.implode()), event_type="cancelled")
    return keys(r, "order_id")


@mutation("rto_only_undelivered")
def _m_rto(d: Path) -> Expect:
    return keys(set_cells(d, "order_events", c("event_type") == "delivered",
                          event_type="rto_initiated"), "order_id")


@mutation("returns_after_delivery")
def _m_returns(d: Path) -> Expect:
    return keys(set_cells(d, "returns", None, requested_at="2000-01-01T10:00:00"),
                "return_id")


@mutation("refund_amounts")
def _m_refund_amount(d: Path) -> Expect:
    return keys(set_cells(d, "refunds", None, amount=lambda r: f"{float(r['amount']) + 1:.2f}"),
                "refund_id")


@mutation("refund_timing")
def _m_refund_timing(d: Path) -> Expect:
    return keys(set_cells(d, "refunds", c("completed_at").is_not_null(),
                          completed_at=lambda r: shift(r["completed_at"], 60)), "refund_id")


@mutation("refunds_complete")
def _m_refunds_complete(d: Path) -> Expect:
    gone = drop_rows(d, "refunds", c("refund_id") == read(d, "refunds")["refund_id"][0])
    return keys(gone.row(0, named=True), "order_id")


@mutation("ledger_return_rows")
def _m_ledger_back(d: Path) -> Expect:
    r = set_cells(d, "inventory_events", c("event_type") == "return_restock",
                  quantity=lambda r: str(int(r["quantity"]) + 1))
    return {"order_id": r["reference_id"]}


@mutation("status_matches_events")
def _m_status(d: Path) -> Expect:
    return keys(set_cells(d, "sales", c("status") == "delivered", status="shipped"),
                "order_id")


@mutation("shipments_match_events")
def _m_shipments(d: Path) -> Expect:
    return keys(set_cells(d, "shipments", None, attempts=lambda r: str(int(r["attempts"]) + 1)),
                "order_id")


@mutation("ratings_only_delivered")
def _m_rated(d: Path) -> Expect:
    return keys(set_cells(d, "ratings", None, timestamp="2000-01-01T10:00:00"), "rating_id")


# --------------------------------------------------------------------------- gaps
def _gap_unshipped_delivery(d: Path) -> Expect:
    """A delivered order loses its shipped event, and its shipment the dispatch time."""
    ev = read(d, "order_events")
    delivered = ev.filter(c("event_type") == "delivered")["order_id"]
    order = row(ev, (c("event_type") == "shipped") & c("order_id").is_in(delivered.implode()))
    drop_rows(d, "order_events", (c("event_type") == "shipped")
              & (c("order_id") == order["order_id"]))
    set_cells(d, "shipments", c("order_id") == order["order_id"], dispatched_at=None)
    return {"order_id": order["order_id"]}


def _gap_failed_before_attempt(d: Path) -> Expect:
    """A failed delivery attempt moved to just before the attempt it ends."""
    ev = read(d, "order_events")
    failed = row(ev, c("event_type") == "delivery_failed")
    out = ev.filter((c("order_id") == failed["order_id"]) & (c("event_type") == "out_for_delivery")
                    & (c("timestamp") < failed["timestamp"]))["timestamp"].max()
    set_cells(d, "order_events", c("event_id") == failed["event_id"],
              timestamp=shift(str(out), -1))
    return {"order_id": failed["order_id"], "event_type": "delivery_failed"}


def _gap_shipped_unpacked(d: Path) -> Expect:
    """A cancellation (ranked level with shipping) turned into a shipment without packing."""
    ev = read(d, "order_events")
    gone = row(ev, c("event_type") == "cancelled")
    set_cells(d, "order_events", c("event_id") == gone["event_id"], event_type="shipped")
    return {"order_id": gone["order_id"], "event_type": "shipped"}


#: Corruptions an earlier version of a check let through: (mutation, checks that must fail).
GAPS: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    "unshipped_delivery": (_gap_unshipped_delivery,
                           ("shipments_match_events", "order_events_causal")),
    "failed_before_attempt": (_gap_failed_before_attempt, ("order_events_causal",)),
    "shipped_unpacked": (_gap_shipped_unpacked, ("order_events_causal",)),
}


@pytest.mark.parametrize("gap", list(GAPS))
def test_gap_trips_check(gap: str, clean_dir: Path, tmp_path: Path) -> None:
    """Each corruption that once slipped through now fails the checks named for it."""
    d = tmp_path / "data"
    shutil.copytree(clean_dir, d)
    mutate, names = GAPS[gap]
    expect = mutate(d)
    for res in validate_dir(d, names=list(names), write=False).results:
        assert res.status == "failed", f"{gap}: {res.name} {res.status} {res.message}"
        assert _matches(res.sample_dicts(), expect), (
            f"{gap}: {res.name} sample {res.sample_dicts()} does not show {expect}")


# --------------------------------------------------------------------------- tests
CHECK_NAMES = [ch.name for ch in all_checks()]


def test_every_check_has_a_mutation() -> None:
    """A check no mutation can trip is not a check."""
    missing = [n for n in CHECK_NAMES if n not in MUTATIONS]
    assert not missing, f"checks without a mutation: {missing}"
    assert not [n for n in MUTATIONS if n not in CHECK_NAMES]


def _matches(sample: list[dict[str, Any]], expect: Expect) -> bool:
    if not expect:
        return True
    return any(all(str(s.get(k)) == str(v) for k, v in expect.items()) for s in sample)


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_mutation_trips_check(name: str, clean_dir: Path, tmp_path: Path) -> None:
    """Corrupting the data the way the check targets makes exactly that check fail."""
    d = tmp_path / "data"
    shutil.copytree(clean_dir, d)
    before = validate_dir(d, names=[name], write=False).results[0]
    assert before.status == "passed" or name.startswith("realism_") or \
        before.category == "statistical", f"{name} already fails on clean data: {before}"
    expect = MUTATIONS[name](d)
    res = validate_dir(d, names=[name], write=False).results[0]
    assert res.status == "failed", f"{name}: {res.status} {res.message}"
    assert res.failing_rows > 0
    assert _matches(res.sample_dicts(), expect), (
        f"{name}: sample {res.sample_dicts()} does not show {expect}")
