"""The CSV sink's fast path: a batch of raw columns to CSV bytes and its content digest.

Tables whose columns are integers, timestamps, dates, money, booleans, product SKUs and
categoricals (every big table: views, sessions, cart and order events) are encoded by one
compiled pass (``kernels/csv_rows.py``) straight from the simulation's arrays, with the same
bytes polars would write; their content digest is mixed in the same pass. A batch with any
other column (free text, floats, polars series) takes the polars path. ``content_sum`` gives
the digest alone (the Parquet and DuckDB sinks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from ecomgen.digest import string_hashes
from ecomgen.schema import Cat, Table
from ecomgen.sinks.frame import MONEY_MAX_PAISE

#: Rows encoded per pass (bounds the text buffer to a few MB).
CHUNK_ROWS = 1 << 16
#: Epoch days of 1000-01-01 and 9999-12-31: the fixed-width ISO range.
FIRST_DAY, LAST_DAY = -354_285, 2_932_896
#: Largest product id whose SKU has the fixed eight digits.
SKU_MAX = 10**8 - 1

_RAW_KINDS = ("int", "ts", "money", "date", "bool", "sku")


@dataclass(frozen=True)
class Encoded:
    """A batch as raw int64 columns, ready for the compiled pass."""

    values: np.ndarray  # int64 [columns, rows]
    kinds: np.ndarray  # int8 kind code per column
    nullable: np.ndarray  # uint8 per column
    labels: tuple[tuple[str, ...] | None, ...]  # a categorical column's labels


def _kind_codes() -> dict[str, int]:
    from ecomgen.kernels import csv_rows as k  # noqa: PLC0415 - compiled on first use

    return {"int": k.INT, "ts": k.TS, "money": k.MONEY, "date": k.DATE, "bool": k.BOOL,
            "cat": k.CAT, "str": k.CAT, "sku": k.SKU}


def raw_columns(table: Table, batch: dict[str, Any]) -> Encoded | None:
    """The batch as raw columns, or None when a column needs the polars path."""
    codes = _kind_codes()
    cols = table.columns
    if set(batch) != {c.name for c in cols}:
        return None
    first = batch[cols[0].name]
    n = len(first.codes) if isinstance(first, Cat) else len(first)
    values = np.empty((len(cols), n), dtype=np.int64)
    kinds = np.empty(len(cols), dtype=np.int8)
    nullable = np.zeros(len(cols), dtype=np.uint8)
    labels: list[tuple[str, ...] | None] = []
    for c, col in enumerate(cols):
        value = batch[col.name]
        if isinstance(value, Cat):
            if col.kind not in ("cat", "str"):
                return None
            cat_codes = np.asarray(value.codes)
            if cat_codes.size != n or (n and int(cat_codes.max()) >= len(value.labels)):
                return None
            values[c] = cat_codes
            kinds[c] = codes["cat"]
            labels.append(tuple(value.labels))
            continue
        if col.kind not in _RAW_KINDS or not isinstance(value, np.ndarray) or \
                value.dtype.kind not in "iub" or value.size != n:
            return None
        values[c] = value
        kinds[c] = codes[col.kind]
        labels.append(None)
        if col.kind == "bool":
            np.not_equal(values[c], 0, out=values[c], casting="unsafe")
            continue
        nullable[c] = col.nullable
        if n and not _in_range(col.kind, values[c], col.nullable):
            return None
    return Encoded(values, kinds, nullable, tuple(labels))


def _in_range(kind: str, v: np.ndarray, nullable: bool) -> bool:
    """Whether the compiled pass writes these values as polars would (else polars decides,
    or raises its own error)."""
    if nullable:
        v = v[v != -1]
        if v.size == 0:
            return True
    lo, hi = int(v.min()), int(v.max())
    if kind == "sku":
        return lo >= 0 and hi <= SKU_MAX
    if kind == "money":
        return lo >= -MONEY_MAX_PAISE and hi <= MONEY_MAX_PAISE
    if kind == "ts":
        return lo >= FIRST_DAY * 86_400 and hi < (LAST_DAY + 1) * 86_400
    if kind == "date":
        return lo >= FIRST_DAY and hi <= LAST_DAY
    return lo > -(1 << 63)


@lru_cache(maxsize=256)
def _label_text(labels: tuple[str, ...]) -> tuple[bytes, ...]:
    """Each label as polars writes it in a CSV field (quoted where it must be)."""
    out = []
    for label in labels:
        line = pl.DataFrame({"x": [label]}).write_csv(include_header=False)
        out.append(line.removesuffix("\n").encode())
    return tuple(out)


@lru_cache(maxsize=256)
def label_hashes(labels: tuple[str, ...]) -> np.ndarray:
    """The content digest's string hash of each label."""
    if not labels:
        return np.zeros(0, dtype=np.uint64)
    data = [s.encode() for s in labels]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    return string_hashes(offsets, np.frombuffer(b"".join(data) or b"\0", dtype=np.uint8))


def _labels(enc: Encoded) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    """Every categorical column's label texts (concatenated), their digest hashes and each
    column's first label index."""
    texts: list[bytes] = []
    hashes: list[np.ndarray] = []
    col_label = np.zeros(len(enc.labels), dtype=np.int64)
    for c, labels in enumerate(enc.labels):
        col_label[c] = len(texts)
        if labels is not None:
            texts.extend(_label_text(labels))
            hashes.append(label_hashes(labels))
    label_hash = np.concatenate([*hashes, np.zeros(1, dtype=np.uint64)])  # never empty
    return texts, label_hash, col_label


def content_sum(enc: Encoded) -> int:
    """The rows' contribution to their table's content digest (the value of
    :func:`ecomgen.digest.sum128_of`), mixed from the raw columns in one compiled pass."""
    from ecomgen.kernels.digest_rows import raw_sums  # noqa: PLC0415

    _, label_hash, col_label = _labels(enc)
    total = 0
    for start in range(0, enc.values.shape[1], 1 << 31):  # each part sum fits 64 bits
        a0, a1, b0, b1 = raw_sums(enc.values[:, start:start + (1 << 31)], enc.kinds,
                                  enc.nullable, label_hash, col_label)
        total += int(a0) + (int(a1) << 32) + (int(b0) << 64) + (int(b1) << 96)
    return total & ((1 << 128) - 1)


def encode(enc: Encoded) -> Iterator[tuple[np.ndarray, int]]:
    """The CSV text of the rows in chunks (uint8 arrays), each with its rows' contribution to
    the table's content digest (:func:`ecomgen.digest.sum128_of`'s value)."""
    from ecomgen.kernels.csv_rows import WIDTH, encode_rows  # noqa: PLC0415

    texts, label_hash, col_label = _labels(enc)
    width = len(enc.labels)  # separators and the newline
    for c, labels in enumerate(enc.labels):
        if labels is not None:
            width += max((len(x) for x in _label_text(labels)), default=0)
        else:
            width += WIDTH[int(enc.kinds[c])]
    label_start = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=label_start[1:])
    label_bytes = np.frombuffer(b"".join(texts) or b"\0", dtype=np.uint8)
    n = enc.values.shape[1]
    out = np.empty(min(n, CHUNK_ROWS) * width, dtype=np.uint8)
    for start in range(0, n, CHUNK_ROWS):
        used, a0, a1, b0, b1 = encode_rows(
            enc.values[:, start:start + CHUNK_ROWS], enc.kinds, enc.nullable, label_bytes,
            label_start, label_hash, col_label, out)
        total = int(a0) + (int(a1) << 32) + (int(b0) << 64) + (int(b1) << 96)
        yield out[:used], total & ((1 << 128) - 1)
