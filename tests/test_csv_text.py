"""The CSV sink's compiled fast path writes polars' bytes and the same content digest; the
digest alone from the raw columns (the Parquet and DuckDB sinks) is the same too."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.digest import ContentDigest
from ecomgen.schema import TABLES, Cat, Column, Table
from ecomgen.sinks.csv import DATETIME_FORMAT
from ecomgen.sinks.csv_text import FIRST_DAY, LAST_DAY, content_sum, encode, raw_columns
from ecomgen.sinks.frame import MONEY_MAX_PAISE, to_frame

LABELS = ("plain", "with,comma", 'a "quote"', "", "two\nlines", "ünïcode ₹")

TABLE = Table("mixed", "every kind the fast path encodes", (
    Column("i", "int", ""), Column("i_null", "int", "", nullable=True),
    Column("t", "ts", ""), Column("t_null", "ts", "", nullable=True),
    Column("m", "money", ""), Column("m_null", "money", "", nullable=True),
    Column("d", "date", ""), Column("b", "bool", ""),
    Column("c", "cat", ""), Column("c_null", "cat", "", nullable=True),
    Column("s", "str", ""), Column("k", "sku", ""), Column("k_null", "sku", "", nullable=True),
), ("i",))


def _polars_bytes(table: Table, batch: dict) -> bytes:
    buf = io.BytesIO()
    to_frame(table, batch).write_csv(buf, include_header=False, datetime_format=DATETIME_FORMAT)
    return buf.getvalue()


def _fast_bytes(table: Table, batch: dict) -> bytes:
    raw = raw_columns(table, batch)
    assert raw is not None
    return b"".join(bytes(t) for t, _ in encode(raw))


def _batch(rng: np.random.Generator, n: int) -> dict:
    def with_nulls(v: np.ndarray) -> np.ndarray:
        return np.where(rng.random(n) < 0.3, -1, v)

    big = np.int64(1) << 62
    ints = rng.integers(-big, big, n)
    ints[: min(n, 3)] = [0, -1, 9][: min(n, 3)]
    secs = rng.integers(FIRST_DAY * 86_400, (LAST_DAY + 1) * 86_400, n)
    money = rng.integers(-MONEY_MAX_PAISE, MONEY_MAX_PAISE + 1, n) // rng.choice(
        [1, 10**6, 10**14], n)
    return {
        "i": ints, "i_null": with_nulls(rng.integers(-1000, 1000, n)),
        "t": secs, "t_null": with_nulls(rng.integers(0, 4_000_000_000, n)),
        "m": money, "m_null": with_nulls(rng.integers(0, 10**7, n)),
        "d": rng.integers(FIRST_DAY, LAST_DAY + 1, n).astype(np.int32),
        "b": rng.integers(0, 2, n).astype(bool),
        "c": Cat(rng.integers(0, len(LABELS), n), LABELS),
        "c_null": Cat(rng.integers(-1, len(LABELS), n), LABELS),
        "s": Cat(rng.integers(0, len(LABELS), n), LABELS),
        "k": rng.integers(0, 10**8, n), "k_null": with_nulls(rng.integers(0, 10**8, n)),
    }


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300))
def test_fast_path_writes_polars_bytes_and_digest(seed: int, n: int) -> None:
    """Random rows of every kind, nulls, quoting labels and range edges: bytes and digest
    equal the polars path's."""
    batch = _batch(np.random.default_rng(seed), n)
    assert _fast_bytes(TABLE, batch) == _polars_bytes(TABLE, batch)
    raw = raw_columns(TABLE, batch)
    assert raw is not None
    want = ContentDigest(TABLE)
    want.update(to_frame(TABLE, batch))
    got = ContentDigest(TABLE)
    for _, total in encode(raw):
        got.add_sum(0, total)
    got.add_sum(n, 0)
    assert got.hexdigest() == want.hexdigest()
    alone = ContentDigest(TABLE)  # the digest without the text (Parquet and DuckDB sinks)
    alone.add_sum(n, content_sum(raw))
    assert alone.hexdigest() == want.hexdigest()


@pytest.mark.parametrize("name", ["views", "browsing_sessions", "cart_events", "order_events"])
def test_big_tables_take_the_fast_path(name: str) -> None:
    """Every column of the big tables is one the compiled pass encodes."""
    table = TABLES[name]
    kinds = {c.kind for c in table.columns}
    assert kinds <= {"int", "ts", "money", "date", "bool", "cat", "sku"}, kinds


def test_out_of_range_values_fall_back_to_polars() -> None:
    """SKUs past eight digits and timestamps past year 9999 go the polars way."""
    rng = np.random.default_rng(1)
    batch = _batch(rng, 5)
    assert raw_columns(TABLE, {**batch, "k": np.full(5, 10**8)}) is None
    assert raw_columns(TABLE, {**batch, "t": np.full(5, (LAST_DAY + 1) * 86_400)}) is None
    assert raw_columns(TABLE, {**batch, "i": batch["i"].astype(float)}) is None
    assert raw_columns(TABLE, {**batch, "s": np.array(["x"] * 5)}) is None


def test_chunks_join_to_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows cut into many small passes give the same bytes and digest as one pass."""
    from ecomgen.sinks import csv_text

    batch = _batch(np.random.default_rng(7), 1000)
    raw = raw_columns(TABLE, batch)
    assert raw is not None
    whole = [(bytes(t), s) for t, s in encode(raw)]
    monkeypatch.setattr(csv_text, "CHUNK_ROWS", 7)
    parts = [(bytes(t), s) for t, s in encode(raw)]
    assert len(whole) == 1 and len(parts) == 143
    assert b"".join(t for t, _ in parts) == whole[0][0]
    assert sum(s for _, s in parts) % (1 << 128) == whole[0][1]
