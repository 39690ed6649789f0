"""The data contract's categorical labels are the ones the code's codes stand for."""

from __future__ import annotations

from typing import get_args

from ecomgen.config import Config, ReturnReason, preset_overrides
from ecomgen.kernels import offers as k
from ecomgen.schema import TABLES, labels_of
from ecomgen.simulation import carts, fulfilment, pricing


def _values(table: str, column: str) -> tuple[str, ...]:
    return TABLES[table].column(column).values


def test_code_constants_name_their_labels() -> None:
    """Each code the kernels and the array code write indexes the label of its name."""
    ledger = _values("inventory_events", "event_type")
    assert [ledger[c] for c in (k.INITIAL, k.RESTOCK, k.SALE, k.DAMAGE, k.ADJUST, k.RELEASE,
                                k.RETURN_RESTOCK, k.RETURN_DAMAGED)] == [
        "initial_stock", "restock", "sale", "damage", "adjustment", "release",
        "return_restock", "return_damaged"]
    reasons = _values("inventory_events", "reason")
    assert [reasons[c] for c in (k.R_SUPPLY, k.R_DAMAGE, k.R_EXPIRY, k.R_THEFT, k.R_COUNT,
                                 k.R_CANCEL, k.R_RTO, k.R_RETURN)] == [
        "supplier_delivery", "damage", "expiry", "theft", "count_correction", "cancellation",
        "return_to_origin", "customer_return"]
    events = _values("cart_events", "event_type")
    assert [events[c] for c in (carts.ADD, carts.REMOVE, carts.CHECKOUT, carts.FAILED,
                                carts.ABANDON)] == [
        "add_to_cart", "remove_from_cart", "checkout", "checkout_failed", "cart_abandoned"]
    order = _values("order_events", "event_type")
    assert (order[fulfilment.PLACED], order[fulfilment.DELIVERED],
            order[fulfilment.REFUNDED]) == ("placed", "delivered", "refunded")
    status = _values("sales", "status")
    assert (status[fulfilment.S_PROC], status[fulfilment.S_RTO],
            status[fulfilment.S_RET]) == ("processing", "returned_to_origin", "returned")
    price = _values("offer_prices", "reason")
    assert (price[pricing.LIST], price[pricing.SALE]) == ("list", "sale")


def test_return_reasons_match_the_configurable_ones() -> None:
    """returns.reason holds the reasons the configuration weighs."""
    assert _values("returns", "reason") == get_args(ReturnReason)


def test_every_checked_categorical_column_has_labels() -> None:
    """Configured labels resolve at the default config (open vocabularies excepted)."""
    cfg = Config(seed=1, **preset_overrides("tiny"))
    open_vocabulary = {("customers", "city"), ("customers", "state"), ("merchants", "city"),
                       ("merchants", "state"), ("products", "subcategory"),
                       ("products", "brand"), ("product_descriptions", "attribute")}
    for table in TABLES.values():
        for col in table.columns:
            if col.kind == "cat" and (table.name, col.name) not in open_vocabulary:
                labels = labels_of(col, cfg)
                assert labels and len(set(labels)) == len(labels), (table.name, col.name)
    assert labels_of(TABLES["refunds"].column("method"), cfg)[-2:] == (
        "bank_transfer", "store_credit")
