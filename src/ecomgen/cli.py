"""Command line: ``ecomgen generate | config show | validate | profile | report | verify``."""

from __future__ import annotations

import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ecomgen.errors import EXIT_BAD_INPUT, EcomgenError, UserError, as_environment_fault

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="ecomgen",
    help="Fast, reproducible synthetic e-commerce data (NumPy on CPU, CuPy on GPU).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
config_app = typer.Typer(help="Inspect the effective configuration.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(config_app, name="config")

SUBCOMMANDS = ("generate", "config", "validate", "profile", "report", "verify")


class Format(StrEnum):
    """Output formats."""

    csv = "csv"
    parquet = "parquet"
    duckdb = "duckdb"


def _console(quiet: bool = False, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(quiet=quiet, stderr=stderr, highlight=False)


def _positive(value: int | None, flag: str) -> int | None:
    if value is not None and value <= 0:
        raise UserError(f"{flag} must be a positive whole number (got {value})")
    return value


def _check_preset(preset: str | None) -> None:
    if preset is None:
        return
    from ecomgen.config import PRESETS

    if preset not in PRESETS:
        raise UserError(f"--preset {preset!r} is unknown; use one of {', '.join(PRESETS)}")


def resolve_config(preset: str | None, config_file: Path | None, **flags: Any) -> Any:
    """Config from defaults, preset, TOML and flags (UserError on any problem)."""
    from ecomgen.settings import build_config, parse_date

    _check_preset(preset)
    for name in ("num_customers", "num_products", "num_merchants", "avg_views_per_day"):
        _positive(flags.get(name), "--" + name.replace("_", "-"))
    if flags.get("seed") is not None and flags["seed"] < 0:
        raise UserError(f"--seed must be zero or positive (got {flags['seed']})")
    for name in ("start", "end"):
        if flags.get(name) is not None:
            flags[name] = parse_date(flags[name], "--" + name)
    if flags.get("start") and flags.get("end") and flags["end"] < flags["start"]:
        raise UserError(f"--end {flags['end']} is before --start {flags['start']}; "
                        "the end date must be on or after the start date")
    return build_config(preset=preset, config_file=config_file, flags=flags)


PresetOpt = Annotated[str | None, typer.Option(
    "--preset", metavar="[tiny|S|M|L|XL]", show_default=False,
    help="Size preset (sizes and period length; explicit flags override it).")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="TOML file overriding any configuration key.", show_default=False,
    dir_okay=False)]


@app.command()
def generate(
    ctx: typer.Context,
    num_customers: Annotated[int | None, typer.Option(
        help="Number of customers.  [default: 1000, or the preset's]")] = None,
    num_products: Annotated[int | None, typer.Option(
        help="Number of products.  [default: 500, or the preset's]")] = None,
    num_merchants: Annotated[int | None, typer.Option(
        help="Number of merchants.  [default: 20, or the preset's]")] = None,
    start: Annotated[str | None, typer.Option(
        metavar="YYYY-MM-DD",
        help="First day, 2000-01-01 to 2099-12-31.  [default: 2024-01-01]")] = None,
    end: Annotated[str | None, typer.Option(
        metavar="YYYY-MM-DD", help="Last day, inclusive, at most 20 years after --start.  "
        "[default: 2024-12-31, or start + the preset's days]")] = None,
    avg_views_per_day: Annotated[int | None, typer.Option(
        help="Average product views per day.  [default: 2000, or the preset's]")] = None,
    outdir: Annotated[str, typer.Option(
        metavar="DIR", help="Output directory (created; replaced only with --overwrite).")
    ] = "./ecommerce_data",
    use_gpu: Annotated[bool, typer.Option(
        "--use-gpu/--no-gpu", help="Simulate on a CUDA GPU with CuPy (falls back to the CPU)."
    )] = False,
    no_validation: Annotated[bool, typer.Option(
        "--no-validation", help="Skip the data-quality checks.")] = False,
    validate_data: Annotated[bool, typer.Option(
        "--validate-data", help="Run the checks and print every check's result.")] = False,
    seed: Annotated[int | None, typer.Option(help="Root random seed.  [default: 42]")] = None,
    preset: PresetOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.csv,
    config: ConfigOpt = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace an earlier ecomgen output in --outdir.")] = False,
    no_report: Annotated[bool, typer.Option(
        "--no-report", help="Do not write report.html.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    workers: Annotated[str, typer.Option(
        metavar="N|auto", help="Worker processes for the day loop (a Dask LocalCluster); "
        "auto: one process, whose kernels run on every core as threads (set "
        "NUMBA_NUM_THREADS to use fewer). Any number gives the same bytes.")] = "auto",
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS", show_default=False,
        help="Run on an existing Dask cluster, on its workers (leave --workers out), e.g. "
        "tcp://10.0.0.5:8786.")] = None,
    parts: Annotated[int, typer.Option(
        metavar="P", help="Write every table as P part files, <table>/part-00000.<ext> ... "
        "(0: one file per table).")] = 0,
) -> None:
    """Generate the dataset (the default command: flags alone mean generate)."""
    if scheduler is not None:
        _check_scheduler(scheduler, workers, ctx.get_parameter_source("workers"))
    cfg = resolve_config(preset, config, num_customers=num_customers,
                         num_products=num_products, num_merchants=num_merchants, start=start,
                         end=end, avg_views_per_day=avg_views_per_day, seed=seed)
    from ecomgen.pipeline import generate as run

    console = _console(quiet)
    result = run(cfg, outdir, fmt=fmt.value, overwrite=overwrite, use_gpu=use_gpu,
                 validate=not no_validation, report=not no_report, progress=not quiet,
                 console=console, workers=_workers(workers), scheduler=scheduler,
                 parts=parts)
    if validate_data and result.validation is not None:
        print_validation(console, result.validation, detailed=True)
    elif result.validation is not None and not result.passed:
        print_validation(console, result.validation, detailed=False)
    if not result.passed:
        raise typer.Exit(1)


@config_app.command("show")
def config_show(preset: PresetOpt = None, config: ConfigOpt = None) -> None:
    """Print the effective configuration as TOML (usable with --config)."""
    from ecomgen.settings import config_to_toml

    cfg = resolve_config(preset, config)
    sys.stdout.write(config_to_toml(cfg))


DirArg = Annotated[Path, typer.Argument(help="An ecomgen output directory.", show_default=False)]


def _workers(text: str) -> int:
    """``--workers``: a positive number, or auto (one process: its kernels use every core)."""
    if text.strip().lower() == "auto":
        return 1
    try:
        n = int(text)
    except ValueError:
        raise UserError(f"--workers {text!r} is not a number; use a positive whole number or "
                        "auto") from None
    if n < 1:
        raise UserError(f"--workers must be a positive whole number or auto (got {n})")
    return n


def _check_scheduler(scheduler: str, workers: str, workers_source: Any) -> None:
    """``--scheduler``: a scheduler address, and no ``--workers`` beside it."""
    from ecomgen.cluster import scheduler_address

    scheduler_address(scheduler)
    if getattr(workers_source, "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP"):
        raise UserError(f"--scheduler and --workers {workers} contradict each other: with "
                        "--scheduler the workers are the Dask cluster's (add some with `dask "
                        "worker ADDRESS`); pass one or the other")


def _dataset_dir(path: Path) -> Path:
    """``path`` if it holds ecomgen tables, else UserError naming what is wrong."""
    from ecomgen.tabledb import DUCKDB_FILE, detect_formats

    if not path.is_dir():
        raise UserError(f"{path} is not a directory; pass an ecomgen output directory")
    if not detect_formats(path):
        raise UserError(f"{path} holds no ecomgen tables (<table>.csv, <table>.parquet or "
                        f"{DUCKDB_FILE}); pass the output directory of `ecomgen generate`")
    return path


def _need(module: str, attr: str) -> Any:
    from ecomgen.pipeline import optional_attr

    fn = optional_attr(module, attr)
    if fn is None:
        raise UserError(f"{module} is not available in this installation")
    return fn


@app.command()
def validate(path: DirArg) -> None:
    """Run every data-quality check; exit 1 when an error-severity check fails."""
    validate_dir = _need("ecomgen.checks.runner", "validate_dir")
    report = validate_dir(_dataset_dir(path))
    print_validation(_console(), report, detailed=True)
    unsaved = getattr(report, "unsaved", "")
    if unsaved:
        _console(stderr=True).print(f"ecomgen: note: {unsaved}", highlight=False,
                                    markup=False, soft_wrap=True)
    if not report.passed:
        raise typer.Exit(1)


@app.command()
def profile(path: DirArg, as_json: Annotated[bool, typer.Option(
        "--json", help="Print the profile as JSON.")] = False) -> None:
    """Measure the realism figures of a dataset against their bands."""
    profile_dir = _need("ecomgen.profile.figures", "profile_dir")
    prof = profile_dir(_dataset_dir(path))
    if as_json:
        import json

        sys.stdout.write(json.dumps(prof.to_dict(), indent=2, default=str) + "\n")
        return
    _need("ecomgen.profile.figures", "render")(prof)


@app.command()
def report(path: DirArg, output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", dir_okay=False, show_default=False,
        help="Write the page here instead of DIR/report.html.")] = None) -> None:
    """Write report.html for a dataset."""
    write_report = _need("ecomgen.report.html", "write_report")
    out = write_report(_dataset_dir(path), out=output)
    _console().print(f"report: {out}", highlight=False, soft_wrap=True)


@app.command()
def verify(path: DirArg) -> None:
    """Recompute every file's sha256 and table's content digest; exit 1 on any difference."""
    from ecomgen.verify import NotADataset, verify_dir

    try:
        result = verify_dir(path)
    except NotADataset as exc:
        raise UserError(str(exc)) from None
    sys.stdout.write(result.render())
    if not result.passed:
        raise typer.Exit(1)


def print_validation(console: Console, report: Any, detailed: bool) -> None:
    """Summarise a validation report: verdict, failures, and every check if ``detailed``."""
    from rich.table import Table

    results = list(getattr(report, "results", []))
    shown = results if detailed else [r for r in results if not r.passed]
    if shown:
        table = Table(title="data-quality checks", title_justify="left")
        for col in ("check", "category", "severity", "status", "failing rows"):
            table.add_column(col, justify="right" if col == "failing rows" else "left")
        for r in shown:
            style = "" if r.passed else ("red" if r.severity == "error" else "yellow")
            table.add_row(r.name, r.category, r.severity, r.status,
                          f"{r.failing_rows:,}" if r.failing_rows else "", style=style)
        console.print(table)
    failed = sum(1 for r in results if not r.passed)
    verdict = "[green]passed[/]" if report.passed else "[red]FAILED[/]"
    console.print(f"validation {verdict}: {len(results) - failed} of {len(results)} checks "
                  "passed")


def _usage_error_type() -> type[Exception]:
    """The command-line parser's base exception (click's, possibly vendored by typer)."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            return cls
    return typer.BadParameter


def _error(message: str, code: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"ecomgen: error: {' '.join(message.splitlines())}\n")
    return code


def _contradictions(args: list[str]) -> str | None:
    """Flag pairs that cancel each other (the parser would silently keep the last)."""
    for a, b in (("--use-gpu", "--no-gpu"), ("--no-validation", "--validate-data")):
        if a in args and b in args:
            return f"{a} and {b} contradict each other; pass only one"
    return None


def main(argv: list[str] | None = None, default_generate: bool = False) -> int:
    """Run the CLI; returns the exit status (see ``ecomgen.errors``). ``default_generate``
    makes flags alone mean ``generate`` (as the specification's ``python main.py ...``)."""
    from ecomgen import interrupts

    args = list(sys.argv[1:] if argv is None else argv)
    wants_generate = args[:1] != [] and args[0].startswith("-") and args[0] not in (
        "--help", "-h", "--version")
    if (default_generate and (not args or args[0] not in SUBCOMMANDS)) or wants_generate:
        args.insert(0, "generate")
    if args[:1] == ["--version"]:
        from ecomgen import __version__

        sys.stdout.write(f"ecomgen {__version__}\n")
        return 0
    if (clash := _contradictions(args)) is not None:
        return _error(clash)
    command = typer.main.get_command(app)
    try:
        with interrupts.handled():
            rv = command.main(args, prog_name="ecomgen", standalone_mode=False)
    except EcomgenError as exc:
        return _error(exc.message, exc.exit_code)
    except typer.Exit as exc:
        return exc.exit_code
    except _usage_error_type() as exc:
        return _error(exc.format_message().replace("Value error, ", ""))
    except (interrupts.Interrupted, KeyboardInterrupt, typer.Abort) as exc:
        stop = exc if isinstance(exc, interrupts.Interrupted) else \
            interrupts.Interrupted(signal.SIGINT)
        sys.stderr.write(f"ecomgen: stopped by {stop.name}; nothing half-written was left "
                         "behind\n")
        return stop.exit_code
    except Exception as exc:
        from ecomgen.tabledb import DatasetError

        if isinstance(exc, DatasetError):
            return _error(str(exc))
        fault = as_environment_fault(exc, "ecomgen")
        if fault is None:
            raise
        return _error(fault.message, fault.exit_code)
    return rv if isinstance(rv, int) else 0
