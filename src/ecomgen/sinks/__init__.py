"""Sinks: writers that turn simulation batches into files (CSV, Parquet, DuckDB)."""

from __future__ import annotations

from pathlib import Path

from ecomgen.layout import Parts
from ecomgen.sinks.base import Sink

FORMATS: tuple[str, ...] = ("csv", "parquet", "duckdb")


def make_sink(fmt: str, directory: Path, parts: Parts | None = None,
              owned: dict[str, list[int]] | None = None) -> Sink:
    """The sink for output format ``fmt`` writing under ``directory`` (as part files when
    ``parts`` is given: of the tables and parts in ``owned``, or all)."""
    if parts is not None:
        if fmt == "duckdb":
            raise ValueError("--parts writes CSV or Parquet part files, not a DuckDB database")
        from ecomgen.sinks.parted import PartedSink

        return PartedSink(type(make_sink(fmt, directory)), directory, parts, owned)
    if fmt == "csv":
        from ecomgen.sinks.csv import CsvSink

        return CsvSink(directory)
    if fmt == "parquet":
        from ecomgen.sinks.parquet import ParquetSink

        return ParquetSink(directory)
    if fmt == "duckdb":
        from ecomgen.sinks.duckdb import DuckDbSink

        return DuckDbSink(directory)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "Sink", "make_sink"]
