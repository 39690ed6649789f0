"""The one seam between phase kernels and backends: run a kernel on the CPU or the GPU.

A phase kernel is a compiled scalar loop body ``fn(lo, hi, t, o)`` over entities lo..hi-1
(sessions, orders, offers), given a named tuple of inputs ``t`` and one of outputs ``o``.
On NumPy arrays the entities are split into one part per thread, and the threads of this
process run them at the same time (the body releases the GIL; ``NUMBA_NUM_THREADS``
threads, every core by default); on device arrays (CuPy, or anything with
``__cuda_array_interface__``) the
phase's CUDA kernel runs the same body, one thread per entity (:mod:`ecomgen.kernels.gpu`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from ecomgen.kernels.browse import browse_sessions
from ecomgen.kernels.offers import close_offers, ledger_offers, open_offers, settle_offers
from ecomgen.kernels.orders import fate_orders, pay_orders
from ecomgen.kernels.sessions import pick_customers, session_traits

#: The loop body of each phase.
PHASES: dict[str, Callable[..., None]] = {
    "pick": pick_customers, "traits": session_traits, "browse": browse_sessions,
    "pay": pay_orders, "fate": fate_orders, "offers.open": open_offers,
    "offers.settle": settle_offers, "offers.close": close_offers,
    "offers.ledger": ledger_offers}
#: Kernel launches by phase since the process started (the device-cost counters read it).
LAUNCHES: Counter[str] = Counter()
#: Fewest entities worth a thread of their own.
MIN_CHUNK = 256
_POOL: list[ThreadPoolExecutor] = []


def threads() -> int:
    """Threads a phase runs on: NUMBA_NUM_THREADS, else the cores this process may use."""
    setting = os.environ.get("NUMBA_NUM_THREADS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def on_device(t: NamedTuple) -> bool:
    """Whether the arrays of ``t`` live on a CUDA device."""
    for a in t:
        if isinstance(a, np.ndarray):
            return False
        if hasattr(a, "__cuda_array_interface__") or hasattr(a, "copy_to_host"):
            return True  # CuPy or numba device arrays (the simulator's have no interface)
    return False


def run(phase: str, n: int, t: NamedTuple, o: NamedTuple) -> None:
    """Run ``phase`` over entities 0..n-1: in chunks on this process's threads for host
    arrays, as its CUDA kernel for device arrays."""
    if n <= 0:
        return
    LAUNCHES[phase] += 1
    if on_device(t):
        from ecomgen.kernels import gpu  # noqa: PLC0415 - CUDA only when arrays are there

        gpu.launch(phase, n, t, o)
        return
    fn = PHASES[phase]
    parts = min(threads(), n // MIN_CHUNK)
    if parts < 2:
        fn(0, n, t, o)
        return
    # One contiguous part per thread, this thread taking the last: a launch costs one hand-
    # over per extra thread (finer chunks balance better but cost more than they save).
    bounds = [n * i // parts for i in range(parts + 1)]
    pending = [_pool(parts - 1).submit(fn, bounds[i], bounds[i + 1], t, o)
               for i in range(parts - 1)]
    fn(bounds[-2], bounds[-1], t, o)
    for f in pending:
        f.result()  # re-raises a part's error here


def _pool(k: int) -> ThreadPoolExecutor:
    """The process's kernel threads (made on first use, remade if the count changes)."""
    if not _POOL or _POOL[0]._max_workers != k:  # noqa: SLF001 - the executor's own size
        if _POOL:
            _POOL.pop().shutdown(wait=False)
        _POOL.append(ThreadPoolExecutor(k, thread_name_prefix="ecomgen-kernel"))
    return _POOL[0]
