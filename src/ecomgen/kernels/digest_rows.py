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


@njit(cache=True, nogil=True)
def row_sums(payload: np.ndarray, null: np.ndarray) -> tuple[int, int, int, int]:
    """Sums over the rows of the low and high 32 bits of lane 0 and of lane 1.

    ``payload`` is uint64 [columns, rows] (schema order), ``null`` uint8 of the same shape
    (1: the cell is null). At most 2**31 rows, so no sum overflows 64 bits.
    """
    n_cols, n = payload.shape
    a0 = np.uint64(0)
    a1 = np.uint64(0)
    b0 = np.uint64(0)
    b1 = np.uint64(0)
    for i in range(n):
        h = SEED
        for c in range(n_cols):
            h = step(h, payload[c, i], null[c, i] != 0)
        y, z = lanes(h)
        a0 += y & LOW32
        a1 += y >> S32
        b0 += z & LOW32
        b1 += z >> S32
    return a0, a1, b0, b1
