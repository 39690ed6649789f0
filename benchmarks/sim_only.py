"""The simulation alone (nothing written): CPU seconds per million views, thread scaling, and
the same against another checkout.

    python benchmarks/sim_only.py --preset L --threads 1 2 --runs 3
    git worktree add /tmp/before a2f6630
    python benchmarks/sim_only.py --preset L --threads 1 --baseline /tmp/before

Each run is a fresh process that imports ecomgen from a source tree, simulates one tiny
config first (so loading compiled kernels stays out of the figure), then the preset with an
emit that only counts rows. It reports wall seconds and the CPU seconds (user + sys) of the
preset's simulation alone. Runs alternate between the variants (baseline, then each thread
count) so a drifting machine speed touches them alike; ratios are taken run by run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from ecomgen.backend import CPU
from ecomgen.config import Config, preset_overrides
from ecomgen.simulation.engine import simulate

def run(preset):
    rows = {}
    def emit(name, batch):
        if batch:
            col = next(iter(batch.values()))
            rows[name] = rows.get(name, 0) + len(getattr(col, "codes", col))
    simulate(Config(seed=int(sys.argv[2]), **preset_overrides(preset)), CPU, emit)
    return rows

run("tiny")
r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
rows = run(sys.argv[1])
wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "views": rows.get("views", 0),
                  "rows": sum(rows.values())}))
"""


def one(tree: Path, preset: str, seed: int, threads: int | None) -> dict[str, float]:
    """One child process's figures."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    if threads:
        env["NUMBA_NUM_THREADS"] = str(threads)
    out = subprocess.run([sys.executable, "-c", CHILD, preset, str(seed)], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(f"simulation failed in {tree}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Alternate the variants, print a Markdown table of medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="S", choices=["tiny", "S", "M", "L", "XL"])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--baseline", type=Path, default=None,
                    help="another checkout (its src/ is imported) to run beside, one thread")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    variants: list[tuple[str, Path, int | None]] = []
    if args.baseline:
        variants.append(("baseline", args.baseline.resolve(), 1))
    variants += [(f"{t} thread{'s' if t > 1 else ''}", HERE, t) for t in args.threads]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in variants}
    for i in range(args.runs):
        for name, tree, threads in variants:
            r = one(tree, args.preset, args.seed, threads)
            runs[name].append(r)
            print(f"  run {i + 1} {name}: {r['wall']:.2f} s wall, {r['cpu']:.2f} CPU-s, "
                  f"{r['views']:,} views", file=sys.stderr, flush=True)
    print(f"# simulation alone, preset {args.preset}, seed {args.seed}, medians of "
          f"{args.runs} runs\n")
    print("| variant | views | wall | CPU-s | CPU-s per million views | wall vs 1 thread "
          "| CPU per view vs baseline |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    first = f"{args.threads[0]} thread{'s' if args.threads[0] > 1 else ''}"
    result = {}
    for name, _, _ in variants:
        rs = runs[name]
        per_m = [r["cpu"] / r["views"] * 1e6 for r in rs]
        speed = statistics.median(a["wall"] / b["wall"] for a, b in zip(runs[first], rs,
                                                                          strict=True))
        vs = ""
        if args.baseline and name != "baseline":
            ratio = statistics.median(p / (b["cpu"] / b["views"] * 1e6)
                                      for p, b in zip(per_m, runs["baseline"], strict=True))
            vs = f"{ratio:.2f}×"
        result[name] = {"views": rs[0]["views"],
                        "wall_s": statistics.median(r["wall"] for r in rs),
                        "cpu_s": statistics.median(r["cpu"] for r in rs),
                        "cpu_s_per_million_views": statistics.median(per_m)}
        print(f"| {name} | {rs[0]['views']:,} | {result[name]['wall_s']:.2f} s | "
              f"{result[name]['cpu_s']:.2f} | {result[name]['cpu_s_per_million_views']:.2f} | "
              f"{'' if name == 'baseline' else f'{speed:.2f}×'} | {vs} |")
    if args.json:
        args.json.write_text(json.dumps({"preset": args.preset, "runs": args.runs,
                                         "variants": result}, indent=2))


if __name__ == "__main__":
    main()
