"""Open a written dataset (CSV, Parquet or DuckDB) as one DuckDB relation per table."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ecomgen.config import Config
from ecomgen.interrupts import reraise_if_interrupted, watch
from ecomgen.layout import table_files
from ecomgen.schema import KIND_TYPES, TABLES, Column

#: DuckDB type of each column kind (schema.py's map; money is exact rupees with two decimals).
DUCK_TYPES: dict[str, str] = {kind: t.sql for kind, t in KIND_TYPES.items()}

#: DuckDB type families a Parquet/DuckDB column of each kind may have.
TYPE_FAMILIES: dict[str, tuple[str, ...]] = {
    "int": ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT",
            "UTINYINT", "HUGEINT"),
    "float": ("DOUBLE", "FLOAT"),
    "bool": ("BOOLEAN",),
    "money": ("DECIMAL", "DOUBLE", "FLOAT"),
    "ts": ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE"),
    "date": ("DATE",),
    "cat": ("VARCHAR", "ENUM"),
    "sku": ("VARCHAR",),
    "str": ("VARCHAR",),
}

MANIFEST = "manifest.json"
DUCKDB_FILE = "ecomgen.duckdb"
TS_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass
class DatasetInfo:
    """What was found on disk: format per table, columns present, extra columns."""

    path: Path
    formats: dict[str, str] = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    source_types: dict[str, dict[str, str]] = field(default_factory=dict)
    rejects: dict[str, str] = field(default_factory=dict)
    #: Tables whose file exists but cannot be read at all, with the reason.
    unreadable: dict[str, str] = field(default_factory=dict)
    materialized: bool = False


class DatasetError(ValueError):
    """The directory does not hold an ecomgen dataset."""


def load_manifest(path: Path) -> dict[str, Any]:
    """The dataset's manifest.json as a dict ({} when absent or unreadable)."""
    f = Path(path) / MANIFEST
    if not f.is_file():
        return {}
    try:
        data = json.loads(f.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_config(path: Path) -> Config:
    """The run's Config from manifest.json (defaults where absent or not readable).

    A config that no longer validates (written by an older ecomgen, or edited) keeps every
    top-level part that still does — the period first — so that checks of the period,
    sizes and seed still use the run's values.
    """
    cfg = load_manifest(path).get("config")
    if not isinstance(cfg, dict):
        return Config()
    try:
        return Config.model_validate(cfg)
    except ValueError:  # pydantic's ValidationError
        pass
    data = Config().model_dump()
    parts = [("start", "end"), *((k,) for k in cfg if k not in ("start", "end"))]
    for keys in parts:
        trial = {**data, **{k: cfg[k] for k in keys if k in cfg and k in data}}
        try:
            Config.model_validate(trial)
        except ValueError:
            continue
        data = trial
    return Config.model_validate(data)


def _csv_header(file: Path) -> list[str]:
    with file.open("r", encoding="utf-8", newline="") as fh:
        line = fh.readline(1 << 16).rstrip("\r\n")
    return [h.strip().strip('"') for h in line.split(",")] if line else []


def reason(exc: BaseException) -> str:
    """The first line of an exception's message, without DuckDB's error-class prefix."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.removeprefix("IO Error: ").removeprefix("Invalid Input Error: ")[:300]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _select_list(cols: tuple[Column, ...], present: set[str], cast: bool) -> str:
    parts = []
    for c in cols:
        t = DUCK_TYPES[c.kind]
        if c.name not in present:
            parts.append(f"CAST(NULL AS {t}) AS {_q(c.name)}")
        elif cast:
            parts.append(f"TRY_CAST({_q(c.name)} AS {t}) AS {_q(c.name)}")
        else:
            parts.append(_q(c.name))
    return ", ".join(parts)


def detect_formats(path: Path) -> dict[str, str]:
    """Format of each table found in ``path``: csv, parquet or duckdb."""
    path = Path(path)
    if (path / DUCKDB_FILE).is_file():
        return {name: "duckdb" for name in TABLES}
    out: dict[str, str] = {}
    for name in TABLES:
        if table_files(path, name, ".parquet"):
            out[name] = "parquet"
        elif table_files(path, name, ".csv"):
            out[name] = "csv"
    return out


def _files_sql(files: list[Path]) -> str:
    """SQL list of the files of a table (one file or its parts, in order)."""
    return "[" + ", ".join(_lit(str(f)) for f in files) + "]"


def open_dataset(path: Path, materialize: bool = False, threads: int | None = None,
                 memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one VIEW (or, materialized, TABLE) per table of ``path``.

    CSV files are read with the column types of schema.py (strict ISO timestamps). When
    materialized, rows with cells that do not parse are left out and recorded in
    ``_rejects_<table>``; as views, such a cell makes the query fail. Columns missing from
    a file read as NULL. A table whose file cannot be read at all raises DatasetError here
    (:func:`open_dataset_info` records it instead, for validation to report).
    """
    con, info = open_dataset_info(path, materialize=materialize, threads=threads,
                                  memory_limit=memory_limit)
    if info.unreadable:
        con.close()
        name, reason = next(iter(info.unreadable.items()))
        raise DatasetError(f"{path}: the {name} table cannot be read ({reason}); run "
                           f"`ecomgen validate {path}` for a full diagnosis")
    return con


def open_dataset_info(path: Path, materialize: bool = False, threads: int | None = None,
                      memory_limit: str | None = None
                      ) -> tuple[duckdb.DuckDBPyConnection, DatasetInfo]:
    """Like :func:`open_dataset`, also returning what was found on disk."""
    path = Path(path)
    if not path.is_dir():
        raise DatasetError(f"{path} is not a directory; pass the output directory of "
                           "`ecomgen generate`")
    formats = detect_formats(path)
    if not formats:
        raise DatasetError(f"{path} holds no ecomgen tables (<table>.csv, <table>.parquet or "
                           f"{DUCKDB_FILE}); pass the output directory of `ecomgen generate`")
    con = watch(duckdb.connect(":memory:"))
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {_lit(memory_limit)}")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    info = DatasetInfo(path=path, formats=formats, materialized=materialize)
    kind = "TABLE" if materialize else "VIEW"
    have: set[str] = set()
    if "duckdb" in formats.values():
        try:
            con.execute(f"ATTACH {_lit(str(path / DUCKDB_FILE))} AS src (READ_ONLY)")
            have = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
        except duckdb.Error as exc:
            info.unreadable.update({n: f"{DUCKDB_FILE}: {reason(exc)}" for n in TABLES})
    for name, table in TABLES.items():
        fmt = formats.get(name)
        if fmt is not None and name not in info.unreadable and (fmt != "duckdb" or name in have):
            try:
                _open_table(con, info, path, name, fmt, kind)
                continue
            except (duckdb.Error, OSError, UnicodeDecodeError) as exc:
                reraise_if_interrupted(exc)
                info.unreadable[name] = reason(exc)
                with contextlib.suppress(duckdb.Error):
                    con.execute(f"DROP {kind} IF EXISTS {_q(name)}")
        info.missing_tables.append(name)
        info.formats.pop(name, None)
        con.execute(f"CREATE {kind} {_q(name)} AS SELECT "
                    f"{_select_list(table.columns, set(), False)} WHERE false")
    return con, info


def _open_table(con: duckdb.DuckDBPyConnection, info: DatasetInfo, path: Path, name: str,
                fmt: str, kind: str) -> None:
    """Create the relation of one table from its file (raises when it cannot be read)."""
    table = TABLES[name]
    materialize = info.materialized
    expected = table.column_names
    if fmt == "csv":
        files = table_files(path, name, ".csv")
        file = files[0]
        header = _csv_header(file)
        types = {h: DUCK_TYPES[table.column(h).kind] if h in expected else "VARCHAR"
                 for h in header}
        if not types:
            raise OSError(f"{file.name} is empty (no header row)")
        cols = "{" + ", ".join(f"{_lit(h)}: {_lit(t)}" for h, t in types.items()) + "}"
        rej = f"_rejects_{name}"
        extra = (f", store_rejects = true, rejects_table = {_lit(rej)}, "
                 f"rejects_scan = {_lit(rej + '_scan')}") if materialize else ""
        src = (f"read_csv({_files_sql(files)}, header = true, auto_detect = false, "
               f"columns = {cols}, delim = ',', quote = '\"', escape = '\"', "
               f"timestampformat = {_lit(TS_FORMAT)}, dateformat = '%Y-%m-%d'{extra})")
        if materialize:
            info.rejects[name] = rej
        actual = {h: "VARCHAR" for h in header}
        cast = False
    elif fmt == "parquet":
        src = f"read_parquet({_files_sql(table_files(path, name, '.parquet'))})"
        cast = True
    else:
        src = f"src.{_q(name)}"
        cast = True
    if fmt != "csv":
        actual = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    present = set(actual)
    sel = _select_list(table.columns, present, cast)
    con.execute(f"CREATE {kind} {_q(name)} AS SELECT {sel} FROM {src}")
    info.source_types[name] = actual
    info.missing_columns[name] = [c for c in expected if c not in present]
    info.extra_columns[name] = [c for c in actual if c not in expected]
