"""The specification's "Analysis Examples" run unchanged against generated output."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from ecomgen.config import Config, preset_overrides
from ecomgen.pipeline import generate

LOAD_GENERATED_DATA = '''
import pandas as pd

# Load datasets
customers = pd.read_csv('ecommerce_data/customers.csv')
sales = pd.read_csv('ecommerce_data/sales.csv')
cart_events = pd.read_csv('ecommerce_data/cart_events.csv')

# Customer segment analysis
segment_performance = customers.groupby('segment').agg({
    'customer_id': 'count',
    'conversion_base': 'mean',
    'cart_abandonment_rate': 'mean'
})

# Conversion funnel analysis
total_views = len(pd.read_csv('ecommerce_data/views.csv'))
total_carts = cart_events[cart_events['event_type'] == 'add_to_cart'].shape[0]
total_sales = len(sales)

print(f"View to Cart: {total_carts/total_views:.2%}")
print(f"Cart to Sale: {total_sales/total_carts:.2%}")
'''

INVENTORY_ANALYSIS = '''
inventory_events = pd.read_csv('ecommerce_data/inventory_events.csv')

# Stock movement analysis
stock_summary = inventory_events.groupby(['merchant_id', 'sku']).agg({
    'quantity': 'sum',
    'event_type': lambda x: x.value_counts().to_dict()
})

# Low stock alerts
current_inventory = inventory_events.groupby(['merchant_id', 'sku'])['new_balance'].last()
low_stock = current_inventory[current_inventory < 10]
'''


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding ./ecommerce_data generated at the tiny preset."""
    root = tmp_path_factory.mktemp("spec")
    cfg = Config(seed=3, **preset_overrides("tiny"))
    generate(cfg, root / "ecommerce_data", validate=False, report=False, progress=False)
    return root


def test_analysis_examples_run_unchanged(workdir: Path, capsys: pytest.CaptureFixture) -> None:
    """Both code blocks run as written; the final stock they compute equals offers'."""
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        ns: dict[str, object] = {}
        exec(LOAD_GENERATED_DATA, ns)  # noqa: S102 - the specification's code, verbatim
        exec(INVENTORY_ANALYSIS, ns)  # noqa: S102
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "View to Cart: " in out and "Cart to Sale: " in out
    seg = ns["segment_performance"]
    assert isinstance(seg, pd.DataFrame)
    assert set(seg.index) == {"price_sensitive", "premium", "mainstream", "impulse"}
    assert int(seg["customer_id"].sum()) == 200
    offers = pd.read_csv(workdir / "ecommerce_data" / "offers.csv")
    final = ns["current_inventory"]
    stock = offers.set_index(["merchant_id", "sku"])["current_stock"]
    assert len(final) == len(stock)
    assert (final.sort_index() == stock.sort_index()).all()
    summary = ns["stock_summary"]
    assert (summary["quantity"].sort_index() == stock.sort_index()).all()
