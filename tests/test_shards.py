"""Any split of the day loop into customer and offer shards gives the same bytes.

Customer blocks are made tiny here (8 customers) so that a small run has many blocks; the
split into shards then cuts between blocks, and offer shards between products, as a
distributed run would.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from ecomgen.config import Config, preset_overrides
from ecomgen.output import read_manifest
from ecomgen.pipeline import generate
from ecomgen.simulation import blocks, engine


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 8 customers (the tiny preset's 200 customers make 25 blocks)."""
    monkeypatch.setattr(blocks, "CUSTOMER_BLOCK_BITS", 3)
    monkeypatch.setattr(blocks, "CUSTOMER_BLOCK", 8)


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, shards: tuple[int, int],
         own_worlds: bool = False, **cfg: Any) -> dict[str, str]:
    import ecomgen.pipeline as pipeline

    sim = functools.partial(engine.simulate, layout=shards, own_worlds=own_worlds)
    monkeypatch.setattr(pipeline, "_simulate_fn", lambda: sim)
    out = tmp_path / name
    result = generate(Config(**{**preset_overrides("tiny"), **cfg}), out, report=False,
                      progress=False, validate=name == "one")
    assert result.passed
    return {f: e["sha256"] for f, e in read_manifest(out)["files"].items()}


@pytest.mark.parametrize("shards", [(2, 1), (1, 3), (3, 2), (25, 7), (40, 500)])
def test_any_split_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        tiny_blocks: None, shards: tuple[int, int]) -> None:
    one = _run(tmp_path, monkeypatch, "one", (1, 1), seed=5)
    split = _run(tmp_path, monkeypatch, "split", shards, seed=5)
    assert split == one


@pytest.mark.parametrize("shards", [(3, 2), (25, 7)])
def test_workers_with_their_own_customers_give_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_blocks: None,
        shards: tuple[int, int]) -> None:
    """Each shard worker builds only its own blocks' customers (and their history), as on a
    cluster: the same bytes."""
    one = _run(tmp_path, monkeypatch, "one", (1, 1), seed=5)
    split = _run(tmp_path, monkeypatch, "split", shards, own_worlds=True, seed=5)
    assert split == one


def test_split_with_scarce_stock_gives_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_blocks: None) -> None:
    """Sell-outs, failed checkouts and same-second ties cross the shards' boundaries."""
    scarce = Config().model_dump()
    for t in scarce["MERCHANT_TYPES"].values():
        t["initial_cover_days"], t["min_stock"], t["safety_stock"] = 0.05, 0, 0
    for cat in scarce["CATEGORIES"].values():
        cat["case_pack"] = 1
    # More customers than the tiny preset's 200: at 3,000 views a day those few would each
    # browse several sessions a day, and a busy customer's sessions are moved apart (some
    # past the day's end), leaving too few checkouts to sell out.
    cfg = Config.model_validate({**scarce, **preset_overrides("tiny"), "seed": 9,
                                 "num_customers": 800, "avg_views_per_day": 3000})
    kw = cfg.model_dump()
    one = _run(tmp_path, monkeypatch, "one", (1, 1), **kw)
    events = (tmp_path / "one" / "cart_events.csv").read_text()
    assert events.count(",checkout_failed,") > 10, "the case must have failed checkouts"
    split = _run(tmp_path, monkeypatch, "split", (6, 4), **kw)
    assert split == one
    own = _run(tmp_path, monkeypatch, "own", (6, 4), own_worlds=True, **kw)
    assert own == one


def test_split_helpers_cover_everything_once() -> None:
    assert engine.split(10, 3) == [(0, 3), (3, 6), (6, 10)]
    assert engine.split(2, 5) == [(0, 1), (1, 2)]
    assert engine.split(0, 3) == [(0, 0)]
