"""The non-NumPy code paths (those CuPy takes) give the same bytes, run here on the CPU.

A stand-in namespace forwards every call to NumPy but is not ``numpy`` itself, so the
simulation takes its CuPy branches: unchunked hashing, search-based expansion, the
backend's own argsort (stable, as CuPy's radix sort is) and host copies via ``asnumpy``.
"""

from __future__ import annotations

import hashlib
import types
from typing import Any

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config, preset_overrides
from tests.simkit import run_in_memory


class _Pool:
    def free_all_blocks(self) -> None:
        """Nothing to free on the host."""


def _stand_in() -> Any:
    xp = types.ModuleType("stand_in_cupy")

    def __getattr__(name: str) -> Any:
        return getattr(np, name)

    xp.__getattr__ = __getattr__  # type: ignore[attr-defined]
    xp.argsort = lambda a, *args, **kw: np.argsort(a, kind="stable")  # type: ignore[attr-defined]
    xp.asnumpy = np.asarray  # type: ignore[attr-defined]
    xp.get_default_memory_pool = _Pool  # type: ignore[attr-defined]
    xp.cuda = types.SimpleNamespace(  # type: ignore[attr-defined]
        memory=types.SimpleNamespace(OutOfMemoryError=MemoryError))
    return xp


def _digests(backend: Backend) -> dict[str, str]:
    cfg = Config(seed=21, **preset_overrides("tiny"))
    cfg.GPU_CONFIG.batch_size_views = 1_000  # several view batches a day
    return {name: hashlib.sha256(df.write_csv().encode()).hexdigest()
            for name, df in run_in_memory(cfg, backend).items()}


def test_device_code_paths_match_numpy() -> None:
    """Every table is byte-identical between NumPy and the CuPy-shaped code paths."""
    stand_in = Backend(_stand_in(), "stand-in")
    assert stand_in.xp is not np and stand_in.xp.__name__ != "numpy"
    a, b = _digests(Backend(np, "numpy")), _digests(stand_in)
    assert [k for k in a if a[k] != b[k]] == []
