"""Referential checks: every foreign key of schema.py resolves, plus cross-key consistency."""

from __future__ import annotations

from collections.abc import Callable

from ecomgen.checks.registry import Check, Context, check, register
from ecomgen.schema import TABLES, ForeignKey


def _fk_name(table: str, fk: ForeignKey) -> str:
    return f"fk_{table}_{'_'.join(fk.columns)}"


def _fk_query(table: str, fk: ForeignKey) -> Callable[[Context], str]:
    cols = ", ".join(f"c.{c}" for c in fk.columns)
    on = " AND ".join(f"c.{a} = r.{b}" for a, b in zip(fk.columns, fk.ref_columns, strict=True))
    notnull = " AND ".join(f"c.{c} IS NOT NULL" for c in fk.columns)
    return lambda ctx: (f"SELECT {cols}, count(*) AS rows FROM {table} c "
                        f"ANTI JOIN {fk.table} r ON {on} WHERE {notnull} GROUP BY ALL")


#: Names of the generated foreign-key checks (one per ForeignKey of schema.py).
FK_CHECKS: list[str] = []
for _t in TABLES.values():
    for _fk in _t.foreign_keys:
        _n = _fk_name(_t.name, _fk)
        FK_CHECKS.append(_n)
        register(Check(_n, "referential", "error",
                       f"{_t.name}.({', '.join(_fk.columns)}) resolves to "
                       f"{_fk.table}.({', '.join(_fk.ref_columns)}).",
                       query=_fk_query(_t.name, _fk)))


@check("offer_id_inventory_events", "referential",
       "inventory_events.offer_id names the offer of its (merchant_id, sku).")
def _offer_id_ledger(ctx: Context) -> str:
    return ("SELECT e.event_id, e.offer_id, e.merchant_id, e.sku FROM inventory_events e "
            "ANTI JOIN offers o ON e.offer_id = o.offer_id AND e.merchant_id = o.merchant_id "
            "AND e.sku = o.sku")


@check("offer_id_offer_prices", "referential",
       "offer_prices.offer_id names the offer of its (merchant_id, sku).")
def _offer_id_prices(ctx: Context) -> str:
    return ("SELECT e.price_id, e.offer_id, e.merchant_id, e.sku FROM offer_prices e "
            "ANTI JOIN offers o ON e.offer_id = o.offer_id AND e.merchant_id = o.merchant_id "
            "AND e.sku = o.sku")


@check("offer_id_instock_events", "referential",
       "instock_events.offer_id names the offer of its (merchant_id, sku).")
def _offer_id_instock(ctx: Context) -> str:
    return ("SELECT e.event_id, e.offer_id, e.merchant_id, e.sku FROM instock_events e "
            "ANTI JOIN offers o ON e.offer_id = o.offer_id AND e.merchant_id = o.merchant_id "
            "AND e.sku = o.sku")


@check("session_order", "referential",
       "browsing_sessions.order_id, when set, is a paid order of that session.")
def _session_order(ctx: Context) -> str:
    return ("SELECT b.session_id, b.order_id FROM browsing_sessions b "
            "ANTI JOIN (SELECT DISTINCT order_id, session_id FROM sales) s "
            "ON b.order_id = s.order_id AND b.session_id = s.session_id "
            "WHERE b.order_id IS NOT NULL")


@check("ledger_sale_reference", "referential",
       "Every ledger sale row references a sales order line of the same offer.")
def _ledger_sale_ref(ctx: Context) -> str:
    return ("SELECT e.event_id, e.reference_id, e.merchant_id, e.sku FROM inventory_events e "
            "ANTI JOIN sales s ON e.reference_id = s.order_id AND e.merchant_id = s.merchant_id "
            "AND e.sku = s.sku WHERE e.event_type = 'sale'")


@check("offer_product_sku", "referential",
       "offers.product_id and offers.sku name the same product.")
def _offer_product(ctx: Context) -> str:
    return ("SELECT o.offer_id, o.product_id, o.sku FROM offers o "
            "ANTI JOIN products p ON o.product_id = p.product_id AND o.sku = p.sku")
