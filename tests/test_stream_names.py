"""One stream name, one purpose: no draw tells sub-streams apart by a trailing constant key."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ecomgen.config import Config
from ecomgen.rng import Rng

SRC = Path(__file__).resolve().parents[1] / "src" / "ecomgen"
#: Positional parameters of each draw method before its key columns.
DRAWS = {"bits": 0, "uniform": 0, "uniform_open": 0, "normal": 0, "lognormal": 0,
         "integers": 2, "bernoulli": 1, "choice": 1, "choice_rows": 1, "poisson": 1,
         "binomial": 2, "geometric": 1, "zipf_rank": 2}


def _stream_names(tree: ast.AST) -> set[str]:
    """Variables bound to a stream (``s = rng.stream(...)``) anywhere in a module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_stream_call(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_stream_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("stream", "_normal_tail"))


def literal_key_draws(path: Path, root: Path = SRC) -> list[str]:
    """Draws on a stream whose last key column is an integer literal."""
    tree = ast.parse(path.read_text(), str(path))
    bound = _stream_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in DRAWS):
            continue
        recv = node.func.value
        on_stream = (_is_stream_call(recv) or (isinstance(recv, ast.Name)
                     and (recv.id in bound or (recv.id == "self" and path.name == "rng.py"))))
        keys = node.args[DRAWS[node.func.attr]:]
        if on_stream and keys and isinstance(keys[-1], ast.Constant) \
                and isinstance(keys[-1].value, int):
            found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node)[:80]}")
    return found


def test_scan_finds_a_trailing_literal_key(tmp_path: Path) -> None:
    """The scan itself flags the pattern (so an empty result below means something)."""
    bad = tmp_path / "sample.py"
    bad.write_text("def f(rng, d, k):\n    s = rng.stream('x')\n"
                   "    a = rng.stream('y').integers(0, 9, d, k, 1)\n"
                   "    return s.uniform(d, k, 0), a, s.uniform(d, k), s.integers(0, 9, d)\n")
    assert len(literal_key_draws(bad, tmp_path)) == 2


def test_no_stream_is_told_apart_by_a_trailing_literal_key() -> None:
    found = [hit for p in sorted(SRC.rglob("*.py")) for hit in literal_key_draws(p)]
    assert not found, "give each sub-stream its own name:\n" + "\n".join(found)


def _recording_run(monkeypatch: pytest.MonkeyPatch, cfg: Config) -> dict[str, Any]:
    """Run the simulation; return the stream name -> call sites record of its Rng."""
    import ecomgen.simulation.setup as setup
    from tests.simkit import run_in_memory

    made: list[Rng] = []

    class Recording(Rng):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(setup, "Rng", Recording)
    run_in_memory(cfg)
    assert len(made) == 1
    return made[0].sites


def test_every_stream_name_is_drawn_from_one_call_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run touching every draw (large Poisson and binomial tails, losses, reorders,
    back-orders, corrections, ratings): each stream name has one call site."""
    cfg = Config(seed=4, num_customers=300, num_products=60, num_merchants=5,
                 avg_views_per_day=3_000, start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 20))
    inv = cfg.INVENTORY_CONFIG
    inv.damage_rate, inv.adjustment_probability, inv.backorder_probability = 0.05, 0.2, 0.5
    cfg.RATINGS.response_rate = 0.5
    for t in cfg.MERCHANT_TYPES.values():
        t.initial_cover_days = 400.0  # stock of thousands: the binomial's normal tail
        t.reorder_point_days = 500.0  # and still below the reorder point: orders every day
    sites = _recording_run(monkeypatch, cfg)
    shared = {name: sorted(f"{Path(f).name}:{line}" for f, line in s)
              for name, s in sites.items() if len(s) > 1}
    assert not shared, f"stream names drawn from more than one place: {shared}"
    for name in ("sessions.count/normal_tail", "inventory.loss/normal_tail",
                 "inventory.reorder.backorder_delay", "inventory.adjust.gain",
                 "ratings.second", "cart.abandon_delay", "sessions.device.other"):
        assert name in sites, name


def test_the_record_tells_two_purposes_apart() -> None:
    """The record sees one name drawn from two places."""
    rng = Rng(np, 1)
    s = rng.stream("x")
    s.uniform(np.arange(3))
    s.uniform(np.arange(3))
    assert len(rng.sites["x"]) == 2
