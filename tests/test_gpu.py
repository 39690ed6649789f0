"""CuPy backend: byte-identical output to NumPy (skipped without a usable GPU)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ecomgen.backend import gpu_unavailable_reason
from ecomgen.config import Config, preset_overrides
from ecomgen.pipeline import generate

REASON = gpu_unavailable_reason()
pytestmark = [pytest.mark.gpu, pytest.mark.skipif(REASON is not None, reason=str(REASON))]


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir()) if p.suffix in (".csv", ".parquet")}


@pytest.mark.parametrize("preset", ["tiny", "S"])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_gpu_output_is_byte_identical_to_cpu(tmp_path: Path, preset: str, fmt: str) -> None:
    """Same seed on NumPy and on CuPy: every data file has the same sha256."""
    cfg = Config(seed=11, **preset_overrides(preset))
    cpu, gpu = tmp_path / "cpu", tmp_path / "gpu"
    generate(cfg, cpu, fmt=fmt, use_gpu=False, validate=False, report=False, progress=False)
    res = generate(cfg, gpu, fmt=fmt, use_gpu=True, validate=False, report=False,
                   progress=False)
    assert not res.warnings, res.warnings  # it really ran on the GPU
    a, b = _digests(cpu), _digests(gpu)
    assert a.keys() == b.keys()
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"tables differing between NumPy and CuPy: {differ}"


def test_keyed_uniforms_bit_identical_on_gpu() -> None:
    """The keyed hash gives the same bits on both backends."""
    import cupy
    import numpy as np

    from ecomgen.rng import Rng

    keys = np.arange(1_000_003, dtype=np.int64)
    cpu = Rng(np, 5).stream("x").bits(keys, 7)
    gpu = Rng(cupy, 5).stream("x").bits(cupy.asarray(keys), 7)
    assert np.array_equal(cpu, cupy.asnumpy(gpu))
