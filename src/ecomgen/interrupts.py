"""Ctrl-C, SIGTERM and SIGHUP: stop cleanly, exit with 128 + the signal number.

The handlers raise :class:`Interrupted` once in the main thread (a BaseException, so no
``except Exception`` swallows it). Python runs signal handlers only between bytecodes, so a
main thread busy inside a long DuckDB query would not notice; a watcher thread, woken by the
interpreter's wakeup file descriptor the moment a signal arrives, therefore interrupts the
registered DuckDB connections. The query then fails with an ordinary exception, which
:func:`reraise_if_interrupted` turns into the stop it really is — never a failed check.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import weakref
from collections.abc import Iterator
from types import FrameType
from typing import Any

#: Signals that stop a run, and their names for the one-line message.
SIGNALS: dict[int, str] = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}
if hasattr(signal, "SIGHUP"):
    SIGNALS[signal.SIGHUP] = "SIGHUP"

_received: list[int] = []
_raised: list[bool] = []
_watched: list[weakref.ref[Any]] = []
_lock = threading.Lock()


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


def _note(signum: int) -> None:
    with _lock:
        if not _received:
            _received.append(signum)
        live = [obj for ref in _watched if (obj := ref()) is not None]
    for obj in live:
        with contextlib.suppress(Exception):  # a closed connection has nothing to stop
            obj.interrupt()


def _handle(signum: int, frame: FrameType | None) -> None:
    _note(signum)
    if not _raised:  # one stop is raised; later signals only confirm it
        _raised.append(True)
        raise Interrupted(signum)


def reraise_if_interrupted(exc: BaseException) -> None:
    """Raise :class:`Interrupted` when ``exc`` is the echo of a stop request."""
    signum = requested()
    if signum is None and isinstance(exc, KeyboardInterrupt):
        signum = signal.SIGINT
    if signum is not None:
        _raised.append(True)
        raise Interrupted(signum) from exc


def watch(work: Any) -> Any:
    """Call ``work.interrupt()`` (e.g. a DuckDB connection's) as soon as a stop signal
    arrives; returns ``work``. Only a weak reference is kept."""
    with _lock:
        _watched[:] = [ref for ref in _watched if ref() is not None]
        _watched.append(weakref.ref(work))
        pending = bool(_received)
    if pending:
        work.interrupt()
    return work


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Install the stop handlers for the duration of a command (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # A signal the process was started with ignored (nohup's SIGHUP, SIGINT of a background
    # job) stays ignored, as Python itself does for SIGINT.
    previous = {s: h for s in SIGNALS if (h := signal.getsignal(s)) is not signal.SIG_IGN}
    _received.clear()
    _raised.clear()
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watch, args=(reader,), daemon=True,
                               name="ecomgen-signals")
    watcher.start()
    for s in previous:
        signal.signal(s, _handle)
    try:
        yield
    except Exception as exc:  # a library error caused by the stop request is the stop
        reraise_if_interrupted(exc)
        raise
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        signal.set_wakeup_fd(old_fd)
        with contextlib.suppress(OSError):
            writer.send(b"\0")  # wakes the watcher, which stops on byte 0
        watcher.join(timeout=5)
        reader.close()
        writer.close()
        _received.clear()
        _raised.clear()


def _watch(reader: socket.socket) -> None:
    """Interrupt registered work the moment a stop signal arrives (signal numbers as bytes)."""
    while True:
        try:
            data = reader.recv(64)
        except OSError:
            return
        for signum in data:
            if signum == 0:
                return
            if signum in SIGNALS:
                _note(signum)


#: Signals a terminal sends to its whole foreground process group (Ctrl-C, hang-up).
TERMINAL_SIGNALS: frozenset[int] = frozenset(
    s for s in (signal.SIGINT, getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def terminal_signals_blocked() -> Iterator[None]:
    """Block Ctrl-C and SIGHUP while child processes and threads start (POSIX only).

    Threads started meanwhile keep the block, and so do the processes they start (the
    signal mask survives fork and exec), so those never act on the terminal's Ctrl-C: this
    process alone stops, and shuts them down. A signal that arrives meanwhile reaches this
    process when the block ends. SIGTERM is left as it is, so a child can still be stopped.
    """
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    # multiprocessing's resource tracker, started on first use, unblocks SIGINT in the
    # thread that starts it (and so in every process that thread starts later): start it
    # now, before the block.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, TERMINAL_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold stop signals back while a few renames make a result visible (POSIX only).

    A signal that arrives meanwhile is delivered when the block ends, so a stop request
    never splits the publishing of an output directory.
    """
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
