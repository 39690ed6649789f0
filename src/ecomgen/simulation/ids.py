"""Ids across workers: each worker numbers a day's rows from 0, the day loop shifts them.

A worker cannot know how many sessions, views, orders ... the workers before it have on a
day until they are all done; so every id a worker writes is counted from 0 and the day loop
adds, per kind, the number of ids handed out before it (all earlier days, then the earlier
workers of the day). Nullable id columns keep -1 for "none".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ecomgen.schema import TABLES


class Counters:
    """Running id counters (ids are 1-based; each day's ids follow the previous day's)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def hand_out(self, counts: Sequence[dict[str, int]]) -> list[dict[str, int]]:
        """First id of each kind for each worker, in worker order."""
        firsts = []
        for c in counts:
            firsts.append({k: self.next.get(k, 1) for k in c})
            for k, n in c.items():
                self.next[k] = self.next.get(k, 1) + n
        return firsts


def shift(column: Any, first: int) -> Any:
    """Ids counted from 0 made global (first id ``first``); -1 stays -1."""
    a = np.asarray(column)
    return np.where(a >= 0, a + first, a) if (a < 0).any() else a + first


def relocate(table: str, batch: dict[str, Any], first: dict[str, int]) -> dict[str, Any]:
    """``batch`` with every id column shifted by its kind's first id (the table's
    ``Table.ids``)."""
    cols = TABLES[table].ids
    if not cols:
        return batch
    out = dict(batch)
    for name, kind in cols:
        if name in out and kind in first:
            out[name] = shift(out[name], first[kind])
    return out
