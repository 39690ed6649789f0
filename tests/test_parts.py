"""``--parts P``: every table as P part files, the same rows as one file per table.

The tiny preset's 200 customers fit one 65,536-customer block; parts cut them by customer id,
so every part still holds customers. Where the work itself is split, blocks are made tiny
(8 customers, ``tiny_blocks``) so that the 200 customers span 25 blocks.
"""

from __future__ import annotations

import functools
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import psutil
import pytest

from ecomgen.cli import main
from ecomgen.config import Config, preset_overrides
from ecomgen.layout import Parts, part_name, table_of_file
from ecomgen.pipeline import generate
from ecomgen.schema import TABLES
from ecomgen.simulation import blocks, engine
from ecomgen.sinks import make_sink
from ecomgen.verify import verify_dir


@pytest.fixture
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


@pytest.mark.usefixtures("tiny_blocks")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_parts_same_bytes_for_any_split_of_the_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    a = _run(tmp_path, monkeypatch, "a", 3, fmt=fmt)
    b = _run(tmp_path, monkeypatch, "b", 3, layout=(7, 5), fmt=fmt)
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
    """Every table is cut by its own key (Table.part_by) into contiguous key ranges: at the
    tiny preset (200 customers, all in one block) cut in 4, each row sits in the part its key
    names and parts hold increasing keys; every part holds rows of the tables keyed by their
    own ids (customers, products, merchants, segments) and of every table with 10 distinct
    keys or more (the tiny run's 5 ratings come from 5 buyers, who need not cover 4 ranges);
    the views are spread evenly (no part over twice the mean)."""
    _run(tmp_path, monkeypatch, "p4", 4)
    cfg = Config(seed=3, **preset_overrides("tiny"))
    assert cfg.num_customers < blocks.CUSTOMER_BLOCK, "one block: parts must not cut by it"
    parts = Parts(4, cfg.num_customers, cfg.num_products, cfg.num_merchants)
    filled = 0
    for name, table in TABLES.items():
        column, kind = table.part_by
        assert column in table.column_names, name
        frames = [pl.read_csv(tmp_path / "p4" / name / part_name(k, ".csv"),
                              infer_schema_length=0) for k in range(4)]
        rows = [df.height for df in frames]
        keys = [df[column] for df in frames]
        if kind != "label":
            keys = [k.str.replace("SKU-", "").cast(pl.Int64) for k in keys]
            for k, key in enumerate(keys):
                if key.len():
                    assert set(parts.of(name, {column: key.to_numpy()}).tolist()) == {k}, \
                        (name, k)
            highs = [key.max() for key in keys if key.len()]
            lows = [key.min() for key in keys if key.len()]
            assert all(hi < lo for hi, lo in zip(highs, lows[1:], strict=False)), name
        distinct = pl.concat(keys).n_unique()
        if distinct >= 10 or (distinct >= 4 and table.primary_key == (column,)):
            assert min(rows) > 0, f"{name}: rows per part {rows}"
            filled += 1
        if name == "views":
            assert max(rows) <= 2 * sum(rows) / 4, f"views per part {rows}"
    assert filled >= 15, "the tiny run has keys enough to fill the parts of most tables"


@pytest.mark.parametrize(("n", "parts"), [(200, 4), (7, 4), (3, 10), (65_536, 3), (10, 10),
                                          (1, 1)])
def test_parts_are_contiguous_nearly_equal_id_ranges(n: int, parts: int) -> None:
    """Id i of n is in part (i - 1) * P // n: contiguous ranges whose sizes differ by at most
    one, every part non-empty when there are at least as many ids as parts (customers: up
    to one 65,536-customer block)."""
    layout = Parts(parts, n, n, n)
    ids = np.arange(1, n + 1)
    for kind, table in (("customer", "views"), ("product", "products"),
                        ("merchant", "merchants")):
        assert TABLES[table].part_by[1] == kind
        part = layout.of(table, {TABLES[table].part_by[0]: ids})
        assert np.array_equal(part, (ids - 1) * parts // n)
        assert np.all(np.diff(part) >= 0) and part.min() >= 0 and part.max() < parts
        sizes = np.bincount(part, minlength=parts)
        if n >= parts:
            assert sizes.min() > 0 and sizes.max() - sizes.min() <= 1, (kind, sizes)


@pytest.mark.parametrize(("n", "parts"), [(100_000, 4), (65_537, 3), (65_536 * 4 + 10, 4),
                                          (65_536 * 9, 4), (65_536 * 3 + 5, 7),
                                          (2_000_000, 16), (300_000, 1000)])
def test_customer_parts_follow_blocks(n: int, parts: int) -> None:
    """Past one block, customer parts never straddle a block boundary unless they are whole
    blocks (so the worker owning a block range writes whole parts), every part holds
    customers when there are enough, and none holds more than twice the mean."""
    from ecomgen.simulation.blocks import CUSTOMER_BLOCK as B

    layout = Parts(parts, n, n, n)
    b = layout.customer_bounds
    assert b[0] == 0 and b[-1] == n and np.all(np.diff(b) >= 0)
    sizes = np.diff(b)
    assert sizes.min() > 0, sizes
    assert sizes.max() <= 2 * n / parts, sizes
    for lo, hi in zip(b[:-1], b[1:], strict=True):
        whole = lo % B == 0 and (hi % B == 0 or hi == n)
        assert whole or lo // B == (hi - 1) // B, (lo, hi)
    ids = np.arange(1, n + 1)
    part = layout.of("views", {"customer_id": ids})
    assert np.array_equal(np.bincount(part, minlength=parts), sizes)


def _write_parts(tmp_path: Path, fmt: str, parts: int,
                 batch_of: Callable[..., dict[str, Any]]) -> tuple[int, int]:
    """Write a few batches of every table as ``parts`` part files; (bytes traced that the
    sink holds before it closes, most files open at once beyond those open before)."""
    proc = psutil.Process()
    fds0 = proc.num_fds()
    most = 0
    tracemalloc.start()
    try:
        sink = make_sink(fmt, tmp_path, Parts(parts, 1_000, 1_000, 1_000))
        sink.open_all()
        for k in range(2):
            for name in TABLES:
                sink.write(name, batch_of(name, 500, offset=500 * k))
                most = max(most, proc.num_fds() - fds0)
        held = tracemalloc.get_traced_memory()[0]
        sink.close()
    finally:
        tracemalloc.stop()
    for name in TABLES:
        assert len(list((tmp_path / name).glob(f"part-*.{fmt}"))) == parts
    return held, most


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_parts_hold_few_files_open_and_little_memory_each(
        tmp_path: Path, fmt: str, batch_of: Callable[..., dict[str, Any]]) -> None:
    """Part sinks keep no buffer of their own and open a file only to write to it: each of
    12 parts of every table adds little traced memory (a part once held 18 read-back buffers
    of 4 MiB) and a handful of files are open at once, not one per table and part."""
    _write_parts(tmp_path / "warm", fmt, 2, batch_of)  # one-time caches
    small, _ = _write_parts(tmp_path / "p2", fmt, 2, batch_of)
    held, most = _write_parts(tmp_path / "p12", fmt, 12, batch_of)
    per_part = (held - small) / 10
    assert per_part < 256 << 10, f"{per_part / 1024:.0f} KiB per part"
    assert most <= 4, f"{most} files open at once"
