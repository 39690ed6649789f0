"""CUDA kernels of the phases, compiled by numba-cuda from the same loop bodies the CPU
threads run: one GPU thread per entity.

Only :mod:`ecomgen.kernels.launch` imports this module, and only for device arrays. Under
Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, how CI tests these kernels without a
GPU) the thread bodies call the CPU-compiled scalar functions on the simulator's host
arrays; on a device numba-cuda recompiles them as device functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NamedTuple

import numba.cuda.cudadrv.nvvm as _nvvm
from numba import cuda

from ecomgen.kernels.launch import PHASES

SIMULATOR = os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"
#: Threads per block.
THREADS = 128
_KERNELS: dict[str, Any] = {}


def _no_fused_multiply_add() -> None:
    """Have NVVM compile without contracting a * b + c into one rounding: our math must give
    the CPU's bits (numba-cuda has no option for it; NVVM's default contracts)."""
    compile_ir = _nvvm.compile_ir
    if getattr(compile_ir, "ecomgen_no_fma", False):
        return

    def compile_ir_no_fma(llvmir: Any, **options: Any) -> Any:
        if not options.get("fastmath"):
            options["fma"] = False
        return compile_ir(llvmir, **options)

    compile_ir_no_fma.ecomgen_no_fma = True  # type: ignore[attr-defined]
    _nvvm.compile_ir = compile_ir_no_fma


def _host(t: NamedTuple) -> NamedTuple:
    """The simulator's device arrays of ``t`` as the host arrays they wrap."""
    return type(t)(*(getattr(a, "_ary", a) for a in t))


def _kernel(fn: Callable[..., None]) -> Any:
    """The CUDA kernel running ``fn(i, i + 1, t, o)`` for i < n, one thread each."""
    if SIMULATOR:
        def body(n: int, t: Any, o: Any) -> None:
            i = cuda.grid(1)
            if i < n:
                fn(i, i + 1, _host(t), _host(o))
    else:
        def body(n: int, t: Any, o: Any) -> None:
            i = cuda.grid(1)
            if i < n:
                fn(i, i + 1, t, o)
    return cuda.jit(body)


def _device(t: NamedTuple) -> NamedTuple:
    """``t`` with every array as a numba device array (zero-copy views of CuPy arrays)."""
    return type(t)(*(cuda.as_cuda_array(a) if hasattr(a, "__cuda_array_interface__") else a
                     for a in t))


def launch(phase: str, n: int, t: NamedTuple, o: NamedTuple) -> None:
    """Run ``phase`` over entities 0..n-1 on the GPU."""
    kernel = _KERNELS.get(phase)
    if kernel is None:
        _no_fused_multiply_add()
        kernel = _KERNELS[phase] = _kernel(PHASES[phase])
    blocks = (n + THREADS - 1) // THREADS
    kernel[blocks, THREADS](n, _device(t), _device(o))
