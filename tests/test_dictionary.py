"""docs/data_dictionary.md is generated from the data contract and kept in sync."""

from __future__ import annotations

from pathlib import Path

from ecomgen.dictionary import render
from ecomgen.schema import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"


def test_committed_dictionary_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/data_dictionary.md is stale; run: python -m ecomgen.dictionary "
        "docs/data_dictionary.md")


def test_dictionary_lists_every_column() -> None:
    text = render()
    for table in TABLES.values():
        assert f"## {table.name}\n" in text
        for col in table.columns:
            assert f"| `{col.name}` | {col.kind} |" in text
