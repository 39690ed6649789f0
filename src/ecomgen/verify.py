"""``ecomgen verify DIR``: recompute every table's content digest and every file's sha256.

Files are read in bounded-memory batches (CSV blocks, Parquet row groups, DuckDB record
batches), so a dataset far larger than memory can be verified. The content digest does not
depend on row order or on the library that wrote or reads the file (docs/content_digest.md);
the sha256 pins the exact bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ecomgen.digest import SCHEME, ContentDigest, parse
from ecomgen.layout import table_of_file
from ecomgen.output import MANIFEST, sha256_file
from ecomgen.schema import TABLES, Table, arrow_type

#: Rows per batch read back from Parquet and DuckDB.
READ_ROWS = 1 << 16
#: Bytes per block read from a CSV file.
CSV_BLOCK = 1 << 20
DUCKDB_FILE = "ecomgen.duckdb"
#: DuckDB settings for reading back: a bounded buffer pool (blocks are read once, in order).
DUCKDB_READ_CONFIG: dict[str, str] = {"memory_limit": "256MB"}
FORMATS = ("csv", "parquet", "duckdb")


class NotADataset(ValueError):
    """The directory has no readable ecomgen manifest."""


@dataclass
class Line:
    """The verdict on one table (or one file that belongs to no single table)."""

    name: str
    problems: list[str] = field(default_factory=list)
    note: str = ""
    #: True for a file line (a file shared by tables, or one no table owns).
    is_file: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing differs from the manifest."""
        return not self.problems

    def render(self, width: int) -> str:
        """``name  ok`` or ``name  FAILED: problem; problem``."""
        status = "ok" + (f" ({self.note})" if self.note else "") if self.ok else \
            "FAILED: " + "; ".join(self.problems)
        return f"{self.name:<{width}}  {status}"


@dataclass
class Verification:
    """Everything ``verify`` found."""

    path: Path
    fmt: str
    lines: list[Line]

    @property
    def passed(self) -> bool:
        """True when every table and file matches the manifest."""
        return all(line.ok for line in self.lines)

    def render(self) -> str:
        """One line per table (and per shared file), then the verdict."""
        width = max(len(line.name) for line in self.lines)
        out = [line.render(width) for line in self.lines]
        tables = sum(1 for line in self.lines if not line.is_file)
        files = len(self.lines) - tables
        checked = f"{tables} tables" + (f" and {files} file{'s' * (files > 1)}" if files else "")
        bad = sum(1 for line in self.lines if not line.ok)
        if bad:
            out.append(f"verification FAILED: {bad} of {checked} do not match the manifest "
                       f"({self.path})")
        else:
            out.append(f"verified: {checked} match the manifest ({self.path})")
        return "\n".join(out) + "\n"


def load(path: Path) -> dict[str, Any]:
    """The manifest of ``path``; NotADataset when there is none, or it is not ecomgen's."""
    path = Path(path)
    where = f"{path} is not an ecomgen output directory"
    if not path.is_dir():
        raise NotADataset(f"{where}: not a directory")
    file = path / MANIFEST
    if not file.is_file():
        raise NotADataset(f"{where}: no {MANIFEST}")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise NotADataset(f"{where}: {MANIFEST} is unreadable ({_reason(exc)})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict) \
            or not isinstance(manifest.get("files"), dict) \
            or manifest.get("format") not in FORMATS:
        raise NotADataset(f"{where}: {MANIFEST} is not an ecomgen manifest")
    return manifest


def verify_dir(path: Path) -> Verification:
    """Check every file's bytes and every table's rows and content against the manifest."""
    path = Path(path)
    manifest = load(path)
    fmt = manifest["format"]
    files: dict[str, Any] = manifest["files"]
    scheme = manifest.get("content_digest_scheme")
    checked_files: dict[str, str | None] = {}  # file name -> problem (None when it matches)

    def file_problem(name: str) -> str | None:
        if name not in checked_files:
            checked_files[name] = _check_file(path / name, files.get(name))
        return checked_files[name]

    lines: list[Line] = []
    for name, table in TABLES.items():
        line = Line(name)
        lines.append(line)
        recorded = manifest["tables"].get(name)
        if not isinstance(recorded, dict):
            line.problems.append("not in the manifest")
            continue
        # the table's file, or its part files (--parts), as the manifest lists them
        fnames = [DUCKDB_FILE] if fmt == "duckdb" else \
            sorted(k for k in files if table_of_file(k) == name) or [f"{name}.{fmt}"]
        missing = [f for f in fnames if not (path / f).is_file()]
        if missing:
            line.problems.append(f"file missing ({', '.join(missing[:3])})")
            checked_files.update(dict.fromkeys(missing, "file missing"))
            continue
        found = [p if len(fnames) == 1 else f"{f}: {p}"
                 for f in fnames if fmt != "duckdb" and (p := file_problem(f))]
        bytes_problem = "; ".join(found) or None
        try:
            digest = ContentDigest(table)
            for f in fnames:
                digest.merge(_read_digest(table, fmt, path / f))
        except Exception as exc:  # noqa: BLE001 - any reader failure is reported, not raised
            line.problems += [p for p in (bytes_problem, f"unreadable: {_reason(exc)}") if p]
            continue
        rows = recorded.get("rows")
        if isinstance(rows, int) and digest.rows != rows:
            line.problems.append(f"rows {digest.rows:,} vs {rows:,} recorded")
        want = recorded.get("content_digest")
        if scheme != SCHEME or not isinstance(want, str):
            line.note = ("no content digest recorded" if scheme is None else
                         f"content digest scheme {scheme!r} is not {SCHEME!r}") + \
                ": rows and file checked"
        elif not _same(want, digest):
            line.problems.append("content differs")
        elif bytes_problem and not line.problems:
            bytes_problem += " (content matches: rows reordered or re-encoded)"
        if bytes_problem:
            line.problems.insert(0, bytes_problem)
    # files of the manifest not tied to one table (the DuckDB database, anything else)
    for fname in sorted(files):
        if fmt != "duckdb" and table_of_file(fname) is not None:
            continue
        problem = checked_files.get(fname) if fname in checked_files else file_problem(fname)
        lines.append(Line(fname, [problem] if problem else [], is_file=True))
    return Verification(path, fmt, lines)


def _same(recorded: str, digest: ContentDigest) -> bool:
    try:
        return parse(recorded) == (digest.rows, digest.total)
    except (KeyError, ValueError):
        return False


def _check_file(path: Path, entry: Any) -> str | None:
    """What differs between a file and its manifest entry (None when it matches)."""
    if not path.is_file():
        return "file missing"
    if not isinstance(entry, dict) or "sha256" not in entry:
        return "file not in the manifest"
    try:
        size = path.stat().st_size
        digest = sha256_file(path)
    except OSError as exc:
        return f"unreadable: {_reason(exc)}"
    if digest != entry["sha256"]:
        recorded = entry.get("bytes")
        if isinstance(recorded, int) and recorded != size:
            return f"file checksum differs ({size:,} bytes vs {recorded:,} recorded)"
        return "file checksum differs"
    return None


def _reason(exc: BaseException) -> str:
    """An error message on one printable line of at most 200 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 200 else text[:197] + "..."


# ------------------------------------------------------------------------------ readers
def _read_digest(table: Table, fmt: str, path: Path) -> ContentDigest:
    digest = ContentDigest(table)
    batches = {"csv": _csv_batches, "parquet": _parquet_batches,
               "duckdb": _duckdb_batches}[fmt](table, path)
    for batch in batches:
        digest.update(batch)
    return digest


def _check_columns(table: Table, names: list[str]) -> None:
    if names != table.column_names:
        missing = [c for c in table.column_names if c not in names]
        extra = [c for c in names if c not in table.column_names]
        detail = ", ".join(filter(None, [
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
            "in another order" if not missing and not extra else ""]))
        raise ValueError(f"columns differ from the schema ({detail})")


def csv_read_types(table: Table) -> dict[str, pa.DataType]:
    """The Arrow type each CSV column is parsed as (schema types; categories dictionary-coded)."""
    out = {}
    for c in table.columns:
        if c.kind == "cat":
            out[c.name] = pa.dictionary(pa.int32(), pa.string())
        elif c.kind == "ts":
            out[c.name] = pa.timestamp("s")
        else:
            out[c.name] = arrow_type(c.kind)
    return out


def _csv_batches(table: Table, path: Path) -> Iterator[pa.RecordBatch]:
    import pyarrow.csv as pcsv

    reader = pcsv.open_csv(
        path,
        read_options=pcsv.ReadOptions(block_size=CSV_BLOCK),
        parse_options=pcsv.ParseOptions(delimiter=",", quote_char='"', double_quote=True,
                                         newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=csv_read_types(table), null_values=[""], strings_can_be_null=True,
            quoted_strings_can_be_null=False, true_values=["true"], false_values=["false"],
            timestamp_parsers=["%Y-%m-%dT%H:%M:%S"]),
    )
    with reader:
        _check_columns(table, reader.schema.names)
        yield from reader


def _parquet_batches(table: Table, path: Path) -> Iterator[pa.RecordBatch]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as f:
        _check_columns(table, f.schema_arrow.names)
        yield from f.iter_batches(batch_size=READ_ROWS)


def _duckdb_batches(table: Table, path: Path) -> Iterator[pa.RecordBatch]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True, config=DUCKDB_READ_CONFIG)
    try:
        rel = con.sql(f'SELECT * FROM "{table.name}"')
        _check_columns(table, list(rel.columns))
        # DuckDB 2 names it to_arrow_reader; earlier versions fetch_record_batch
        reader = getattr(rel, "to_arrow_reader", None) or rel.fetch_record_batch
        yield from reader(READ_ROWS)
    finally:
        con.close()
