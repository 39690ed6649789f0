"""GPU benchmark: the simulation alone (no writing) on CuPy and NumPy, then whole runs.

    python benchmarks/gpu_bench.py --sim S M L --cpu-sim S M --budget 300

Simulation-only times run ``simulate`` with an emit that only counts rows (every batch
still comes to the host, as it would for writing); one warm-up at tiny first, so CUDA
start-up and kernel compilation stay out of the numbers. Every step is skipped once the
budget (seconds) is spent, so the script always ends in time on a lent machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from ecomgen.backend import CPU, Backend, get_backend
from ecomgen.config import Config, preset_overrides
from ecomgen.kernels import launch
from ecomgen.simulation.engine import simulate


def sim_only(preset: str, backend: Any, seed: int) -> dict[str, float]:
    """Seconds and rows of one simulation at ``preset`` with a counting emit, and the phase
    kernels' launches and the copies to the host per simulated day."""
    cfg = Config(seed=seed, **preset_overrides(preset))
    rows = 0
    copies = 0
    to_host = Backend.to_host

    def counted(self: Backend, a: Any) -> Any:
        nonlocal copies
        copies += 1
        return to_host(self, a)

    Backend.to_host = counted  # type: ignore[method-assign]
    launched = sum(launch.LAUNCHES.values())

    def emit(name: str, batch: dict[str, Any]) -> None:
        nonlocal rows
        if batch:
            col = next(iter(batch.values()))
            rows += len(getattr(col, "codes", col))

    sync = getattr(backend.xp, "cuda", None)
    t0 = time.perf_counter()
    simulate(cfg, backend, emit)
    if sync is not None:
        backend.xp.cuda.Device().synchronize()
    wall = time.perf_counter() - t0
    Backend.to_host = to_host  # type: ignore[method-assign]
    days = cfg.num_days
    return {"seconds": round(wall, 2), "rows": rows, "rows_per_s": round(rows / wall),
            "kernel_launches_per_day": round((sum(launch.LAUNCHES.values()) - launched) / days,
                                             1),
            "host_copies_per_day": round(copies / days, 1)}


def main() -> None:
    """Time the presets asked for, within the budget; print a table and write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", nargs="*", default=["S", "M", "L"], help="GPU presets")
    ap.add_argument("--cpu-sim", nargs="*", default=["S", "M"], help="CPU presets beside")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--budget", type=float, default=300.0, help="seconds for all steps")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    start = time.perf_counter()
    gpu, warning = get_backend(True)
    if warning:
        sys.exit(warning)
    results: list[dict[str, Any]] = []
    sim_only("tiny", gpu, args.seed)  # warm-up: CUDA context, kernel compilation
    plan = [(p, gpu) for p in args.sim] + [(p, CPU) for p in args.cpu_sim]
    for preset, backend in plan:
        left = args.budget - (time.perf_counter() - start)
        if left < 20:
            print(f"skipped {preset} on {backend.name}: budget spent", flush=True)
            continue
        r = {"preset": preset, "backend": backend.name, **sim_only(preset, backend, args.seed)}
        results.append(r)
        print(json.dumps(r), flush=True)
    print("\n| preset | backend | simulation s | rows | rows/s | kernel launches/day | "
          "host copies/day |\n| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['preset']} | {r['backend']} | {r['seconds']:.2f} | {r['rows']:,} | "
              f"{r['rows_per_s']:,} | {r['kernel_launches_per_day']} | "
              f"{r['host_copies_per_day']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
