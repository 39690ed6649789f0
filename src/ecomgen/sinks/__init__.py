"""Sinks: writers that turn simulation batches into files (CSV, Parquet, DuckDB)."""

from __future__ import annotations

from pathlib import Path

from ecomgen.sinks.base import Sink

FORMATS: tuple[str, ...] = ("csv", "parquet", "duckdb")


def make_sink(fmt: str, directory: Path) -> Sink:
    """The sink for output format ``fmt`` writing under ``directory``."""
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
