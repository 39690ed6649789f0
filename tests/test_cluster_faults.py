"""Faults of the Dask path as an operator meets them, each one line with its exit status.

Ctrl-C from the terminal (the whole process group) during ``--workers 2``, a killed external
``dask scheduler``, malformed or contradictory ``--scheduler`` flags, the dashboard port
already taken by another run, and the worker counts the manifest records. Runs are tiny;
the day loop reports its progress through a marker file so signals land mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecomgen.cli import main

pytest.importorskip("dask.distributed")

from tests.tcp_cluster import tcp_cluster as start_tcp_cluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUIET = ["--no-report", "--no-validation", "-q"]
#: A year of the tiny preset: long enough that a signal sent on day 3 finds the run busy.
YEAR = ["--preset", "tiny", "--start", "2024-01-01", "--end", "2024-12-31", *QUIET]
#: Two customer blocks (65,536 ids each), so two Dask workers both hold a shard.
TWO_BLOCKS = ["--num-customers", "70000", "--num-products", "500", "--num-merchants", "5",
              "--start", "2024-10-01", "--end", "2024-10-02", "--avg-views-per-day", "2000",
              *QUIET]
#: The command line, with a marker file (argv[1]) created when the day loop begins day 3.
DRIVER = ("import pathlib, sys\n"
          "from ecomgen import cluster\n"
          "real = cluster.DaskPool.begin_day\n"
          "def begin_day(self, d):\n"
          "    if d == 2:\n"
          "        pathlib.Path(sys.argv[1]).touch()\n"
          "    real(self, d)\n"
          "cluster.DaskPool.begin_day = begin_day\n"
          "from ecomgen.cli import main\n"
          "sys.exit(main(sys.argv[2:]))\n")
STOPPED = "ecomgen: stopped by Ctrl-C; nothing half-written was left behind"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ecomgen", "generate", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def _start_marked(mark: Path, *args: str, new_group: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(mark), "generate", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=new_group)


def _wait_for(mark: Path, proc: subprocess.Popen[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not mark.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before day 3: {proc.communicate()}")
        assert time.monotonic() < deadline, "day 3 never began"
        time.sleep(0.05)


def _live_in_group(pgid: int) -> list[str]:
    """Processes of group ``pgid`` that are still running (zombies are gone already)."""
    ps = subprocess.run(["ps", "-e", "-o", "pgid=,stat=,args="], capture_output=True,
                        text=True, check=True).stdout
    return [line for line in ps.splitlines()
            if line.split()[0] == str(pgid) and not line.split()[1].startswith("Z")]


def _one_line(proc: subprocess.CompletedProcess[str] | tuple[int, str], code: int) -> str:
    rc, err = (proc.returncode, proc.stderr) if not isinstance(proc, tuple) else proc
    assert rc == code, (rc, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ecomgen: error: "), err
    return lines[0]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = main(args)
    return rc, capsys.readouterr().err


# --------------------------------------------------------------------------- Ctrl-C
def test_ctrl_c_with_workers_prints_one_line_and_leaves_no_process(tmp_path: Path) -> None:
    """The terminal's Ctrl-C reaches every process of the group: the Dask workers stay
    quiet, the run prints its one line, exits 130, writes nothing and leaves no worker."""
    out, mark = tmp_path / "data", tmp_path / "day3"
    proc = _start_marked(mark, *YEAR, "--workers", "2", "--outdir", str(out), new_group=True)
    try:
        _wait_for(mark, proc)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert err == STOPPED + "\n" and stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day3"]
    deadline = time.monotonic() + 10
    while _live_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _live_in_group(proc.pid) == []


# --------------------------------------------------------------------------- scheduler
@pytest.fixture
def tcp_cluster(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A ``dask scheduler`` and two ``dask worker`` processes over TCP: (address, scheduler)."""
    with start_tcp_cluster(tmp_path) as cluster:
        yield cluster


def test_killed_scheduler_is_named_as_the_cause(
        tmp_path: Path, tcp_cluster: tuple[str, subprocess.Popen[bytes]]) -> None:
    """The scheduler killed mid-run: one line naming it (not a worker), exit 3, nothing
    written."""
    address, scheduler = tcp_cluster
    out, mark = tmp_path / "data", tmp_path / "day3"
    proc = _start_marked(mark, *YEAR, "--scheduler", address, "--outdir", str(out))
    try:
        _wait_for(mark, proc)
        scheduler.kill()
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    line = _one_line((proc.returncode, err), 3)
    assert f"lost the connection to the Dask scheduler at {address} on day " in line, line
    assert "Dask worker" not in line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day3", "scheduler.json"]


def test_manifest_counts_the_schedulers_workers(
        tmp_path: Path, tcp_cluster: tuple[str, subprocess.Popen[bytes]]) -> None:
    """--scheduler with two workers, both holding a shard: the manifest says so."""
    address, _ = tcp_cluster
    out = tmp_path / "data"
    proc = _cli(*TWO_BLOCKS, "--scheduler", address, "--outdir", str(out))
    assert proc.returncode == 0, proc.stderr
    run = json.loads((out / "manifest.json").read_text())["run"]
    assert (run["workers"], run["cluster_workers"], run["scheduler"]) == (2, 2, address)


@pytest.mark.parametrize("address", ["not a url", "tcp://127.0.0.1:notaport",
                                     "http://127.0.0.1:8786", "tcp://127.0.0.1:70000"])
def test_malformed_scheduler_is_one_line(tmp_path: Path, address: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    line = _one_line(_run(["generate", "--preset", "tiny", "--scheduler", address,
                           "--outdir", str(out)], capsys), 2)
    assert f"--scheduler {address!r}" in line and "tcp://HOST:PORT" in line, line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("address", ["", "  "])
def test_empty_scheduler_is_refused(tmp_path: Path, address: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """An empty --scheduler does not quietly run on this machine."""
    line = _one_line(_run(["generate", "--preset", "tiny", "--scheduler", address,
                           "--outdir", str(tmp_path / "data")], capsys), 2)
    assert "--scheduler is empty" in line and "tcp://HOST:PORT" in line, line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("workers", [["--workers", "3"], ["--workers=auto"]])
def test_scheduler_and_workers_together_are_refused(tmp_path: Path, workers: list[str],
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    """The workers are the scheduler's; an explicit --workers beside it is refused at once
    (before any connection is tried)."""
    t0 = time.monotonic()
    line = _one_line(_run(["generate", "--preset", "tiny", "--scheduler", "tcp://127.0.0.1:1",
                           *workers, "--outdir", str(tmp_path / "data")], capsys), 2)
    assert "--scheduler and --workers" in line and "one or the other" in line, line
    assert time.monotonic() - t0 < 5
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- LocalCluster
def test_workers_print_nothing_when_the_dashboard_port_is_taken(tmp_path: Path) -> None:
    """A second run (or anything) holding port 8787: a --workers run prints nothing."""
    with socket.socket() as held:
        try:
            held.bind(("127.0.0.1", 8787))
            held.listen()
        except OSError:
            pass  # something else holds it already: the same situation
        proc = _cli("--preset", "tiny", *QUIET, "--workers", "2", "--outdir",
                    str(tmp_path / "data"))
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout, proc.stderr) == ("", "")


def test_manifest_counts_the_workers_that_held_a_shard(tmp_path: Path) -> None:
    """Both LocalCluster workers hold a shard: tiny's one customer block on the first, half
    the products' offers on each."""
    out = tmp_path / "data"
    proc = _cli("--preset", "tiny", *QUIET, "--workers", "2", "--outdir", str(out))
    assert proc.returncode == 0, proc.stderr
    run = json.loads((out / "manifest.json").read_text())["run"]
    assert (run["workers"], run["cluster_workers"], run["scheduler"]) == (2, 2, None)
