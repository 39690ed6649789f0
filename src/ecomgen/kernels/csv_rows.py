"""CSV text of a batch's rows in one compiled pass (the CSV sink's fast path).

Every column arrives as int64 raw values (integers, epoch seconds, days, paise, 0/1,
categorical codes, product ids) with a kind code; the pass writes each row's fields as
polars writes them (ISO timestamps, two-decimal money, ``SKU-`` and eight digits,
``true``/``false``, labels as polars quotes them, an empty field for null), so the bytes are
the same whichever path wrote a batch.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ecomgen.kernels.digest_rows import (  # noqa: F401 - the kind codes are ours too
    BOOL,
    CAT,
    DATE,
    INT,
    MONEY,
    SEED,
    SKU,
    TS,
    add_row,
    sku_payload,
    step,
)

#: Widest text of one field of each kind (bytes; CAT is its longest label).
WIDTH = {INT: 20, TS: 19, MONEY: 21, DATE: 10, BOOL: 5, CAT: 0, SKU: 23}

COMMA = 44
NEWLINE = 10
#: "00" .. "99" as 200 ASCII bytes.
PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), dtype=np.uint8).copy()
#: 10**k for k < 20.
POW10 = np.array([10**k for k in range(20)], dtype=np.uint64)
#: The SKU's fixed text: "SKU-" and eight digits.
SKU_BYTES = 12


@njit(cache=True, nogil=True, inline="always")
def _digits(v: np.uint64, out: np.ndarray, pos: int, min_width: int) -> int:
    """Decimal digits of ``v`` (at least ``min_width``, zero-padded) at ``out[pos]``; the new
    position."""
    n = 1
    while n < 20 and v >= POW10[n]:
        n += 1
    if n < min_width:
        n = min_width
    end = pos + n
    p = end
    hundred = np.uint64(100)
    while v >= hundred:
        q = v // hundred
        r = np.int64(v - q * hundred) * 2
        p -= 2
        out[p] = PAIRS[r]
        out[p + 1] = PAIRS[r + 1]
        v = q
    if v >= np.uint64(10):
        r = np.int64(v) * 2
        p -= 2
        out[p] = PAIRS[r]
        out[p + 1] = PAIRS[r + 1]
    else:
        p -= 1
        out[p] = 48 + np.int64(v)
    while p > pos:
        p -= 1
        out[p] = 48
    return end


@njit(cache=True, nogil=True, inline="always")
def _pair(v: int, out: np.ndarray, pos: int) -> None:
    """Two digits of 0 <= v < 100 at ``out[pos]``."""
    out[pos] = PAIRS[2 * v]
    out[pos + 1] = PAIRS[2 * v + 1]


@njit(cache=True, nogil=True, inline="always")
def _civil(days: int) -> tuple[int, int, int]:
    """Year, month and day of a day count from 1970-01-01 (proleptic Gregorian)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return y, m, d


@njit(cache=True, nogil=True, inline="always")
def _date(days: int, out: np.ndarray, pos: int) -> int:
    """``YYYY-MM-DD`` (years 1000-9999) at ``out[pos]``; the new position."""
    y, m, d = _civil(days)
    _pair(y // 100, out, pos)
    _pair(y % 100, out, pos + 2)
    out[pos + 4] = 45
    _pair(m, out, pos + 5)
    out[pos + 7] = 45
    _pair(d, out, pos + 8)
    return pos + 10


@njit(cache=True, nogil=True)
def encode_rows(values: np.ndarray, kinds: np.ndarray, nullable: np.ndarray,
                label_bytes: np.ndarray, label_start: np.ndarray, label_hash: np.ndarray,
                col_label: np.ndarray, out: np.ndarray) -> tuple[int, int, int, int, int]:
    """Write rows ``values[:, i]`` as CSV lines into ``out``; the bytes written and the
    content digest's four part sums of the rows (``digest_rows.row_sums``).

    ``values`` is int64 [columns, rows]; ``kinds`` and ``nullable`` per column; a CAT
    column's code k has the text ``label_bytes[label_start[j]:label_start[j + 1]]`` and the
    digest payload ``label_hash[j]`` with ``j = col_label[column] + k``. Null: code < 0 in a
    CAT column, -1 in a nullable one. A SKU's payload is the string hash of its 12 bytes,
    from tables. ``out`` must hold every row at its widest.
    """
    n_cols, n = values.shape
    pos = 0
    a0 = a1 = b0 = b1 = np.uint64(0)  # the four part sums (add_row)
    last_day = np.full(n_cols, np.int64(-(1 << 62)))
    day_text = np.zeros((n_cols, 10), dtype=np.uint8)
    for i in range(n):
        h = SEED
        for c in range(n_cols):
            if c > 0:
                out[pos] = COMMA
                pos += 1
            v = values[c, i]
            k = kinds[c]
            if k == CAT:
                if v < 0:
                    h = step(h, np.uint64(0), True)
                    continue
                j = col_label[c] + v
                for b in range(label_start[j], label_start[j + 1]):
                    out[pos] = label_bytes[b]
                    pos += 1
                h = step(h, label_hash[j], False)
                continue
            if nullable[c] and v == -1:
                h = step(h, np.uint64(0), True)
                continue
            payload = np.uint64(v)
            if k == INT:
                if v < 0:
                    out[pos] = 45
                    pos += 1
                    pos = _digits(np.uint64(-(v + 1)) + np.uint64(1), out, pos, 1)
                else:
                    pos = _digits(np.uint64(v), out, pos, 1)
            elif k == TS:
                days = v // 86400
                tod = v - days * 86400
                if days != last_day[c]:
                    last_day[c] = days
                    _date(days, day_text[c], 0)
                for b in range(10):
                    out[pos + b] = day_text[c, b]
                out[pos + 10] = 84  # T
                _pair(tod // 3600, out, pos + 11)
                out[pos + 13] = 58
                _pair(tod // 60 % 60, out, pos + 14)
                out[pos + 16] = 58
                _pair(tod % 60, out, pos + 17)
                pos += 19
            elif k == MONEY:
                mag = np.uint64(v)
                if v < 0:
                    out[pos] = 45
                    pos += 1
                    mag = np.uint64(-(v + 1)) + np.uint64(1)
                pos = _digits(mag // np.uint64(100), out, pos, 1)
                out[pos] = 46
                _pair(np.int64(mag % np.uint64(100)), out, pos + 1)
                pos += 3
            elif k == DATE:
                pos = _date(v, out, pos)
            elif k == BOOL:
                if v != 0:
                    out[pos] = 116
                    out[pos + 1] = 114
                    out[pos + 2] = 117
                    out[pos + 3] = 101
                    pos += 4
                else:
                    out[pos] = 102
                    out[pos + 1] = 97
                    out[pos + 2] = 108
                    out[pos + 3] = 115
                    out[pos + 4] = 101
                    pos += 5
            else:  # SKU: ids below 10**8, so always 12 bytes, four pairs of digits
                out[pos] = 83
                out[pos + 1] = 75
                out[pos + 2] = 85
                out[pos + 3] = 45
                hi = v // 10000
                lo = v - hi * 10000
                p0 = hi // 100
                p1 = hi - p0 * 100
                p2 = lo // 100
                p3 = lo - p2 * 100
                _pair(p0, out, pos + 4)
                _pair(p1, out, pos + 6)
                _pair(p2, out, pos + 8)
                _pair(p3, out, pos + 10)
                payload = sku_payload(v)
                pos += SKU_BYTES
            h = step(h, payload, False)
        out[pos] = NEWLINE
        pos += 1
        a0, a1, b0, b1 = add_row(a0, a1, b0, b1, h)
    return pos, a0, a1, b0, b1
