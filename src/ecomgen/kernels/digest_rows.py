"""The content digest's per-row mixing as one compiled pass (``ecomgen.digest``).

Each row's state takes its cells' payloads in schema order, then the two lanes' mixers,
exactly as docs/content_digest.md specifies; the pass returns the sums of the 32-bit halves
of both lanes, from which the 128-bit total follows exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

SEED = np.uint64(0x243F6A8885A308D3)
NULL = np.uint64(0xA4093822299F31D0)
STEP = np.uint64(0xD6E8FEB86659FD93)
S29, S30, S27, S31, S33, S32 = (np.uint64(k) for k in (29, 30, 27, 31, 33, 32))
M0A, M0B = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
M1A, M1B = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
LOW32 = np.uint64(0xFFFFFFFF)
#: Kind codes of raw columns (``kernels/csv_rows.py`` uses the same).
INT, TS, MONEY, DATE, BOOL, CAT, SKU = range(7)


def _sku_hash_tables() -> tuple[np.uint64, np.ndarray]:
    """The content digest's string hash of ``SKU-`` and of each pair of digits at each of
    the four pair positions after it: sum((byte + 1) * BASE**i) mod 2**64 (ecomgen.digest)."""
    from ecomgen.digest import BASE  # noqa: PLC0415

    mask = (1 << 64) - 1
    power = [pow(BASE, i, 1 << 64) for i in range(12)]
    prefix = sum((b + 1) * power[i] for i, b in enumerate(b"SKU-")) & mask
    pairs = np.array([[((48 + pp // 10 + 1) * power[4 + 2 * k]
                        + (48 + pp % 10 + 1) * power[5 + 2 * k]) & mask for pp in range(100)]
                      for k in range(4)], dtype=np.uint64)
    return np.uint64(prefix), pairs


SKU_PREFIX_HASH, SKU_PAIR_HASH = _sku_hash_tables()



@njit(cache=True, nogil=True, inline="always")
def step(h: np.uint64, payload: np.uint64, null: bool) -> np.uint64:
    """A row's state after one more cell."""
    h = (h ^ NULL) if null else (h + payload)
    h = h * STEP
    return h ^ (h >> S29)


@njit(cache=True, nogil=True, inline="always")
def lanes(h: np.uint64) -> tuple[np.uint64, np.uint64]:
    """A finished row state's two lanes: splitmix64's finalizer and MurmurHash3's fmix64."""
    z = h ^ SEED
    z = (z ^ (z >> S33)) * M1A
    z = (z ^ (z >> S33)) * M1B
    z = z ^ (z >> S33)
    y = h
    y = (y ^ (y >> S30)) * M0A
    y = (y ^ (y >> S27)) * M0B
    y = y ^ (y >> S31)
    return y, z


@njit(cache=True, nogil=True, inline="always")
def add_row(a0: np.uint64, a1: np.uint64, b0: np.uint64, b1: np.uint64,
            h: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """The four part sums with one more finished row state: the low and high 32 bits of
    each lane."""
    y, z = lanes(h)
    return a0 + (y & LOW32), a1 + (y >> S32), b0 + (z & LOW32), b1 + (z >> S32)


@njit(cache=True, nogil=True)
def row_sums(payload: np.ndarray, null: np.ndarray) -> tuple[int, int, int, int]:
    """Sums over the rows of the low and high 32 bits of lane 0 and of lane 1.

    ``payload`` is uint64 [columns, rows] (schema order), ``null`` uint8 of the same shape
    (1: the cell is null). At most 2**31 rows, so no sum overflows 64 bits.
    """
    n_cols, n = payload.shape
    a0 = a1 = b0 = b1 = np.uint64(0)  # the four part sums (add_row)
    for i in range(n):
        h = SEED
        for c in range(n_cols):
            h = step(h, payload[c, i], null[c, i] != 0)
        a0, a1, b0, b1 = add_row(a0, a1, b0, b1, h)
    return a0, a1, b0, b1


@njit(cache=True, nogil=True, inline="always")
def sku_payload(v: int) -> np.uint64:
    """The string hash of product id ``v``'s ``SKU-`` and eight digits (v below 10**8)."""
    hi = v // 10000
    lo = v - hi * 10000
    p0 = hi // 100
    p2 = lo // 100
    return (SKU_PREFIX_HASH + SKU_PAIR_HASH[0, p0] + SKU_PAIR_HASH[1, hi - p0 * 100]
            + SKU_PAIR_HASH[2, p2] + SKU_PAIR_HASH[3, lo - p2 * 100])


@njit(cache=True, nogil=True)
def raw_sums(values: np.ndarray, kinds: np.ndarray, nullable: np.ndarray,
             label_hash: np.ndarray, col_label: np.ndarray) -> tuple[int, int, int, int]:
    """:func:`row_sums` of raw columns (``sinks/csv_text.raw_columns``): int64 [columns,
    rows] with a kind code per column; a CAT column's code k has the payload
    ``label_hash[col_label[column] + k]`` (null: k < 0), a SKU column the hash of its text,
    every other column its value (null: -1 in a nullable column)."""
    n_cols, n = values.shape
    a0 = a1 = b0 = b1 = np.uint64(0)  # the four part sums (add_row)
    for i in range(n):
        h = SEED
        for c in range(n_cols):
            v = values[c, i]
            k = kinds[c]
            if k == CAT:
                h = step(h, label_hash[col_label[c] + v] if v >= 0 else np.uint64(0), v < 0)
            elif nullable[c] and v == -1:
                h = step(h, np.uint64(0), True)
            elif k == SKU:
                h = step(h, sku_payload(v), False)
            else:
                h = step(h, np.uint64(v), False)
        a0, a1, b0, b1 = add_row(a0, a1, b0, b1, h)
    return a0, a1, b0, b1
