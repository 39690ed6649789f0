"""``--parts P``: every table written as P part files, ``<table>/part-00000.<ext>`` ...

A :class:`PartedSink` cuts each batch by the part of each row (``ecomgen.layout``) and
hands the pieces, in order, to one sink per part, so part k holds the rows of its fixed
range of customers, products or merchants in the same order as the one-file output.

Parts cost little memory each: a part sink opens a table's file only to write a piece and
closes it again (``Sink.release``), so a run holds a few files open whatever P, and a CSV
part holds no buffer of its own (Parquet parts: ``ParquetSink.part_options``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np

from ecomgen.batch import Batch, take_rows
from ecomgen.digest import ContentDigest
from ecomgen.layout import Parts, part_name
from ecomgen.schema import TABLES, Table
from ecomgen.sinks.base import Sink


@functools.cache
def _part_class(cls: type[Sink]) -> type[Sink]:
    """A subclass of ``cls`` whose instances write ``<table>/part-<k>`` files."""

    class PartSink(cls):  # type: ignore[misc, valid-type]
        def __init__(self, directory: Path, part: int, **options: Any) -> None:
            super().__init__(directory, **options)
            self.part = part

        def path_of(self, table: Table) -> Path:
            return self.directory / table.name / part_name(self.part, self.suffix)

    return PartSink


class PartedSink(Sink):
    """Writes every table as ``parts.parts`` part files through sinks of ``cls``.

    ``owned`` (table -> parts) limits it to the part files one process writes when several
    write the parts of a run (the day loop's workers: ``ecomgen.cluster``); the others'
    files, rows and digests join at the end (:meth:`Sink.absorb`).
    """

    def __init__(self, cls: type[Sink], directory: Path, parts: Parts,
                 owned: dict[str, list[int]] | None = None) -> None:
        super().__init__(directory)
        self.suffix = cls.suffix
        self.parts = parts
        self.owned = owned
        part_cls, options = _part_class(cls), cls.part_options(parts.parts)
        self.sinks = [part_cls(directory, k, **options)  # type: ignore[call-arg]
                      for k in range(parts.parts)]

    def open(self, table: Table) -> None:
        """Open the table in every part."""
        for s in self.sinks:
            s.open(table)
            s.release(table.name)
        self.rows.setdefault(table.name, 0)

    def open_all(self) -> None:
        """Open every table in every part (or the owned ones)."""
        if self.owned is None:
            for s in self.sinks:
                s.open_all()
                for name in TABLES:
                    s.release(name)
        else:
            for name, ks in self.owned.items():
                for k in ks:
                    self.sinks[k].open(TABLES[name])
                    self.sinks[k].release(name)
        for name in TABLES:
            self.rows.setdefault(name, 0)

    def write(self, table_name: str, batch: Batch) -> None:
        """Cut the batch by part, in order, and write each piece to its part."""
        part = self.parts.of(table_name, batch)
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(self.parts.parts + 1))
        for k in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
            if self.owned is not None and k not in self.owned.get(table_name, ()):
                raise ValueError(f"{table_name}: rows of part {k}, which another process "
                                 "writes")
            sink = self.sinks[k]
            sink.write(table_name, take_rows(batch, order[bounds[k]:bounds[k + 1]]))
            sink.release(table_name)
        self._count(table_name, len(part))

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

    def content_parts(self) -> dict[str, ContentDigest]:
        """Every table's content digest state over all its parts (and what other processes
        wrote, :meth:`absorb`)."""
        out = {}
        for name, table in TABLES.items():
            total = ContentDigest(table)
            if name in self._content:
                total.merge(self._content[name])
            for s in self.sinks:
                part = s._content.get(name)
                if part is not None:
                    total.merge(part)
            out[name] = total
        return out

    @property
    def content_digests(self) -> dict[str, str]:
        """Every table's content digest over all its parts."""
        return {name: d.hexdigest() for name, d in self.content_parts().items()}
