"""End-to-end benchmark: ecomgen at a preset against tpchgen-cli at a comparable row count.

    python benchmarks/run.py --preset L                 # CSV, 3 alternating runs, peer beside
    python benchmarks/run.py --preset L --format parquet --no-peer
    python benchmarks/run.py --preset S --checks        # also time validate and report
    python benchmarks/run.py --scaling S M L            # one run per preset: time vs views
    python benchmarks/run.py --preset L --workers 1 2   # one process against 2 Dask workers

Every figure is measured on whole processes (wall clock, peak resident memory of the child
from wait4), reported as the median of the runs; with the peer the runs alternate A B A B
and the ratio is taken pair by pair, so drifting machine speed cancels out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Rows tpchgen writes per unit of scale factor (all eight tables, TPC-H specification).
TPCH_ROWS_PER_SF = 8_661_245


@dataclass
class Run:
    """One timed process."""

    wall: float
    max_rss_mib: float
    rows: int
    bytes: int
    cpu: float = 0.0  # user + sys seconds of the process and its waited-for children
    tables: dict[str, int] = field(default_factory=dict)
    workers: int = 1
    worker_rss_mib: list[float] = field(default_factory=list)  # sampled, per worker process

    @property
    def rows_per_s(self) -> float:
        """Output rows per wall-clock second."""
        return self.rows / self.wall if self.wall else 0.0

    @property
    def cpu_us_per_row(self) -> float:
        """CPU microseconds (user + sys) per output row."""
        return self.cpu / self.rows * 1e6 if self.rows else 0.0


def timed(cmd: list[str], env: dict[str, str] | None = None,
          tree: dict[int, float] | None = None) -> tuple[float, float, float]:
    """Run ``cmd``; wall seconds, the child's peak RSS in MiB and its CPU seconds (user +
    sys, from wait4) (fails loudly on error).

    With ``tree``, the peak RSS of every process the child starts (Dask workers) is sampled
    every 0.1 s into it (pid -> MiB).
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if tree is not None:
        threading.Thread(target=_sample_tree, args=(proc.pid, tree), daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: validation found an error; timing is still valid
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def _sample_tree(pid: int, peaks: dict[int, float]) -> None:
    """Peak RSS (MiB) of every descendant of ``pid`` until it exits."""
    import psutil

    try:
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            for child in root.children(recursive=True):
                try:
                    rss = child.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                peaks[child.pid] = max(peaks.get(child.pid, 0.0), rss)
            time.sleep(0.1)
    except psutil.Error:
        return


def run_ecomgen(preset: str, fmt: str, out: Path, seed: int, gpu: bool,
                workers: str = "1") -> Run:
    """Generate one preset into ``out``; rows and bytes from its manifest."""
    cmd = [sys.executable, "-m", "ecomgen", "generate", "--preset", preset, "--format", fmt,
           "--outdir", str(out), "--overwrite", "--no-validation", "--no-report", "--quiet",
           "--seed", str(seed), "--use-gpu" if gpu else "--no-gpu", "--workers", workers]
    peaks: dict[int, float] = {}
    wall, rss, cpu = timed(cmd, tree=peaks)
    manifest = json.loads((out / "manifest.json").read_text())
    tables = {k: int(v["rows"]) for k, v in manifest["tables"].items()}
    size = sum(int(f["bytes"]) for f in manifest["files"].values())
    used = int(manifest.get("run", {}).get("workers") or 1)
    # Dask workers: the biggest descendants (the nanny and helper processes are small).
    big = sorted(peaks.values(), reverse=True)[:used] if used > 1 else []
    return Run(wall, rss, sum(tables.values()), size, cpu, tables, used, big)


def count_csv_rows(directory: Path) -> tuple[int, int]:
    """Data rows (lines minus header) and bytes of every CSV file under ``directory``."""
    rows = size = 0
    for path in directory.rglob("*.csv"):
        with path.open("rb") as fh:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
        rows += lines - 1
        size += path.stat().st_size
    return rows, size


def run_peer(scale: float, out: Path) -> Run:
    """tpchgen-cli writing every TPC-H table as CSV at ``scale``."""
    exe = shutil.which("tpchgen-cli") or str(Path(sys.executable).parent / "tpchgen-cli")
    if not Path(exe).exists():
        sys.exit("tpchgen-cli is not installed: run `pip install -e '.[bench]'` "
                 "(`make bench` does), or pass --no-peer")
    if out.exists():
        shutil.rmtree(out)
    wall, rss, cpu = timed([exe, "csv", "-s", f"{scale:g}", f"--output-dir={out}"])
    rows, size = count_csv_rows(out)
    return Run(wall, rss, rows, size, cpu)


def median(values: list[float]) -> float:
    """Median of a list."""
    return statistics.median(values) if values else float("nan")


def run_checks(out: Path) -> dict[str, float]:
    """Wall seconds of `ecomgen validate` and `ecomgen report` over ``out``."""
    res = {}
    for verb in ("validate", "report"):
        wall, _, _ = timed([sys.executable, "-m", "ecomgen", verb, str(out)])
        res[verb] = wall
    return res


def bench_preset(args: argparse.Namespace, work: Path) -> dict[str, object]:
    """Alternating runs of ecomgen (for each ``--workers`` value, and the peer) at one
    preset."""
    ours: dict[str, list[Run]] = {w: [] for w in args.workers}
    peer: list[Run] = []
    ratios: dict[str, list[float]] = {w: [] for w in args.workers}
    scale = None
    checks: list[dict[str, float]] = []
    for i in range(args.runs):
        for w in args.workers:
            run = run_ecomgen(args.preset, args.format, work / "ecomgen", args.seed, args.gpu,
                              w)
            ours[w].append(run)
            extra = (f", {run.workers} workers of peak "
                     f"{', '.join(f'{m:,.0f}' for m in run.worker_rss_mib)} MiB"
                     if run.worker_rss_mib else "")
            print(f"  ecomgen --workers {w} run {i + 1}: {run.wall:.2f} s, {run.rows:,} rows, "
                  f"{run.rows_per_s:,.0f} rows/s, {run.cpu:.1f} CPU-s "
                  f"({run.cpu_us_per_row:.2f} CPU-us/row), peak {run.max_rss_mib:,.0f} MiB"
                  f"{extra}", flush=True)
        if args.checks:
            checks.append(run_checks(work / "ecomgen"))
            print(f"    validate {checks[-1]['validate']:.2f} s, report "
                  f"{checks[-1]['report']:.2f} s", flush=True)
        if args.peer:
            first = ours[args.workers[0]][-1]
            scale = scale or max(round(first.rows / TPCH_ROWS_PER_SF, 2), 0.01)
            p = run_peer(scale, work / "tpch")
            peer.append(p)
            for w in args.workers:
                ratios[w].append(ours[w][-1].rows_per_s / p.rows_per_s)
            print(f"  tpchgen-cli -s {scale:g} run {i + 1}: {p.wall:.2f} s, {p.rows:,} rows, "
                  f"{p.rows_per_s:,.0f} rows/s, {p.cpu:.1f} CPU-s "
                  f"({p.cpu_us_per_row:.2f} CPU-us/row)", flush=True)
    main = ours[args.workers[0]]
    result: dict[str, object] = {
        "preset": args.preset, "format": args.format, "backend": "cupy" if args.gpu else "numpy",
        "runs": args.runs,
        "wall_s": median([r.wall for r in main]),
        "rows": main[0].rows,
        "bytes": main[0].bytes,
        "rows_per_s": median([r.rows_per_s for r in main]),
        "cpu_s": median([r.cpu for r in main]),
        "cpu_us_per_row": median([r.cpu_us_per_row for r in main]),
        "peak_rss_mib": median([r.max_rss_mib for r in main]),
        "tables": {k: {"rows": v, "rows_per_s": v / median([r.wall for r in main])}
                   for k, v in main[0].tables.items()},
        "workers": {w: {
            "workers": runs[0].workers,
            "wall_s": median([r.wall for r in runs]),
            "rows_per_s": median([r.rows_per_s for r in runs]),
            "client_peak_rss_mib": median([r.max_rss_mib for r in runs]),
            "worker_peak_rss_mib": median([max(r.worker_rss_mib) for r in runs])
            if runs[0].worker_rss_mib else None,
            "ratio_rows_per_s": median(ratios[w]) if ratios[w] else None,
        } for w, runs in ours.items()},
    }
    if checks:
        result["validate_s"] = median([c["validate"] for c in checks])
        result["report_s"] = median([c["report"] for c in checks])
    if peer:
        result["peer"] = {
            "command": f"tpchgen-cli csv -s {scale:g}",
            "wall_s": median([p.wall for p in peer]),
            "rows": peer[0].rows,
            "bytes": peer[0].bytes,
            "rows_per_s": median([p.rows_per_s for p in peer]),
            "cpu_s": median([p.cpu for p in peer]),
            "cpu_us_per_row": median([p.cpu_us_per_row for p in peer]),
            "peak_rss_mib": median([p.max_rss_mib for p in peer]),
        }
        result["ratio_rows_per_s"] = median(ratios[args.workers[0]])
    return result


def markdown(res: dict[str, object]) -> str:
    """A markdown summary of one preset's result."""
    lines = [
        "| preset | format | backend | wall (median) | rows | rows/s | CPU-s | CPU-us/row | "
        "MiB written | peak RSS |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {res['preset']} | {res['format']} | {res['backend']} | {res['wall_s']:.2f} s "
        f"| {res['rows']:,} | {res['rows_per_s']:,.0f} | {res['cpu_s']:.1f} "
        f"| {res['cpu_us_per_row']:.2f} | {res['bytes'] / 2**20:,.0f} "
        f"| {res['peak_rss_mib']:,.0f} MiB |",
    ]
    if "peer" in res:
        p = res["peer"]
        assert isinstance(p, dict)
        lines.append(f"| {p['command']} | csv | rust | {p['wall_s']:.2f} s | {p['rows']:,} "
                     f"| {p['rows_per_s']:,.0f} | {p['cpu_s']:.1f} "
                     f"| {p['cpu_us_per_row']:.2f} | {p['bytes'] / 2**20:,.0f} "
                     f"| {p['peak_rss_mib']:,.0f} MiB |")
        lines.append("")
        lines.append(f"ecomgen rows/s ÷ tpchgen-cli rows/s (median of pairs): "
                     f"**{res['ratio_rows_per_s']:.2f}×**")
    by_workers = res.get("workers")
    if isinstance(by_workers, dict) and len(by_workers) > 1:
        lines.append("")
        lines.append("| --workers | processes | wall (median) | rows/s | ratio to tpchgen-cli "
                     "| peak RSS client | peak RSS per worker |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for w, r in by_workers.items():
            ratio = f"{r['ratio_rows_per_s']:.2f}×" if r["ratio_rows_per_s"] else "–"
            wrss = f"{r['worker_peak_rss_mib']:,.0f} MiB" if r["worker_peak_rss_mib"] else "–"
            lines.append(f"| {w} | {r['workers']} | {r['wall_s']:.2f} s | "
                         f"{r['rows_per_s']:,.0f} | {ratio} | "
                         f"{r['client_peak_rss_mib']:,.0f} MiB | {wrss} |")
    if "validate_s" in res:
        lines.append("")
        lines.append(f"validate: {res['validate_s']:.2f} s, report: {res['report_s']:.2f} s")
    lines.append("")
    lines.append("| table | rows | rows/s of the run |")
    lines.append("| --- | ---: | ---: |")
    tables = res["tables"]
    assert isinstance(tables, dict)
    for name, t in tables.items():
        lines.append(f"| {name} | {t['rows']:,} | {t['rows_per_s']:,.0f} |")
    return "\n".join(lines)


def scaling(args: argparse.Namespace, work: Path) -> None:
    """One run per preset: time against the number of views."""
    print("| preset | views | rows | wall | s per million views | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for preset in args.scaling:
        run = run_ecomgen(preset, args.format, work / f"scale-{preset}", args.seed, args.gpu)
        views = run.tables.get("views", 0)
        print(f"| {preset} | {views:,} | {run.rows:,} | {run.wall:.2f} s | "
              f"{run.wall / max(views, 1) * 1e6:.2f} | {run.max_rss_mib:,.0f} MiB |", flush=True)
        shutil.rmtree(work / f"scale-{preset}", ignore_errors=True)


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="S", choices=["tiny", "S", "M", "L", "XL"])
    ap.add_argument("--format", default="csv", choices=["csv", "parquet", "duckdb"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--gpu", action="store_true", help="run ecomgen with --use-gpu")
    ap.add_argument("--peer", action=argparse.BooleanOptionalAction, default=True,
                    help="time tpchgen-cli beside (default on)")
    ap.add_argument("--checks", action="store_true", help="also time validate and report")
    ap.add_argument("--workers", nargs="+", default=["1"], metavar="N|auto",
                    help="ecomgen --workers values to run in turn (default 1)")
    ap.add_argument("--scaling", nargs="*", metavar="PRESET", help="time vs views instead")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch directory")
    ap.add_argument("--json", type=Path, default=None, help="write the result as JSON")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecomgen-bench-", dir=args.workdir))
    print(f"# ecomgen benchmark, {dt.date.today()}, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    try:
        if args.scaling:
            scaling(args, work)
            return
        res = bench_preset(args, work)
        res["date"] = str(dt.date.today())
        res["cores"] = os.cpu_count()
        print()
        print(markdown(res))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(res, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
