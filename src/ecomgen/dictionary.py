"""Render docs/data_dictionary.md from the data contract (``python -m ecomgen.dictionary``)."""

from __future__ import annotations

import sys
from pathlib import Path

from ecomgen.schema import KIND_TYPES, TABLES, Table

HEADER = """# Data dictionary

Generated from `src/ecomgen/schema.py` by `python -m ecomgen.dictionary > docs/data_dictionary.md`;
do not edit by hand.

Every table is written as `<table>.csv` (or `.parquet`, or a table of `ecomgen.duckdb`).
Timestamps are local time of the scenario's market (`timezone` in `manifest.json`,
Asia/Kolkata by default), written without an offset. Money is in rupees (INR); the simulation
keeps it in integer paise and writes it exactly: two decimals always in CSV (`1234.50`),
`decimal128(18, 2)` in Parquet and `DECIMAL(18,2)` in DuckDB, built from the integer paise
without a float on the way. Empty cells (nulls) occur only in columns marked nullable.

| kind | CSV | Parquet / DuckDB |
| --- | --- | --- |
"""


def _arrow_name(kind: str) -> str:
    """The Parquet column's Arrow type (categorical columns are dictionary-encoded)."""
    name = KIND_TYPES[kind].arrow
    return "dictionary of string" if kind == "cat" else name


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_table(table: Table) -> str:
    """The markdown section of one table."""
    fks = {c: fk for fk in table.foreign_keys for c in fk.columns}
    lines = [f"## {table.name}", "", table.description, ""]
    lines.append(f"Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}.")
    for fk in table.foreign_keys:
        cols = ", ".join(f"`{c}`" for c in fk.columns)
        refs = ", ".join(f"`{c}`" for c in fk.ref_columns)
        lines.append(f"Foreign key: ({cols}) → `{fk.table}` ({refs}).")
    if table.event_table:
        lines.append("Event table: rows are written day by day as the simulation runs.")
    lines += ["", "| column | kind | nullable | key | meaning |", "| --- | --- | --- | --- | --- |"]
    for col in table.columns:
        key = []
        if col.name in table.primary_key:
            key.append("PK")
        if col.name in fks:
            key.append(f"FK → {fks[col.name].table}")
        lines.append(f"| `{col.name}` | {col.kind} | {'yes' if col.nullable else ''} | "
                     f"{', '.join(key)} | {_cell(col.description)} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole data dictionary as markdown."""
    kinds = "".join(f"| {k} | {t.csv} | {_arrow_name(k)} / {t.sql} |\n"
                    for k, t in KIND_TYPES.items())
    toc = "".join(f"- [{name}](#{name})\n" for name in TABLES)
    sections = "\n".join(render_table(t) for t in TABLES.values())
    return f"{HEADER}{kinds}\n## Tables\n\n{toc}\n{sections}"


def main(argv: list[str] | None = None) -> int:
    """Print the dictionary, or write it to the path given as the only argument."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
