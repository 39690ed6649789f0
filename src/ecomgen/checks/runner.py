"""Run every registered check over a written dataset and score its quality."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ecomgen.checks.registry import CATEGORIES, Check, Context, all_checks
from ecomgen.interrupts import reraise_if_interrupted
from ecomgen.output.atomic_file import write_text_atomic
from ecomgen.schema import TABLES
from ecomgen.tabledb import load_config, open_dataset_info

REPORT_FILE = "validation_report.json"

#: Weights of the overall quality score (percentages; they sum to 1).
SCORE_WEIGHTS: dict[str, float] = {
    "completeness_pct": 0.20,
    "referential_integrity_pct": 0.20,
    "business_compliance_pct": 0.25,
    "temporal_compliance_pct": 0.15,
    "structural_compliance_pct": 0.10,
    "statistical_compliance_pct": 0.10,
}


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, float | int | str | bool) or v is None:
        return v
    return str(v)


@dataclass
class CheckResult:
    """Outcome of one check."""

    name: str
    category: str
    severity: str
    description: str
    status: str  # passed, failed, error or skipped
    failing_rows: int = 0
    columns: list[str] = field(default_factory=list)
    sample: list[list[Any]] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Whether the check found nothing wrong (skipped counts as passed)."""
        return self.status in ("passed", "skipped")

    def sample_dicts(self) -> list[dict[str, Any]]:
        """Sample rows as column -> value dicts."""
        return [dict(zip(self.columns, r, strict=False)) for r in self.sample]


@dataclass
class ValidationReport:
    """All check results of a dataset plus its quality metrics."""

    path: str
    results: list[CheckResult]
    metrics: dict[str, float]
    seconds: float
    load_seconds: float
    #: Why validation_report.json could not be saved ("" when it was, or was not asked).
    unsaved: str = ""

    @property
    def passed(self) -> bool:
        """No error-severity check failed."""
        return not any(r.severity == "error" and not r.passed for r in self.results)

    @property
    def failures(self) -> list[CheckResult]:
        """Checks that failed or raised, errors first."""
        bad = [r for r in self.results if not r.passed]
        return sorted(bad, key=lambda r: (r.severity != "error", r.category, r.name))

    def result(self, name: str) -> CheckResult:
        """The result of the check called ``name``."""
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def by_category(self) -> dict[str, tuple[int, int]]:
        """Category -> (passed, total)."""
        out: dict[str, tuple[int, int]] = {}
        for c in CATEGORIES:
            rs = [r for r in self.results if r.category == c]
            out[c] = (sum(r.passed for r in rs), len(rs))
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the content of validation_report.json)."""
        return {
            "path": self.path,
            "passed": self.passed,
            "checks": len(self.results),
            "failed": [r.name for r in self.failures],
            "by_category": {k: {"passed": p, "total": t} for k, (p, t) in
                            self.by_category().items()},
            "metrics": self.metrics,
            "score_weights": SCORE_WEIGHTS,
            "seconds": round(self.seconds, 3),
            "load_seconds": round(self.load_seconds, 3),
            "results": [asdict(r) | {"seconds": round(r.seconds, 4)} for r in self.results],
        }


def run_check(c: Check, ctx: Context) -> CheckResult:
    """Run one check; an exception is reported as an ``error`` result, never raised."""
    t0 = time.perf_counter()
    res = CheckResult(c.name, c.category, c.severity, c.description, "passed")
    try:
        if c.applies is not None and not c.applies(ctx):
            res.status = "skipped"
            res.message = "not applicable to this dataset"
        else:
            f = c.failures(ctx)
            res.failing_rows = f.count
            res.columns = list(f.columns)
            res.sample = [[_jsonable(v) for v in row] for row in f.sample]
            res.status = "failed" if f.count else "passed"
    except Exception as e:  # noqa: BLE001 - a broken check is a failed check
        reraise_if_interrupted(e)  # a query stopped by Ctrl-C is not a failed check
        res.status = "error"
        res.message = f"{type(e).__name__}: {e}".splitlines()[0][:500]
    res.seconds = time.perf_counter() - t0
    return res


def completeness(ctx: Context) -> float:
    """Percent of non-nullable cells (of tables present) that hold a value."""
    cells = filled = 0
    for name, t in TABLES.items():
        cols = [c.name for c in t.columns if not c.nullable]
        if not cols:
            continue
        agg = ", ".join(f'count("{c}")' for c in cols)
        row = ctx.con.execute(f'SELECT count(*), {agg} FROM "{name}"').fetchone()
        assert row is not None
        n = row[0]
        cells += n * len(cols)
        filled += sum(row[1:])
    return 100.0 * filled / cells if cells else 100.0


def _pct(results: list[CheckResult], category: str) -> float:
    rs = [r for r in results if r.category == category and r.status != "skipped"]
    return 100.0 * sum(r.passed for r in rs) / len(rs) if rs else 100.0


def quality_metrics(results: list[CheckResult], completeness_pct: float) -> dict[str, float]:
    """Completeness, per-category compliance and the weighted overall score (all percent)."""
    m = {
        "completeness_pct": completeness_pct,
        "referential_integrity_pct": _pct(results, "referential"),
        "business_compliance_pct": _pct(results, "business"),
        "temporal_compliance_pct": _pct(results, "temporal"),
        "structural_compliance_pct": _pct(results, "structural"),
        "statistical_compliance_pct": _pct(results, "statistical"),
    }
    m["overall_quality_score"] = sum(SCORE_WEIGHTS[k] * m[k] for k in SCORE_WEIGHTS)
    return {k: round(v, 3) for k, v in m.items()}


def open_context(path: Path, threads: int | None = None) -> Context:
    """Load the dataset in ``path`` (materialized) with its config."""
    con, info = open_dataset_info(path, materialize=True, threads=threads)
    return Context(con=con, cfg=load_config(path), info=info)


def validate_dir(path: Path, names: list[str] | None = None, write: bool = True,
                 threads: int | None = None, shown_as: Path | None = None) -> ValidationReport:
    """Run every check (or those in ``names``) over ``path``; write validation_report.json.

    ``shown_as`` is the path recorded in the report (the final directory while a run still
    writes into its staging directory).
    """
    path = Path(path)
    t0 = time.perf_counter()
    ctx = open_context(path, threads=threads)
    load_s = time.perf_counter() - t0
    checks = all_checks()
    if names is not None:
        wanted = set(names)
        unknown = wanted - {c.name for c in checks}
        if unknown:
            raise KeyError(f"unknown check(s): {', '.join(sorted(unknown))}")
        checks = [c for c in checks if c.name in wanted]
    try:
        results = [run_check(c, ctx) for c in checks]
        comp = completeness(ctx)
    finally:
        ctx.con.close()
    report = ValidationReport(str(shown_as or path), results, quality_metrics(results, comp),
                              time.perf_counter() - t0, load_s)
    if write:
        try:
            write_text_atomic(path / REPORT_FILE, json.dumps(report.to_dict(), indent=2) + "\n")
        except OSError as exc:
            report.unsaved = (f"could not save {REPORT_FILE} in {shown_as or path} "
                              f"({exc.strerror or exc}); the results above are complete")
    return report
