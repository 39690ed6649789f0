"""Fuzz the command line with random configuration files.

Every example is a small run (a few customers, products and days) whose TOML file changes
random keys of the default configuration: in range (new weights, probabilities, sizes,
dates, zones) or out of it (negative, zero tables, wrong types, booleans, garbage text).
Whatever the file says, ``ecomgen generate`` must either succeed with passing validation
(exit 0) or refuse with exactly one line (exit 2) and write nothing — never a traceback,
never a failed check on data it wrote.

A few dozen examples run with the suite; ``pytest -m slow tests/test_fuzz_configs.py`` runs
1,000 (about half an hour on two cores).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from ecomgen.cli import main
from ecomgen.config import Config
from ecomgen.settings import to_toml

Leaf = tuple[tuple[str, ...], Any]


def _leaves(data: Any, path: tuple[str, ...] = ()) -> list[Leaf]:
    """Every scalar or list-valued key of the default config, with its path."""
    if isinstance(data, dict):
        out: list[Leaf] = []
        for key, value in data.items():
            out += _leaves(value, (*path, key))
        return out
    return [(path, data)]


DEFAULTS = Config().model_dump(mode="python")
LEAVES = [leaf for leaf in _leaves(DEFAULTS)
          if leaf[0][0] not in ("num_customers", "num_products", "num_merchants",
                                "avg_views_per_day", "start", "end", "chunk_size")]
ZONES = ["Asia/Kolkata", "UTC", "Asia/Tokyo", "Etc/GMT-3", "Europe/London", "Mars/Base", ""]


def _near(value: Any) -> st.SearchStrategy[Any]:
    """A value in the spirit of ``value``: same type, scaled or redrawn."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, 1, 2, max(value // 2, 0), value * 2, value])
    if isinstance(value, float):
        return st.one_of(st.sampled_from([0.0, value, value / 2, min(value * 2, 1.0)]),
                         st.floats(0.0, 1.0))
    if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        return st.lists(st.floats(0.0, 10.0), min_size=len(value), max_size=len(value))
    if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int)
                                                                   for v in value):
        return st.tuples(st.integers(1, 20), st.integers(1, 40)).map(sorted).map(list)
    return st.just(value)


def _wild(value: Any) -> st.SearchStrategy[Any]:
    """A value a user might type by mistake."""
    return st.one_of(st.just(True), st.just(-1), st.just(-0.5), st.just(10**12),
                     st.just("abc"), st.just(""), st.just([]), st.just([1, 2]),
                     st.just({"x": 1}), st.just(float("inf")) if not isinstance(value, str)
                     else st.just("12-31x"))


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    """A TOML-able config overlay: small sizes plus random changes."""
    start = draw(st.dates(dt.date(1998, 6, 1), dt.date(2099, 12, 31)))
    days = draw(st.integers(1, 20))
    data: dict[str, Any] = {
        "seed": draw(st.integers(0, 2**31)),
        "num_customers": draw(st.integers(1, 60)),
        "num_products": draw(st.integers(1, 40)),
        "num_merchants": draw(st.integers(1, 6)),
        "avg_views_per_day": draw(st.integers(1, 400)),
        "start": start,
        "end": start + dt.timedelta(days=days - 1),
    }
    if draw(st.booleans()):
        data["timezone"] = draw(st.sampled_from(ZONES))
    wild = draw(st.booleans())
    for _ in range(draw(st.integers(0, 4))):
        path, value = draw(st.sampled_from(LEAVES))
        new = draw(_wild(value) if wild and draw(st.booleans()) else _near(value))
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = new
    return data


def _check(tmp_path: Path, data: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    case = Path(tempfile.mkdtemp(prefix="case-", dir=tmp_path))
    toml = case / "c.toml"
    try:
        toml.write_text(to_toml(data))
    except (TypeError, ValueError):  # e.g. inf: not expressible in TOML, so not a case
        assume(False)
    out = case / "out"
    rc = main(["generate", "--config", str(toml), "--outdir", str(out), "--no-report", "-q"])
    err = capsys.readouterr().err
    event(f"exit {rc}")
    assert "Traceback" not in err, err
    if rc == 0:
        assert (out / "validation_report.json").is_file()
        return
    assert rc == 2, (rc, err, toml.read_text())
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ecomgen: error: "), err
    assert not out.exists(), "nothing written on bad input"


FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])


@settings(max_examples=30, **FUZZ)
@given(data=configs())
def test_random_configs_pass_or_refuse_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any]) -> None:
    _check(tmp_path, data, capsys)


@pytest.mark.slow
@settings(max_examples=1_000, **FUZZ)
@given(data=configs())
def test_a_thousand_random_configs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any]) -> None:
    _check(tmp_path, data, capsys)
