"""Parquet sink: one ``<table>.parquet`` per table, fixed-size row groups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ecomgen.schema import Table
from ecomgen.sinks.base import Batch, Sink, table_of
from ecomgen.sinks.frame import empty_frame, to_frame

#: Rows per row group. Groups are cut from the row stream alone, so the bytes never depend
#: on how the simulation batched its output.
ROW_GROUP_ROWS = 1 << 20
COMPRESSION = "snappy"


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a table without rows (categorical columns as plain strings)."""
    schema = empty_frame(table).to_arrow().schema
    return pa.schema([pa.field(f.name, f.type) for f in schema])


class ParquetSink(Sink):
    """Writes ``<table>.parquet`` files with pyarrow (each created with its first row group)."""

    suffix = ".parquet"

    def __init__(self, directory: Path, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        super().__init__(directory)
        self.row_group_rows = row_group_rows
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._schemas: dict[str, pa.Schema] = {}
        self._fixed: set[str] = set()
        self._pending: dict[str, list[pa.Table]] = {}
        self._pending_rows: dict[str, int] = {}
        self._paths: dict[str, Path] = {}

    @classmethod
    def part_options(cls, parts: int) -> dict[str, Any]:
        """Row groups of ``ROW_GROUP_ROWS // parts`` rows: a table's parts hold under one group."""
        return {"row_group_rows": max(ROW_GROUP_ROWS // parts, 1)}

    def open(self, table: Table) -> None:
        """Create ``<table>.parquet`` with the table's schema."""
        path = self.path_of(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        schema = arrow_schema(table)
        self._paths[table.name] = path
        self._schemas[table.name] = schema
        self._pending[table.name] = []
        self._pending_rows[table.name] = 0
        self.rows.setdefault(table.name, 0)

    def write(self, table_name: str, batch: Batch) -> None:
        """Buffer a batch; write full row groups."""
        table = table_of(table_name)
        if table_name not in self._paths:
            self.open(table)
        digested = self._add_raw_content(table, batch)
        self.write_frame(table_name, to_frame(table, batch), digested)

    def write_frame(self, table_name: str, df: pl.DataFrame, digested: bool = False) -> None:
        """Buffer an already converted frame; its rows join the table's content digest
        (unless ``digested``: they were added from the raw columns)."""
        if df.height == 0:
            return
        data = df.to_arrow()
        if not digested:
            self._add_content(table_name, data)
        if table_name not in self._fixed:
            # The first batch fixes the schema: categorical columns stay dictionary-encoded.
            self._schemas[table_name] = data.schema
            self._fixed.add(table_name)
        data = data.cast(self._schemas[table_name])
        self._pending[table_name].append(data)
        self._pending_rows[table_name] += data.num_rows
        self._count(table_name, df.height)
        if self._pending_rows[table_name] >= self.row_group_rows:
            self._flush(table_name, final=False)

    def _writer(self, name: str) -> pq.ParquetWriter:
        """The table's writer, created (with its file) on first use."""
        writer = self._writers.get(name)
        if writer is None:
            writer = self._writers[name] = pq.ParquetWriter(
                self._paths[name], self._schemas[name], compression=COMPRESSION)
        return writer

    def _flush(self, name: str, final: bool) -> None:
        pending = pa.concat_tables(self._pending[name]) if self._pending[name] else None
        self._pending[name], self._pending_rows[name] = [], 0
        if pending is None:
            return
        start, size = 0, self.row_group_rows
        while pending.num_rows - start >= size:
            self._writer(name).write_table(pending.slice(start, size), row_group_size=size)
            start += size
        rest = pending.slice(start)
        if final:
            if rest.num_rows:
                self._writer(name).write_table(rest, row_group_size=size)
        elif rest.num_rows:
            self._pending[name], self._pending_rows[name] = [rest], rest.num_rows

    def close(self) -> list[Path]:
        """Write the last row groups and close every file (a table without rows: its schema)."""
        for name in self._paths:
            writer = self._writer(name)
            if writer.is_open:
                self._flush(name, final=True)
                writer.close()
        return list(self._paths.values())

    def abort(self) -> None:
        """Close the writers without flushing."""
        for writer in self._writers.values():
            if writer.is_open:
                writer.close()
