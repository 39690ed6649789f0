"""CSV sink: one ``<table>.csv`` per table, header once, batches appended."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl

from ecomgen.schema import Table
from ecomgen.sinks.base import Batch, Sink, table_of
from ecomgen.sinks.frame import empty_frame, format_iso_seconds, to_frame

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class CsvSink(Sink):
    """Writes ``<table>.csv`` files with polars, hashing the bytes as they are written."""

    suffix = ".csv"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._files: dict[str, IO[bytes]] = {}
        self._hashes: dict[str, hashlib._Hash] = {}
        self._paths: dict[str, Path] = {}

    def open(self, table: Table) -> None:
        """Create ``<table>.csv`` and write its header."""
        path = self.directory / f"{table.name}{self.suffix}"
        self._paths[table.name] = path
        self._files[table.name] = path.open("wb")
        self._hashes[table.name] = hashlib.sha256()
        self.rows.setdefault(table.name, 0)
        self._emit(table.name, empty_frame(table).write_csv().encode())

    def write(self, table_name: str, batch: Batch) -> None:
        """Append a batch (no header)."""
        table = table_of(table_name)
        if table_name not in self._files:
            self.open(table)
        df = to_frame(table, batch)
        fast = [pl.Series(c.name, format_iso_seconds(np.asarray(batch[c.name])))
                for c in table.columns if c.kind == "ts" and not c.nullable]
        self.write_frame(table_name, df.with_columns(fast) if fast else df)

    def write_frame(self, table_name: str, df: pl.DataFrame) -> None:
        """Append an already converted frame."""
        if df.height == 0:
            return
        df.write_csv(_Hashing(self._files[table_name], self._hashes[table_name]),
                     include_header=False, datetime_format=DATETIME_FORMAT)
        self._count(table_name, df.height)

    def _emit(self, table_name: str, data: bytes | memoryview) -> None:
        self._files[table_name].write(data)
        self._hashes[table_name].update(data)

    def close(self) -> list[Path]:
        """Close every file; record their digests."""
        for name, fh in self._files.items():
            if not fh.closed:
                fh.close()
                self.digests[self._paths[name]] = self._hashes[name].hexdigest()
        return list(self._paths.values())


class _Hashing:
    """Write-through file wrapper that hashes every chunk polars writes (no whole-batch copy)."""

    def __init__(self, fh: IO[bytes], digest: hashlib._Hash) -> None:
        self._fh = fh
        self._digest = digest

    def write(self, data: bytes) -> int:
        """Hash and write one chunk."""
        self._digest.update(data)
        return self._fh.write(data)

    def flush(self) -> None:
        """Nothing is buffered here."""
