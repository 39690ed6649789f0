"""DuckDB sink: one ``ecomgen.duckdb`` database holding every table, keys declared."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ecomgen.schema import Table
from ecomgen.sinks.base import Batch, Sink, table_of
from ecomgen.sinks.frame import to_frame

DATABASE_FILE = "ecomgen.duckdb"

SQL_TYPE: dict[str, str] = {
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "money": "DOUBLE",
    "ts": "TIMESTAMP",
    "date": "DATE",
    "cat": "VARCHAR",
    "sku": "VARCHAR",
    "str": "VARCHAR",
}


def create_table_sql(table: Table) -> str:
    """CREATE TABLE statement with column types, NOT NULL and the primary key."""
    cols = [f'"{c.name}" {SQL_TYPE[c.kind]}{"" if c.nullable else " NOT NULL"}'
            for c in table.columns]
    key = ", ".join(f'"{k}"' for k in table.primary_key)
    return f'CREATE TABLE "{table.name}" ({", ".join(cols)}, PRIMARY KEY ({key}))'


class DuckDbSink(Sink):
    """Inserts every batch into one DuckDB database file."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.path = self.directory / DATABASE_FILE
        self._con: duckdb.DuckDBPyConnection | None = None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect(str(self.path))
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
        self.write_frame(table_name, to_frame(table, batch))

    def write_frame(self, table_name: str, df: pl.DataFrame) -> None:
        """Insert an already converted frame."""
        if df.height == 0:
            return
        con = self._connection()
        con.register("_ecomgen_batch", df.to_arrow())
        try:
            con.execute(f'INSERT INTO "{table_name}" SELECT * FROM _ecomgen_batch')
        finally:
            con.unregister("_ecomgen_batch")
        self._count(table_name, df.height)

    def close(self) -> list[Path]:
        """Checkpoint and close the database."""
        if self._con is not None:
            self._con.execute("CHECKPOINT")
            self._con.close()
            self._con = None
        return [self.path]

    def abort(self) -> None:
        """Close without checkpointing."""
        if self._con is not None:
            self._con.close()
            self._con = None
