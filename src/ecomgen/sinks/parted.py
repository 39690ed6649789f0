"""``--parts P``: every table written as P part files, ``<table>/part-00000.<ext>`` ...

A :class:`PartedSink` cuts each batch by the part of each row (``ecomgen.layout``) and
hands the pieces, in order, to one sink per part, so part k holds the rows of its fixed
range of customer blocks or products in the same order as the one-file output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecomgen.batch import Batch, take_rows
from ecomgen.digest import ContentDigest
from ecomgen.layout import Parts, part_name
from ecomgen.schema import TABLES, Table
from ecomgen.sinks.base import Sink


def _part_sink(cls: type[Sink], directory: Path, k: int) -> Sink:
    """A sink of ``cls`` writing ``<table>/part-<k>`` files."""

    class PartSink(cls):  # type: ignore[misc, valid-type]
        def path_of(self, table: Table) -> Path:
            return self.directory / table.name / part_name(k, self.suffix)

    return PartSink(directory)


class PartedSink(Sink):
    """Writes every table as ``parts.parts`` part files through sinks of ``cls``."""

    def __init__(self, cls: type[Sink], directory: Path, parts: Parts) -> None:
        super().__init__(directory)
        self.suffix = cls.suffix
        self.parts = parts
        self.sinks = [_part_sink(cls, directory, k) for k in range(parts.parts)]

    def open(self, table: Table) -> None:
        """Open the table in every part."""
        for s in self.sinks:
            s.open(table)
        self.rows.setdefault(table.name, 0)

    def open_all(self) -> None:
        """Open every table in every part."""
        for s in self.sinks:
            s.open_all()
        for name in TABLES:
            self.rows.setdefault(name, 0)

    def write(self, table_name: str, batch: Batch) -> None:
        """Cut the batch by part, in order, and write each piece to its part."""
        part = self.parts.of(table_name, batch)
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(self.parts.parts + 1))
        for k in range(self.parts.parts):
            lo, hi = int(bounds[k]), int(bounds[k + 1])
            if hi > lo:
                self.sinks[k].write(table_name, take_rows(batch, order[lo:hi]))
        self.rows[table_name] = sum(s.rows.get(table_name, 0) for s in self.sinks)

    def close(self) -> list[Path]:
        """Close every part; the files written and their digests."""
        paths = [p for s in self.sinks for p in s.close()]
        for s in self.sinks:
            self.digests.update(s.digests)
        return paths

    def abort(self) -> None:
        """Release every part's files."""
        for s in self.sinks:
            s.abort()

    @property
    def content_digests(self) -> dict[str, str]:
        """Every table's content digest over all its parts."""
        out = {}
        for name, table in TABLES.items():
            total = ContentDigest(table)
            for s in self.sinks:
                part = s._content.get(name)
                if part is not None:
                    total.merge(part)
            out[name] = total.hexdigest()
        return out
