"""Publish an output directory atomically: it appears complete, or not at all.

A run writes everything (data, manifest, validation report, report) into a staging directory
and then makes it the output directory in one step:

- **Beside** (the usual case): staging is ``.<name>.ecomgen-new-<token>`` next to the output
  directory. When complete it is renamed ``...-ready-<token>`` (the commit point) and then
  exchanged with the old directory in one atomic ``renameat2(RENAME_EXCHANGE)``; where the
  system has no exchange, the old directory is renamed ``...-old-<token>`` first.
- **Inside** (a mount point, or a directory whose parent is read-only, cannot be renamed):
  staging is ``<dir>/.ecomgen-new-<token>``, committed by renaming it ``.ecomgen-ready-...``;
  then the old files move into ``.ecomgen-old-...`` (the manifest first, so the directory
  stops looking complete) and the new ones move in (the manifest last, so it looks complete
  only when it is).

Every step is a rename, so a process killed at any moment leaves the old state, the new
state, or a committed state that :func:`recover` — run by the next ``generate`` under the
directory's lock — completes. Staging directories of dead runs are removed the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ecomgen.errors import EnvironmentFault, as_environment_fault
from ecomgen.interrupts import deferred
from ecomgen.output.lock import TargetLock
from ecomgen.output.manifest import MANIFEST
from ecomgen.output.target import (
    FILESYSTEM_ENTRIES,
    INNER_PREFIX,
    Target,
    check_contents,
    resolve_target,
)

Notify = Callable[[str], None]
#: Marks a committed in-place replacement whose old files have all been moved aside.
PHASE2_MARKER = ".ecomgen-phase2"


def _beside_prefix(t: Target) -> str:
    return f".{t.path.name}.ecomgen-"


def lock_path(t: Target) -> Path:
    """Where the lock file of an output directory lives."""
    if t.inplace:
        return t.path / f"{INNER_PREFIX}lock"
    return t.parent / f"{_beside_prefix(t)}lock"


def _staging(t: Target, state: str, token: str) -> Path:
    if t.inplace:
        return t.path / f"{INNER_PREFIX}{state}-{token}"
    return t.parent / f"{_beside_prefix(t)}{state}-{token}"


def _restate(path: Path, old: str, new: str) -> Path:
    """The staging path of the same run in another state (``...-new-<token>`` -> ready)."""
    head, sep, token = path.name.rpartition(f"-{old}-")
    if not sep:
        raise ValueError(f"{path.name} is not a {old} staging directory")
    return path.with_name(f"{head}-{new}-{token}")


def _leftovers(t: Target, state: str) -> list[Path]:
    """Staging directories of one state (new, ready, old) left by earlier runs."""
    base, prefix = (t.path, INNER_PREFIX) if t.inplace else (t.parent, _beside_prefix(t))
    try:
        names = os.listdir(base)
    except OSError:
        return []
    return sorted((base / n for n in names if n.startswith(f"{prefix}{state}-")),
                  key=lambda p: p.stat().st_mtime if p.exists() else 0.0)


@contextlib.contextmanager
def atomic_output(target: Path | str, overwrite: bool = False,
                  notify: Notify | None = None) -> Iterator[Path]:
    """Yield a staging directory that replaces ``target`` only if the block succeeds.

    Takes the directory's lock, completes or removes what interrupted runs left, refuses a
    directory ecomgen may not replace, and on any exception (or signal) removes the staging
    directory, leaving an existing ``target`` untouched.
    """
    shown = str(target)
    t = resolve_target(target)
    _make_parent(t, shown)
    with TargetLock(lock_path(t), shown):
        recover(t, notify)
        check_contents(t, overwrite, shown)
        stage = _staging(t, "new", f"{os.getpid()}-{secrets.token_hex(3)}")
        try:
            stage.mkdir()
        except OSError as exc:
            raise _fault(exc, f"--outdir {shown}: cannot create it") from None
        try:
            yield stage
            with deferred():
                publish(t, stage)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise


def publish(t: Target, stage: Path) -> Path:
    """Commit a complete staging directory and make it the output directory."""
    ready = _restate(stage, "new", "ready")
    os.rename(stage, ready)
    if t.inplace:
        _apply_inplace(t, ready)
    else:
        _apply_beside(t, ready)
    return t.path


def _apply_beside(t: Target, ready: Path) -> None:
    if not t.path.exists():
        os.rename(ready, t.path)
        return
    if _exchange(ready, t.path):
        shutil.rmtree(ready, ignore_errors=True)  # holds the old content now
        return
    old = _restate(ready, "ready", "old")
    os.rename(t.path, old)
    os.rename(ready, t.path)
    shutil.rmtree(old, ignore_errors=True)


def _apply_inplace(t: Target, ready: Path) -> None:
    """Move the old files aside (manifest first), then the new ones in (manifest last)."""
    old = _restate(ready, "ready", "old")
    if not (ready / PHASE2_MARKER).exists():
        old.mkdir(exist_ok=True)
        current = [n for n in os.listdir(t.path)
                   if n not in FILESYSTEM_ENTRIES and not n.startswith(INNER_PREFIX)]
        for name in sorted(current, key=lambda n: n != MANIFEST):
            os.rename(t.path / name, old / name)
        (ready / PHASE2_MARKER).touch()
    new = [n for n in os.listdir(ready) if n != PHASE2_MARKER]
    for name in sorted(new, key=lambda n: n == MANIFEST):
        os.replace(ready / name, t.path / name)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(ready, ignore_errors=True)


def recover(t: Target, notify: Notify | None = None) -> None:
    """Complete or undo what interrupted runs left (call with the directory's lock held)."""
    say = notify or (lambda msg: None)
    ready = _leftovers(t, "ready")
    # A committed replacement is completed; beside an existing directory, a ready one is
    # either the old content after the exchange or a new one never swapped in: stale.
    if ready and (t.inplace or not t.path.exists()):
        if t.inplace:
            _apply_inplace(t, ready[-1])
        else:
            os.rename(ready[-1], t.path)
        say(f"completed the replacement of {t.path} that an interrupted run had begun")
    if not t.inplace and not t.path.exists():
        old = _leftovers(t, "old")
        if old:
            os.rename(old[-1], t.path)
            say(f"restored {t.path} from a replacement that an interrupted run had begun")
    stale = [p for state in ("new", "ready", "old") for p in _leftovers(t, state)]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    if stale:
        names = ", ".join(p.name for p in stale[:2]) + (" ..." if len(stale) > 2 else "")
        say(f"removed {len(stale)} unfinished output director"
            f"{'y' if len(stale) == 1 else 'ies'} of interrupted runs ({names})")


def _make_parent(t: Target, shown: str) -> None:
    try:
        t.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fault(exc, f"--outdir {shown}: cannot create {t.parent}") from None


def _fault(exc: OSError, doing: str) -> EnvironmentFault:
    return as_environment_fault(exc, doing) or \
        EnvironmentFault(f"{doing} ({exc.strerror or exc})")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(str(a)), _AT_FDCWD, os.fsencode(str(b)), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))
