"""Run every phase kernel of a short simulation twice, on the CPU and as its CUDA kernel
under Numba's CUDA simulator, and compare what they write (run by
``tests/test_kernel_browse.py`` in a subprocess with ``NUMBA_ENABLE_CUDASIM=1``, which must
be set before Numba starts).

Every launch of :func:`ecomgen.kernels.launch.run` is intercepted: both runs start from
zeroed outputs, so slots a kernel does not write compare equal too; the CPU's outputs then
go on into the simulation. Prints ``phases equal: <names>`` when every launch agreed.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from typing import NamedTuple

import numpy as np
from numba import cuda

from ecomgen.backend import CPU
from ecomgen.config import Config
from ecomgen.kernels import gpu, launch
from ecomgen.simulation.engine import simulate

COMPARED: Counter[str] = Counter()
CPU_RUN = launch.run
DIFFER: list[str] = []


def to_device(t: NamedTuple) -> NamedTuple:
    """``t`` with its arrays copied to the (simulated) device."""
    return type(t)(*(cuda.to_device(a) if isinstance(a, np.ndarray) else a for a in t))


def zeroed(o: NamedTuple) -> NamedTuple:
    """Outputs like ``o``, zero-filled."""
    return type(o)(*(np.zeros_like(a) for a in o))


def both(phase: str, n: int, t: NamedTuple, o: NamedTuple) -> None:
    """The launch on the CPU and on the simulated GPU; the CPU's outputs (and the state it
    moves on in its inputs) go on."""
    if n <= 0:
        return
    t_dev = to_device(t)  # before the CPU moves the state in its inputs on
    host = zeroed(o)
    CPU_RUN(phase, n, t, host)
    dev = to_device(zeroed(o))
    gpu.launch(phase, n, t_dev, dev)
    pairs = list(zip(host._fields, host, dev, strict=True)) + [
        (f"{name} (input)", a, b) for name, a, b in zip(t._fields, t, t_dev, strict=True)
        if isinstance(a, np.ndarray)]
    for name, a, b in pairs:
        if not np.array_equal(a, b.copy_to_host()):
            DIFFER.append(f"{phase}.{name}")
    for a, b in zip(o, host, strict=True):
        a[...] = b
    COMPARED[phase] += 1


def main() -> None:
    """Six days of a small config with every phase at work; exit 1 on a difference."""
    if not gpu.SIMULATOR:
        sys.exit("run with NUMBA_ENABLE_CUDASIM=1")
    cfg = Config(seed=4, num_customers=300, num_products=120, num_merchants=6,
                 avg_views_per_day=1_500, start=dt.date(2024, 11, 1),
                 end=dt.date(2024, 11, 6))
    cfg.FULFILMENT.customer_cancel_rate = 0.2
    cfg.FULFILMENT.cod_refusal_rate = 0.5
    launch.run = both  # type: ignore[assignment]
    simulate(cfg, CPU, lambda name, batch: None)
    if DIFFER:
        print("differ:", sorted(set(DIFFER)))
        sys.exit(1)
    print("phases equal:", " ".join(sorted(COMPARED)))
    print("launches compared:", dict(COMPARED))


if __name__ == "__main__":
    main()
