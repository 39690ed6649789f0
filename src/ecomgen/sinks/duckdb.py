"""DuckDB sink: one ``ecomgen.duckdb`` database holding every table, keys declared."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ecomgen.interrupts import watch
from ecomgen.schema import KIND_TYPES, Table
from ecomgen.sinks.base import Batch, Sink, table_of
from ecomgen.sinks.frame import to_frame

DATABASE_FILE = "ecomgen.duckdb"
#: Rows buffered per table before an INSERT.
BUFFER_ROWS = 1 << 20

#: Settings that make the database file's bytes a function of its content (see README,
#: "Determinism"): one thread, so row groups and blocks are laid out in insertion order (with
#: several threads their layout follows the scheduling); storage format v1.3.0, the newest one
#: without a random database identifier in the file header (v1.4.0 and later write 16 random
#: bytes there). Files in this format are readable by DuckDB 1.3 and later.
DETERMINISTIC_CONFIG: dict[str, str | int] = {
    "threads": 1,
    "storage_compatibility_version": "v1.3.0",
}

#: DuckDB SQL type of each column kind (schema.py's map).
SQL_TYPE: dict[str, str] = {kind: t.sql for kind, t in KIND_TYPES.items()}


def create_table_sql(table: Table) -> str:
    """CREATE TABLE statement with column types, NOT NULL and the primary key."""
    cols = [f'"{c.name}" {SQL_TYPE[c.kind]}{"" if c.nullable else " NOT NULL"}'
            for c in table.columns]
    key = ", ".join(f'"{k}"' for k in table.primary_key)
    return f'CREATE TABLE "{table.name}" ({", ".join(cols)}, PRIMARY KEY ({key}))'


class DuckDbSink(Sink):
    """Inserts every batch into one DuckDB database file."""

    def __init__(self, directory: Path, buffer_rows: int = BUFFER_ROWS) -> None:
        super().__init__(directory)
        self.path = self.directory / DATABASE_FILE
        self.buffer_rows = buffer_rows
        self._con: duckdb.DuckDBPyConnection | None = None
        self._pending: dict[str, list[pa.Table]] = {}
        self._pending_rows: dict[str, int] = {}

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = watch(duckdb.connect(str(self.path), config=DETERMINISTIC_CONFIG))
        return self._con

    def open(self, table: Table) -> None:
        """Create the table."""
        self._connection().execute(create_table_sql(table))
        self.rows.setdefault(table.name, 0)

    def write(self, table_name: str, batch: Batch) -> None:
        """Insert a batch."""
        table = table_of(table_name)
        if table_name not in self.rows:
            self.open(table)
        digested = self._add_raw_content(table, batch)
        self.write_frame(table_name, to_frame(table, batch), digested)

    def write_frame(self, table_name: str, df: pl.DataFrame, digested: bool = False) -> None:
        """Buffer an already converted frame; insert once enough rows are buffered (its rows
        join the content digest unless ``digested``: they were added from the raw columns)."""
        if df.height == 0:
            return
        data = df.to_arrow()
        if not digested:
            self._add_content(table_name, data)
        self._pending.setdefault(table_name, []).append(data)
        self._pending_rows[table_name] = self._pending_rows.get(table_name, 0) + df.height
        self._count(table_name, df.height)
        if self._pending_rows[table_name] >= self.buffer_rows:
            self._flush(table_name)

    def _flush(self, table_name: str) -> None:
        # one INSERT per large buffer: each statement has a fixed cost of milliseconds
        parts = self._pending.pop(table_name, [])
        self._pending_rows[table_name] = 0
        if not parts:
            return
        con = self._connection()
        con.register("_ecomgen_batch", pa.concat_tables(parts, promote_options="permissive"))
        try:
            con.execute(f'INSERT INTO "{table_name}" SELECT * FROM _ecomgen_batch')
        finally:
            con.unregister("_ecomgen_batch")

    def close(self) -> list[Path]:
        """Checkpoint and close the database."""
        for name in list(self._pending):
            self._flush(name)
        if self._con is not None:
            self._con.execute("CHECKPOINT")
            self._con.close()
            self._con = None
        return [self.path]

    def abort(self) -> None:
        """Close without checkpointing."""
        self._pending.clear()
        if self._con is not None:
            self._con.close()
            self._con = None
