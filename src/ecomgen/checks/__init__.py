"""Data-quality checks over a written dataset: registry, categories, runner, summary."""

from ecomgen.checks.registry import REGISTRY, Check, Context, all_checks, check, register
from ecomgen.checks.runner import CheckResult, ValidationReport, validate_dir

__all__ = ["REGISTRY", "Check", "CheckResult", "Context", "ValidationReport", "all_checks",
           "check", "register", "validate_dir"]
