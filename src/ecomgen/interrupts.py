"""Ctrl-C, SIGTERM and SIGHUP: stop cleanly, exit with 128 + the signal number.

The handlers raise :class:`Interrupted` in the main thread (a BaseException, so no
``except Exception`` swallows it) and remember the signal, so that code which must catch
library errors — a DuckDB query stopped by the signal raises an ordinary exception — can tell
an interruption from a failure with :func:`reraise_if_interrupted`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: Signals that stop a run, and their names for the one-line message.
SIGNALS: dict[int, str] = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}
if hasattr(signal, "SIGHUP"):
    SIGNALS[signal.SIGHUP] = "SIGHUP"

_received: list[int] = []


class Interrupted(BaseException):  # noqa: N818 - it is a stop request, not an error
    """The run was stopped by a signal; ``exit_code`` is 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = SIGNALS.get(signum, f"signal {signum}")
        self.exit_code = 128 + signum


def requested() -> int | None:
    """The signal that asked this process to stop, if one did."""
    return _received[0] if _received else None


def _handle(signum: int, frame: FrameType | None) -> None:
    if not _received:
        _received.append(signum)
    raise Interrupted(signum)


def reraise_if_interrupted(exc: BaseException) -> None:
    """Raise :class:`Interrupted` when ``exc`` is the echo of a stop request."""
    signum = requested()
    if signum is not None:
        raise Interrupted(signum) from exc
    if isinstance(exc, KeyboardInterrupt):
        raise Interrupted(signal.SIGINT) from exc


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Install the stop handlers for the duration of a command (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    _received.clear()
    for s in SIGNALS:
        signal.signal(s, _handle)
    try:
        yield
    except Exception as exc:  # a library error caused by the stop request is the stop
        reraise_if_interrupted(exc)
        raise
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        _received.clear()
