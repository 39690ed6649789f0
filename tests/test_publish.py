"""Publishing an output directory: a crash after any step leaves the old or the new state.

Each test writes a small "old" and "new" dataset, runs :func:`publish` with the k-th rename
turned into a crash (nothing after it runs, as with kill -9), checks what a reader would see
at that moment, then runs :func:`recover` as the next run would and checks the result.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecomgen.output import publish as pub
from ecomgen.output.lock import TargetLock
from ecomgen.output.target import Target, resolve_target

OLD = {"customers.csv": "old customers\n", "views.csv": "old views\n"}
NEW = {"customers.csv": "new customers\n", "sales.csv": "new sales\n",
       "validation_report.json": "{}\n", "report.html": "<html></html>\n"}


class Crash(BaseException):
    """Stands for the process dying at this instant."""


def _write_dataset(d: Path, files: dict[str, str], tag: str) -> None:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text)
    data = [n for n in files if n.endswith(".csv")]
    (d / "manifest.json").write_text(json.dumps(
        {"ecomgen_version": tag, "files": {n: {} for n in data}}))


def _state(d: Path) -> dict[str, str] | None:
    """The visible content of a dataset directory (None when absent)."""
    if not d.is_dir():
        return None
    return {p.name: p.read_text() for p in d.iterdir() if not p.name.startswith(".ecomgen-")
            and p.is_file()}


def _expected(files: dict[str, str], tag: str, tmp: Path) -> dict[str, str]:
    ref = tmp / f"ref-{tag}"
    _write_dataset(ref, files, tag)
    return _state(ref) or {}


def _looks_complete_is_complete(d: Path, old: dict[str, str], new: dict[str, str]) -> None:
    """A directory with a manifest holds exactly one whole dataset."""
    state = _state(d)
    if state is None or "manifest.json" not in state:
        return
    assert state in (old, new), f"a directory that looks complete holds a mix: {sorted(state)}"


def _steps(monkeypatch: pytest.MonkeyPatch, crash_at: int, exchange: bool) -> list[str]:
    """Patch every renaming step of publishing; the ``crash_at``-th one crashes."""
    done: list[str] = []

    def step(name: str, fn: object) -> object:
        def wrapped(*args: object, **kw: object) -> object:
            if len(done) + 1 == crash_at:
                raise Crash(name)
            out = fn(*args, **kw)  # type: ignore[operator]
            done.append(name)
            return out
        return wrapped

    monkeypatch.setattr(pub.os, "rename", step("rename", os.rename))
    monkeypatch.setattr(pub.os, "replace", step("replace", os.replace))
    real_exchange = pub._exchange if exchange else (lambda a, b: False)
    monkeypatch.setattr(pub, "_exchange", step("exchange", real_exchange))
    return done


def _stage(tmp_path: Path, t: Target) -> Path:
    stage = pub._staging(t, "new", "1-abcdef")
    _write_dataset(stage, NEW, "new")
    return stage


def _cases() -> Iterator[tuple[str, bool, int]]:
    for mode in ("beside", "inplace"):
        for exchange in ((True, False) if mode == "beside" else (True,)):
            for k in range(1, 16):
                yield mode, exchange, k


@pytest.mark.parametrize(("mode", "exchange", "crash_at"), list(_cases()))
def test_crash_at_every_step_recovers_old_or_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, exchange: bool,
        crash_at: int) -> None:
    target = tmp_path / "my-new-ready-old-data"  # state words in the name change nothing
    _write_dataset(target, OLD, "old")
    old, new = _expected(OLD, "old", tmp_path), _expected(NEW, "new", tmp_path)
    t = Target(resolve_target(target).path, inplace=mode == "inplace")
    stage = _stage(tmp_path, t)
    done = _steps(monkeypatch, crash_at, exchange)
    try:
        pub.publish(t, stage)
        crashed = False
    except Crash:
        crashed = True
    monkeypatch.undo()
    if not crashed:
        assert len(done) < crash_at
        assert _state(target) == new
        return
    _looks_complete_is_complete(target, old, new)
    notes: list[str] = []
    with TargetLock(pub.lock_path(t), str(target)):
        pub.recover(t, notes.append)
    after = _state(target)
    assert after in (old, new), f"after recovery: {after}"
    # Once committed (in place: staging renamed ready) or once the old directory has been
    # moved aside (beside, without an exchange: rename, exchange?, rename old away), the
    # replacement is completed; before that, the old state stays.
    committed = crash_at > 1 if t.inplace else (not exchange and crash_at > 3)
    if committed:
        assert after == new
    leftovers = [p.name for p in (target if t.inplace else tmp_path).iterdir()
                 if "ecomgen-" in p.name]
    assert leftovers == [], leftovers
    assert notes, "recovery says what it did"


def test_recover_removes_stale_staging_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "data"
    _write_dataset(target, OLD, "old")
    t = resolve_target(target)
    stale = pub._staging(t, "new", "99-000000")
    _write_dataset(stale, NEW, "new")
    notes: list[str] = []
    pub.recover(t, notes.append)
    assert not stale.exists()
    assert len(notes) == 1 and "removed 1 unfinished output directory" in notes[0]
    assert _state(target) == _expected(OLD, "old", tmp_path)


def test_new_target_is_created_by_one_rename(tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    t = resolve_target(target)
    stage = _stage(tmp_path, t)
    pub.publish(t, stage)
    assert _state(target) == _expected(NEW, "new", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "ref-new"]


def test_inplace_keeps_filesystem_entries(tmp_path: Path) -> None:
    target = tmp_path / "vol"
    _write_dataset(target, OLD, "old")
    (target / "lost+found").mkdir()
    t = Target(resolve_target(target).path, inplace=True)
    pub.publish(t, _stage(tmp_path, t))
    assert (target / "lost+found").is_dir()
    assert _state(target) == _expected(NEW, "new", tmp_path)


def test_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    from ecomgen.errors import UserError

    path = tmp_path / ".data.ecomgen-lock"
    with TargetLock(path, "data"):
        assert path.read_text().strip() == str(os.getpid())
        with pytest.raises(UserError, match="being written by another ecomgen run"):
            TargetLock(path, "data").acquire()
    assert not path.exists()
    with TargetLock(path, "data"):  # free again once released
        pass
