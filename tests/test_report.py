"""The HTML report: its numbers, its self-containedness, and the page in a real browser."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest

from ecomgen.report import queries as q
from ecomgen.report.html import REPORT_FILE, build_report, write_report
from ecomgen.tabledb import DatasetError, open_dataset
from tests._report_data import write_dataset

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MAX_BYTES = 6 * 1024 * 1024


def _generate_tiny(out: Path) -> Path:
    from ecomgen.config import Config, preset_overrides
    from ecomgen.pipeline import generate

    generate(Config(**preset_overrides("tiny")), out, validate=False, report=False,
             progress=False)
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated tiny-preset dataset (CSV)."""
    return _generate_tiny(tmp_path_factory.mktemp("tiny") / "data")


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small hand-made dataset of tests/_report_data.py (CSV)."""
    return write_dataset(tmp_path_factory.mktemp("handmade"))


def _outside_scripts(doc: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", doc, flags=re.S | re.I)


def _check_document(doc: str) -> None:
    assert len(doc.encode()) < MAX_BYTES
    assert 'data-error="1"' not in doc, "a section failed to compute"
    outside = _outside_scripts(doc)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", outside, re.I)
    assert "<link" not in outside.lower()
    # plotly.js inlined exactly once; no script loaded by URL
    assert doc.count("* plotly.js v") == 1
    assert len(re.findall(r"<script\b[^>]*\bsrc=", doc, re.I)) == 0
    specs = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', doc, re.S)
    assert specs and not any(re.search(r"https?://", sp) for sp in specs)
    charts = len(re.findall(r'<div class="chart" id="chart\d+">', doc))
    m = re.search(r'data-charts="(\d+)"', doc)
    assert m and int(m.group(1)) == charts and charts >= 10


def test_report_written_beside_data(tiny: Path) -> None:
    out = write_report(tiny)
    assert out == tiny / REPORT_FILE and out.is_file()
    doc = out.read_text(encoding="utf-8")
    _check_document(doc)
    for anchor in ("run", "funnel", "daily", "categories", "prices", "ratings", "inventory",
                   "after-order", "profile", "validation", "dictionary"):
        assert f'<section id="{anchor}">' in doc
    assert "Return to origin by payment and city tier" in doc
    assert "Validation was not run" in doc
    assert not list(tiny.glob(".report.html.*"))


def test_report_numbers_match_tables(tiny: Path) -> None:
    con = open_dataset(tiny)
    q.prepare(con)
    f = q.funnel(con)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert f.overall["views"] == one("SELECT count(*) FROM views")
    assert f.overall["sessions"] == one("SELECT count(*) FROM browsing_sessions")
    assert f.overall["add_to_cart"] == one(
        "SELECT count(*) FROM cart_events WHERE event_type = 'add_to_cart'")
    assert f.overall["checkout"] == one(
        "SELECT count(*) FROM cart_events WHERE event_type = 'checkout'")
    assert f.overall["sales"] == one("SELECT count(*) FROM sales")
    assert f.overall["orders"] == one("SELECT count(DISTINCT order_id) FROM sales")
    for part in (f.by_segment, f.by_device):
        for key in ("views", "sessions", "add_to_cart", "sales"):
            assert sum(g[key] for g in part.values()) == f.overall[key]
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 30)
    days = q.daily(con, start, end)
    assert len(days) == 30 and days[0]["day"] == start and days[-1]["day"] == end
    assert sum(d["orders"] for d in days) == f.overall["orders"]
    assert sum(float(d["revenue"]) for d in days) == pytest.approx(f.overall["revenue"])
    cats = q.categories(con)
    assert sum(float(c["revenue"]) for c in cats) == pytest.approx(f.overall["revenue"])
    stars = q.ratings(con)
    assert [s["rating"] for s in stars] == [1, 2, 3, 4, 5]
    assert sum(s["n"] for s in stars) == one("SELECT count(*) FROM ratings")
    hist = q.price_histograms(con)
    assert sum(b["n"] for b in hist["list_price"]) == one("SELECT count(*) FROM products")
    assert sum(b["n"] for b in hist["order_value"]) == f.overall["orders"]
    top = q.top_offers(con)
    units = [t["units"] for t in top]
    assert units == sorted(units, reverse=True) and len(top) == min(5, len(top))
    series = q.stock_series(con, top)
    for t in top:
        pts = series[(t["merchant_id"], t["sku"])]
        assert pts and pts[0]["event_type"] == "initial_stock"
        assert all(p["balance"] >= 0 for p in pts)
    after = q.after_order(con)
    assert sum(r["n"] for r in after["outcomes"]) == f.overall["orders"]
    assert sum(r["n"] for r in after["rto"]) == f.overall["orders"]
    assert sum(float(r["returned"]) for r in after["returns"]) == one(
        "SELECT coalesce(sum(quantity), 0) FROM returns")
    assert sum(d["n"] for d in after["days"]) == one(
        "SELECT count(*) FROM shipments WHERE delivered_at IS NOT NULL")
    assert sum(r["n"] for r in after["refunds"]) == one("SELECT count(*) FROM refunds")
    con.close()


def _ledger_con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE offers AS SELECT * FROM (VALUES (1, 'brand_store'), (2, 'wholesaler'))
            t(offer_id, merchant_type);
        CREATE TABLE inventory_events AS SELECT * FROM (VALUES
            (1, 1, TIMESTAMP '2024-01-01 00:00:00', 'initial_stock', 2, 2, 10, 'SKU-1'),
            (2, 1, TIMESTAMP '2024-01-03 10:00:00', 'sale', -1, 1, 10, 'SKU-1'),
            (3, 1, TIMESTAMP '2024-01-03 12:00:00', 'sale', -1, 0, 10, 'SKU-1'),
            (4, 1, TIMESTAMP '2024-01-06 00:00:00', 'restock', 5, 5, 10, 'SKU-1'),
            (5, 1, TIMESTAMP '2024-01-10 09:00:00', 'sale', -5, 0, 10, 'SKU-1'),
            (6, 2, TIMESTAMP '2024-01-01 00:00:00', 'initial_stock', 4, 4, 20, 'SKU-2'),
            (7, 2, TIMESTAMP '2024-01-02 00:00:00', 'restock', 4, 8, 20, 'SKU-2'))
            t(event_id, offer_id, timestamp, event_type, quantity, new_balance, merchant_id,
              sku);
    """)
    return con


def test_oos_offer_days_on_a_known_ledger() -> None:
    con = _ledger_con()
    res = {r["merchant_type"]: r for r in
           q.oos_by_merchant_type(con, dt.date(2024, 1, 1), dt.date(2024, 1, 10))}
    # offer 1 ends days 3, 4, 5 and 10 at zero; offer 2 never
    assert res["brand_store"] == {"merchant_type": "brand_store", "offers": 1,
                                  "offer_days": 10, "oos_days": 4}
    assert res["wholesaler"]["oos_days"] == 0 and res["wholesaler"]["offer_days"] == 10


def test_stock_series_compresses_long_ledgers(monkeypatch: pytest.MonkeyPatch) -> None:
    con = _ledger_con()
    top = [{"merchant_id": 10, "sku": "SKU-1", "units": 7}]
    full = q.stock_series(con, top)[(10, "SKU-1")]
    assert [p["balance"] for p in full] == [2, 1, 0, 5, 0]
    monkeypatch.setattr(q, "MAX_LEDGER_POINTS", 2)
    daily = q.stock_series(con, top)[(10, "SKU-1")]
    # two points a day (first and last balance), restock day flagged
    assert [p["balance"] for p in daily] == [2, 2, 1, 0, 5, 5, 0, 0]
    assert [p["event_type"] for p in daily].count("restock") == 1


def test_log_histogram_bins() -> None:
    con = duckdb.connect()
    got = q._log_hist(con, "SELECT x FROM (VALUES (100.0), (120.0), (1000.0), (NULL)) t(x)")
    assert got == [{"bin": 20, "n": 2}, {"bin": 30, "n": 1}]


def test_parquet_dataset_and_validation_failures_first(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "pq", fmt="parquet")
    report = {"passed": False, "results": [
        {"name": "pk_unique", "category": "structural", "severity": "error",
         "description": "keys unique", "status": "passed", "failing_rows": 0},
        {"name": "stock_never_negative", "category": "business", "severity": "error",
         "description": "no negative stock", "status": "failed", "failing_rows": 3,
         "columns": ["offer_id", "balance"], "sample": [[1, -2]]}]}
    (data / "validation_report.json").write_text(json.dumps(report))
    doc, times = build_report(data)
    _check_document(doc)
    assert doc.index("stock_never_negative") < doc.index("pk_unique")
    assert "sample of failing rows" in doc
    assert times["total"] > 0


def test_generate_with_validation_shows_its_report(tmp_path: Path) -> None:
    from ecomgen.config import Config, preset_overrides
    from ecomgen.pipeline import generate

    res = generate(Config(**preset_overrides("tiny")), tmp_path / "v", validate=True,
                   report=True, progress=False)
    assert res.report_path == tmp_path / "v" / REPORT_FILE
    doc = res.report_path.read_text(encoding="utf-8")
    _check_document(doc)
    data = json.loads((tmp_path / "v" / "validation_report.json").read_text())
    statuses = {r["name"]: r["status"] for r in data["results"]}
    order = sorted(statuses, key=lambda n: doc.index(f"<code>{n}</code>"))
    bad = [n for n in order if statuses[n] in ("failed", "error")]
    assert order[: len(bad)] == bad  # failures first
    assert f"{len(statuses):,} checks" in doc


def test_missing_dataset_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="ecomgen generate"):
        write_report(tmp_path / "nothing-here")
    assert not (tmp_path / "nothing-here").exists()


@pytest.mark.browser
def test_report_renders_offline_in_chromium(tiny: Path) -> None:
    from tests._browser import inspect_page

    page = write_report(tiny)
    shot = ARTIFACTS / "report.png"
    res = inspect_page(page, screenshot=shot)
    severe = [e for e in res["console"] if e.get("level") == "SEVERE"]
    assert not severe, severe
    assert res["resources"] == []
    # chrome:// and about: pages are the browser's own, never the network
    local = ("data:", "blob:", "chrome:", "about:")
    others = [u for u in res["requests"] if u != res["url"] and not u.startswith(local)]
    assert not others, others
    assert res["expected_charts"] >= 10
    assert res["chart_divs"] == res["expected_charts"]
    assert res["rendered_charts"] == res["expected_charts"]
    assert res["sections"][:3] == ["run", "funnel", "daily"]
    assert shot.stat().st_size > 50_000
