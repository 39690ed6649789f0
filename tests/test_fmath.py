"""Our own transcendental functions: the array form and the compiled form give the same bits
on ten million inputs each, both are accurate, and the golden bytes do not depend on
NumPy's SIMD code paths."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numba import njit

from ecomgen.kernels import fmath as fm
from ecomgen.kernels import fmath_arrays as fa

ROOT = Path(__file__).resolve().parents[1]
N = 10_000_000
CHUNK = 1_000_000


def _inputs(name: str) -> np.ndarray:
    """Ten million inputs over the function's useful range, its edges and special values."""
    g = np.random.default_rng(sum(map(ord, name)))
    special = np.array([0.0, -0.0, 1.0, -1.0, 0.5, 2.0, np.inf, -np.inf, np.nan, 1e-300,
                        5e-324, 709.78, -745.1, 710.0, -746.0, 1e-17, -1e-17, 1e6, -1e6])
    body = {
        "exp": lambda n: np.concatenate([g.uniform(-60, 60, n // 2),
                                         g.uniform(-750, 712, n - n // 2)]),
        "log": lambda n: np.concatenate([g.random(n // 2),
                                         np.exp(g.uniform(-740, 709, n - n // 2))]),
        "log1p": lambda n: np.concatenate([-g.random(n // 2), g.uniform(-1e-6, 1e-6, n // 4),
                                           g.uniform(0, 1e4, n - n // 2 - n // 4)]),
        "expm1": lambda n: np.concatenate([g.uniform(-1e-6, 1e-6, n // 2),
                                           g.uniform(-50, 50, n - n // 2)]),
        "cos": lambda n: np.concatenate([g.uniform(0, 2 * np.pi, n // 2),
                                         g.uniform(-1e4, 1e4, n - n // 2)]),
        "rint": lambda n: np.concatenate([g.uniform(-1e3, 1e3, n // 2),
                                          np.round(g.uniform(-1e6, 1e6, n - n // 2)) + 0.5]),
    }[name](N - special.shape[0])
    return np.concatenate([special, body])


def _compiled(f: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    @njit
    def apply(x: np.ndarray) -> np.ndarray:
        out = np.empty_like(x)
        for i in range(x.shape[0]):
            out[i] = f(x[i])
        return out

    return apply


ARRAY_FORMS = {"exp": fa.exp_v, "log": fa.log_v, "log1p": fa.log1p_v, "expm1": fa.expm1_v,
               "cos": fa.cos_v, "rint": lambda xp, x: xp.rint(x)}
#: Largest error against NumPy's (correctly rounded or nearly) functions, in ulp.
ULP = {"exp": 1, "log": 1, "log1p": 2, "expm1": 3, "cos": 1, "rint": 0}
REFERENCE = {"exp": np.exp, "log": np.log, "log1p": np.log1p, "expm1": np.expm1,
             "cos": np.cos, "rint": np.rint}


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    nan = np.isnan(a)
    return bool(np.array_equal(nan, np.isnan(b))
                and np.array_equal(a[~nan].view(np.int64), b[~nan].view(np.int64)))


@pytest.mark.parametrize("name", list(ARRAY_FORMS))
def test_array_and_compiled_forms_give_the_same_bits(name: str) -> None:
    """Ten million inputs: the array form equals the compiled scalar form, bit for bit, and
    both stay within a few ulp of NumPy's own function where the values are finite."""
    x = _inputs(name)
    compiled = _compiled(getattr(fm, name))
    with np.errstate(all="ignore"):
        for lo in range(0, N, CHUNK):
            part = x[lo:lo + CHUNK]
            a = compiled(part)
            b = ARRAY_FORMS[name](np, part)
            assert _same_bits(a, b), name
            r = REFERENCE[name](part)
            fin = np.isfinite(r) & (np.abs(r) > 1e-300) & (np.abs(part) <= fa.COS_MAX)
            ulp = np.abs(a[fin] - r[fin]) / np.spacing(np.abs(r[fin]))
            assert float(ulp.max(initial=0)) <= ULP[name], (name, float(ulp.max()))
            assert np.isinf(a[np.isinf(r)]).all(), name


def test_pow_forms_agree_and_are_accurate() -> None:
    """pow on ten million (x, y) pairs: same bits in both forms, relative error below 1e-13
    for the sizes of exponent the simulation uses."""
    g = np.random.default_rng(3)

    @njit
    def compiled(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.empty_like(x)
        for i in range(x.shape[0]):
            out[i] = fm.pow(x[i], y[i])
        return out

    for _ in range(N // CHUNK):
        x = np.concatenate([g.uniform(0, 2, CHUNK // 2), g.uniform(0, 1e6, CHUNK // 2)])
        y = g.uniform(-3, 3, CHUNK)
        x[:3], y[:3] = (0.0, 0.0, 0.0), (1.5, -1.0, 0.0)
        a, b = compiled(x, y), fa.pow_v(np, x, y)
        assert _same_bits(a, b)
        with np.errstate(all="ignore"):
            r = x ** y
        fin = np.isfinite(r) & (r > 0)
        assert float((np.abs(a[fin] - r[fin]) / r[fin]).max()) < 1e-13
        assert (a[0], a[1], a[2]) == (0.0, np.inf, 1.0)


def _dispatchable() -> list[str]:
    """NumPy's SIMD targets chosen at run time on this machine (beyond its baseline)."""
    from numpy._core._multiarray_umath import (  # noqa: PLC0415
        __cpu_dispatch__,
        __cpu_features__,
    )

    return [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]


def test_golden_bytes_without_numpy_simd(tmp_path: Path) -> None:
    """With every run-time SIMD path of NumPy turned off the tiny preset still writes its
    golden bytes: no written value depends on NumPy's vectorised math."""
    features = _dispatchable()
    out = tmp_path / "tiny"
    code = ("from ecomgen.config import Config, preset_overrides\n"
            "from ecomgen.pipeline import generate\n"
            f"generate(Config(seed=42, **preset_overrides('tiny')), {str(out)!r}, "
            "validate=False, report=False, progress=False)\n")
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(features)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if features:  # the switch was taken: NumPy says so on stderr when it cannot
        assert "NPY_DISABLE_CPU_FEATURES" not in proc.stderr, proc.stderr[-2000:]
    got = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.csv"))}
    expected = json.loads((ROOT / "tests" / "golden" / "tiny_seed42_csv.json").read_text())
    assert got == expected
