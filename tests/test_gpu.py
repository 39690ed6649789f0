"""CuPy backend: byte-identical output to NumPy (skipped without a usable GPU).

Run on a GPU machine with ``bash benchmarks/gpu_check.sh`` (it installs what is missing
from carried wheels, runs this file, then the GPU benchmark).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ecomgen.backend import gpu_unavailable_reason
from ecomgen.config import Config, preset_overrides
from ecomgen.pipeline import generate

REASON = gpu_unavailable_reason()
pytestmark = [pytest.mark.gpu, pytest.mark.skipif(REASON is not None, reason=str(REASON))]


def _files(directory: Path) -> dict[str, Path]:
    return {str(p.relative_to(directory)): p for p in sorted(directory.rglob("*"))
            if p.suffix in (".csv", ".parquet")}


def _first_differences(a: Path, b: Path, limit: int = 3) -> str:
    """The first differing lines of two CSV files (or their sizes for Parquet)."""
    if a.suffix != ".csv":
        return f"{a.stat().st_size} vs {b.stat().st_size} bytes"
    la, lb = a.read_text().splitlines(), b.read_text().splitlines()
    diff = [(i, x, y) for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y]
    shown = "; ".join(f"line {i}: {x!r} != {y!r}" for i, x, y in diff[:limit])
    return f"{len(la)} vs {len(lb)} lines, {len(diff)} differ: {shown}"


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
    a, b = _files(cpu), _files(gpu)
    assert a.keys() == b.keys()
    differ = {name: _first_differences(a[name], b[name]) for name in a
              if hashlib.sha256(a[name].read_bytes()).digest()
              != hashlib.sha256(b[name].read_bytes()).digest()}
    assert not differ, f"tables differing between NumPy and CuPy: {differ}"


def _both(values: np.ndarray) -> tuple[Any, Any]:
    import cupy

    return values, cupy.asarray(values)


def _host(a: Any) -> np.ndarray:
    import cupy

    return cupy.asnumpy(a)


def test_keyed_uniforms_bit_identical_on_gpu() -> None:
    """The keyed hash gives the same bits on both backends."""
    import cupy

    from ecomgen.rng import Rng

    keys = np.arange(1_000_003, dtype=np.int64)
    cpu = Rng(np, 5).stream("x").bits(keys, 7)
    gpu = Rng(cupy, 5).stream("x").bits(cupy.asarray(keys), 7)
    assert np.array_equal(cpu, cupy.asnumpy(gpu))


def test_discrete_draws_identical_on_gpu() -> None:
    """Draws that go through exp, log, pow and cos give the same integers on both backends;
    the continuous ones agree to a few ulps (only discrete or rounded values reach output)."""
    import cupy

    from ecomgen.rng import Rng

    n = 2_000_000
    k = np.arange(n, dtype=np.int64)
    lam = (k % 4000) / 100.0  # 0 .. 40: inversion and the normal tail
    out = {}
    for xp, keys, lam_ in ((np, k, lam), (cupy, cupy.asarray(k), cupy.asarray(lam))):
        s = Rng(xp, 9).stream("draws")
        out[xp.__name__] = {
            "poisson": s.poisson(lam_, keys),
            "binomial": s.binomial(xp.asarray(k % 50), 0.3, keys),
            "geometric": s.geometric(0.05, keys),
            "zipf": s.zipf_rank(xp.asarray(k % 1000 + 1), 1.0, keys),
            "zipf_s": s.zipf_rank(xp.asarray(k % 1000 + 1), 1.3, keys),
            "integers": s.integers(0, xp.asarray(k % 97 + 1), keys),
            "lognormal": s.lognormal(keys, median=400.0, sigma=0.8),
        }
    a, b = out["numpy"], {name: _host(v) for name, v in out["cupy"].items()}
    for name in a:
        if name == "lognormal":
            np.testing.assert_allclose(a[name], b[name], rtol=1e-13)
            assert np.array_equal(np.rint(a[name] * 100), np.rint(b[name] * 100))
        else:
            assert np.array_equal(a[name], b[name]), (
                f"{name}: {int((a[name] != b[name]).sum())} of {n} differ")


@pytest.mark.parametrize("n", [0, 1, 5, 4095, 4096, 70_000])
def test_stable_order_matches_numpy(n: int) -> None:
    """CuPy's argsort keeps ties in input order, as the NumPy radix path does."""
    import cupy

    from ecomgen.simulation.arrays import stable_order

    rng = np.random.default_rng(n)
    for span in (3, 70_000, 1 << 40):  # many ties, two 16-bit digits, wide keys
        key = rng.integers(-span, span, size=n, dtype=np.int64)
        cpu, gpu = _both(key)
        assert np.array_equal(stable_order(np, cpu), _host(stable_order(cupy, gpu)))


def test_floor_division_and_modulo_match_numpy() -> None:
    """Integer and float floor division round toward minus infinity on both backends."""
    import cupy

    rng = np.random.default_rng(3)
    a = rng.integers(-10**12, 10**12, size=100_000, dtype=np.int64)
    b = rng.integers(1, 10**6, size=100_000, dtype=np.int64) * rng.choice([-1, 1], 100_000)
    ga, gb = cupy.asarray(a), cupy.asarray(b)
    assert np.array_equal(a // b, _host(ga // gb))
    assert np.array_equal(a % b, _host(ga % gb))
    x, y = a / 7.0, b / 3.0
    assert np.array_equal(x // y, _host(cupy.asarray(x) // cupy.asarray(y)))
    assert np.array_equal(np.floor(x / y), _host(cupy.floor(cupy.asarray(x) / cupy.asarray(y))))


def test_empty_and_ragged_helpers_match_numpy() -> None:
    """bincount of nothing, zero counts in expand, and empty groups behave as on NumPy."""
    import cupy

    from ecomgen.simulation.arrays import count_by, expand, group_ids, sum_by

    for xp in (np, cupy):
        empty = xp.zeros(0, dtype=xp.int64)
        assert _host(count_by(xp, empty, 4)).tolist() == [0, 0, 0, 0]
        assert _host(sum_by(xp, empty, empty, 3)).tolist() == [0, 0, 0]
        assert _host(xp.bincount(empty, minlength=2)).tolist() == [0, 0]
        gid, starts = group_ids(xp, empty)
        assert gid.shape == (0,) and starts.shape == (0,)
    counts = np.array([0, 3, 0, 0, 2, 1, 0], dtype=np.int64)
    owner, pos = expand(np, counts)
    g_owner, g_pos = expand(cupy, cupy.asarray(counts))
    assert np.array_equal(owner, _host(g_owner)) and np.array_equal(pos, _host(g_pos))
    z_owner, z_pos = expand(cupy, cupy.zeros(3, dtype=cupy.int64))
    assert z_owner.shape == (0,) and z_pos.shape == (0,)


def test_own_math_bit_identical_on_device() -> None:
    """Ten million inputs per function: the CUDA-compiled scalar form (numba-cuda, no fused
    multiply-adds), the CPU-compiled one and the array form on CuPy give the same bits."""
    import cupy

    from ecomgen.kernels import fmath as fm
    from ecomgen.kernels import fmath_arrays as fa
    from ecomgen.kernels import gpu

    gpu._no_fused_multiply_add()
    g = np.random.default_rng(1)
    n = 10_000_000
    inputs = {"exp": g.uniform(-700, 700, n), "log": np.exp(g.uniform(-700, 700, n)),
              "log1p": g.uniform(-0.999, 50, n), "expm1": g.uniform(-40, 40, n),
              "cos": g.uniform(-1e4, 1e4, n), "rint": g.uniform(-1e6, 1e6, n)}
    forms = {"exp": fa.exp_v, "log": fa.log_v, "log1p": fa.log1p_v, "expm1": fa.expm1_v,
             "cos": fa.cos_v, "rint": lambda xp, x: xp.rint(x)}
    for name, x in inputs.items():
        on_device, on_host = _applied(getattr(fm, name))
        d_in, d_out = cupy.asarray(x), cupy.empty(n)
        on_device[(n + 255) // 256, 256](d_in, d_out)
        host = on_host(x)
        assert np.array_equal(host.view(np.int64), _host(d_out).view(np.int64)), name
        assert np.array_equal(host.view(np.int64),
                              _host(forms[name](cupy, d_in)).view(np.int64)), name


def _applied(f: Any) -> tuple[Any, Any]:
    """A CUDA kernel and a CPU function applying the scalar function ``f`` elementwise."""
    from numba import cuda, njit

    @cuda.jit
    def on_device(a: Any, out: Any) -> None:
        i = cuda.grid(1)
        if i < a.shape[0]:
            out[i] = f(a[i])

    @njit
    def on_host(a: np.ndarray) -> np.ndarray:
        out = np.empty_like(a)
        for i in range(a.shape[0]):
            out[i] = f(a[i])
        return out

    return on_device, on_host
