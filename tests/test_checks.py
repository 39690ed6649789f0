"""The check registry, runner, metrics and report on clean generated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecomgen.checks.registry import CATEGORIES, REGISTRY, all_checks
from ecomgen.checks.runner import REPORT_FILE, SCORE_WEIGHTS, quality_metrics, validate_dir
from ecomgen.checks.summary import CATALOGUE_END, CATALOGUE_START, catalogue_markdown, render
from ecomgen.config import Config, preset_overrides
from ecomgen.schema import TABLES
from ecomgen.tabledb import DatasetError, open_dataset

DOCS = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def _generate(out: Path, seed: int = 42, fmt: str = "csv", preset: str = "tiny") -> Path:
    from ecomgen.pipeline import generate

    generate(Config(seed=seed, **preset_overrides(preset)), out, fmt=fmt, validate=False,
             report=False, progress=False)
    return out


def test_registry_has_at_least_fifty_checks_in_every_category() -> None:
    checks = all_checks()
    assert len(checks) >= 50
    assert {c.category for c in checks} == set(CATEGORIES)
    assert all(c.description and c.severity in ("error", "warning") for c in checks)
    assert all(c.severity == "warning" for c in checks if c.category == "statistical")


def test_one_check_per_primary_and_foreign_key() -> None:
    for name, t in TABLES.items():
        assert f"pk_{name}" in REGISTRY
        for fk in t.foreign_keys:
            assert f"fk_{name}_{'_'.join(fk.columns)}" in REGISTRY


def test_docs_list_every_check() -> None:
    text = DOCS.read_text()
    block = text[text.index(CATALOGUE_START):text.index(CATALOGUE_END) + len(CATALOGUE_END)]
    assert block == catalogue_markdown(), "docs/validation.md is stale: regenerate the list"


@pytest.mark.parametrize("seed", [1, 42, 2024])
def test_clean_tiny_dataset_passes_every_error_check(tmp_path: Path, seed: int) -> None:
    d = _generate(tmp_path / "data", seed)
    rep = validate_dir(d)
    bad = [(r.name, r.status, r.failing_rows, r.message, r.sample[:2]) for r in rep.results
           if r.severity == "error" and not r.passed]
    assert not bad
    assert rep.passed
    data = json.loads((d / REPORT_FILE).read_text())
    assert data["passed"] is True and data["checks"] == len(all_checks())
    assert data["metrics"]["completeness_pct"] == 100.0
    assert data["metrics"]["referential_integrity_pct"] == 100.0


@pytest.mark.parametrize("fmt", ["parquet", "duckdb"])
def test_other_formats_load_and_pass(tmp_path: Path, fmt: str) -> None:
    d = _generate(tmp_path / "data", fmt=fmt)
    rep = validate_dir(d)
    bad = [(r.name, r.message, r.sample[:1]) for r in rep.results
           if r.severity == "error" and not r.passed]
    assert not bad


def test_views_match_materialized_counts(tmp_path: Path) -> None:
    d = _generate(tmp_path / "data")
    con = open_dataset(d)
    n = con.execute("SELECT count(*) FROM views").fetchone()
    assert n is not None and n[0] > 0
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'sales'").fetchall())
    assert types["unit_price"] == "DECIMAL(18,2)" and types["timestamp"] == "TIMESTAMP"


def test_broken_check_is_reported_not_raised(tmp_path: Path) -> None:
    d = _generate(tmp_path / "data")
    (d / "ratings.csv").unlink()
    rep = validate_dir(d, write=False)
    assert not rep.passed
    assert rep.result("columns_ratings").status == "failed"


def test_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetError):
        validate_dir(tmp_path)


def test_quality_score_formula() -> None:
    from ecomgen.checks.runner import CheckResult

    rs = [CheckResult("a", "business", "error", "", "failed"),
          CheckResult("b", "business", "error", "", "passed")]
    m = quality_metrics(rs, 90.0)
    assert m["business_compliance_pct"] == 50.0
    expected = sum(SCORE_WEIGHTS[k] * m[k] for k in SCORE_WEIGHTS)
    assert m["overall_quality_score"] == pytest.approx(expected, abs=1e-3)
    assert sum(SCORE_WEIGHTS.values()) == pytest.approx(1.0)


def test_summary_renders_failures_first(tmp_path: Path) -> None:
    from rich.console import Console

    d = _generate(tmp_path / "data")
    (d / "ratings.csv").unlink()
    rep = validate_dir(d, write=False)
    con = Console(record=True, width=200)
    render(rep, con)
    out = con.export_text()
    assert out.index("columns_ratings") < out.index("structural")
    assert "overall quality score" in out


def test_clean_preset_s_passes(tmp_path: Path) -> None:
    d = _generate(tmp_path / "data", preset="S")
    rep = validate_dir(d)
    assert rep.passed, [r.name for r in rep.failures if r.severity == "error"]


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 1 << 20])
@pytest.mark.parametrize(("rows", "strict", "expected"), [
    ([(1, 1), (1, 2), (2, 1)], True, True),      # lexicographic increase
    ([(1, 1), (1, 1), (2, 1)], True, False),     # duplicate key
    ([(1, 1), (1, 1), (2, 1)], False, True),     # ties allowed when not strict
    ([(2, 1), (1, 5)], True, False),             # out of order
    ([(1, None), (2, 1)], True, False),          # a null proves nothing
    ([(1, 1), (1, 2), (2, 1), (2, 0)], True, False),  # out of order in the last pair
    ([(1, 1), (2, 1), (3, 1), (4, None)], True, False),  # a null in the last row
])
def test_file_order_increasing(rows: list[tuple[int, int | None]], strict: bool,
                               expected: bool, batch_rows: int) -> None:
    """The order is checked across batch boundaries too (the columns are streamed)."""
    import duckdb

    from ecomgen.checks.registry import Context, file_order_increasing
    from ecomgen.tabledb import DatasetInfo

    con = duckdb.connect()
    con.execute("CREATE TABLE t (a BIGINT, b BIGINT)")
    con.executemany("INSERT INTO t VALUES (?, ?)", rows)
    ctx = Context(con=con, cfg=Config(), info=DatasetInfo(path=Path(".")))
    assert file_order_increasing(ctx, "t", ("a", "b"), strict=strict,
                                 batch_rows=batch_rows) is expected


def test_file_order_increasing_dates_and_timestamps() -> None:
    """Dates and timestamps compare as their instants, across batches."""
    import duckdb

    from ecomgen.checks.registry import Context, file_order_increasing
    from ecomgen.tabledb import DatasetInfo

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT DATE '2024-01-01' + i::INT AS d, "
                "TIMESTAMP '2024-01-01' + to_seconds(i) AS ts FROM range(10) r(i)")
    ctx = Context(con=con, cfg=Config(), info=DatasetInfo(path=Path(".")))
    assert file_order_increasing(ctx, "t", ("d", "ts"), batch_rows=3)
    con.execute("INSERT INTO t VALUES (DATE '2024-01-10', TIMESTAMP '2024-01-01 00:00:08')")
    assert not file_order_increasing(ctx, "t", ("d", "ts"), batch_rows=3)
    assert file_order_increasing(ctx, "t", ("d",), strict=False, batch_rows=4)


def test_manifest_config_that_no_longer_validates_keeps_its_valid_parts(tmp_path: Path) -> None:
    import json

    from ecomgen.tabledb import load_config

    manifest = {"config": {**Config().model_dump(mode="json"), "start": "2030-03-01",
                           "end": "2030-03-31", "seed": 9, "currency": ""}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    cfg = load_config(tmp_path)
    assert (cfg.start.isoformat(), cfg.end.isoformat(), cfg.seed) == \
        ("2030-03-01", "2030-03-31", 9)
    assert cfg.currency == "INR"  # the part that no longer validates takes the default


def test_offer_key_is_unique_at_the_largest_catalogue() -> None:
    """Merchant and product ids pack into one key without aliasing, even above 10⁸ products
    (a fixed ``m * 10⁸ + p`` gave merchant 1's product 100,000,005 the key of merchant 2's
    product 5)."""
    import duckdb

    from ecomgen.checks.business import offer_key
    from ecomgen.checks.registry import Context
    from ecomgen.tabledb import DatasetInfo

    cfg = Config(num_products=500_000_000, num_merchants=10_000_000)
    ctx = Context(con=duckdb.connect(), cfg=cfg, info=DatasetInfo(path=Path(".")))
    pairs = [(1, 100_000_005), (2, 5), (10_000_000, 500_000_000), (9_999_999, 500_000_000)]
    keys = [ctx.con.sql(f"SELECT {offer_key(str(m), str(p), ctx)}").fetchall()[0][0]
            for m, p in pairs]
    assert len(set(keys)) == len(pairs)
