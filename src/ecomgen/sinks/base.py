"""The sink interface: where converted batches go (files in an output directory)."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from ecomgen.digest import ContentDigest
from ecomgen.schema import TABLES, Table

Batch = dict[str, Any]
#: What a sink wrote, handed between processes: files, rows per table, the files' sha256
#: digests known so far, each table's content digest state.
Written = tuple[list[str], dict[str, int], dict[str, str], dict[str, ContentDigest]]


class Sink(ABC):
    """Receives every table's batches in order and writes them under ``directory``."""

    #: File suffix of one table's file, or "" for a single-file sink.
    suffix: str = ""

    @classmethod
    def part_options(cls, parts: int) -> dict[str, Any]:
        """Constructor options of one sink of ``parts`` part sinks (``--parts``)."""
        return {}

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.rows: dict[str, int] = {}
        #: sha256 hex digests computed while writing (files not listed are hashed afterwards).
        self.digests: dict[Path, str] = {}
        self._content: dict[str, ContentDigest] = {}

    @property
    def content_digests(self) -> dict[str, str]:
        """Every table's content digest (ecomgen.digest) of the rows written so far."""
        return {name: (self._content.get(name) or ContentDigest(table)).hexdigest()
                for name, table in TABLES.items()}

    def _add_content(self, table_name: str, data: Any) -> None:
        """Add converted rows (a polars frame or Arrow table) to the table's content digest."""
        self._content_of(table_name).update(data)

    def _add_raw_content(self, table: Table, batch: Batch) -> bool:
        """Add a batch's rows to the table's content digest straight from its raw columns
        (one compiled pass), where every column allows it; whether it did."""
        from ecomgen.sinks.csv_text import content_sum, raw_columns  # noqa: PLC0415

        raw = raw_columns(table, batch)
        if raw is None:
            return False
        self._content_of(table.name).add_sum(raw.values.shape[1], content_sum(raw))
        return True

    def _content_of(self, table_name: str) -> ContentDigest:
        """The table's content digest so far."""
        digest = self._content.get(table_name)
        if digest is None:
            digest = self._content[table_name] = ContentDigest(table_of(table_name))
        return digest

    def path_of(self, table: Table) -> Path:
        """The file a table is written to."""
        return self.directory / f"{table.name}{self.suffix}"

    def open_all(self) -> None:
        """Open every table of the data contract."""
        for table in TABLES.values():
            self._content.setdefault(table.name, ContentDigest(table))
            self.open(table)

    @abstractmethod
    def open(self, table: Table) -> None:
        """Prepare ``table`` for writing (creates its file with a header / schema)."""

    @abstractmethod
    def write(self, table_name: str, batch: Batch) -> None:
        """Append one batch of ``table_name``'s rows."""

    def release(self, table_name: str) -> None:
        """Close the table's open files until its next batch, where the sink can reopen them."""
        return

    @abstractmethod
    def close(self) -> list[Path]:
        """Finish writing; return the files written."""

    def abort(self) -> None:
        """Release open files after a failure (the caller removes the directory)."""
        with contextlib.suppress(Exception):  # best effort after an earlier error
            self.close()

    def absorb(self, written: Written) -> list[Path]:
        """Take in what another process wrote into this sink's directory (as
        :meth:`written` gives it); the files."""
        paths, rows, digests, content = written
        for name, n in rows.items():
            self._count(name, n)
        self.digests.update({Path(p): h for p, h in digests.items()})
        for name, part in content.items():
            self._content_of(name).merge(part)
        return [Path(p) for p in paths]

    def written(self, paths: list[Path]) -> Written:
        """What this sink wrote (after :meth:`close`), for :meth:`absorb` in another
        process: the files, rows per table, the files' sha256 known so far and each
        table's content digest."""
        digests = {str(p): self.digests[p] for p in paths if p in self.digests}
        return [str(p) for p in paths], dict(self.rows), digests, self.content_parts()

    def content_parts(self) -> dict[str, ContentDigest]:
        """Each table's content digest state (mergeable) of the rows written so far."""
        return dict(self._content)

    def _count(self, table_name: str, n: int) -> None:
        self.rows[table_name] = self.rows.get(table_name, 0) + n


def table_of(name: str) -> Table:
    """The schema table called ``name`` (a clear error for an unknown name)."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None
