"""Run a generation end to end: simulate, write atomically, manifest, validate, report."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecomgen import __version__
from ecomgen.config import Config
from ecomgen.errors import EcomgenError, UserError, as_environment_fault
from ecomgen.interrupts import Interrupted
from ecomgen.layout import Parts, table_of_file
from ecomgen.output import atomic_output, file_entries, resolve_target, write_manifest
from ecomgen.schema import TABLES

if TYPE_CHECKING:
    from rich.console import Console

    from ecomgen.sinks.base import Sink

Emit = Callable[[str, dict[str, Any]], None]


#: Most part files per table.
MAX_PARTS = 10_000


@dataclass(frozen=True)
class Execution:
    """How a run is carried out: worker processes, an existing Dask scheduler, part files.

    None of it changes the rows; ``parts`` changes how they are laid out in files.
    """

    workers: int = 1
    scheduler: str | None = None
    parts: int = 0
    #: Dask workers the cluster had (0: no Dask); ``workers`` is then those that held a shard.
    cluster_workers: int = 0
    #: Part files the workers wrote themselves (the rest, this process).
    files_by_workers: int = 0


@dataclass
class TableStats:
    """Rows and bytes written for one table."""

    rows: int
    bytes: int


@dataclass
class GenerateResult:
    """What a generation produced."""

    outdir: Path
    tables: dict[str, TableStats]
    seconds: float
    warnings: list[str] = field(default_factory=list)
    validation: Any | None = None
    report_path: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Rows over all tables."""
        return sum(t.rows for t in self.tables.values())

    @property
    def total_bytes(self) -> int:
        """Bytes of all data files."""
        return sum(t.bytes for t in self.tables.values())

    @property
    def passed(self) -> bool:
        """False only when validation ran and an error-severity check failed."""
        return self.validation is None or bool(getattr(self.validation, "passed", True))


def _simulate_fn() -> Callable[..., dict[str, Any]]:
    """The simulation entry point (imported late: it is the heaviest module)."""
    from ecomgen.simulation.engine import simulate

    return simulate


def optional_attr(module: str, attr: str) -> Callable[..., Any] | None:
    """``module.attr``, or None when ``module`` itself does not exist (other errors raise)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, attr)


class _WriterThread:
    """Converts and writes batches on worker threads so I/O overlaps the simulation.

    Each table belongs to one worker (its batches stay in order); polars and Arrow release
    the GIL while converting and writing, so several tables are written at once.
    """

    def __init__(self, sink: Sink, workers: int | None = None, depth: int = 3) -> None:
        self.sink = sink
        n = workers or max(1, min(4, (os.cpu_count() or 1) - 1))
        self._queues: list[queue.Queue[tuple[str, dict[str, Any]] | None]] = [
            queue.Queue(depth) for _ in range(n)]
        self._owner = {name: i % n for i, name in enumerate(TABLES)}
        self._error: BaseException | None = None
        self._aborted = False
        self._threads = [threading.Thread(target=self._run, args=(q,), daemon=True,
                                          name=f"ecomgen-writer-{i}")
                         for i, q in enumerate(self._queues)]
        for t in self._threads:
            t.start()

    def _run(self, q: queue.Queue[tuple[str, dict[str, Any]] | None]) -> None:
        while (item := q.get()) is not None:
            if self._error is None and not self._aborted:
                try:
                    self.sink.write(*item)
                except BaseException as exc:  # re-raised on the main thread
                    self._error = exc

    def emit(self, table_name: str, batch: dict[str, Any]) -> None:
        """Queue a batch (blocks while its worker is ``depth`` batches behind)."""
        if self._error is not None:
            self.finish()
        self._queues[self._owner.get(table_name, 0)].put((table_name, batch))

    def finish(self) -> None:
        """Wait for the queues to drain; re-raise a writer error."""
        for q, t in zip(self._queues, self._threads, strict=True):
            if t.is_alive():
                q.put(None)
        for t in self._threads:
            t.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Drop what is queued and stop the workers (after a failure or a signal)."""
        self._aborted = True
        for q, t in zip(self._queues, self._threads, strict=True):
            with contextlib.suppress(queue.Empty):
                while True:
                    q.get_nowait()
            if t.is_alive():
                q.put(None)
        for t in self._threads:
            t.join()


def generate(cfg: Config, outdir: Path | str, *, fmt: str = "csv", overwrite: bool = False,
             use_gpu: bool = False, validate: bool = True, report: bool = True,
             progress: bool = True, console: Console | None = None,
             threaded_writer: bool = True, workers: int = 1,
             scheduler: str | None = None, parts: int = 0) -> GenerateResult:
    """Generate every table of the data contract into ``outdir`` and check it.

    ``workers`` > 1 runs the day loop on a Dask LocalCluster of that many worker processes,
    ``scheduler`` on an existing Dask cluster; the files are the same bytes either way.
    ``parts`` > 0 writes every table as that many part files (``ecomgen.layout``).

    Data, manifest, validation report and report are written into a staging directory that
    becomes ``outdir`` in one step once all of them are complete (see ``ecomgen.output``).
    A run that would not fit in memory is refused first. Environment faults (disk full,
    permission, memory) raise EnvironmentFault; the previous content of ``outdir`` is then
    untouched and nothing is left behind.
    """
    from ecomgen.resources import check_memory
    from ecomgen.sinks import FORMATS

    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")
    if parts and fmt == "duckdb":
        raise UserError("--parts writes CSV or Parquet part files; a DuckDB database is one "
                        "file: use --format csv or parquet, or leave --parts out")
    if not 0 <= parts <= MAX_PARTS:
        raise UserError(f"--parts must be between 1 and {MAX_PARTS:,} (got {parts})")
    check_memory(cfg, fmt, parts)
    t_start = time.perf_counter()
    final = resolve_target(outdir).path
    try:
        run = Execution(workers, scheduler, parts)
        return _generate(cfg, outdir, final, fmt, overwrite, use_gpu, validate, report,
                         progress, console, threaded_writer, t_start, run)
    except (EcomgenError, Interrupted):
        raise
    except BaseException as exc:
        fault = as_environment_fault(exc, f"writing {outdir}")
        if fault is None:
            raise
        fault.message += "; the previous output (if any) is unchanged"
        raise fault from exc


def _generate(cfg: Config, outdir: Path | str, final: Path, fmt: str, overwrite: bool,
              use_gpu: bool, validate: bool, report: bool, progress: bool,
              console: Console | None, threaded_writer: bool,
              t_start: float, run: Execution) -> GenerateResult:
    from ecomgen.backend import get_backend

    warnings: list[str] = []
    timings: dict[str, float] = {}
    backend, warning = get_backend(use_gpu)
    if warning:
        warnings.append(warning)
        _say(console, f"[yellow]warning:[/] {warning}", plain=f"warning: {warning}")

    def note(message: str) -> None:
        _say(console, f"[dim]{message}[/]", plain=message)

    with atomic_output(outdir, overwrite, notify=note) as stage:
        sink, files, paths = _write(cfg, stage, fmt, backend, progress, console,
                                    threaded_writer, timings, run)
        timings["write"] = time.perf_counter() - t_start
        validation = _after(validate, "validate", "validation", "ecomgen.checks.runner",
                            "validate_dir", stage, final, console, warnings, timings)
        _after(report, "report", "report", "ecomgen.report.html", "write_report", stage,
               final, console, warnings, timings)
    tables = _table_stats(fmt, sink.rows, files)
    report_path = final / "report.html" if (final / "report.html").is_file() else None
    result = GenerateResult(final, tables, time.perf_counter() - t_start, warnings, validation,
                            report_path, timings)
    if console is not None:
        print_summary(console, result)
    return result


def _write(cfg: Config, stage: Path, fmt: str, backend: Any, progress: bool,
           console: Console | None, threaded_writer: bool, timings: dict[str, float],
           run: Execution | None = None) -> tuple[Sink, dict[str, Any], list[Path]]:
    """Simulate and write every table and the manifest into ``stage``."""
    from ecomgen.sinks import make_sink
    from ecomgen.sinks.coalesce import Coalescer

    run = run or Execution()
    simulate = _simulate_fn()
    dask_workers: list[int] = []  # Dask workers that held a shard, and the cluster's count
    parts = Parts(run.parts, cfg.num_customers, cfg.num_products,
                  cfg.num_merchants) if run.parts else None
    sink = make_sink(fmt, stage, parts)
    workers_write = parts is not None and (run.workers > 1 or run.scheduler is not None)
    if run.workers > 1 or run.scheduler is not None:
        from ecomgen.cluster import simulate_on_dask
        from ecomgen.shard_writer import WriteSpec

        def open_sink(owned: dict[str, list[int]]) -> None:
            sink.owned = owned  # type: ignore[attr-defined]  # the parts this process writes
            sink.open_all()

        # With part files each worker writes its own parts; else this process writes all.
        spec = WriteSpec(fmt, str(stage), run.parts, cfg.num_customers, cfg.num_products,
                         cfg.num_merchants) if workers_write else None
        simulate = functools.partial(simulate_on_dask, workers=run.workers,
                                     scheduler=run.scheduler,
                                     on_workers=lambda *n: dask_workers.extend(n),
                                     writer=spec, open_sink=open_sink)
    writer: _WriterThread | None = None
    try:
        if not workers_write:
            sink.open_all()
        # One DuckDB connection takes one writer; file-per-table sinks take several.
        threads = 1 if fmt == "duckdb" else None
        writer = _WriterThread(sink, threads) if threaded_writer else None
        emit = Coalescer(writer.emit if writer else sink.write)
        t0 = time.perf_counter()
        with _ProgressBar(console if progress else None, cfg.num_days) as tick:
            summary = simulate(cfg, backend, emit, tick)
        emit.flush()
        if writer:
            writer.finish()
        paths = sink.close()
        by_workers = 0
        for written in summary.pop("written", None) or []:  # what the workers wrote
            absorbed = sink.absorb(written)
            by_workers += len(absorbed)
            paths += absorbed
        timings["simulate_and_write"] = time.perf_counter() - t0
    except BaseException:
        if writer:
            writer.abort()
        sink.abort()
        raise
    t0 = time.perf_counter()
    files = file_entries(stage, paths, sink.digests)
    timings["hash"] = time.perf_counter() - t0
    if dask_workers:
        run = replace(run, workers=dask_workers[0], cluster_workers=dask_workers[1],
                      files_by_workers=by_workers)
    write_manifest(stage, _manifest(cfg, fmt, backend.name, sink, files, summary, timings,
                                    run))
    return sink, files, paths


def _after(enabled: bool, step: str, label: str, module: str, attr: str, stage: Path,
           final: Path, console: Console | None, warnings: list[str],
           timings: dict[str, float]) -> Any:
    """Run an after-generation step (validation, report) on the staged output."""
    if not enabled:
        return None
    t0 = time.perf_counter()
    fn = optional_attr(module, attr)
    result = None
    if fn is None:
        note = f"{label} skipped: {module} is not available"
        warnings.append(note)
        _say(console, f"[dim]{note}[/]", plain=None)
    else:
        result = fn(stage, shown_as=final)
    timings[step] = time.perf_counter() - t0
    return result


def _manifest(cfg: Config, fmt: str, backend: str, sink: Sink, files: dict[str, Any],
              summary: Any, timings: dict[str, float],
              run: Execution | None = None) -> dict[str, Any]:
    from ecomgen.digest import SCHEME

    contents = sink.content_digests
    tables = {name: {"rows": sink.rows.get(name, 0), "content_digest": contents[name]}
              for name in TABLES}
    return {
        "ecomgen_version": __version__,
        "content_digest_scheme": SCHEME,
        "seed": cfg.seed,
        "backend": backend,
        "format": fmt,
        "layout": {"parts": run.parts} if run and run.parts else {"parts": 0},
        "timezone": cfg.timezone,
        "currency": cfg.currency,
        "period": {"start": cfg.start.isoformat(), "end": cfg.end.isoformat(),
                   "days": cfg.num_days},
        "config": cfg.model_dump(mode="json"),
        "tables": tables,
        "files": files,
        "simulation": _jsonable(summary),
        "run": {
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "timings_seconds": {k: round(v, 4) for k, v in timings.items()},
            "workers": run.workers if run else 1,
            **({"cluster_workers": run.cluster_workers} if run and run.cluster_workers else {}),
            "scheduler": run.scheduler if run else None,
            "files_written_by_workers": run.files_by_workers if run else 0,
        },
    }


def _jsonable(value: Any) -> Any:
    """Summary stats made JSON-safe (numpy scalars to Python, unknown objects to str)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _table_stats(fmt: str, rows: dict[str, int], files: dict[str, Any]) -> dict[str, TableStats]:
    size = dict.fromkeys(TABLES, 0)
    for key, entry in files.items():
        name = table_of_file(key)
        if name is not None:
            size[name] += int(entry["bytes"])
    return {name: TableStats(rows.get(name, 0), size[name]) for name in TABLES}


def _say(console: Console | None, markup: str, plain: str | None) -> None:
    if console is not None:
        console.print(markup, highlight=False, soft_wrap=True)
    elif plain is not None:
        print(plain, file=sys.stderr)


class _ProgressBar:
    """A rich progress bar over simulated days, shown only on a terminal."""

    def __init__(self, console: Console | None, total: int) -> None:
        self.console, self.total = console, total
        self._progress: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if self.console is None or not self.console.is_terminal:
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(TextColumn("simulating days"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(),
                                  TimeRemainingColumn(), console=self.console, transient=True)
        self._progress.start()
        task = self._progress.add_task("days", total=self.total)

        def tick(done: int, total: int) -> None:
            self._progress.update(task, completed=done, total=total)

        return tick

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def human_bytes(n: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def print_summary(console: Console, result: GenerateResult) -> None:
    """The closing table: rows and size per table, total time and throughput."""
    from rich.table import Table

    table = Table(title=f"ecomgen → {result.outdir}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("size", justify="right")
    for name, stats in result.tables.items():
        table.add_row(name, f"{stats.rows:,}", human_bytes(stats.bytes) if stats.bytes else "")
    write_s = result.timings.get("write", result.seconds)
    rate = result.total_rows / write_s if write_s > 0 else 0.0
    table.add_section()
    table.add_row("total", f"{result.total_rows:,}", human_bytes(result.total_bytes))
    console.print(table)
    console.print(f"generated {result.total_rows:,} rows in {write_s:.2f} s "
                  f"({rate:,.0f} rows/s); total with checks {result.seconds:.2f} s",
                  highlight=False)
    if result.validation is not None:
        verdict = "[green]passed[/]" if result.passed else "[red]FAILED[/]"
        console.print(f"validation {verdict} (see validation_report.json)")
    if result.report_path is not None:
        console.print(f"report: {result.report_path}", highlight=False)
