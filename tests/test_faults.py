"""Faults a user or an operator meets, injected into the real command line in subprocesses.

Kills and signals at random moments, a full disk, a mount point as the output directory, a
read-only dataset, two runs at once, Ctrl-C during validation, too little memory. Where the
machine lets a test mount a small tmpfs (root, or unprivileged user namespaces) the fault is
real; otherwise it is injected by ``tests/faulty_cli.py`` at the same place (a write, a
rename, a save). Every case checks the promises: exit status, one line on stderr, no
traceback, the previous output untouched, no debris that outlasts the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, str(ROOT / "tests" / "faulty_cli.py")]
TINY = ["--preset", "tiny"]
QUICK = ["--no-validation", "--no-report"]


def run(args: list[str], *faults: str, cwd: Path | None = None, timeout: float = 300,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI with ``faults`` injected, run to completion."""
    return subprocess.run([*CLI, *(faults or ("none",)), "--", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, **(env or {})})


def start(args: list[str], *faults: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    """The CLI with ``faults`` injected, running in the background."""
    return subprocess.Popen([*CLI, *(faults or ("none",)), "--", *args], text=True, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def one_line_error(proc: subprocess.CompletedProcess[str] | tuple[int, str], code: int,
                   *needles: str) -> str:
    """Assert exit ``code`` with exactly one ``ecomgen: error:`` line and no traceback."""
    rc, err = (proc.returncode, proc.stderr) if not isinstance(proc, tuple) else proc
    assert rc == code, (rc, err)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ecomgen: error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def data_digests(d: Path) -> dict[str, str]:
    """sha256 of every data file of a dataset directory (manifest, reports excluded)."""
    skip = {"manifest.json", "validation_report.json", "report.html"}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())
            if p.is_file() and p.name not in skip and not p.name.startswith(".")}


def debris(parent: Path) -> list[str]:
    """What ecomgen left in ``parent`` (and inside its datasets) besides the datasets."""
    found = [p.name for p in parent.iterdir() if ".ecomgen-" in p.name]
    for d in parent.iterdir():
        if d.is_dir():
            found += [f"{d.name}/{p.name}" for p in d.iterdir() if p.name.startswith(".ecomgen-")]
    return sorted(found)


def assert_complete_if_it_looks_complete(d: Path, with_checks: bool) -> None:
    """A directory with a manifest has every file the manifest lists, as listed."""
    if not (d / "manifest.json").exists():
        return
    manifest = json.loads((d / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((d / name).read_bytes()).hexdigest() == entry["sha256"], name
    if with_checks:
        assert (d / "validation_report.json").is_file() and (d / "report.html").is_file()


# --------------------------------------------------------------------------- references
@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two complete tiny runs: ``old`` (seed 2) and ``new`` (seed 1)."""
    base = tmp_path_factory.mktemp("refs")
    out = {}
    for name, seed in (("old", "2"), ("new", "1")):
        proc = run(["generate", *TINY, "--seed", seed, "--outdir", str(base / name), "-q"])
        assert proc.returncode == 0, proc.stderr
        out[name] = base / name
    return out


def _copy_old(refs: dict[str, Path], parent: Path) -> Path:
    target = parent / "data"
    shutil.copytree(refs["old"], target)
    return target


# --------------------------------------------------------------------------- kills
def _kill_cases(n: int) -> list[tuple[str, int]]:
    return [(sig, seed) for seed in range(n) for sig in ("SIGKILL", "SIGTERM")]


def _kill_and_rerun(refs: dict[str, Path], tmp_path: Path, sig: str, seed: int) -> None:
    target = _copy_old(refs, tmp_path)
    args = ["generate", *TINY, "--seed", "1", "--outdir", str(target), "--overwrite", "-q"]
    proc = start(args)
    time.sleep(random.Random(f"{sig}-{seed}").uniform(0.2, 5.0))
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=300)
    old, new = data_digests(refs["old"]), data_digests(refs["new"])
    assert target.is_dir(), "the output directory never disappears"
    state = data_digests(target)
    assert state in (old, new), "old or new, never a mix"
    assert_complete_if_it_looks_complete(target, with_checks=True)
    assert "Traceback" not in err, err
    if sig == "SIGTERM" and proc.returncode != 0:
        assert debris(tmp_path) == [], "SIGTERM cleans up at once"
        if proc.returncode != -signal.SIGTERM:  # not still starting up, before any work
            assert proc.returncode == 143, (proc.returncode, err)
            assert err.strip() == \
                "ecomgen: stopped by SIGTERM; nothing half-written was left behind"
    left = debris(tmp_path)
    rerun = run(args[:-1])
    assert rerun.returncode == 0, rerun.stderr
    assert data_digests(target) == new
    assert debris(tmp_path) == [], "the next run removes what a killed run left"
    if any("-new-" in name or "-ready-" in name for name in left):
        assert "interrupted run" in rerun.stdout.replace("\n", " "), rerun.stdout


@pytest.mark.parametrize(("sig", "seed"), _kill_cases(2))
def test_kill_at_a_random_moment_leaves_old_or_new(refs: dict[str, Path], tmp_path: Path,
                                                   sig: str, seed: int) -> None:
    _kill_and_rerun(refs, tmp_path, sig, seed)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "seed"), _kill_cases(25)[4:])
def test_kill_at_many_random_moments(refs: dict[str, Path], tmp_path: Path, sig: str,
                                     seed: int) -> None:
    _kill_and_rerun(refs, tmp_path, sig, seed)


@pytest.mark.parametrize(("mode", "step"), [("beside", 1), ("beside", 2), ("inplace", 1),
                                            ("inplace", 4), ("inplace", 12)])
def test_killed_while_publishing_next_run_recovers(refs: dict[str, Path], tmp_path: Path,
                                                   mode: str, step: int) -> None:
    target = _copy_old(refs, tmp_path)
    faults = ("inplace",) if mode == "inplace" else ()
    args = ["generate", *TINY, "--seed", "1", "--outdir", str(target), "--overwrite"]
    killed = run(args, *faults, f"kill-at-rename={step}")
    assert killed.returncode == -signal.SIGKILL
    assert target.is_dir()
    assert_complete_if_it_looks_complete(target, with_checks=True)
    assert data_digests(target) in (data_digests(refs["old"]), data_digests(refs["new"])) \
        or not (target / "manifest.json").exists()
    rerun = run([*args, "--no-validation", "--no-report"], *faults)
    assert rerun.returncode == 0, rerun.stderr
    assert "interrupted run" in rerun.stdout.replace("\n", " ")
    assert data_digests(target) == data_digests(refs["new"])
    assert debris(tmp_path) == []


def test_signal_ignored_at_start_stays_ignored(tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored) a hang-up does not stop the run."""
    target = tmp_path / "data"

    def ignore_hup() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = subprocess.Popen([*CLI, "none", "--", "generate", *TINY, *QUICK, "--end",
                             "2024-03-31", "--outdir", str(target), "-q"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=ignore_hup)
    lock = tmp_path / ".data.ecomgen-lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert (target / "manifest.json").is_file()


# --------------------------------------------------------------------------- disk full
def _namespace_cmd() -> list[str] | None:
    """A command prefix giving a private mount namespace, if this machine allows one."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    return None


NAMESPACE = _namespace_cmd()
needs_mounts = pytest.mark.skipif(NAMESPACE is None, reason="cannot mount a tmpfs here")


def _in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert NAMESPACE is not None
    cli = " ".join(CLI)
    body = script.replace("ECOMGEN", f"{cli} none --")
    return subprocess.run([*NAMESPACE, "sh", "-c", body], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)


@needs_mounts
def test_disk_full_on_a_real_small_disk(tmp_path: Path) -> None:
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = _in_namespace(
        f"mount -t tmpfs -o size=6m tmpfs {mnt} && "
        f"ECOMGEN generate --preset tiny --seed 2 --outdir {mnt}/data -q --no-report && "
        f"cd {mnt}/data && sha256sum *.csv > {tmp_path}/before && cd {tmp_path} && "
        f"ECOMGEN generate --preset tiny --seed 1 --avg-views-per-day 30000 "
        f"--outdir {mnt}/data --overwrite -q --no-report; echo rc=$?; "
        f"cd {mnt}/data && sha256sum *.csv > {tmp_path}/after; ls -a {mnt} {mnt}/data",
        tmp_path)
    assert "rc=3" in proc.stdout, (proc.stdout, proc.stderr)
    one_line_error((3, proc.stderr), 3, "the disk is full", "previous output")
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert ".ecomgen-" not in proc.stdout, "no temporary directory left on the full disk"


def test_disk_full_injected(refs: dict[str, Path], tmp_path: Path) -> None:
    target = _copy_old(refs, tmp_path)
    for fmt in ("csv", "parquet", "duckdb"):
        proc = run(["generate", *TINY, "--outdir", str(target), "--overwrite", "--format", fmt],
                   "enospc=5")
        one_line_error(proc, 3, "the disk is full", "previous output (if any) is unchanged")
        assert data_digests(target) == data_digests(refs["old"])
        assert debris(tmp_path) == []


# --------------------------------------------------------------------------- mount points
@needs_mounts
def test_mount_point_outdir_is_written_in_place(tmp_path: Path) -> None:
    mnt = tmp_path / "volume"
    mnt.mkdir()
    proc = _in_namespace(
        f"mount -t tmpfs -o size=64m tmpfs {mnt} && mkdir {mnt}/lost+found && "
        f"ECOMGEN generate --preset tiny --seed 2 --outdir {mnt} -q --no-report; echo rc1=$?; "
        f"ECOMGEN generate --preset tiny --seed 1 --outdir {mnt} -q --overwrite; echo rc2=$?; "
        f"ECOMGEN validate {mnt} > /dev/null; echo rc3=$?; "
        f"grep -c '\"seed\": 1,' {mnt}/manifest.json; ls -a {mnt}", tmp_path)
    assert "rc1=0" in proc.stdout and "rc2=0" in proc.stdout and "rc3=0" in proc.stdout, \
        (proc.stdout, proc.stderr)
    listing = proc.stdout.split()
    assert "lost+found" in listing and "report.html" in listing
    assert not any(".ecomgen-" in name for name in listing)


def test_mount_point_outdir_injected(refs: dict[str, Path], tmp_path: Path) -> None:
    target = _copy_old(refs, tmp_path)
    (target / "lost+found").mkdir()
    proc = run(["generate", *TINY, "--seed", "1", "--outdir", str(target), "--overwrite", "-q"],
               "inplace")
    assert proc.returncode == 0, proc.stderr
    assert data_digests(target) == data_digests(refs["new"])
    assert (target / "lost+found").is_dir() and (target / "report.html").is_file()
    assert debris(tmp_path) == []


# --------------------------------------------------------------------------- read-only data
def test_read_only_dataset_injected(refs: dict[str, Path], tmp_path: Path) -> None:
    data = _copy_old(refs, tmp_path)
    (data / "validation_report.json").unlink()
    proc = run(["validate", str(data)], "readonly")
    assert proc.returncode == 0, proc.stderr
    assert "validation passed" in proc.stdout
    assert proc.stderr.strip().splitlines() == [
        f"ecomgen: note: could not save validation_report.json in {data} (Read-only file "
        "system); the results above are complete"]
    assert not (data / "validation_report.json").exists()
    one_line_error(run(["report", str(data)], "readonly"), 3, "Read-only file system",
                   "--output FILE")
    other = tmp_path / "elsewhere.html"
    assert run(["report", str(data), "--output", str(other)]).returncode == 0
    assert other.stat().st_size > 100_000


@needs_mounts
def test_read_only_dataset_on_a_read_only_mount(refs: dict[str, Path], tmp_path: Path) -> None:
    data = _copy_old(refs, tmp_path)
    (data / "validation_report.json").unlink()
    proc = _in_namespace(
        f"mount --bind {data} {data} && mount -o remount,ro,bind {data} && "
        f"ECOMGEN validate {data}; echo rc1=$?; ECOMGEN report {data}; echo rc2=$?", tmp_path)
    assert "rc1=0" in proc.stdout and "rc2=3" in proc.stdout, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and "could not save validation_report.json" in lines[0]
    assert lines[1].startswith("ecomgen: error: cannot write") and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- concurrency
def test_second_run_on_the_same_outdir_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "data"
    args = ["generate", *TINY, "--end", "2024-05-31", "--outdir", str(target), "-q"]
    first = start(args)
    lock = tmp_path / ".data.ecomgen-lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock.exists(), "the first run holds a lock while it writes"
    second = run([*args, "--overwrite", "--seed", "7"])
    one_line_error(second, 2, "is being written by another ecomgen run", str(first.pid))
    assert first.wait(timeout=600) == 0
    assert not lock.exists() and debris(tmp_path) == []
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["seed"] == 42, "the first run's output, unmixed"


# --------------------------------------------------------------------------- Ctrl-C in checks
def test_ctrl_c_during_validate_exits_130_and_records_nothing(refs: dict[str, Path],
                                                              tmp_path: Path) -> None:
    data = _copy_old(refs, tmp_path)
    before = (data / "validation_report.json").read_bytes()
    proc = run(["validate", str(data)], "sigint-in-check=40")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip() == \
        "ecomgen: stopped by Ctrl-C; nothing half-written was left behind"
    assert "failed" not in proc.stdout.lower()
    assert (data / "validation_report.json").read_bytes() == before


def test_ctrl_c_during_generate_validation_keeps_old_output(refs: dict[str, Path],
                                                            tmp_path: Path) -> None:
    target = _copy_old(refs, tmp_path)
    proc = run(["generate", *TINY, "--seed", "1", "--outdir", str(target), "--overwrite"],
               "sigint-in-check=10")
    assert proc.returncode == 130, proc.stderr
    assert data_digests(target) == data_digests(refs["old"])
    assert debris(tmp_path) == []


# --------------------------------------------------------------------------- memory
def test_run_too_large_for_memory_is_refused_up_front(tmp_path: Path) -> None:
    proc = run(["generate", "--preset", "XL", "--outdir", str(tmp_path / "xl")],
               env={"ECOMGEN_MEMORY_LIMIT": "2GiB"})
    line = one_line_error(proc, 3, "this run needs about", "10,000,000 customers",
                          "ECOMGEN_MEMORY_LIMIT=2GiB")
    assert "2.0 GiB" in line
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- bad input
def _bad_inputs(tmp: Path) -> Iterator[tuple[list[str], str, int]]:
    """(arguments, expected text, exit status) of input mistakes a user can make."""
    (tmp / "garbage.toml").write_bytes(b"\x00\xff not toml")
    (tmp / "empty").mkdir()
    (tmp / "unrelated").mkdir()
    (tmp / "unrelated" / "notes.txt").write_text("mine")
    gen = ["generate", *TINY, "--outdir", str(tmp / "out")]
    yield [*gen, "--num-customers", "0"], "--num-customers must be a positive", 2
    yield [*gen, "--num-products", "many"], "--num-products", 2
    yield [*gen, "--start", "2024-13-01"], "not a valid date", 2
    yield [*gen, "--config", str(tmp / "garbage.toml")], "--config", 2
    yield [*gen, "--format", "xlsx"], "--format", 2
    yield [*gen, "--use-gpu", "--no-gpu"], "contradict", 2
    yield ["generate", *TINY, "--outdir", str(tmp / "unrelated"), "--overwrite"], \
        "holds no ecomgen manifest", 2
    yield ["generate", *TINY, "--outdir", "."], "current directory", 2
    yield ["generate", *TINY, "--outdir", ""], "--outdir is empty", 2
    yield ["generate", *TINY, "--outdir", str(tmp / ("n" * 300))], "too long", 2
    yield ["generate", *TINY, "--outdir", str(tmp / "garbage.toml")], "not a directory", 2
    for command in ("validate", "profile", "report"):
        yield [command, str(tmp / "empty")], "holds no ecomgen tables", 2
        yield [command, str(tmp / "unrelated")], "holds no ecomgen tables", 2
        yield [command, str(tmp / "missing")], "is not a directory", 2


def test_bad_input_in_a_subprocess_is_one_line(tmp_path: Path) -> None:
    for args, needle, code in _bad_inputs(tmp_path):
        before = sorted(p.name for p in tmp_path.iterdir())
        one_line_error(run(args, cwd=tmp_path), code, needle)
        assert sorted(p.name for p in tmp_path.iterdir()) == before, args


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
@pytest.mark.parametrize("fmt", ["csv", "parquet", "duckdb"])
def test_damaged_files_are_reported_not_raised(tmp_path: Path, fmt: str, damage: str) -> None:
    data = tmp_path / "d"
    assert run(["generate", *TINY, *QUICK, "--format", fmt, "--outdir", str(data)]
               ).returncode == 0
    victim = data / ("ecomgen.duckdb" if fmt == "duckdb" else f"sales.{fmt}")
    raw = victim.read_bytes()
    victim.write_bytes({"truncate": raw[: len(raw) // 3],
                        "garbage": bytes(random.Random(1).randbytes(4096)),
                        "empty": b""}[damage])
    checked = run(["validate", str(data)])
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert "validation FAILED" in checked.stdout
    for command in ("profile", "report"):
        proc = run([command, str(data)])
        assert "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode != 0:
            one_line_error(proc, 2, "ecomgen validate")
