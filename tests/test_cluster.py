"""The day loop on Dask: the same bytes for any number of workers, on a LocalCluster and on
separate ``dask worker`` processes over TCP; a lost worker fails the run cleanly.

The config has three customer blocks (131,073+ customers), so two and three workers really
split the customers; a few days keep it to seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from tests.tcp_cluster import tcp_cluster as start_tcp_cluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--num-customers", "140000", "--num-products", "2000", "--num-merchants", "20",
        "--start", "2024-10-01", "--end", "2024-10-03", "--avg-views-per-day", "6000",
        "--seed", "11", "--no-report", "--no-validation", "-q"]


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ecomgen", "generate", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})


def _files(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("w") / "one"
    proc = _cli(*ARGS, "--workers", "1", "--outdir", str(out))
    assert proc.returncode == 0, proc.stderr
    return _files(out)


@pytest.mark.parametrize("workers", ["2", "3"])
def test_workers_give_the_same_bytes(tmp_path: Path, one_worker: dict[str, str],
                                     workers: str) -> None:
    out = tmp_path / "many"
    proc = _cli(*ARGS, "--workers", workers, "--outdir", str(out))
    assert proc.returncode == 0, proc.stderr
    assert _files(out) == one_worker
    run = json.loads((out / "manifest.json").read_text())["run"]
    assert run["workers"] == int(workers)


@pytest.fixture
def tcp_cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and two separate worker processes talking over TCP."""
    with start_tcp_cluster(tmp_path) as (address, _):
        yield address


def test_scheduler_with_separate_workers_over_tcp(tmp_path: Path, one_worker: dict[str, str],
                                                   tcp_cluster: str) -> None:
    assert tcp_cluster.startswith("tcp://")
    out = tmp_path / "tcp"
    proc = _cli(*ARGS, "--scheduler", tcp_cluster, "--outdir", str(out))
    assert proc.returncode == 0, proc.stderr
    assert _files(out) == one_worker


def test_lost_worker_fails_the_run_cleanly(tmp_path: Path) -> None:
    """A worker killed mid-run: one line naming the worker and the day, exit 3, nothing
    visible in the output directory."""
    out = tmp_path / "data"
    args = [*ARGS[:ARGS.index("--end") + 1], "2024-12-31", *ARGS[ARGS.index("--end") + 2:]]
    code = ("import os, signal, sys\n"
            "from ecomgen.simulation import worker\n"
            "real = worker.ShardWorker.browse\n"
            "def browse(self, d, *a):\n"
            "    if d == 4 and self.customers and self.customers.block_lo == 1:\n"
            "        os.kill(os.getpid(), signal.SIGKILL)\n"
            "    return real(self, d, *a)\n"
            "worker.ShardWorker.browse = browse\n")
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(code)
    proc = _cli(*args, "--workers", "2", "--outdir", str(out),
                env={"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "Dask worker tcp://" in lines[0] and "on day 5" in lines[0], lines[0]
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".data")] == []


def test_parts_with_workers_give_the_same_bytes(tmp_path: Path) -> None:
    """--parts 4: the same part files with one process and with 2, 3 and 8 Dask workers,
    each worker writing the parts of its own customers and products; the same content
    digests as --parts 1."""
    runs, tables = {}, {}
    for w, p in (("1", "4"), ("2", "4"), ("3", "4"), ("8", "4"), ("1", "1")):
        out = tmp_path / f"w{w}p{p}"
        proc = _cli(*ARGS, "--workers", w, "--parts", p, "--outdir", str(out))
        assert proc.returncode == 0, proc.stderr
        runs[w, p] = _files(out)
        manifest = json.loads((out / "manifest.json").read_text())
        if w != "1":  # the workers wrote the 12 day tables' 4 parts
            assert manifest["run"]["files_written_by_workers"] == 12 * 4, manifest["run"]
        tables[w, p] = {t: e["content_digest"] for t, e in manifest["tables"].items()}
    for w in ("2", "3", "8"):
        assert runs[w, "4"] == runs["1", "4"], w
        assert tables[w, "4"] == tables["1", "4"]
    assert tables["1", "1"] == tables["1", "4"]
    assert "views/part-00003.csv" in runs["1", "4"]
