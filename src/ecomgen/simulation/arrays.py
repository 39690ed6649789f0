"""Backend-neutral array helpers: expansion, grouping and segmented sums (integers only)."""

from __future__ import annotations

from typing import Any

import numpy as np


def expand(xp: Any, counts: Any) -> tuple[Any, Any]:
    """Owner index and position-in-owner for ``counts[i]`` children of each owner ``i``."""
    counts = counts.astype(xp.int64, copy=False)
    n = int(counts.sum()) if counts.size else 0
    ends = xp.cumsum(counts)
    starts = ends - counts
    if xp.__name__ == "numpy":
        owner = xp.repeat(xp.arange(counts.shape[0], dtype=xp.int64), counts)
    else:  # CuPy's repeat takes no array of counts; same result by search
        owner = xp.searchsorted(ends, xp.arange(n, dtype=xp.int64), side="right")
    pos = xp.arange(n, dtype=xp.int64) - starts[owner]
    return owner, pos


def group_ids(xp: Any, sorted_keys: Any) -> tuple[Any, Any]:
    """For keys already sorted: id of each element's run and the start index of every run."""
    n = sorted_keys.shape[0]
    if n == 0:
        return xp.zeros(0, dtype=xp.int64), xp.zeros(0, dtype=xp.int64)
    first = xp.ones(n, dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    gid = xp.cumsum(first.astype(xp.int64)) - 1
    starts = xp.nonzero(first)[0].astype(xp.int64)
    return gid, starts


def segmented_cumsum(xp: Any, values: Any, gid: Any, starts: Any) -> Any:
    """Inclusive cumulative sum of integer ``values`` restarting at every run start."""
    if values.shape[0] == 0:
        return values.astype(xp.int64)
    c = xp.cumsum(values.astype(xp.int64, copy=False))
    before = c[starts] - values[starts].astype(xp.int64)
    return c - before[gid]


def segmented_cummax(xp: Any, values: Any, gid: Any, starts: Any) -> Any:
    """Inclusive running maximum of integer ``values`` restarting at every run (``gid`` and
    ``starts`` from :func:`group_ids`): log-step doubling, one pass per power of two up to
    the longest run."""
    out = values.astype(xp.int64, copy=True)
    n = out.shape[0]
    if n == 0:
        return out
    ends = xp.concatenate([starts[1:], xp.asarray([n], dtype=xp.int64)])
    longest = int((ends - starts).max())
    step = 1
    while step < longest:
        same = gid[step:] == gid[:-step]
        out[step:] = xp.where(same, xp.maximum(out[step:], out[:-step]), out[step:])
        step *= 2
    return out


def sum_by(xp: Any, index: Any, values: Any, n: int) -> Any:
    """Integer sums of ``values`` grouped by ``index`` into an array of length ``n``."""
    if index.shape[0] == 0:
        return xp.zeros(n, dtype=xp.int64)
    out = xp.bincount(index.astype(xp.int64, copy=False),
                      weights=values.astype(xp.float64, copy=False), minlength=n)
    return xp.rint(out[:n]).astype(xp.int64)


def count_by(xp: Any, index: Any, n: int) -> Any:
    """Occurrences of each value 0..n-1 in ``index``."""
    if index.shape[0] == 0:
        return xp.zeros(n, dtype=xp.int64)
    return xp.bincount(index.astype(xp.int64, copy=False), minlength=n)[:n].astype(
        xp.int64, copy=False)


def stable_order(xp: Any, key: Any) -> Any:
    """Permutation sorting the int64 ``key`` (ties keep input order)."""
    if xp.__name__ != "numpy":
        return xp.argsort(key)  # CuPy sorts with a stable radix sort
    n = key.shape[0]
    if n < 4096:
        return xp.argsort(key, kind="stable")
    lo = int(key.min())
    span = int(key.max()) - lo
    if span >= 1 << 32:
        return xp.argsort(key, kind="stable")
    # LSD radix sort in 16-bit digits: NumPy's stable sort of uint16 is a counting sort,
    # several times faster than its merge sort of int64, and the permutation is the same.
    shifted = (key - lo).astype(xp.uint32)
    order = xp.argsort(shifted.astype(xp.uint16), kind="stable")
    if span >= 1 << 16:
        high = (shifted >> xp.uint32(16)).astype(xp.uint16)
        order = order[xp.argsort(high[order], kind="stable")]
    return order


def max_by_group(xp: Any, group: Any, value: Any) -> tuple[Any, Any]:
    """Each distinct ``group`` (ascending) and the largest ``value`` in it.

    Two stable sorts rather than one on a packed ``group * n + value`` key, which would
    overflow int64 at the largest configs (2·10¹⁰ groups × 5·10⁸ values).
    """
    if group.shape[0] == 0:
        return group, value
    by_value = stable_order(xp, value)
    order = by_value[stable_order(xp, group[by_value])]
    group, value = group[order], value[order]
    _, starts = group_ids(xp, group)
    last = xp.concatenate([starts[1:], xp.asarray([group.shape[0]], dtype=xp.int64)]) - 1
    return group[last], value[last]


def pick_in_group(xp: Any, group: Any, cdf: np.ndarray, u: Any) -> Any:
    """Per key, the entry of its ``group`` that uniform ``u`` selects: ``cdf`` holds, entry
    by entry, the group index plus the cumulative weight share within the group."""
    ends = np.searchsorted(cdf, np.arange(1, int(np.ceil(cdf[-1])) + 1) - 1e-9, side="left")
    idx = xp.searchsorted(xp.asarray(cdf), group + u, side="right")
    return xp.minimum(idx, xp.asarray(ends)[group]).astype(xp.int64)
