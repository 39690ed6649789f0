"""One run at a time per output directory: an advisory lock file held for the whole run.

The lock is an ``flock`` on a small file beside the output directory (inside it when the
directory is a mount point). The kernel releases it when the process dies, even by kill -9,
so a lock can never outlive its run; the file itself is removed when the run ends.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType

from ecomgen.errors import EnvironmentFault, UserError, as_environment_fault

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class TargetLock:
    """Exclusive, non-blocking lock on ``path``; refuses in one line when another run holds it."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = Path(path)
        self.shown = shown
        self._fd: int | None = None

    def __enter__(self) -> TargetLock:
        self.acquire()
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise UserError naming the run that holds it."""
        if fcntl is None:  # pragma: no cover - no advisory locks on this platform
            return
        for _ in range(10):  # the file may be replaced by a run that just finished
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                fault = as_environment_fault(exc, f"--outdir {self.shown}: cannot create "
                                                  f"its lock file {self.path.name}")
                raise (fault or EnvironmentFault(
                    f"--outdir {self.shown}: cannot create its lock file "
                    f"({exc.strerror or exc})")) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_pid(fd)
                os.close(fd)
                who = f" (process {holder})" if holder else ""
                raise UserError(f"--outdir {self.shown} is being written by another ecomgen "
                                f"run{who}; wait for it to finish or choose another "
                                "--outdir") from None
            if _same_file(fd, self.path):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
                return
            os.close(fd)  # locked a file that was unlinked meanwhile: try the new one
        raise UserError(f"--outdir {self.shown}: could not take its lock; try again")

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            if _same_file(self._fd, self.path):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
