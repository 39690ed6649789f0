"""``--parts P``: every table as P part files, the same rows as one file per table.

Customer blocks are made tiny (8 customers) so that the tiny preset's 200 customers span
25 blocks and the parts really divide the customers' tables.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ecomgen.cli import main
from ecomgen.config import Config, preset_overrides
from ecomgen.layout import part_name, table_of_file
from ecomgen.pipeline import generate
from ecomgen.schema import TABLES
from ecomgen.simulation import blocks, engine
from ecomgen.verify import verify_dir


@pytest.fixture(autouse=True)
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "CUSTOMER_BLOCK_BITS", 3)
    monkeypatch.setattr(blocks, "CUSTOMER_BLOCK", 8)


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, parts: int,
         layout: tuple[int, int] = (1, 1), fmt: str = "csv",
         validate: bool = False) -> dict[str, Any]:
    import ecomgen.pipeline as pipeline

    sim = functools.partial(engine.simulate, layout=layout)
    monkeypatch.setattr(pipeline, "_simulate_fn", lambda: sim)
    out = tmp_path / name
    result = generate(Config(seed=3, **preset_overrides("tiny")), out, fmt=fmt, parts=parts,
                      validate=validate, report=False, progress=False)
    assert result.passed
    return json.loads((out / "manifest.json").read_text())


def _digests(manifest: dict[str, Any]) -> dict[str, str]:
    return {t: v["content_digest"] for t, v in manifest["tables"].items()}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_parts_hold_the_same_rows_as_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              fmt: str) -> None:
    one = _run(tmp_path, monkeypatch, "one", 0, fmt=fmt)
    p1 = _run(tmp_path, monkeypatch, "p1", 1, fmt=fmt)
    p4 = _run(tmp_path, monkeypatch, "p4", 4, fmt=fmt, validate=True)
    assert _digests(one) == _digests(p1) == _digests(p4)
    assert p4["layout"] == {"parts": 4} and one["layout"] == {"parts": 0}
    suffix = f".{fmt}"
    for table in TABLES:
        names = sorted(k for k in p4["files"] if table_of_file(k) == table)
        assert names == [f"{table}/{part_name(k, suffix)}" for k in range(4)]
    views = [p4["files"][f"views/{part_name(k, suffix)}"]["bytes"] for k in range(4)]
    assert min(views) > 1_000, "every part holds some customers' views"
    assert verify_dir(tmp_path / "p4").passed


def test_same_parts_same_bytes_for_any_split_of_the_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _run(tmp_path, monkeypatch, "a", 3)
    b = _run(tmp_path, monkeypatch, "b", 3, layout=(7, 5))
    assert a["files"] == b["files"]


def test_commands_read_the_parts_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _run(tmp_path, monkeypatch, "p", 2)
    out = tmp_path / "p"
    assert main(["validate", str(out)]) == 0
    assert main(["profile", str(out), "--json"]) == 0
    assert main(["report", str(out)]) == 0 and (out / "report.html").is_file()
    assert main(["verify", str(out)]) == 0
    capsys.readouterr()
    (out / "sales" / part_name(1, ".csv")).write_text("order_id\n")
    assert main(["verify", str(out)]) == 1
    assert f"sales/{part_name(1, '.csv')}: file checksum differs" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--parts", "2", "--format", "duckdb"], "--parts writes CSV or Parquet part files"),
    (["--parts", "-1"], "--parts must be between 1 and"),
])
def test_bad_parts_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                args: list[str], message: str) -> None:
    assert main(["generate", "--preset", "tiny", "--outdir", str(tmp_path / "x"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x").exists()


def test_every_part_of_every_table_holds_rows(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table is cut by its own key (Table.part_by): at the tiny preset cut in 4, each
    row sits in the part its key names, and no part is empty of a table with rows enough to
    fill every part (ten per part; the tiny run has a handful of ratings, returns and refunds;
    its 5 merchants and 4 segments fill the parts too)."""
    from ecomgen.layout import Parts

    _run(tmp_path, monkeypatch, "p4", 4)
    cfg = Config(seed=3, **preset_overrides("tiny"))
    parts = Parts(4, cfg.num_customers, cfg.num_products, blocks.CUSTOMER_BLOCK_BITS,
                  cfg.num_merchants)
    filled = 0
    for name, table in TABLES.items():
        column, kind = table.part_by
        assert column in table.column_names, name
        rows = []
        for k in range(4):
            df = pl.read_csv(tmp_path / "p4" / name / part_name(k, ".csv"),
                             infer_schema_length=0)
            rows.append(df.height)
            if df.height and kind != "label":
                key = df[column].str.replace("SKU-", "").cast(pl.Int64).to_numpy()
                assert set(parts.of(name, {column: key}).tolist()) == {k}, (name, k)
        if sum(rows) >= 40 or name in ("merchants", "customer_segments"):
            assert min(rows) > 0, f"{name}: rows per part {rows}"
        filled += sum(rows) >= 40
    assert filled >= 13, "the tiny run has rows enough to fill the parts of most tables"
