"""What a check is: a registered unit with a name, category, severity and a failing-rows query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import numpy as np
import pyarrow as pa

from ecomgen.config import Config
from ecomgen.tabledb import DatasetInfo

Category = Literal["structural", "referential", "business", "statistical", "temporal"]
Severity = Literal["error", "warning"]
CATEGORIES: tuple[Category, ...] = ("structural", "referential", "business", "temporal",
                                    "statistical")
SAMPLE_ROWS = 5


@dataclass
class Context:
    """What a check's query may use: the connection, the run's config, what was on disk."""

    con: duckdb.DuckDBPyConnection
    cfg: Config
    info: DatasetInfo

    @property
    def low_stock(self) -> int:
        """Stock at or below which a view shows low_stock."""
        return self.cfg.INVENTORY_CONFIG.low_stock_threshold

    @property
    def start_ts(self) -> str:
        """SQL literal: the first second of the period."""
        return f"TIMESTAMP '{self.cfg.start.isoformat()} 00:00:00'"

    @property
    def end_ts(self) -> str:
        """SQL literal: the last second of the period."""
        return f"TIMESTAMP '{self.cfg.end.isoformat()} 23:59:59'"

    @property
    def end_date(self) -> dt.date:
        """Last day of the period."""
        return self.cfg.end


@dataclass
class Failures:
    """Failing rows found by a Python-backed check: their count and a few of them."""

    count: int
    columns: list[str]
    sample: list[tuple[Any, ...]]


#: A check body: SQL text selecting the failing rows, or a function computing them.
Query = Callable[[Context], str]
Compute = Callable[[Context], Failures]


@dataclass(frozen=True)
class Check:
    """A data-quality check: its query selects the rows that break the rule."""

    name: str
    category: Category
    severity: Severity
    description: str
    query: Query | None = None
    compute: Compute | None = None
    applies: Callable[[Context], bool] | None = None
    #: A cheap test that, when true, proves the query finds no rows (it then is not run);
    #: when false the query runs as usual, so a proof only saves time, never hides a failure.
    proof: Callable[[Context], bool] | None = None

    def failures(self, ctx: Context) -> Failures:
        """Count and sample the rows breaking the rule."""
        if self.compute is not None:
            return self.compute(ctx)
        assert self.query is not None
        sql = self.query(ctx)
        if self.proof is not None and self.proof(ctx):
            return Failures(0, list(ctx.con.sql(sql).columns), [])
        return sql_failures(ctx, sql)


def sql_failures(ctx: Context, sql: str) -> Failures:
    """Count and sample the rows selected by ``sql``."""
    rel = ctx.con.sql(f"SELECT *, count(*) OVER () AS __n FROM ({sql}) LIMIT {SAMPLE_ROWS}")
    cols = [c for c in rel.columns if c != "__n"]
    rows = rel.fetchall()
    if not rows:
        return Failures(0, cols, [])
    return Failures(int(rows[0][-1]), cols, [r[:-1] for r in rows])


#: Rows per batch when a check streams a column in file order.
STREAM_ROWS = 1 << 20


def file_order_increasing(ctx: Context, table: str, columns: tuple[str, ...],
                          strict: bool = True, exprs: dict[str, str] | None = None,
                          batch_rows: int = STREAM_ROWS) -> bool:
    """Whether ``columns`` (integer, date or timestamp, no nulls) increase lexicographically
    row by row in file order (``strict`` applies to the last column).

    ``exprs`` gives a SQL expression for a column that is computed rather than stored.
    Strictly increasing keys are unique; a table scan returns rows in file order because
    insertion order is preserved at load. The columns are read ``batch_rows`` at a time,
    each batch compared from the last row of the one before, so memory stays bounded
    whatever the table's size.
    """
    exprs = exprs or {}
    cols = ", ".join(f'{exprs.get(c, chr(34) + c + chr(34))} AS "{c}"' for c in columns)
    reader = ctx.con.sql(f'SELECT {cols} FROM "{table}"').to_arrow_reader(batch_rows)
    last: list[np.ndarray] | None = None
    for rb in reader:
        if rb.num_rows == 0:
            continue
        vals = []
        for arr in rb.columns:
            a = _ordered_ints(arr)
            if a is None:
                return False
            vals.append(a)
        if last is not None:
            vals = [np.concatenate([p, a]) for p, a in zip(last, vals, strict=True)]
        if not _increasing(vals, strict):
            return False
        last = [a[-1:] for a in vals]
    return True


def _ordered_ints(arr: pa.Array) -> np.ndarray | None:
    """An Arrow integer, date or timestamp column as integers in the same order (None when
    it has nulls or another type)."""
    if arr.null_count:
        return None
    t = arr.type
    if pa.types.is_integer(t):
        return arr.to_numpy()
    if pa.types.is_date32(t):
        return arr.view(pa.int32()).to_numpy()
    if pa.types.is_timestamp(t) or pa.types.is_date64(t):
        return arr.view(pa.int64()).to_numpy()
    return None


def _increasing(vals: list[np.ndarray], strict: bool) -> bool:
    """Whether the rows of ``vals`` (columns) increase lexicographically."""
    if len(vals[0]) < 2:
        return True
    ok = vals[-1][1:] > vals[-1][:-1] if strict else vals[-1][1:] >= vals[-1][:-1]
    for a in reversed(vals[:-1]):
        ok = (a[1:] > a[:-1]) | ((a[1:] == a[:-1]) & ok)
    return bool(ok.all())


REGISTRY: dict[str, Check] = {}


def register(c: Check) -> Check:
    """Add a check to the registry (names are unique)."""
    if c.name in REGISTRY:
        raise ValueError(f"check {c.name!r} registered twice")
    if c.category not in CATEGORIES:
        raise ValueError(f"check {c.name!r}: unknown category {c.category!r}")
    REGISTRY[c.name] = c
    return c


def check(name: str, category: Category, description: str, severity: Severity = "error",
          applies: Callable[[Context], bool] | None = None,
          proof: Callable[[Context], bool] | None = None) -> Callable[[Query], Query]:
    """Decorator: register a function returning the SQL of the failing rows."""

    def deco(fn: Query) -> Query:
        register(Check(name, category, severity, description, query=fn, applies=applies,
                       proof=proof))
        return fn

    return deco


def all_checks() -> list[Check]:
    """Every registered check, in category then registration order."""
    from ecomgen.checks import (  # noqa: F401
        after_order,
        business,
        referential,
        statistical,
        structural,
        temporal,
    )

    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(REGISTRY.values(), key=lambda c: order[c.category])
