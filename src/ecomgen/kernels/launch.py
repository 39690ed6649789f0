"""The one seam between phase kernels and backends: run a kernel on the CPU or the GPU.

A phase kernel is a scalar function over one entity (a session, an order, an offer), given
a named tuple of inputs and one of outputs. On NumPy arrays it runs as the phase's
``prange`` driver on every CPU thread; on device arrays (CuPy, or anything with
``__cuda_array_interface__``) as the phase's CUDA kernel (:mod:`ecomgen.kernels.gpu`),
compiled by numba-cuda from the same scalar functions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

import numpy as np

#: Kernel launches by phase since the process started (the device-cost counters read it).
LAUNCHES: Counter[str] = Counter()


def on_device(t: NamedTuple) -> bool:
    """Whether the arrays of ``t`` live on a CUDA device."""
    for a in t:
        if isinstance(a, np.ndarray):
            return False
        if hasattr(a, "__cuda_array_interface__") or hasattr(a, "copy_to_host"):
            return True  # CuPy or numba device arrays (the simulator's have no interface)
    return False


def run(phase: str, cpu: Any, n: int, t: NamedTuple, o: NamedTuple) -> None:
    """Run ``phase`` over entities 0..n-1: ``cpu`` (its ``prange`` driver) on host arrays,
    its CUDA kernel on device arrays."""
    if n <= 0:
        return
    LAUNCHES[phase] += 1
    if on_device(t):
        from ecomgen.kernels import gpu  # noqa: PLC0415 - CUDA only when arrays are there

        gpu.launch(phase, n, t, o)
    else:
        cpu(n, t, o)
