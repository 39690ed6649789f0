"""Realism figures: definitions on hand-made tables, bands, JSON form, shared with checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from ecomgen.config import Config, preset_overrides
from ecomgen.profile.bands import BANDS, Band
from ecomgen.profile.figures import FIGURES, compute_figures, peak_windows, profile_dir


def test_every_band_has_a_figure() -> None:
    assert [b.number for b in BANDS] == list(range(1, 33))
    assert {b.key for b in BANDS} == set(FIGURES)


def test_band_contains() -> None:
    b = Band(0, "x", "x", 2, 4, "%", "")
    assert b.contains(2) and b.contains(4) and not b.contains(4.01) and not b.contains(None)
    assert Band(0, "y", "y", 3, None, "×", "").contains(1e9)


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE browsing_sessions AS SELECT * FROM (VALUES (1, 'mobile', 4), "
                "(2, 'mobile', 2), (3, 'desktop', 3), (4, 'desktop', 1)) "
                "t(session_id, device, views)")
    con.execute("CREATE TABLE cart_events AS SELECT * FROM (VALUES (1, 'add_to_cart'), "
                "(2, 'add_to_cart'), (3, 'add_to_cart'), (3, 'remove_from_cart')) "
                "t(session_id, event_type)")
    con.execute("CREATE TABLE sales AS SELECT * FROM (VALUES (10, 1, 3, 'Electronics', 2, "
                "100.0::DECIMAL(18,2), 'cash_on_delivery', TIMESTAMP '2024-01-01 10:00:00')) "
                "t(order_id, line_number, session_id, category, quantity, line_total, "
                "payment_method, timestamp)")
    con.execute("CREATE TABLE offers AS SELECT 1 AS offer_id UNION ALL SELECT 2")
    con.execute("CREATE TABLE inventory_events AS SELECT * FROM (VALUES "
                "(1, 1, 'S1', 3, TIMESTAMP '2024-01-01 00:00:00'), "
                "(2, 1, 'S1', 0, TIMESTAMP '2024-01-02 10:00:00'), "
                "(3, 1, 'S1', 5, TIMESTAMP '2024-01-04 00:00:00'), "
                "(4, 2, 'S2', 0, TIMESTAMP '2024-01-01 00:00:00')) "
                "t(event_id, merchant_id, sku, new_balance, timestamp)")
    return con


def test_funnel_definitions_on_hand_made_tables() -> None:
    cfg = Config(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 5))
    figs = {f.band.key: f for f in compute_figures(_con(), cfg, [
        "cart_abandonment", "abandonment_mobile_minus_desktop", "session_conversion",
        "sessions_with_add_to_cart", "views_per_session", "view_to_add_to_cart",
        "remove_per_add", "single_item_orders", "oos_offer_days", "cod_share"])}
    assert figs["cart_abandonment"].value == pytest.approx(200 / 3)  # 3 carts, session 3 paid
    assert figs["abandonment_mobile_minus_desktop"].value == pytest.approx(100.0)
    assert figs["session_conversion"].value == pytest.approx(25.0)
    assert figs["sessions_with_add_to_cart"].value == pytest.approx(75.0)
    assert figs["views_per_session"].value == pytest.approx(2.5)
    assert figs["view_to_add_to_cart"].value == pytest.approx(30.0)
    assert figs["remove_per_add"].value == pytest.approx(100 / 3)
    assert figs["single_item_orders"].value == pytest.approx(0.0)
    # offer 1 at zero on Jan 2 and 3 (restocked Jan 4); offer 2 at zero all 5 days.
    assert figs["oos_offer_days"].value == pytest.approx(100 * 7 / 10)
    assert figs["cod_share"].value == pytest.approx(100.0)


def test_peak_windows_clip_to_period() -> None:
    """2024: Big Billion Days 09-27..10-06, the Diwali window 10-21..10-30 (Diwali 10-31)."""
    cfg = Config(start=dt.date(2024, 10, 5), end=dt.date(2024, 10, 25))
    assert sorted(peak_windows(cfg)) == [(dt.date(2024, 10, 5), dt.date(2024, 10, 6)),
                                         (dt.date(2024, 10, 21), dt.date(2024, 10, 25))]
    assert peak_windows(Config(**preset_overrides("tiny"))) == []


def test_profile_dir_json_and_statistical_checks_agree(tmp_path: Path) -> None:
    from ecomgen.checks.runner import validate_dir
    from ecomgen.pipeline import generate

    d = tmp_path / "data"
    generate(Config(**preset_overrides("tiny")), d, fmt="csv", validate=False, report=False,
             progress=False)
    prof = profile_dir(d)
    data = json.loads(json.dumps(prof.to_dict()))
    assert len(data["figures"]) == len(BANDS)
    rep = validate_dir(d, write=False)
    for f in prof.figures:
        r = rep.result(f"realism_{f.band.number:02d}_{f.band.key}")
        assert r.passed == f.ok, f.band.key
    assert prof.figure("peak_day_ratio").applicable is False
    # Only #21 and #28 read views (the largest table; one column each): unparseable views
    # change no other figure.
    (d / "views.csv").write_text("view_id,timestamp\nnot-a-number,not-a-time\n")
    others = lambda p: [f for f in p.to_dict()["figures"]  # noqa: E731
                        if f["key"] not in ("low_stock_views", "artefacts")]
    assert others(profile_dir(d)) == others(prof)
