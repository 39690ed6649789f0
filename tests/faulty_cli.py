"""Run the real ``ecomgen`` command line with an injected fault (for tests in subprocesses).

Usage: ``python tests/faulty_cli.py FAULT[=N] ... -- ecomgen arguments``. Faults:

- ``enospc=N``: the N-th batch a sink writes fails with "No space left on device";
- ``inplace``: treat the output directory as a mount point (written in place);
- ``readonly``: saving validation_report.json or report.html fails with a read-only FS;
- ``sigint-in-check=N``: Ctrl-C arrives while the N-th validation check's query runs;
- ``kill-at-rename=N``: the process dies (SIGKILL) right before the N-th rename while
  publishing the output directory;
- ``none``: no fault (the same code path, for comparisons).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _enospc(n: int) -> None:
    from ecomgen.sinks.csv import CsvSink
    from ecomgen.sinks.duckdb import DuckDbSink
    from ecomgen.sinks.parquet import ParquetSink

    calls = [0]
    for cls in (CsvSink, ParquetSink, DuckDbSink):
        original = cls.write  # every batch comes through write, whichever path encodes it

        def failing(self: object, table: str, batch: object, _orig: object = original) -> None:
            calls[0] += 1
            if calls[0] >= n:
                raise OSError(errno.ENOSPC, "No space left on device")
            _orig(self, table, batch)  # type: ignore[operator]

        cls.write = failing  # type: ignore[method-assign]


def _inplace() -> None:
    import ecomgen.output.target as target

    target._cannot_replace = lambda path: True  # type: ignore[assignment]


def _readonly() -> None:
    import ecomgen.checks.runner as runner
    import ecomgen.report.html as html

    def refuse(path: Path, text: str) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    runner.write_text_atomic = refuse  # type: ignore[assignment]
    html.write_text_atomic = refuse  # type: ignore[assignment]


def _sigint_in_check(n: int) -> None:
    from ecomgen.checks.registry import Check

    original = Check.failures
    calls = [0]

    def interrupted(self: Check, ctx: object) -> object:
        calls[0] += 1
        if calls[0] == n:
            pid = os.getpid()
            threading.Timer(0.3, lambda: os.kill(pid, signal.SIGINT)).start()
            ctx.con.execute(  # type: ignore[attr-defined]
                "SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3").fetchall()
        return original(self, ctx)  # type: ignore[arg-type]

    Check.failures = interrupted  # type: ignore[method-assign]


def _kill_at_rename(n: int) -> None:
    import ecomgen.output.publish as pub

    calls = [0]
    real_rename, real_replace, real_exchange = os.rename, os.replace, pub._exchange

    def counted(fn: object) -> object:
        def step(*args: object) -> object:
            calls[0] += 1
            if calls[0] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args)  # type: ignore[operator]
        return step

    pub.os = types.SimpleNamespace(**{  # type: ignore[attr-defined]
        **vars(os), "rename": counted(real_rename), "replace": counted(real_replace)})
    pub._exchange = counted(real_exchange)  # type: ignore[assignment]


FAULTS = {"enospc": _enospc, "inplace": _inplace, "readonly": _readonly,
          "sigint-in-check": _sigint_in_check, "kill-at-rename": _kill_at_rename,
          "none": None}


def main() -> int:
    """Install the faults named before ``--`` and run the CLI with the rest."""
    argv = sys.argv[1:]
    split = argv.index("--")
    for spec in argv[:split]:
        name, _, arg = spec.partition("=")
        fn = FAULTS[name]
        if fn is not None:
            fn(int(arg)) if arg else fn()  # type: ignore[operator]
    from ecomgen.cli import main as cli

    return cli(argv[split + 1:])


if __name__ == "__main__":
    sys.exit(main())
