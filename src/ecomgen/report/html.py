"""``ecomgen report``: one self-contained, offline HTML page describing a written dataset."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb

from ecomgen.errors import EnvironmentFault
from ecomgen.interrupts import reraise_if_interrupted
from ecomgen.output.atomic_file import write_text_atomic
from ecomgen.report import queries as q
from ecomgen.report.page import Page, fint, guard
from ecomgen.report.sections import (
    VALIDATION_FILE,
    add_file_bytes,
    rows_of,
    section_after_order,
    section_categories,
    section_daily,
    section_dictionary,
    section_funnel,
    section_inventory,
    section_prices,
    section_profile,
    section_ratings,
    section_run,
    section_validation,
    table_rows,
)
from ecomgen.schema import TABLE_ORDER
from ecomgen.tabledb import (
    DUCKDB_FILE,
    DatasetError,
    load_config,
    load_manifest,
    open_dataset,
    reason,
)

REPORT_FILE = "report.html"
__all__ = ["REPORT_FILE", "VALIDATION_FILE", "build_report", "write_report"]


def _dataset_dir(path: Path) -> Path:
    path = Path(path)
    return path.parent if path.is_file() else path


def _format_of(path: Path) -> str:
    if (path / DUCKDB_FILE).is_file():
        return "duckdb"
    if any(path.glob("*.parquet")):
        return "parquet"
    return "csv"


def build_report(path: Path, shown_as: Path | None = None) -> tuple[str, dict[str, float]]:
    """The report's HTML for the dataset in ``path`` and the seconds each part took."""
    try:
        return _build_report(_dataset_dir(path), shown_as)
    except duckdb.Error as exc:
        reraise_if_interrupted(exc)
        raise DatasetError(f"{path}: cannot build the report ({reason(exc)}); run "
                           f"`ecomgen validate {path}` for a full diagnosis") from None


def _build_report(path: Path, shown_as: Path | None) -> tuple[str, dict[str, float]]:
    name = (shown_as or path).name
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    con = open_dataset(path)
    con.execute("SET enable_progress_bar = false")
    manifest = load_manifest(path)
    cfg = load_config(path)
    fmt = _format_of(path)
    times["open"] = time.perf_counter() - t0
    rowinfo = table_rows(manifest)
    add_file_bytes(rowinfo, manifest)
    t = time.perf_counter()
    known = {n: int(r) for n in TABLE_ORDER
             if isinstance(r := rows_of(rowinfo.get(n, {})), int | float)}
    q.cache_tables(con, known)
    times["cache"] = time.perf_counter() - t
    t = time.perf_counter()
    q.prepare(con)
    fun = q.funnel(con)
    orders = q.order_sizes(con)
    start, end = q.period(con, cfg.start, cfg.end)
    missing = [n for n in TABLE_ORDER if rows_of(rowinfo.get(n, {})) is None]
    if missing:
        for n, c in q.row_counts(con, missing).items():
            rowinfo.setdefault(n, {})["rows"] = c
    times["funnel"] = time.perf_counter() - t

    page = Page()

    def timed(key: str, anchor: str, title: str, build: Any) -> None:
        """Add one section and record how long it took."""
        t1 = time.perf_counter()
        guard(page, anchor, title, build)
        times[key] = time.perf_counter() - t1

    timed("run", "run", "Run", lambda: section_run(manifest, cfg, fmt, fun, rowinfo, orders))
    timed("funnel_html", "funnel", "Funnel", lambda: section_funnel(page, fun))
    timed("daily", "daily", "Daily sales",
          lambda: section_daily(page, q.daily(con, start, end), cfg))
    timed("categories", "categories", "Categories",
          lambda: section_categories(page, q.categories(con)))
    timed("prices", "prices", "Prices",
          lambda: section_prices(page, q.price_histograms(con), orders))
    timed("ratings", "ratings", "Ratings",
          lambda: section_ratings(page, q.ratings(con), fun.overall["sales"]))
    timed("inventory", "inventory", "Inventory",
          lambda: section_inventory(page, con, start, end))
    timed("after_order", "after-order", "After the order",
          lambda: section_after_order(page, q.after_order(con)))
    timed("profile", "profile", "Realism profile", lambda: section_profile(path, con))
    timed("validation", "validation", "Validation", lambda: section_validation(path))
    timed("dictionary", "dictionary", "Data dictionary", lambda: section_dictionary(rowinfo))
    con.close()
    subtitle = (f"seed {manifest.get('seed', cfg.seed)} · {cfg.start} – {cfg.end} · "
                f"{fint(cfg.num_customers)} customers · {fmt}")
    t = time.perf_counter()
    doc = page.render(f"ecomgen report — {name}", subtitle)
    times["render"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    return doc, times


def write_report(path: Path, shown_as: Path | None = None, out: Path | None = None) -> Path:
    """Write ``report.html`` beside the dataset in ``path`` (or to ``out``); its path."""
    out_dir = _dataset_dir(path)
    doc, _ = build_report(out_dir, shown_as)
    target = Path(out) if out is not None else out_dir / REPORT_FILE
    try:
        return write_text_atomic(target, doc)
    except OSError as exc:
        hint = "" if out is not None else "; pass --output FILE to write it elsewhere"
        raise EnvironmentFault(f"cannot write {target} ({exc.strerror or exc}){hint}") \
            from None
