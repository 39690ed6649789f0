"""Wall time and peak memory of each process of a run: one process against Dask workers.

    python benchmarks/scaling.py --preset M --format parquet --parts 4 --runs 3 \\
        --case "threads1:auto:1" --case "threads2:auto:2" --case "workers2:2:1"

A case is NAME:WORKERS:THREADS (WORKERS as ``--workers``; THREADS sets NUMBA_NUM_THREADS).
Each run is ``python -m ecomgen generate`` in a fresh process; its process tree is polled
every 0.1 s, so the peak resident memory of the main process and of every Dask worker is
known (to within the poll). Prints the median wall time per case, its speed against the
first case, and the median peak RSS of the main process and of the largest worker.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

MIB = 1 << 20


def run_once(args: argparse.Namespace, workers: str, threads: str) -> tuple[float, int,
                                                                            list[int]]:
    """One run: wall seconds, peak RSS of the main process, peak RSS of each other process
    of its tree (the Dask workers), in bytes."""
    out = Path(tempfile.mkdtemp(prefix="ecomgen-scaling-"))
    cmd = [sys.executable, "-m", "ecomgen", "generate", "--preset", args.preset, "--format",
           args.format, "--seed", "42", "--outdir", str(out / "data"), "--no-validation",
           "--no-report", "-q", "--workers", workers]
    if args.parts:
        cmd += ["--parts", str(args.parts)]
    env = {**os.environ, "NUMBA_NUM_THREADS": threads}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    main = psutil.Process(proc.pid)
    peak: dict[int, int] = {}
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            for p in [main, *main.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    peak[p.pid] = max(peak.get(p.pid, 0), p.memory_info().rss)
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    others = [v for k, v in peak.items() if k != proc.pid and v > 100 * MIB]
    return wall, peak.get(proc.pid, 0), others


def main() -> None:
    """Run every case ``--runs`` times, interleaved, and print the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="M")
    ap.add_argument("--format", default="parquet")
    ap.add_argument("--parts", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--case", action="append", required=True,
                    help="NAME:WORKERS:THREADS, e.g. workers2:2:1")
    args = ap.parse_args()
    cases = [c.split(":") for c in args.case]
    results: dict[str, list[tuple[float, int, list[int]]]] = {c[0]: [] for c in cases}
    for _ in range(args.runs):  # interleaved: the machine's drift hits every case alike
        for name, workers, threads in cases:
            results[name].append(run_once(args, workers, threads))
    base = statistics.median(r[0] for r in results[cases[0][0]])
    print(f"# preset {args.preset}, {args.format}, parts {args.parts}, "
          f"{args.runs} runs each, {os.cpu_count()} CPUs")
    print("| case | workers | threads | median s | speed vs first | main peak RSS | "
          "largest worker peak RSS | workers seen |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, workers, threads in cases:
        rs = results[name]
        wall = statistics.median(r[0] for r in rs)
        main_rss = statistics.median(r[1] for r in rs) / MIB
        worker = [max(r[2]) for r in rs if r[2]]
        wk = f"{statistics.median(worker) / MIB:,.0f} MiB" if worker else "-"
        seen = max(len(r[2]) for r in rs)
        print(f"| {name} | {workers} | {threads} | {wall:.1f} | {base / wall:.2f}x | "
              f"{main_rss:,.0f} MiB | {wk} | {seen} |")


if __name__ == "__main__":
    main()
