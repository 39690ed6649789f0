"""Terminal summary of a validation report: failures first, then per-category counts, metrics."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from ecomgen.checks.runner import ValidationReport


def render(report: ValidationReport, console: Console | None = None) -> None:
    """Print the report: each failure with its first sample row, category counts, metrics."""
    con = console or Console()
    if report.failures:
        t = Table(title="Failed checks", show_lines=False)
        for col in ("check", "category", "severity", "rows", "first failing row / message"):
            t.add_column(col, overflow="fold")
        for r in report.failures:
            first = r.message or (json.dumps(r.sample_dicts()[0], default=str)
                                  if r.sample else "")
            sev = "[red]error[/]" if r.severity == "error" else "[yellow]warning[/]"
            t.add_row(r.name, r.category, sev, f"{r.failing_rows:,}", first[:160])
        con.print(t)
    for cat, (ok, total) in report.by_category().items():
        mark = "[green]✓[/]" if ok == total else "[red]✗[/]"
        con.print(f"{mark} {cat:<12} {ok}/{total} checks passed")
    m = report.metrics
    con.print(f"completeness {m['completeness_pct']:.2f} % · referential integrity "
              f"{m['referential_integrity_pct']:.2f} % · business logic "
              f"{m['business_compliance_pct']:.2f} % · overall quality score "
              f"{m['overall_quality_score']:.2f} / 100")
    verdict = "[green]PASSED[/]" if report.passed else "[red]FAILED[/]"
    con.print(f"{verdict}: {len(report.results)} checks in {report.seconds:.2f} s "
              f"(loading {report.load_seconds:.2f} s)")
