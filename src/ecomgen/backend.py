"""The backend seam: the only module that imports CuPy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Backend:
    """An array namespace plus how to bring its arrays to the host."""

    xp: Any
    name: str

    def to_host(self, a: Any) -> np.ndarray:
        """NumPy copy of a backend array (no-op on the CPU)."""
        if self.xp is np:
            return np.asarray(a)
        return self.xp.asnumpy(a)

    def free(self) -> None:
        """Release cached device memory (no-op on the CPU)."""
        if self.xp is not np:
            self.xp.get_default_memory_pool().free_all_blocks()

    @property
    def out_of_memory(self) -> tuple[type[BaseException], ...]:
        """Exception types meaning the device ran out of memory."""
        if self.xp is np:
            return (MemoryError,)
        return (MemoryError, self.xp.cuda.memory.OutOfMemoryError)


CPU = Backend(np, "numpy")


def gpu_unavailable_reason() -> str | None:
    """Why CuPy cannot run here, or None when a usable GPU is present."""
    try:
        import cupy  # noqa: PLC0415 - the one CuPy import of the package
    except Exception as exc:  # ImportError, or a broken CUDA install
        return f"CuPy is not installed ({type(exc).__name__})"
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            return "no CUDA device is visible"
        cupy.zeros(1).sum()
    except Exception as exc:
        return f"CUDA is not usable ({type(exc).__name__}: {exc})"
    return None


def get_backend(use_gpu: bool) -> tuple[Backend, str | None]:
    """The requested backend, or the CPU with a one-line warning when no GPU is usable."""
    if not use_gpu:
        return CPU, None
    reason = gpu_unavailable_reason()
    if reason is not None:
        return CPU, f"--use-gpu: {reason}; running on the CPU with NumPy instead."
    import cupy  # noqa: PLC0415

    return Backend(cupy, "cupy"), None
