"""Per-table content digest: a canonical, row-order-independent hash of a table's values.

The digest is computed from values, never from bytes a library formats, so the CSV, Parquet
and DuckDB output of one run have the same digest, whatever the library versions. The
encoding is specified in docs/content_digest.md; this module is its reference implementation
(vectorised: loops run over columns and chunks, never over rows).

In brief, for each row (all arithmetic mod 2**64)::

    h = SEED
    for each column, in schema order:
        h = step(h XOR NULL)       if the cell is null
        h = step(h + payload)      otherwise
    row = mix1(h XOR SEED) * 2**64 + mix0(h)

where ``step(z) = y XOR (y >> 29)`` with ``y = z * STEP`` (a cheap bijection, so changing one
cell always changes ``h``) and ``mix0``/``mix1`` are the splitmix64 and MurmurHash3
finalizers. The table's digest is the row count with the sum of the rows' 128-bit values
modulo 2**128, written ``rows=<n>;sum128=<32 hex digits>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

from ecomgen.schema import MONEY_SCALE, Table

#: Name of this encoding (recorded in the manifest; a change of encoding gets a new name).
SCHEME = "ecomgen-content-v1"

_U64 = np.uint64
#: Starting state of a row.
SEED = 0x243F6A8885A308D3
#: Mixed into the state for a null cell.
NULL = 0xA4093822299F31D0
#: Odd multiplier of the per-cell step.
STEP = 0xD6E8FEB86659FD93
#: Shift of the per-cell step.
STEP_SHIFT = 29
#: Odd base of the polynomial string hash.
BASE = 0x9E3779B97F4A7C15
#: Payload of every NaN (the quiet NaN with no payload bits).
CANONICAL_NAN = 0x7FF8000000000000

#: Rows hashed per step (keeps the temporaries in cache).
CHUNK_ROWS = 1 << 15
#: String bytes hashed per step of the prefix sums (and the length of the power tables).
STRING_BLOCK = 1 << 18
#: Widest strings hashed by the fixed-width path (SKUs, codes) when all have one width.
FIXED_WIDTH_MAX = 64
_MASK64 = (1 << 64) - 1
_MASK128 = (1 << 128) - 1


def _mix0(z: np.ndarray, tmp: np.ndarray) -> None:
    """Lane 0: the splitmix64 finalizer, in place."""
    np.right_shift(z, _U64(30), out=tmp)
    z ^= tmp
    z *= _U64(0xBF58476D1CE4E5B9)
    np.right_shift(z, _U64(27), out=tmp)
    z ^= tmp
    z *= _U64(0x94D049BB133111EB)
    np.right_shift(z, _U64(31), out=tmp)
    z ^= tmp


def _mix1(z: np.ndarray, tmp: np.ndarray) -> None:
    """Lane 1: the MurmurHash3 64-bit finalizer (fmix64), in place."""
    np.right_shift(z, _U64(33), out=tmp)
    z ^= tmp
    z *= _U64(0xFF51AFD7ED558CCD)
    np.right_shift(z, _U64(33), out=tmp)
    z ^= tmp
    z *= _U64(0xC4CEB9FE1A85EC53)
    np.right_shift(z, _U64(33), out=tmp)
    z ^= tmp


MIXERS = (_mix0, _mix1)


def mix(lane: int, value: int) -> int:
    """One lane's mixer applied to a Python integer (for documentation and tests)."""
    z = np.array([value & _MASK64], dtype=_U64)
    MIXERS[lane](z, np.empty_like(z))
    return int(z[0])


# ------------------------------------------------------------------------------ strings
@lru_cache(maxsize=8)
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**t and BASE**-t (mod 2**64) for t < n."""
    p = BASE
    inv = p  # Newton's iteration for the inverse of an odd number mod 2**64
    for _ in range(6):
        inv = inv * (2 - p * inv) & _MASK64
    pw = np.full(n, p, dtype=_U64)
    pw[0] = 1
    np.cumprod(pw, out=pw)
    ipw = np.full(n, inv, dtype=_U64)
    ipw[0] = 1
    np.cumprod(ipw, out=ipw)
    return pw, ipw


def _table_size(n: int) -> int:
    """Power tables of at least 1024 entries, in powers of two (so few sizes are cached)."""
    return max(1 << 10, 1 << (int(n) - 1).bit_length())


def string_hashes(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Polynomial hash of each string: sum of (byte + 1) * BASE**i over its bytes, mod 2**64.

    ``offsets`` (n + 1 positions into ``data``, uint8 bytes) delimit the strings. Computed
    with prefix sums over the bytes, in blocks of about STRING_BLOCK bytes.
    """
    offsets = offsets.astype(np.int64, copy=False)
    n = offsets.size - 1
    if n > 0:
        width = int(offsets[1] - offsets[0])
        if 0 < width <= FIXED_WIDTH_MAX and int(offsets[-1] - offsets[0]) == n * width and \
                np.all(np.diff(offsets) == width):
            return _fixed_width_hashes(data[int(offsets[0]):int(offsets[-1])].reshape(n, width))
    out = np.empty(n, dtype=_U64)
    r0 = 0
    while r0 < n:
        base = int(offsets[r0])
        # rows of fewer than STRING_BLOCK bytes together (always at least one row)
        r1 = int(np.searchsorted(offsets, base + STRING_BLOCK - 1, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        seg = data[base:int(offsets[r1])]
        pw, ipw = _powers(_table_size(max(seg.size + 1, STRING_BLOCK)))
        weighted = seg.astype(_U64)
        weighted += _U64(1)
        weighted *= pw[:seg.size]
        cum = np.zeros(seg.size + 1, dtype=_U64)
        np.cumsum(weighted, out=cum[1:])
        starts = offsets[r0:r1] - base
        ends = offsets[r0 + 1:r1 + 1] - base
        h = cum[ends] - cum[starts]
        h *= ipw[starts]
        out[r0:r1] = h
        r0 = r1
    return out


def _fixed_width_hashes(matrix: np.ndarray) -> np.ndarray:
    """The same hash for strings of one width (one row of ``matrix`` each): a loop over the
    byte positions, several times faster than the prefix sums."""
    pw, _ = _powers(_table_size(matrix.shape[1] + 1))
    out = np.zeros(matrix.shape[0], dtype=_U64)
    tmp = np.empty_like(out)
    for i in range(matrix.shape[1]):
        np.add(matrix[:, i], _U64(1), out=tmp, dtype=_U64)
        tmp *= pw[i]
        out += tmp
    return out


def python_string_hash(text: str) -> int:
    """The string hash of one Python string (slow; for documentation and tests)."""
    h, p = 0, 1
    for b in text.encode("utf-8"):
        h = (h + (b + 1) * p) & _MASK64
        p = p * BASE & _MASK64
    return h


def _string_payloads(arr: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """The string hashes of a string, large_string, string_view or dictionary array."""
    if pa.types.is_dictionary(arr.type):
        if len(arr.dictionary) == 0:  # only nulls
            return np.zeros(len(arr), dtype=_U64), np.ones(len(arr), dtype=bool)
        dict_hashes, dnull = _string_payloads(arr.dictionary)
        idx_arr = arr.indices
        idx = _primitive(idx_arr, np.dtype(idx_arr.type.to_pandas_dtype()))
        mask = _null_mask(idx_arr)
        if mask is not None:
            idx = np.where(mask, 0, idx)  # the index under a null is unspecified
        if dnull is not None:
            mask = dnull[idx] if mask is None else mask | dnull[idx]
        return dict_hashes[idx], mask
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    bufs = arr.buffers()
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(bufs[1], dtype=off_type)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else \
        np.empty(0, dtype=np.uint8)
    return string_hashes(offsets, data), _null_mask(arr)


# ------------------------------------------------------------------------------ values
def _null_mask(arr: pa.Array) -> np.ndarray | None:
    """True where ``arr`` is null; None when it has no nulls."""
    if arr.null_count == 0:
        return None
    return arr.is_null().to_numpy(zero_copy_only=False)


def _primitive(arr: pa.Array, dtype: np.dtype) -> np.ndarray:
    """The value buffer of a fixed-width array (values under nulls are unspecified)."""
    buf = arr.buffers()[1]
    return np.frombuffer(buf, dtype=dtype)[arr.offset:arr.offset + len(arr)]


_TS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def payload(arr: pa.Array, kind: str) -> tuple[np.ndarray, np.ndarray | None]:
    """The canonical uint64 payload of a non-string column and its null mask.

    int: the int64 value; float: float64 bits (NaN canonical); bool: 0/1; money: the decimal's
    unscaled value (paise) as int64; ts: int64 seconds since 1970-01-01 (floor); date: days.
    """
    t = arr.type
    mask = _null_mask(arr)
    if kind == "int":
        if not pa.types.is_integer(t):
            raise TypeError(f"int column has type {t}")
        vals = _primitive(arr.cast(pa.int64()) if t != pa.int64() else arr, np.dtype(np.int64))
        return vals.view(_U64), mask
    if kind == "float":
        if not pa.types.is_floating(t):
            raise TypeError(f"float column has type {t}")
        f = _primitive(arr.cast(pa.float64()) if t != pa.float64() else arr,
                       np.dtype(np.float64))
        bits = f.view(_U64)
        nan = np.isnan(f)
        if nan.any():
            bits = np.where(nan, _U64(CANONICAL_NAN), bits)
        return bits, mask
    if kind == "bool":
        if not pa.types.is_boolean(t):
            raise TypeError(f"bool column has type {t}")
        filled = arr.fill_null(False) if mask is not None else arr
        return filled.to_numpy(zero_copy_only=False).astype(_U64), mask
    if kind == "money":
        if not pa.types.is_decimal(t):
            raise TypeError(f"money column has type {t}, not an exact decimal")
        if t.scale != MONEY_SCALE or t.bit_width != 128:
            arr = arr.cast(pa.decimal128(38, MONEY_SCALE))  # exact or raises
        # decimal128 values are 16-byte little-endian two's complement integers; money fits
        # the low 8 bytes (DECIMAL(18,2) < 2**63)
        words = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
            2 * arr.offset:2 * (arr.offset + len(arr))].reshape(-1, 2)
        low, high = words[:, 0], words[:, 1]
        valid = ~mask if mask is not None else slice(None)
        if np.any(high[valid] != (low[valid] >> 63)):
            raise ValueError("money value beyond 64 bits")
        return low.view(_U64), mask
    if kind == "ts":
        if not pa.types.is_timestamp(t):
            raise TypeError(f"ts column has type {t}")
        raw = _primitive(arr, np.dtype(np.int64))
        per = _TS_PER_SECOND[t.unit]
        secs = raw // per if per != 1 else raw
        return secs.view(_U64), mask
    if kind == "date":
        if pa.types.is_date32(t):
            days = _primitive(arr, np.dtype(np.int32)).astype(np.int64)
        elif pa.types.is_date64(t):
            days = _primitive(arr, np.dtype(np.int64)) // 86_400_000
        else:
            raise TypeError(f"date column has type {t}")
        return days.view(_U64), mask
    raise ValueError(f"no payload rule for kind {kind!r}")


# ------------------------------------------------------------------------------ rows
STRING_KINDS = ("str", "cat", "sku")


def row_hashes(table: Table, batch: pa.RecordBatch) -> tuple[np.ndarray, np.ndarray]:
    """The two 64-bit halves (low, high) of every row's value in ``batch`` (columns named as
    ``table``'s)."""
    n = batch.num_rows
    h = np.full(n, _U64(SEED))
    tmp = np.empty(n, dtype=_U64)
    names = batch.schema.names
    for col in table.columns:
        if col.name not in names:
            raise KeyError(f"{table.name}: column {col.name!r} is missing")
        arr = batch.column(names.index(col.name))
        if col.kind in STRING_KINDS:
            value, mask = _string_payloads(arr)
        else:
            value, mask = payload(arr, col.kind)
        if mask is None:
            h += value
        else:
            h[:] = np.where(mask, h ^ _U64(NULL), h + value)
        h *= _U64(STEP)
        np.right_shift(h, _U64(STEP_SHIFT), out=tmp)
        h ^= tmp
    high = h ^ _U64(SEED)
    _mix1(high, tmp)
    _mix0(h, tmp)
    return h, high


def batch_sum128(table: Table, batch: pa.RecordBatch) -> int:
    """The sum of the rows' 128-bit values of ``batch``, mod 2**128: the payloads of every
    column, mixed row by row in one compiled pass (``kernels/digest_rows.py``; the same
    values as :func:`row_hashes` and :func:`sum128`)."""
    n = batch.num_rows
    values = np.empty((len(table.columns), n), dtype=_U64)
    null = np.zeros((len(table.columns), n), dtype=np.uint8)
    names = batch.schema.names
    for c, col in enumerate(table.columns):
        if col.name not in names:
            raise KeyError(f"{table.name}: column {col.name!r} is missing")
        arr = batch.column(names.index(col.name))
        value, mask = (_string_payloads(arr) if col.kind in STRING_KINDS
                       else payload(arr, col.kind))
        values[c] = value
        if mask is not None:
            null[c] = mask
    return sum128_of(values, null)


def sum128_of(values: np.ndarray, null: np.ndarray) -> int:
    """The sum of the rows' 128-bit values, mod 2**128, from every cell's payload (uint64
    [columns, rows], schema order) and null flag (uint8, same shape)."""
    from ecomgen.kernels.digest_rows import row_sums  # noqa: PLC0415 - compiled on use

    total = 0
    for start in range(0, values.shape[1], 1 << 31):  # each 32-bit part sum fits 64 bits
        a0, a1, b0, b1 = (int(x) for x in row_sums(values[:, start:start + (1 << 31)],
                                                   null[:, start:start + (1 << 31)]))
        total += a0 + (a1 << 32) + (b0 << 64) + (b1 << 96)
    return total & _MASK128


def sum128(lane0: np.ndarray, lane1: np.ndarray) -> int:
    """Sum of ``lane1 * 2**64 + lane0`` over the rows, mod 2**128 (exact, via 32-bit parts)."""
    low32 = _U64(0xFFFFFFFF)
    total = 0
    for start in range(0, lane0.size, 1 << 31):  # each 32-bit part sum fits in 63 bits
        a, b = lane0[start:start + (1 << 31)], lane1[start:start + (1 << 31)]
        parts = [int(np.sum(a & low32, dtype=_U64)), int(np.sum(a >> _U64(32), dtype=_U64)),
                 int(np.sum(b & low32, dtype=_U64)), int(np.sum(b >> _U64(32), dtype=_U64))]
        total += parts[0] + (parts[1] << 32) + (parts[2] << 64) + (parts[3] << 96)
    return total & _MASK128


class ContentDigest:
    """Accumulates a table's digest over batches in any order (the row order never matters)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows = 0
        self.total = 0

    def update(self, data: Any) -> None:
        """Add the rows of a pyarrow Table or RecordBatch, or a polars DataFrame."""
        if hasattr(data, "to_arrow") and not isinstance(data, pa.Table | pa.RecordBatch):
            data = data.to_arrow()
        batches = data.to_batches(max_chunksize=CHUNK_ROWS) if isinstance(data, pa.Table) \
            else _slices(data)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            self.total = (self.total + batch_sum128(self.table, batch)) & _MASK128
            self.rows += batch.num_rows

    def add_sum(self, rows: int, total: int) -> None:
        """Add ``rows`` rows whose 128-bit values sum to ``total`` (see :func:`sum128_of`)."""
        self.rows += rows
        self.total = (self.total + total) & _MASK128

    def merge(self, other: ContentDigest) -> None:
        """Add the rows counted by ``other`` (the digest of a union of row sets)."""
        self.rows += other.rows
        self.total = (self.total + other.total) & _MASK128

    def hexdigest(self) -> str:
        """``rows=<n>;sum128=<32 hex digits>``."""
        return f"rows={self.rows};sum128={self.total:032x}"

    def __str__(self) -> str:
        return self.hexdigest()


def _slices(batch: pa.RecordBatch) -> Iterable[pa.RecordBatch]:
    for start in range(0, batch.num_rows, CHUNK_ROWS):
        yield batch.slice(start, CHUNK_ROWS)


def digest_of(table: Table, batches: Iterable[Any]) -> str:
    """The digest of all rows of ``batches`` (Arrow tables or record batches, polars frames)."""
    d = ContentDigest(table)
    for b in batches:
        d.update(b)
    return d.hexdigest()


def parse(text: str) -> tuple[int, int]:
    """(rows, sum128) of a digest string; ValueError when it is not one."""
    fields = dict(part.split("=", 1) for part in text.split(";"))
    return int(fields["rows"]), int(fields["sum128"], 16)
