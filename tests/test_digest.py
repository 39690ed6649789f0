"""The content digest: a plain-Python reading of docs/content_digest.md, recorded reference
values, and the properties the manifest relies on (row order, chunking, formats)."""

from __future__ import annotations

import datetime as dt
import math
import struct
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen import digest as dg
from ecomgen.schema import Column, Table

M64 = (1 << 64) - 1

# ------------------------------------------------------------ the specification, row by row


def ref_mix(lane: int, z: int) -> int:
    """docs/content_digest.md, "Mixers"."""
    if lane == 0:
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & M64
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & M64
        return z ^ (z >> 31)
    z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCD & M64
    z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53 & M64
    return z ^ (z >> 33)


SEED = 0x243F6A8885A308D3
NULL = 0xA4093822299F31D0
STEP = 0xD6E8FEB86659FD93
BASE = 0x9E3779B97F4A7C15
EPOCH = dt.datetime(1970, 1, 1)


def ref_step(z: int) -> int:
    """docs/content_digest.md, "Rows": the per-cell step."""
    y = z * STEP & M64
    return y ^ (y >> 29)


def ref_payload(kind: str, value: Any) -> int:
    """docs/content_digest.md, "Payloads"."""
    if kind in ("str", "cat", "sku"):
        h = 0
        for i, b in enumerate(value.encode("utf-8")):
            h = (h + (b + 1) * pow(BASE, i, 1 << 64)) & M64
        return h
    if kind == "int":
        return value & M64
    if kind == "float":
        if math.isnan(value):
            return 0x7FF8000000000000
        return struct.unpack("<Q", struct.pack("<d", value))[0]
    if kind == "bool":
        return int(value)
    if kind == "money":
        return int(value.scaleb(2)) & M64
    if kind == "ts":
        return int((value - EPOCH).total_seconds()) & M64
    if kind == "date":
        return (value - EPOCH.date()).days & M64
    raise AssertionError(kind)


def ref_digest(table: Table, rows: list[tuple[Any, ...]]) -> str:
    """docs/content_digest.md, "Rows" and "Table"."""
    total = 0
    for row in rows:
        h = SEED
        for col, value in zip(table.columns, row, strict=True):
            if value is None:
                h = ref_step(h ^ NULL)
            else:
                h = ref_step((h + ref_payload(col.kind, value)) & M64)
        total = (total + (ref_mix(1, h ^ SEED) << 64) + ref_mix(0, h)) % (1 << 128)
    return f"rows={len(rows)};sum128={total:032x}"


# ------------------------------------------------------------ Arrow columns of each kind

ALL = Table("all_kinds", "", (
    Column("i", "int", "", nullable=True), Column("f", "float", "", nullable=True),
    Column("b", "bool", "", nullable=True), Column("m", "money", "", nullable=True),
    Column("t", "ts", "", nullable=True), Column("d", "date", "", nullable=True),
    Column("c", "cat", "", nullable=True), Column("k", "sku", "", nullable=True),
    Column("s", "str", "", nullable=True),
), ("i",))

ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
         "money": pa.decimal128(18, 2), "ts": pa.timestamp("us"), "date": pa.date32(),
         "cat": pa.string(), "sku": pa.large_string(), "str": pa.large_string()}


def to_arrow(table: Table, rows: list[tuple[Any, ...]], dictionary: bool = True) -> pa.Table:
    cols = {}
    for j, col in enumerate(table.columns):
        arr = pa.array([r[j] for r in rows], type=ARROW[col.kind])
        if col.kind == "cat" and dictionary:
            arr = arr.dictionary_encode()
        cols[col.name] = arr
    return pa.table(cols)


REFERENCE_ROWS: list[tuple[Any, ...]] = [
    (1, 0.5, True, Decimal("1234.50"), dt.datetime(2024, 3, 1, 14, 3, 22), dt.date(2024, 3, 1),
     "in_stock", "SKU-00000042", "Rahul Sharma"),
    (-7, -0.0, False, Decimal("0.05"), dt.datetime(1969, 12, 31, 23, 59, 59),
     dt.date(1969, 12, 31), "out_of_stock", "SKU-99999999", ""),
    (None, None, None, None, None, None, None, None, None),
    (2**63 - 1, float("nan"), True, Decimal("-0.01"), EPOCH, EPOCH.date(), "é", "SKU-00000001",
     "नमस्ते, \"quoted\"\nline"),
]

#: Recorded when the encoding was specified; a change here means the encoding changed.
REFERENCE_DIGEST = "rows=4;sum128=db0b8176552a486f4888011c7f604109"

STRING_VECTORS = {  # text -> string hash, as listed in docs/content_digest.md
    "": 0, "a": 0x62, "SKU-00000042": 0x105EDA88AA8C3F82, "é": 0x10D6D52E877666B6,
}
MIX_VECTORS = {(0, 1): 0x5692161D100B05E5, (1, 1): 0xB456BCFC34C2CB2C}


def test_reference_values() -> None:
    """The recorded digest of the hand-made rows: any change of the encoding shows here."""
    got = dg.digest_of(ALL, [to_arrow(ALL, REFERENCE_ROWS)])
    assert got == REFERENCE_DIGEST
    assert ref_digest(ALL, REFERENCE_ROWS) == REFERENCE_DIGEST


def test_mixers_and_string_hash_vectors() -> None:
    assert dg.mix(0, 0) == 0 and dg.mix(1, 0) == 0
    for (lane, z), value in MIX_VECTORS.items():
        assert dg.mix(lane, z) == ref_mix(lane, z) == value
    for lane in (0, 1):
        for z in (1, 2**64 - 1, 0x0123456789ABCDEF):
            assert dg.mix(lane, z) == ref_mix(lane, z)
    for text, value in STRING_VECTORS.items():
        assert dg.python_string_hash(text) == value
        arr = pa.array([text], type=pa.large_string())
        assert int(dg.string_hashes(np.frombuffer(arr.buffers()[1], np.int64),
                                    np.frombuffer(arr.buffers()[2], np.uint8))[0]) == value


# ------------------------------------------------------------ properties

def _rows_strategy() -> st.SearchStrategy[list[tuple[Any, ...]]]:
    text = st.text(max_size=30)
    cell = {
        "int": st.integers(-(2**63), 2**63 - 1),
        "float": st.floats(allow_nan=True, allow_infinity=True),
        "bool": st.booleans(),
        "money": st.integers(-(10**18) + 1, 10**18 - 1).map(lambda p: Decimal(p).scaleb(-2)),
        "ts": st.integers(-(2**34), 2**34).map(lambda s: EPOCH + dt.timedelta(seconds=s)),
        "date": st.integers(-700_000, 2_900_000).map(
            lambda d: EPOCH.date() + dt.timedelta(days=d)),
        "cat": st.sampled_from(["a", "b", "", "ünï", "in_stock"]),
        "sku": st.integers(0, 10**9).map(lambda i: f"SKU-{i:08d}"),
        "str": text,
    }
    row = st.tuples(*[st.one_of(st.none(), cell[c.kind]) for c in ALL.columns])
    return st.lists(row, max_size=25)


@given(_rows_strategy(), st.randoms(use_true_random=False), st.integers(1, 7))
@settings(max_examples=60, deadline=None)
def test_vectorised_equals_specification_any_order_any_chunks(
        rows: list[tuple[Any, ...]], rnd: Any, chunk: int) -> None:
    """The vectorised digest equals the row-by-row reading of the spec, for shuffled rows
    and any split into batches, with categories dictionary-encoded or plain."""
    expect = ref_digest(ALL, rows)
    assert dg.digest_of(ALL, [to_arrow(ALL, rows)]) == expect
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    parts = [to_arrow(ALL, shuffled[i:i + chunk], dictionary=bool(i % 2))
             for i in range(0, len(shuffled), chunk)]
    assert dg.digest_of(ALL, parts) == expect


def test_string_hash_paths_agree() -> None:
    """Fixed-width, variable-width (blocked prefix sums), dictionary, view and sliced
    string arrays hash alike."""
    texts = [f"SKU-{i:08d}" for i in range(5000)]
    mixed = texts[:100] + ["", "a", "x" * 5000, "é" * 7, None]
    for values in (texts, mixed):
        expect = [None if t is None else dg.python_string_hash(t) for t in values]
        for arr in (pa.array(values, pa.large_string()), pa.array(values, pa.string()),
                    pa.array(values, pa.string_view()), pa.array(values).dictionary_encode()):
            hashes, mask = dg._string_payloads(arr)
            got = [None if mask is not None and mask[i] else int(hashes[i])
                   for i in range(len(values))]
            assert got == expect
        sliced = pa.array(values, pa.large_string()).slice(3, 40)
        hashes, _ = dg._string_payloads(sliced)
        assert [int(v) for v in hashes[:5]] == expect[3:8]


def test_small_string_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocking the prefix sums by bytes changes nothing."""
    values = [str(i) * (i % 13) for i in range(3000)]
    expect = dg.digest_of(Table("s", "", (Column("s", "str", ""),), ("s",)),
                          [pa.table({"s": pa.array(values, pa.large_string())})])
    monkeypatch.setattr(dg, "STRING_BLOCK", 97)
    got = dg.digest_of(Table("s", "", (Column("s", "str", ""),), ("s",)),
                       [pa.table({"s": pa.array(values, pa.large_string())})])
    assert got == expect


def test_nulls_differ_from_every_value_of_the_row() -> None:
    table = Table("n", "", (Column("a", "int", "", nullable=True),
                            Column("b", "str", "", nullable=True)), ("a",))
    digests = {dg.digest_of(table, [to_arrow(table, [row])])
               for row in [(None, None), (0, None), (None, ""), (0, ""), (None, "0")]}
    assert len(digests) == 5


def test_any_single_cell_change_changes_the_digest() -> None:
    base = list(REFERENCE_ROWS[:2])
    before = ref_digest(ALL, base)
    for j, col in enumerate(ALL.columns):
        changed = list(base[0])
        changed[j] = REFERENCE_ROWS[3][j] if REFERENCE_ROWS[3][j] != changed[j] else None
        assert dg.digest_of(ALL, [to_arrow(ALL, [tuple(changed), base[1]])]) != before, col


def test_timestamp_units_and_types_read_back_alike() -> None:
    """Readers may return other units or integer widths; the payload is the same."""
    table = Table("t", "", (Column("t", "ts", ""), Column("d", "date", ""),
                            Column("i", "int", "")), ("t",))
    secs = np.array([0, 1_709_301_802, -1], dtype=np.int64)
    base = pa.table({"t": pa.array(secs * 1_000_000, pa.timestamp("us")),
                     "d": pa.array([0, 19_783, -1], pa.date32()),
                     "i": pa.array([1, 2, 3], pa.int64())})
    other = pa.table({"t": pa.array(secs, pa.timestamp("s")),
                      "d": pa.array([0, 19_783 * 86_400_000, -86_400_000], pa.date64()),
                      "i": pa.array([1, 2, 3], pa.int32())})
    assert dg.digest_of(table, [base]) == dg.digest_of(table, [other])


def test_money_must_be_exact() -> None:
    table = Table("m", "", (Column("m", "money", ""),), ("m",))
    with pytest.raises(TypeError, match="exact decimal"):
        dg.digest_of(table, [pa.table({"m": pa.array([1.5])})])
    wider = pa.table({"m": pa.array([Decimal("1.50")], pa.decimal128(38, 4))})
    assert dg.digest_of(table, [wider]) == dg.digest_of(
        table, [pa.table({"m": pa.array([Decimal("1.50")], pa.decimal128(18, 2))})])


def test_sum_is_exact_past_2_64() -> None:
    lane = np.full(10, np.uint64(2**64 - 1))
    assert dg.sum128(lane, lane) == (10 * (2**128 - 1)) % 2**128


def test_parse_round_trip() -> None:
    d = dg.ContentDigest(ALL)
    d.update(to_arrow(ALL, REFERENCE_ROWS))
    assert dg.parse(d.hexdigest()) == (d.rows, d.total)
    with pytest.raises((KeyError, ValueError)):
        dg.parse("nonsense")
