"""View batches (GPU_CONFIG.batch_size_views) and out-of-memory retries change no output."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from ecomgen.config import Config
from ecomgen.simulation import browsing
from tests.simkit import run_in_memory


def _config(batch: int) -> Config:
    cfg = Config(seed=5, num_customers=500, num_products=300, num_merchants=8,
                 avg_views_per_day=6000, start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 8))
    cfg.GPU_CONFIG.batch_size_views = batch
    return cfg


def _digests(cfg: Config) -> dict[str, str]:
    return {name: hashlib.sha256(df.write_csv().encode()).hexdigest()
            for name, df in run_in_memory(cfg).items()}


def test_batch_size_changes_no_byte() -> None:
    """Days processed in 1,000-view batches equal days processed whole."""
    assert _digests(_config(1_000)) == _digests(_config(1_000_000))


def test_out_of_memory_halves_the_batch_and_carries_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch that runs out of memory is retried smaller; the output is unchanged."""
    expected = _digests(_config(50_000))
    real = browsing.browse_batch
    failures = []

    def flaky(w: Any, d: int, s: Any, box: Any, first: int = 0) -> Any:
        if s.n > 400:  # pretend the device is too small
            failures.append(s.n)
            raise MemoryError("simulated out-of-memory")
        return real(w, d, s, box, first)

    monkeypatch.setattr(browsing, "browse_batch", flaky)
    assert _digests(_config(50_000)) == expected
    assert failures  # the big batch really failed and was shrunk


def test_out_of_memory_at_smallest_batch_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """When even the smallest batch fails, the error surfaces."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("simulated out-of-memory")

    monkeypatch.setattr(browsing, "browse_batch", broken)
    with pytest.raises(MemoryError):
        run_in_memory(_config(1_000))
