"""Errors a user can meet, each reported as one line with its own exit status.

Exit statuses of every ``ecomgen`` command:

- 0: success;
- 1: a data-quality check failed (``validate``, ``generate``) or files no longer match their
  manifest (``verify``) — never anything else;
- 2: bad input (a flag, a config file, a path, a directory that is not a dataset);
- 3: an environment fault (disk full, no permission, out of memory, a read-only file system);
- 128 + N: stopped by signal N (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
"""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3


class EcomgenError(Exception):
    """An error reported as one line; ``exit_code`` is the process exit status."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).splitlines())

    def __str__(self) -> str:
        return self.message


class UserError(EcomgenError):
    """A problem with the user's input; the message names it and the fix."""

    exit_code = EXIT_BAD_INPUT


class EnvironmentFault(EcomgenError):
    """The machine cannot do what was asked (disk full, permission, memory)."""

    exit_code = EXIT_ENVIRONMENT


#: errno values that mean the environment, not the input, is at fault, with advice.
_FAULTS: dict[int, str] = {
    errno.ENOSPC: "the disk is full; free some space or choose another --outdir",
    errno.EDQUOT: "the disk quota is exhausted; free some space or choose another --outdir",
    errno.EACCES: "permission denied; choose a directory you can write to",
    errno.EPERM: "operation not permitted; choose a directory you can write to",
    errno.EROFS: "the file system is read-only; choose a writable directory",
    errno.ENOMEM: "out of memory; reduce the sizes or use a larger machine",
    errno.EIO: "an input/output error (failing disk or lost network mount)",
    errno.EBUSY: "the directory is busy (a mount point or in use); choose another --outdir",
}
#: Text that libraries put in messages for those errno values (polars, Arrow, DuckDB).
_FAULT_TEXT: dict[str, int] = {
    "no space left on device": errno.ENOSPC,
    "os error 28": errno.ENOSPC,
    "disk quota exceeded": errno.EDQUOT,
    "permission denied": errno.EACCES,
    "os error 13": errno.EACCES,
    "read-only file system": errno.EROFS,
    "os error 30": errno.EROFS,
    "cannot allocate memory": errno.ENOMEM,
    "out of memory": errno.ENOMEM,
    "failed to allocate": errno.ENOMEM,
    "bad_alloc": errno.ENOMEM,
}


def fault_errno(exc: BaseException) -> int | None:
    """The environment-fault errno behind ``exc`` (its own, a cause's, or its text's)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, MemoryError):
            return errno.ENOMEM
        code = getattr(cur, "errno", None)
        if isinstance(code, int) and code in _FAULTS:
            return code
        text = str(cur).lower()
        for needle, code in _FAULT_TEXT.items():
            if needle in text:
                return code
        cur = cur.__cause__ or cur.__context__
    return None


def as_environment_fault(exc: BaseException, doing: str) -> EnvironmentFault | None:
    """An EnvironmentFault describing ``exc`` while ``doing`` something, or None."""
    code = fault_errno(exc)
    if code is None:
        return None
    where = getattr(exc, "filename", None)
    place = f" ({where})" if where else ""
    return EnvironmentFault(f"{doing}{place}: {_FAULTS[code]}")
