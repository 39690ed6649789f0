"""CSV sink: one ``<table>.csv`` per table, header once, batches appended."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import threading
from pathlib import Path

import numpy as np
import polars as pl

from ecomgen.schema import Table
from ecomgen.sinks.base import Batch, Sink, table_of
from ecomgen.sinks.csv_text import encode, raw_columns
from ecomgen.sinks.frame import empty_frame, format_iso_seconds, to_frame

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class CsvSink(Sink):
    """Writes ``<table>.csv`` files with polars, hashing the bytes as they are written."""

    suffix = ".csv"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._files: dict[str, _HashedFile] = {}
        self._paths: dict[str, Path] = {}

    def open(self, table: Table) -> None:
        """Create ``<table>.csv`` and write its header."""
        path = self.path_of(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._paths[table.name] = path
        self._files[table.name] = _HashedFile(path)
        self.rows.setdefault(table.name, 0)
        self._files[table.name].write(_header(table))

    def release(self, table_name: str) -> None:
        """Close the table's file until its next batch (part files: a few open at a time)."""
        out = self._files.get(table_name)
        if out is not None:
            out.release()

    def write(self, table_name: str, batch: Batch) -> None:
        """Append a batch (no header): compiled from the raw columns where every column
        allows it (csv_text), else through polars; the bytes are the same."""
        table = table_of(table_name)
        if table_name not in self._files:
            self.open(table)
        raw = raw_columns(table, batch)
        if raw is None:
            self.write_frame(table_name, to_frame(table, batch))
            return
        n = raw.values.shape[1]
        if n == 0:
            return
        digest = self._content_of(table_name)
        out = self._files[table_name]
        for text, total in encode(raw):
            out.write(text)
            digest.add_sum(0, total)
        digest.add_sum(n, 0)
        self._count(table_name, n)

    def write_frame(self, table_name: str, df: pl.DataFrame) -> None:
        """Append an already converted frame; its rows join the table's content digest."""
        if df.height == 0:
            return
        self._add_content(table_name, df)
        table = table_of(table_name)
        fast = [pl.Series(c.name, format_iso_seconds(_epoch_seconds(df[c.name])))
                for c in table.columns if c.kind == "ts" and not c.nullable]
        if fast:
            df = df.with_columns(fast)
        out = self._files[table_name]
        # Handing polars the unbuffered file lets it write natively, without the GIL
        # (through a Python object it would hold the GIL and stall the simulation thread).
        df.write_csv(out.fh, include_header=False, datetime_format=DATETIME_FORMAT)
        out.hash_new()
        self._count(table_name, df.height)

    def close(self) -> list[Path]:
        """Close every file; record their digests."""
        for name, out in self._files.items():
            if not out.closed:
                self.digests[self._paths[name]] = out.close()
        return list(self._paths.values())


@functools.cache
def _header(table: Table) -> bytes:
    """The table's CSV header line."""
    return empty_frame(table).write_csv().encode()


def _epoch_seconds(ts: pl.Series) -> np.ndarray:
    """Whole seconds of a Datetime("us") column without nulls."""
    return ts.to_physical().to_numpy() // 1_000_000


#: Each writer thread's buffer for reading back what polars appended (allocated on first use,
#: shared by all the files that thread writes).
_READ_BACK = threading.local()


def _read_back_buffer(size: int) -> memoryview:
    """This thread's read-back buffer, at least ``size`` bytes."""
    buf: bytearray | None = getattr(_READ_BACK, "buf", None)
    if buf is None or len(buf) < size:
        buf = _READ_BACK.buf = bytearray(size)
    return memoryview(buf)


class _HashedFile:
    """An unbuffered output file whose sha256 follows what is appended to it.

    ``release`` closes the file between writes; the next write reopens it at its end.
    """

    CHUNK = 4 << 20

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: io.FileIO | None = io.FileIO(path, "w+")
        self.digest = hashlib.sha256()
        self.hashed = 0
        self.closed = False

    @property
    def fh(self) -> io.FileIO:
        """The open file, positioned at its end (reopened after ``release``)."""
        if self._fh is None:
            if self.closed:
                raise ValueError(f"{self.path} is closed")
            self._fh = io.FileIO(self.path, "r+")
            self._fh.seek(0, os.SEEK_END)
        return self._fh

    def write(self, data: bytes | np.ndarray) -> None:
        """Append bytes, hashing them as they go (no read-back)."""
        self.hash_new()  # what polars appended before
        fh = self.fh
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.hashed += len(view)
        while view:  # an unbuffered write may be partial
            view = view[fh.write(view) or 0:]

    def hash_new(self) -> None:
        """Hash what was appended since the last call, read back from the page cache."""
        if self._fh is None:  # released: everything written was hashed then
            return
        fh = self._fh
        end = fh.tell()
        if self.hashed < end:
            view = _read_back_buffer(self.CHUNK)
            while self.hashed < end:
                fh.seek(self.hashed)
                n = fh.readinto(view[: min(self.CHUNK, end - self.hashed)])
                if not n:
                    raise OSError(f"could not read back {self.path} at byte {self.hashed}")
                self.digest.update(view[:n])
                self.hashed += n
            fh.seek(end)

    def release(self) -> None:
        """Hash what is new and close the file until the next write."""
        if self._fh is not None:
            self.hash_new()
            self._fh.close()
            self._fh = None

    def close(self) -> str:
        """Close the file for good; its sha256 hex digest."""
        self.release()
        self.closed = True
        return self.digest.hexdigest()
