"""Batch-to-frame conversion per column kind, and the CSV / Parquet / DuckDB sinks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.schema import TABLES, Cat, Column, Table
from ecomgen.sinks import make_sink
from ecomgen.sinks.csv import CsvSink
from ecomgen.sinks.duckdb import DATABASE_FILE, create_table_sql
from ecomgen.sinks.frame import format_sku, to_frame
from ecomgen.sinks.parquet import ParquetSink

KINDS = Table("kinds", "one column per kind", (
    Column("i", "int", ""), Column("n", "int", "", nullable=True), Column("f", "float", ""),
    Column("b", "bool", ""), Column("m", "money", ""), Column("t", "ts", ""),
    Column("d", "date", ""), Column("c", "cat", ""), Column("cn", "cat", "", nullable=True),
    Column("s", "sku", ""), Column("x", "str", ""),
), ("i",))


def kinds_batch() -> dict[str, object]:
    return {
        "i": np.array([1, 2, 3], dtype=np.int32),
        "n": np.array([-1, 0, 7]),
        "f": np.array([0.5, 1.25, -3.0], dtype=np.float32),
        "b": np.array([True, False, True]),
        "m": np.array([123456, 5, 100]),
        "t": np.array([1_709_301_802, 0, 86_399]),
        "d": np.array([19_783, 0, 1]),
        "c": Cat(np.array([2, 0, 1], dtype=np.int8), ("a", "b", "c")),
        "cn": Cat(np.array([-1, 0, 1], dtype=np.int8), ("a", "b")),
        "s": np.array([1, 42, 99_999_999]),
        "x": pl.Series(["p", "q", "r"]),
    }


def test_frame_converts_every_kind() -> None:
    df = to_frame(KINDS, kinds_batch())
    assert df.columns == KINDS.column_names
    assert df["i"].dtype == pl.Int64 and df["i"].to_list() == [1, 2, 3]
    assert df["n"].to_list() == [None, 0, 7]
    assert df["f"].dtype == pl.Float64
    assert df["m"].dtype == pl.Decimal(18, 2)
    assert df["m"].to_list() == [Decimal("1234.56"), Decimal("0.05"), Decimal("1.00")]
    assert df["t"].to_list() == [dt.datetime(2024, 3, 1, 14, 3, 22), dt.datetime(1970, 1, 1),
                                 dt.datetime(1970, 1, 1, 23, 59, 59)]
    assert df["d"].to_list() == [dt.date(2024, 3, 1), dt.date(1970, 1, 1), dt.date(1970, 1, 2)]
    assert df["c"].cast(pl.String).to_list() == ["c", "a", "b"]
    assert df["cn"].cast(pl.String).to_list() == [None, "a", "b"]
    assert df["s"].to_list() == ["SKU-00000001", "SKU-00000042", "SKU-99999999"]
    assert df["x"].to_list() == ["p", "q", "r"]


def test_frame_rejects_missing_and_extra_columns() -> None:
    batch = kinds_batch()
    del batch["f"]
    with pytest.raises(ValueError, match="missing \\['f'\\]"):
        to_frame(KINDS, batch)
    batch = kinds_batch() | {"zzz": np.zeros(3)}
    with pytest.raises(ValueError, match="unexpected \\['zzz'\\]"):
        to_frame(KINDS, batch)


def test_frame_rejects_ragged_columns_and_bad_codes() -> None:
    batch = kinds_batch() | {"i": np.array([1, 2])}
    with pytest.raises(ValueError, match="different lengths"):
        to_frame(KINDS, batch)
    batch = kinds_batch() | {"c": Cat(np.array([0, 1, 5]), ("a", "b"))}
    with pytest.raises(ValueError, match="no label"):
        to_frame(KINDS, batch)


@given(st.lists(st.integers(0, 10**10), min_size=0, max_size=50))
@settings(max_examples=60, deadline=None)
def test_sku_format_matches_python(ids: list[int]) -> None:
    got = format_sku(np.array(ids, dtype=np.int64)).to_list()
    assert got == [f"SKU-{i:08d}" for i in ids]


def test_sku_nulls() -> None:
    assert format_sku(np.array([-1, 3]), nullable=True).to_list() == [None, "SKU-00000003"]


@given(st.lists(st.integers(-(10**18) + 1, 10**18 - 1), min_size=1, max_size=40),
       st.booleans())
@settings(max_examples=60, deadline=None)
def test_money_is_exact_in_csv(paise: list[int], nullable: bool) -> None:
    """Every amount prints as rupees with exactly two decimals, equal to its paise."""
    table = Table("t", "", (Column("m", "money", "", nullable=nullable),), ("m",))
    text = to_frame(table, {"m": np.array(paise, dtype=np.int64)}).write_csv()
    written = text.splitlines()[1:]
    for p, w in zip(paise, written, strict=True):
        if nullable and p == -1:
            assert w == ""
            continue
        sign = "-" if p < 0 else ""
        assert w == f"{sign}{abs(p) // 100}.{abs(p) % 100:02d}"


def test_money_examples_and_range() -> None:
    table = Table("t", "", (Column("m", "money", ""),), ("m",))
    text = to_frame(table, {"m": np.array([123450, 5, 0, -5, -123456])}).write_csv()
    assert text.splitlines()[1:] == ["1234.50", "0.05", "0.00", "-0.05", "-1234.56"]
    with pytest.raises(ValueError, match="DECIMAL"):
        to_frame(table, {"m": np.array([10**18])})


def test_money_is_decimal_in_parquet_and_duckdb(tmp_path: Path, batch_of: Any) -> None:
    """Parquet stores decimal128(18, 2), DuckDB DECIMAL(18,2), both equal to the paise."""
    import pyarrow as pa

    batch = batch_of("views", 5)
    expect = [Decimal(int(p)) / 100 for p in batch["price"]]
    for fmt in ("parquet", "duckdb"):
        (tmp_path / fmt).mkdir()
        sink = make_sink(fmt, tmp_path / fmt)
        sink.open_all()
        sink.write("views", batch)
        sink.close()
    table = pq.read_table(tmp_path / "parquet" / "views.parquet")
    assert table.schema.field("price").type == pa.decimal128(18, 2)
    assert table.column("price").to_pylist() == expect
    con = duckdb.connect(str(tmp_path / "duckdb" / DATABASE_FILE), read_only=True)
    assert con.sql("select typeof(price) from views limit 1").fetchall() == [("DECIMAL(18,2)",)]
    assert [r[0] for r in con.sql("select price from views order by view_id").fetchall()] == \
        expect


def _write(fmt: str, tmp_path: Path, batches: int, batch_of: Any) -> list[Path]:
    sink = make_sink(fmt, tmp_path)
    sink.open_all()
    for k in range(batches):
        sink.write("views", batch_of("views", 7, offset=7 * k))
    return sink.close()


def test_csv_sink_header_once_and_empty_tables(tmp_path: Path, batch_of: Any) -> None:
    paths = _write("csv", tmp_path, 3, batch_of)
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in TABLES)
    views = (tmp_path / "views.csv").read_text().splitlines()
    assert views[0] == ",".join(TABLES["views"].column_names)
    assert len(views) == 1 + 21
    assert views[1].split(",")[6] == "2024-01-01T00:00:00"
    assert views[2].split(",")[6] == "2024-01-02T00:09:09"
    ratings = (tmp_path / "ratings.csv").read_text()
    assert ratings == ",".join(TABLES["ratings"].column_names) + "\n"
    df = pl.read_csv(tmp_path / "views.csv")
    assert df["view_id"].to_list() == list(range(1, 22))


def test_csv_sink_digests_match_file_bytes(tmp_path: Path, batch_of: Any) -> None:
    import hashlib

    sink = CsvSink(tmp_path)
    sink.open_all()
    sink.write("views", batch_of("views", 5))
    for p in sink.close():
        assert sink.digests[p] == hashlib.sha256(p.read_bytes()).hexdigest()


def test_parquet_row_groups_independent_of_batching(tmp_path: Path, batch_of: Any) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for directory, sizes in ((a, [10, 10, 10, 3]), (b, [1, 32])):
        sink = ParquetSink(directory, row_group_rows=8)
        sink.open_all()
        offset = 0
        for n in sizes:
            sink.write("views", batch_of("views", n, offset=offset))
            offset += n
        sink.close()
    assert (a / "views.parquet").read_bytes() == (b / "views.parquet").read_bytes()
    meta = pq.ParquetFile(a / "views.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [8, 8, 8, 8, 1]
    back = pl.read_parquet(a / "views.parquet")
    assert back["view_id"].to_list() == list(range(1, 34))
    # categorical columns stay dictionary-encoded and read back as their labels
    assert isinstance(back["stock_status"].dtype, pl.Enum)
    assert set(back["stock_status"].cast(pl.String).unique()) <= {"alpha", "beta", "gamma"}
    assert back["timestamp"].dtype == pl.Datetime("us")
    empty = pl.read_parquet(a / "ratings.parquet")
    assert empty.height == 0 and empty.columns == TABLES["ratings"].column_names


def test_duckdb_sink_declares_keys_and_loads(tmp_path: Path, batch_of: Any) -> None:
    paths = _write("duckdb", tmp_path, 2, batch_of)
    assert paths == [tmp_path / DATABASE_FILE]
    con = duckdb.connect(str(paths[0]), read_only=True)
    assert con.sql("select count(*) from views").fetchall() == [(14,)]
    assert con.sql("select count(*) from ratings").fetchall() == [(0,)]
    tables = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
    assert tables == set(TABLES)
    pks = {r[0] for r in con.sql("select table_name from duckdb_constraints() "
                                  "where constraint_type = 'PRIMARY KEY'").fetchall()}
    assert pks == set(TABLES)
    ts = con.sql("select typeof(timestamp), typeof(price) from views limit 1").fetchall()
    assert ts == [("TIMESTAMP", "DECIMAL(18,2)")]


def test_duckdb_file_bytes_are_a_function_of_its_content(tmp_path: Path, batch_of: Any) -> None:
    """Several tables inserted in turn, in many row groups: identical files. (With DuckDB's
    default threads the block layout follows the scheduling, and storage formats from v1.4.0
    write a random database identifier into the header.)"""
    import hashlib

    from ecomgen.sinks.duckdb import DuckDbSink

    digests = set()
    for run in range(2):
        directory = tmp_path / f"run{run}"
        directory.mkdir()
        sink = DuckDbSink(directory, buffer_rows=50_000)
        sink.open_all()
        for offset in range(0, 150_000, 50_000):
            for name in ("views", "browsing_sessions", "cart_events", "inventory_events"):
                sink.write(name, batch_of(name, 50_000, offset=offset))
        sink.close()
        digests.add(hashlib.sha256((directory / DATABASE_FILE).read_bytes()).hexdigest())
    assert len(digests) == 1


def test_duckdb_rejects_duplicate_keys(tmp_path: Path, batch_of: Any) -> None:
    sink = make_sink("duckdb", tmp_path)
    sink.open_all()
    sink.write("views", batch_of("views", 3))
    sink.write("views", batch_of("views", 3))
    with pytest.raises(duckdb.ConstraintException):
        sink.close()


def test_create_table_sql_has_primary_key() -> None:
    sql = create_table_sql(TABLES["sales"])
    assert sql.endswith('PRIMARY KEY ("order_id", "line_number"))')
    assert '"order_id" BIGINT NOT NULL' in sql


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        make_sink("xml", Path("."))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-2_000_000_000, 4_000_000_000), min_size=1, max_size=200))
def test_fast_iso_timestamps_match_polars(values: list[int]) -> None:
    """The CSV sink's lookup-table timestamps equal polars' strftime output."""
    from ecomgen.sinks.frame import format_iso_seconds

    arr = np.asarray(values, dtype=np.int64)
    expect = (pl.Series(arr * 1_000_000).cast(pl.Datetime("us"))
              .dt.strftime("%Y-%m-%dT%H:%M:%S"))
    assert format_iso_seconds(arr).to_list() == expect.to_list()



def test_csv_digest_follows_the_file_across_read_back_chunks(
        tmp_path: Path, batch_of: Any, monkeypatch: Any) -> None:
    """Digests read back in small chunks over several batches equal the files' own."""
    import hashlib

    from ecomgen.sinks import csv as csv_sink

    monkeypatch.setattr(csv_sink._HashedFile, "CHUNK", 97)  # many partial chunks per batch
    sink = CsvSink(tmp_path)
    sink.open_all()
    for k in range(4):
        sink.write("views", batch_of("views", 7, offset=7 * k))
    paths = sink.close()
    for p in paths:
        assert sink.digests[p] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert (tmp_path / "views.csv").stat().st_size > 10 * 97
    assert pl.read_csv(tmp_path / "views.csv").height == 28
