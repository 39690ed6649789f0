"""The data contract: every table, its columns, keys and meaning (the data dictionary's source).

Column kinds say how the simulation's arrays become output values:

- ``int``/``float``/``bool``: written as they are; ``int`` columns marked nullable use -1 as null;
- ``money``: int64 paise, written as rupees with exactly two decimals (``DECIMAL(18,2)``,
  built from the integer paise, never through a float);
- ``ts``: int64 seconds since 1970-01-01 on the scenario's local clock, written as ISO-8601
  without an offset (the manifest records the time zone);
- ``date``: int days since 1970-01-01;
- ``cat``: small-integer codes into a label list (:class:`Cat`); -1 is null;
- ``sku``: a product id written as ``SKU-`` and 8 digits;
- ``str``: text built vectorised (a polars/Arrow string column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["int", "float", "bool", "money", "ts", "date", "cat", "sku", "str"]


@dataclass(frozen=True)
class OutputType:
    """How one column kind is typed in every output format (type names; no imports here)."""

    #: Arrow type of the converted frames and of Parquet columns (``pyarrow.<name>``-style).
    arrow: str
    #: DuckDB SQL type of the database file's columns and of CSV columns read back.
    sql: str
    #: How a CSV cell of the kind looks (for the data dictionary).
    csv: str


#: Precision and scale of money columns: rupees with two decimals, the unscaled value in paise.
MONEY_PRECISION, MONEY_SCALE = 18, 2
_MONEY_ARROW = f"decimal128({MONEY_PRECISION}, {MONEY_SCALE})"

#: The one map from column kind to output types (frames, Parquet, DuckDB, CSV read-back).
KIND_TYPES: dict[str, OutputType] = {
    "int": OutputType("int64", "BIGINT", "integer"),
    "float": OutputType("float64", "DOUBLE", "decimal number (shortest exact form)"),
    "bool": OutputType("bool", "BOOLEAN", "true or false"),
    "money": OutputType(_MONEY_ARROW, f"DECIMAL({MONEY_PRECISION},{MONEY_SCALE})",
                        "rupees with exactly two decimals (1234.50)"),
    "ts": OutputType("timestamp[us]", "TIMESTAMP", "local time YYYY-MM-DDTHH:MM:SS"),
    "date": OutputType("date32", "DATE", "YYYY-MM-DD"),
    "cat": OutputType("string", "VARCHAR", "one of a fixed set of labels"),
    "sku": OutputType("string", "VARCHAR", "SKU- and 8 digits"),
    "str": OutputType("string", "VARCHAR", "text"),
}

def arrow_type(kind: str) -> Any:
    """The ``pyarrow.DataType`` of a column kind (pyarrow imported on first use)."""
    import pyarrow as pa

    name = KIND_TYPES[kind].arrow
    if name == _MONEY_ARROW:
        return pa.decimal128(MONEY_PRECISION, MONEY_SCALE)
    if name == "timestamp[us]":
        return pa.timestamp("us")
    return {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
            "date32": pa.date32(), "string": pa.string()}[name]


def polars_dtype(kind: str) -> Any:
    """The polars dtype of a column kind after conversion (polars imported on first use)."""
    import polars as pl

    name = KIND_TYPES[kind].arrow
    if name == _MONEY_ARROW:
        return pl.Decimal(MONEY_PRECISION, MONEY_SCALE)
    if name == "timestamp[us]":
        return pl.Datetime("us")
    return {"int64": pl.Int64(), "float64": pl.Float64(), "bool": pl.Boolean(),
            "date32": pl.Date(), "string": pl.String()}[name]


@dataclass(frozen=True)
class Cat:
    """A categorical column: codes into labels (code -1 means null)."""

    codes: Any
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    kind: Kind
    description: str
    nullable: bool = False
    #: A categorical column's labels in code order, when they are fixed ...
    values: tuple[str, ...] = ()
    #: ... or the configuration table whose names they are (``labels_of``).
    labels_from: str = ""


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must match a key of another table."""

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of the dataset."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
    event_table: bool = False
    #: Columns holding ids the day loop numbers (column, id kind): shifted per worker and day.
    ids: tuple[tuple[str, str], ...] = ()
    #: The column that puts a row in its part with ``--parts`` and what it counts:
    #: "customer", "product" or "merchant" (by id range), or "label" (a categorical column,
    #: by its label's position).
    part_by: tuple[str, str] = ("", "")
    #: Who writes the rows: "entity" (before the first day), the "customer" or "offer" side
    #: of the day loop, or the "summary" after the last day.
    side: str = "entity"
    #: Timestamp columns that lie inside the configured period.
    period: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Column names in output order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def labels_of(column: Column, cfg: Any) -> tuple[str, ...]:
    """A categorical column's labels in code order: its fixed values, or the names of the
    configuration table it takes them from (``()``: an open vocabulary, such as cities)."""
    if column.values or not column.labels_from:
        return column.values
    if column.labels_from == "refund methods":  # prepaid methods; cash goes back by transfer
        return tuple(m for m in cfg.PAYMENT_METHODS if m != "cash_on_delivery") + (
            "bank_transfer", "store_credit")
    value = cfg
    for part in column.labels_from.split("."):
        value = getattr(value, part)
    return tuple(value)


def _c(name: str, kind: Kind, description: str, nullable: bool = False,
       values: tuple[str, ...] = (), labels_from: str = "") -> Column:
    return Column(name, kind, description, nullable, values, labels_from)


def _fk(cols: str, table: str, ref: str | None = None) -> ForeignKey:
    c = tuple(cols.split(","))
    return ForeignKey(c, table, tuple(ref.split(",")) if ref else c)


OFFER_FK = _fk("merchant_id,sku", "offers")

TABLES: dict[str, Table] = {}


def _table(t: Table) -> None:
    TABLES[t.name] = t


_table(Table("customers", "Customer profiles: demographics, segment and behaviour traits.", (
    _c("customer_id", "int", "Customer key, 1..N."),
    _c("first_name", "str", "Given name (vocabulary vendored from Faker's en_IN provider), "
                            "common names most often."),
    _c("last_name", "str", "Family name (vocabulary vendored from Faker's en_IN provider), "
                           "common names most often, regional names mostly in their region."),
    _c("email", "str", "Unique e-mail address built from the name and a number that does "
                        "not give the customer id away."),
    _c("gender", "cat", "Gender (GENDER_PREFERENCES weights).", labels_from="GENDER_PREFERENCES"),
    _c("age", "int", "Age in years at the start of the period."),
    _c("age_group", "cat", "Age band of AGE_BEHAVIOR_MAPPING.", labels_from="AGE_BEHAVIOR_MAPPING"),
    _c("city", "cat", "City of residence (city list vendored from Faker's en_IN provider)."),
    _c("state", "cat", "State of the city."),
    _c("city_tier", "int", "1 = metro, 2 = large city, 3 = other."),
    _c("signup_date", "date", "Account creation date; in the period, the day of the "
                              "customer's first session."),
    _c("device_preference", "cat", "Device used for most sessions (DEVICES weights).",
       labels_from="DEVICES"),
    _c("segment", "cat", "Behaviour segment (CUSTOMER_SEGMENTS).", labels_from="CUSTOMER_SEGMENTS"),
    _c("price_sensitivity", "float", "Segment price sensitivity shifted by age group, 0..1."),
    _c("conversion_base", "float", "Segment base conversion rate."),
    _c("cart_abandonment_rate", "float", "Segment cart-abandonment rate."),
    _c("tech_affinity", "float", "Age group's technology affinity, 0..1."),
    _c("preferred_categories", "str", "Segment's preferred categories, '|'-separated; empty "
                                      "when the segment prefers none.", nullable=True),
), ("customer_id",),
    part_by=("customer_id", "customer")))

_table(Table("merchants", "Sellers and their stocking strategy.", (
    _c("merchant_id", "int", "Merchant key, 1..M."),
    _c("merchant_name", "str", "Trading name."),
    _c("merchant_type", "cat", "brand_store, marketplace_seller, wholesaler or local_retailer.",
       labels_from="MERCHANT_TYPES"),
    _c("city", "cat", "City of the merchant's warehouse."),
    _c("state", "cat", "State of that city."),
    _c("seller_rating", "float", "Marketplace seller rating, 1..5."),
    _c("join_date", "date", "Date the merchant joined, before the period."),
), ("merchant_id",),
    part_by=("merchant_id", "merchant")))

_table(Table("products", "Product catalogue.", (
    _c("product_id", "int", "Product key, 1..P."),
    _c("sku", "sku", "Stock-keeping unit, SKU- and 8 digits; unique."),
    _c("product_name", "str", "Brand, model code (or product line), noun and spec variant."),
    _c("category", "cat", "Top-level category (CATEGORIES).", labels_from="CATEGORIES"),
    _c("subcategory", "cat", "Subcategory within the category."),
    _c("brand", "cat", "Brand."),
    _c("base_price", "money", "MRP (list price) in INR, lognormal around the category "
       "median: no offer or sale is priced above it."),
    _c("launch_date", "date", "Date the product was launched (before or during the period)."),
    _c("quality_score", "float", "Latent quality 1..5; drives ratings."),
    _c("popularity_rank", "int", "Rank of demand within its category, 1 = most viewed."),
    _c("is_perishable", "bool", "Perishable category (losses may be expiry)."),
), ("product_id",),
    part_by=("product_id", "product")))

_table(Table("product_descriptions", "Category-specific attributes, one row per attribute.", (
    _c("product_id", "int", "Product described."),
    _c("sku", "sku", "SKU of the product."),
    _c("attribute", "cat", "Attribute name (e.g. ram_gb, size, material)."),
    _c("value", "str", "Attribute value as text."),
), ("product_id", "attribute"), (_fk("product_id", "products"),),
    part_by=("product_id", "product")))

_table(Table("offers", "A merchant's listing of a product: price and stock.", (
    _c("offer_id", "int", "Offer key, 1..O."),
    _c("merchant_id", "int", "Selling merchant."),
    _c("sku", "sku", "Product's SKU; (merchant_id, sku) is unique."),
    _c("product_id", "int", "Product offered."),
    _c("merchant_type", "cat", "The merchant's type (stocking strategy).",
       labels_from="MERCHANT_TYPES"),
    _c("price", "money", "Listing price in whole rupees with a storefront ending (₹549, "
       "₹3,299), at most the MRP: the MRP x the merchant type's price factor x noise, or the "
       "MRP itself; offer_prices holds how it changed."),
    _c("initial_stock", "int", "Units on hand at the start of the period, in whole cases of "
                               "the category's case pack (0: listed before its first "
                               "delivery)."),
    _c("reorder_point", "int", "Reorder point at listing: a supplier order is due when stock "
                               "+ on-order falls to it; it then follows the sales velocity, "
                               "never below the merchant type's safety stock."),
    _c("current_stock", "int", "Units on hand at the end: the ledger's final new_balance."),
    _c("reserved_stock", "int", "Units held in carts abandoned on the last day (hold of "
                                "24 h), at most current_stock."),
    _c("available_stock", "int", "current_stock - reserved_stock."),
    _c("on_order_stock", "int", "Units ordered from the supplier, not yet delivered."),
), ("offer_id",), (_fk("merchant_id", "merchants"), _fk("product_id", "products"),
                   _fk("sku", "products")),
    part_by=("product_id", "product")))

_table(Table("offer_prices", "Each offer's price history: one row per interval with one "
             "price; prices change at 00:00.", (
    _c("price_id", "int", "Price row key, increasing with the day the price ended (the "
                          "period's last day for prices still in force), then offer_id."),
    _c("offer_id", "int", "Offer priced."),
    _c("merchant_id", "int", "Merchant of the offer."),
    _c("sku", "sku", "SKU of the offer."),
    _c("valid_from", "ts", "First second the price holds (00:00 of a day; the period's start "
                           "for the listing price)."),
    _c("valid_to", "ts", "First second it no longer holds (00:00 of the day it changed; the "
                         "day after the period's end for prices still in force)."),
    _c("price", "money", "Price shown and paid: regular_price less discount_pct, rounded "
                         "down to the whole rupee."),
    _c("regular_price", "money", "The offer's everyday price, at most the MRP: as listed, "
                                 "repriced by the seller or marked down for clearance."),
    _c("discount_pct", "float", "Sale discount, 0..0.8 (whole basis points): the event's "
                                "discount_pct x the category's and merchant type's sale_depth "
                                "x the offer's noise; 0 outside a sale."),
    _c("reason", "cat", "list (the listing price), repricing (the seller changed its everyday "
                        "price), clearance (end-of-line markdown after the seller's last "
                        "reorder) or sale (a sale event's discount).",
                           values=("list", "repricing", "clearance", "sale")),
    _c("sale_event", "cat", "SALES_CALENDAR event of a sale price.", nullable=True,
       labels_from="SALES_CALENDAR"),
), ("price_id",), (_fk("offer_id", "offers"), OFFER_FK),
    ids=(("price_id", "price"),),
    part_by=("sku", "product"),
    side="offer"))

_table(Table("browsing_sessions", "Browsing sessions: one customer, one device, one day.", (
    _c("session_id", "int", "Session key, increasing with the day, then the customer block "
                              "(65,536 customers by id), then start_time."),
    _c("customer_id", "int", "Customer browsing."),
    _c("session_type", "cat", "casual_browse, targeted_search or comparison_shopping.",
       labels_from="SESSION_TYPES"),
    _c("device", "cat", "Device of the session.", labels_from="DEVICES"),
    _c("start_time", "ts", "First view: from 00:00:01 to 23:39:59, drawn from the hourly "
                           "traffic profile cut to that range."),
    _c("end_time", "ts", "Last event of the session (view, cart event or checkout)."),
    _c("views", "int", "Product views in the session."),
    _c("add_to_carts", "int", "add_to_cart events in the session."),
    _c("order_id", "int", "Paid order of the session, if any.", nullable=True),
), ("session_id",), (_fk("customer_id", "customers"),), event_table=True,
    ids=(("session_id", "session"), ("order_id", "order")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("start_time", "end_time")))

_table(Table("views", "Product page views; each shows one offer and its stock status.", (
    _c("view_id", "int", "View key, increasing with the day, then the customer block, then time."),
    _c("session_id", "int", "Session of the view."),
    _c("customer_id", "int", "Customer viewing."),
    _c("product_id", "int", "Product viewed."),
    _c("merchant_id", "int", "Merchant of the offer shown (buy box)."),
    _c("sku", "sku", "SKU viewed."),
    _c("timestamp", "ts", "Time of the view."),
    _c("price", "money", "Price shown: the offer's price of the day (offer_prices)."),
    _c("stock_status", "cat", "in_stock, low_stock or out_of_stock, from the ledger's balance "
                              "at this moment.", values=("in_stock", "low_stock", "out_of_stock")),
    _c("oos_reason", "cat", "For out_of_stock: sold_out (today), awaiting_restock or "
                            "not_restocked.", nullable=True,
                               values=("sold_out", "awaiting_restock", "not_restocked")),
    _c("device", "cat", "Device of the session.", labels_from="DEVICES"),
    _c("dwell_seconds", "int", "Seconds spent on the page."),
), ("view_id",), (_fk("session_id", "browsing_sessions"), _fk("customer_id", "customers"),
                  _fk("product_id", "products"), OFFER_FK), event_table=True,
    ids=(("view_id", "view"), ("session_id", "session")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("timestamp",)))

_table(Table("cart_events", "Cart events per line: add, remove, checkout, failure, abandonment.", (
    _c("event_id", "int", "Event key, increasing with the day, then the customer block, "
                            "then time."),
    _c("session_id", "int", "Session (one cart per session)."),
    _c("customer_id", "int", "Customer."),
    _c("view_id", "int", "The view the line was added from."),
    _c("merchant_id", "int", "Merchant of the line's offer."),
    _c("sku", "sku", "SKU of the line."),
    _c("event_type", "cat", "add_to_cart, remove_from_cart, checkout, checkout_failed or "
                            "cart_abandoned.",
                               values=("add_to_cart", "remove_from_cart", "checkout",
                                       "checkout_failed", "cart_abandoned")),
    _c("quantity", "int", "Units of the line."),
    _c("unit_price", "money", "Price per unit at add time."),
    _c("timestamp", "ts", "Time of the event."),
    _c("order_id", "int", "Order of a checkout, checkout_failed or sale.", nullable=True),
    _c("reason", "cat", "out_of_stock for checkout_failed.", nullable=True,
       values=("out_of_stock",)),
    _c("device", "cat", "Device of the session.", labels_from="DEVICES"),
), ("event_id",), (_fk("session_id", "browsing_sessions"), _fk("customer_id", "customers"),
                   _fk("view_id", "views"), OFFER_FK), event_table=True,
    ids=(("event_id", "cart"), ("session_id", "session"), ("view_id", "view"),
         ("order_id", "order")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("timestamp",)))

_table(Table("sales", "Paid order lines, settled against stock (never oversold).", (
    _c("order_id", "int", "Order key, increasing with the day, then the customer block, then "
                            "payment time."),
    _c("line_number", "int", "Line within the order, 1..n."),
    _c("customer_id", "int", "Buyer."),
    _c("session_id", "int", "Session of the order."),
    _c("merchant_id", "int", "Merchant."),
    _c("sku", "sku", "SKU sold."),
    _c("product_id", "int", "Product sold."),
    _c("category", "cat", "Product category.", labels_from="CATEGORIES"),
    _c("quantity", "int", "Units sold."),
    _c("unit_price", "money", "Price per unit paid."),
    _c("discount_pct", "float", "Sale discount of the offer's price of the day (offer_prices, "
                                "whole basis points); unit_price = regular_price x (1 - "
                                "discount_pct), rounded down to the whole rupee."),
    _c("line_total", "money", "quantity x unit_price."),
    _c("order_total", "money", "Sum of line_total over the order's paid lines."),
    _c("payment_method", "cat", "Payment method of the order.", labels_from="PAYMENT_METHODS"),
    _c("device", "cat", "Device of the session.", labels_from="DEVICES"),
    _c("timestamp", "ts", "Payment confirmation time; the ledger's sale event time."),
    _c("delivery_date", "date", "Date delivered to the customer (null: not delivered by the "
                                "period's end, cancelled or returned to origin).",
       nullable=True),
    _c("status", "cat", "The line's state at the period's end: processing, shipped, "
                        "delivered, cancelled, returned_to_origin, return_requested or "
                        "returned (order_events holds the history).",
                           values=("processing", "shipped", "delivered", "cancelled",
                                   "returned_to_origin", "return_requested", "returned")),
), ("order_id", "line_number"), (_fk("customer_id", "customers"),
                                 _fk("session_id", "browsing_sessions"),
                                 _fk("product_id", "products"), OFFER_FK), event_table=True,
    ids=(("order_id", "order"), ("session_id", "session")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("timestamp",)))

_table(Table("ratings", "Post-purchase ratings of sale lines, by the buyer, after delivery.", (
    _c("rating_id", "int", "Rating key, increasing with the day of the sale, then the "
                             "customer block, then time."),
    _c("order_id", "int", "Order rated."),
    _c("line_number", "int", "Line rated."),
    _c("customer_id", "int", "The buyer."),
    _c("product_id", "int", "Product rated."),
    _c("merchant_id", "int", "Merchant that sold it."),
    _c("sku", "sku", "SKU rated."),
    _c("rating", "int", "Stars, 1..5."),
    _c("timestamp", "ts", "Time of the rating (after delivery; ratings after the period's "
                            "end are not written)."),
    _c("delivery_days", "int", "Days from sale to delivery."),
), ("rating_id",), (_fk("order_id,line_number", "sales"), _fk("customer_id", "customers"),
                    _fk("product_id", "products"), OFFER_FK), event_table=True,
    ids=(("rating_id", "rating"), ("order_id", "order")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("timestamp",)))

_table(Table("shipments", "One shipment per paid order: courier, promise, attempts, outcome.", (
    _c("order_id", "int", "Order shipped."),
    _c("customer_id", "int", "Buyer."),
    _c("courier", "cat", "Courier (FULFILMENT.couriers).", labels_from="FULFILMENT.couriers"),
    _c("promised_date", "date", "Delivery date promised at checkout."),
    _c("dispatched_at", "ts", "Handed to the courier (null: cancelled, or not yet).",
       nullable=True),
    _c("attempts", "int", "Delivery attempts made by the period's end."),
    _c("delivered_at", "ts", "Delivered (null: not delivered).", nullable=True),
    _c("delivery_days", "int", "Days from the order day to the delivery day.",
       nullable=True),
    _c("outcome", "cat", "At the period's end: in_transit, delivered, returned_to_origin "
                         "(refused or not found after the last attempt) or cancelled.",
                            values=("in_transit", "delivered", "returned_to_origin", "cancelled")),
    _c("cancelled_by", "cat", "customer or seller, for a cancelled order.", nullable=True,
       values=("customer", "seller")),
), ("order_id",), (_fk("order_id", "sales"), _fk("customer_id", "customers")),
    event_table=True,
    ids=(("order_id", "order"),),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("dispatched_at", "delivered_at")))

_table(Table("order_events", "Each order's status history after payment, in time order.", (
    _c("event_id", "int", "Event key; increasing with the order, then time."),
    _c("order_id", "int", "Order."),
    _c("customer_id", "int", "Buyer (the order's customer: parts and joins need no lookup)."),
    _c("line_number", "int", "Line of a line event (returns, refunds); null for the "
                             "order's own events.", nullable=True),
    _c("event_type", "cat", "placed, confirmed, packed, shipped, out_for_delivery, "
                            "delivery_failed, delivered, cancelled, rto_initiated, "
                            "rto_received, return_requested, return_picked_up, "
                            "return_received or refunded.",
                               values=("placed", "confirmed", "packed", "shipped",
                                       "out_for_delivery", "delivery_failed", "delivered",
                                       "cancelled", "rto_initiated", "rto_received",
                                       "return_requested", "return_picked_up", "return_received",
                                       "refunded")),
    _c("timestamp", "ts", "When it happened (events after the period's end are not "
                          "written)."),
), ("event_id",), (_fk("order_id", "sales"), _fk("order_id,line_number", "sales"),
                   _fk("customer_id", "customers")),
    event_table=True,
    ids=(("event_id", "order_event"), ("order_id", "order")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("timestamp",)))

_table(Table("returns", "Returned order lines: reason, pickup, receipt and condition.", (
    _c("return_id", "int", "Return key; increasing with the order, then the line."),
    _c("order_id", "int", "Order."),
    _c("line_number", "int", "Line returned."),
    _c("customer_id", "int", "Buyer."),
    _c("merchant_id", "int", "Seller it goes back to."),
    _c("sku", "sku", "SKU returned."),
    _c("quantity", "int", "Units returned (at most the line's quantity)."),
    _c("reason", "cat", "size_fit, defective, damaged_in_transit, not_as_described, "
                        "wrong_item, changed_mind or late_delivery.",
                           values=("size_fit", "defective", "damaged_in_transit",
                                   "not_as_described", "wrong_item", "changed_mind",
                                   "late_delivery")),
    _c("requested_at", "ts", "Return requested (within the category's return window after "
                             "delivery)."),
    _c("picked_up_at", "ts", "Picked up from the buyer (null: not yet).", nullable=True),
    _c("received_at", "ts", "Received by the seller (null: not yet).", nullable=True),
    _c("condition", "cat", "resellable (back to stock) or damaged (written off); null "
                           "until received.", nullable=True, values=("resellable", "damaged")),
), ("return_id",), (_fk("order_id,line_number", "sales"), _fk("customer_id", "customers"),
                    OFFER_FK), event_table=True,
    ids=(("return_id", "return"), ("order_id", "order")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("requested_at", "picked_up_at", "received_at")))

_table(Table("refunds", "Money back to the buyer, one row per order line refunded.", (
    _c("refund_id", "int", "Refund key; increasing with the order, then the line."),
    _c("order_id", "int", "Order."),
    _c("line_number", "int", "Line refunded."),
    _c("customer_id", "int", "Buyer."),
    _c("return_id", "int", "The return refunded (null for cancellations and RTO).",
       nullable=True),
    _c("reason", "cat", "cancellation, return_to_origin or return.",
       values=("cancellation", "return_to_origin", "return")),
    _c("amount", "money", "line_total for a cancelled or RTO prepaid line; returned units x "
                          "unit_price for a return."),
    _c("method", "cat", "The prepaid order's method; bank_transfer or store_credit for cash "
                        "on delivery (only returns are refunded: nothing was paid before).",
                           labels_from="refund methods"),
    _c("initiated_at", "ts", "At the cancellation, the RTO's receipt or the return's "
                             "pickup."),
    _c("completed_at", "ts", "Money credited (null: not yet).", nullable=True),
), ("refund_id",), (_fk("order_id,line_number", "sales"), _fk("customer_id", "customers"),
                    _fk("return_id", "returns")), event_table=True,
    ids=(("refund_id", "refund"), ("order_id", "order"), ("return_id", "return")),
    part_by=("customer_id", "customer"),
    side="customer",
    period=("initiated_at", "completed_at")))

_table(Table("inventory_events", "Stock ledger, in time order per offer.", (
    _c("event_id", "int", "Ledger row key; increases with time for each offer."),
    _c("merchant_id", "int", "Merchant."),
    _c("sku", "sku", "SKU."),
    _c("offer_id", "int", "Offer."),
    _c("event_type", "cat", "initial_stock, restock, sale, damage, adjustment, release "
                            "(units of an order its buyer cancelled; quantity 0 when its "
                            "seller cancelled it, the units not found), return_restock (units "
                            "back from an RTO or a resellable return) or return_damaged (an "
                            "unsellable "
                            "return, written off: quantity 0).",
                               values=("initial_stock", "restock", "sale", "damage", "adjustment",
                                       "release", "return_restock", "return_damaged")),
    _c("quantity", "int", "Signed change in sellable units (sales and losses negative; 0 "
                          "for return_damaged)."),
    _c("new_balance", "int", "Units on hand after this event; never negative."),
    _c("timestamp", "ts", "Initial stock, restocks, units coming back (release, "
                          "return_restock, return_damaged: at the start of the day after "
                          "the cancellation or the receipt) and positive adjustments at "
                          "00:00:00, "
                          "sales at payment time, losses and negative adjustments at "
                          "23:59:59. Settlement relies on this: every session event falls "
                          "strictly between 00:00:00 and 23:59:59, so stock only falls "
                          "during a day's sessions and a sale's balance is final."),
    _c("reason", "cat", "damage, expiry or theft for damage; count_correction for "
                        "adjustment; supplier_delivery for restock; cancellation (by the "
                        "buyer) or stock_not_found (the seller cancelled: the sale's units "
                        "were not on the shelf) for release; return_to_origin or "
                        "customer_return for return_restock and return_damaged.",
       nullable=True,
                           values=("supplier_delivery", "damage", "expiry", "theft",
                                   "count_correction", "cancellation", "return_to_origin",
                                   "customer_return", "stock_not_found")),
    _c("reference_id", "int", "order_id of a sale, release or return row; for a restock the "
                                 "supplier order "
                                 "(day ordered + 1) x offers + offer_id, or offer_id for a "
                                 "listing's first delivery.",
       nullable=True),
), ("event_id",), (OFFER_FK,), event_table=True,
    ids=(("event_id", "ledger"),),
    part_by=("sku", "product"),
    side="offer",
    period=("timestamp",)))

_table(Table("instock_events", "Stock-status transitions of each offer with their reason.", (
    _c("event_id", "int", "Transition key."),
    _c("merchant_id", "int", "Merchant."),
    _c("sku", "sku", "SKU."),
    _c("offer_id", "int", "Offer."),
    _c("timestamp", "ts", "Time of the ledger event that caused it."),
    _c("status", "cat", "New status: in_stock, low_stock or out_of_stock.",
       values=("in_stock", "low_stock", "out_of_stock")),
    _c("previous_status", "cat", "Status before (null for the listing).", nullable=True,
       values=("in_stock", "low_stock", "out_of_stock")),
    _c("reason", "cat", "listed, sold_out, selling_down, damaged, stock_correction, "
                        "restocked or returned.",
                           values=("listed", "sold_out", "selling_down", "damaged",
                                   "stock_correction", "restocked", "returned")),
    _c("stock_level", "int", "Units on hand after the event."),
), ("event_id",), (OFFER_FK,), event_table=True,
    ids=(("event_id", "instock"),),
    part_by=("sku", "product"),
    side="offer",
    period=("timestamp",)))

_table(Table("customer_segments", "Per-segment behaviour summary from the simulated data.", (
    _c("segment", "cat", "Segment.", labels_from="CUSTOMER_SEGMENTS"),
    _c("customers", "int", "Customers in the segment."),
    _c("customer_share", "float", "Share of all customers."),
    _c("config_weight", "float", "Configured weight."),
    _c("conversion_base", "float", "Configured base conversion."),
    _c("cart_abandonment_rate", "float", "Configured abandonment rate."),
    _c("sessions", "int", "Sessions."),
    _c("views", "int", "Product views."),
    _c("add_to_carts", "int", "add_to_cart events."),
    _c("view_to_cart", "float", "add_to_carts / views."),
    _c("carts", "int", "Sessions with at least one add_to_cart."),
    _c("abandoned_carts", "int", "Carts that never reached a paid order."),
    _c("abandonment_rate", "float", "abandoned_carts / carts."),
    _c("orders", "int", "Paid orders."),
    _c("session_conversion", "float", "Sessions with a paid order / sessions."),
    _c("units", "int", "Units sold."),
    _c("revenue", "money", "Sum of line totals, INR."),
    _c("revenue_share", "float", "Share of all revenue."),
    _c("avg_order_value", "money", "revenue / orders, INR."),
), ("segment",),
    part_by=("segment", "label"),
    side="summary"))

#: Output order of the tables.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
