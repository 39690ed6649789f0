"""The day loop on Dask distributed: one shard worker per Dask worker (the only Dask import).

Each Dask worker holds one :class:`~ecomgen.simulation.worker.ShardWorker` as an actor: its
customer blocks and offers stay there for the whole run, and only the day's exchange
(stock at 00:00, attempts, acceptance, sales, id offsets, output batches) moves. The client
draws the entity tables, runs :func:`ecomgen.simulation.engine.run_days` over the actors
and writes what they return in worker order, so the files are byte-identical to a run in
one process.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from typing import Any

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.errors import EnvironmentFault, UserError
from ecomgen.simulation.engine import plan, run_days, setup
from ecomgen.simulation.worker import ShardWorker

INSTALL_HINT = "pip install 'ecomgen[dask]'"


def dask_available() -> bool:
    """Whether Dask distributed can be imported here."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


class DaskPool:
    """Shard workers of a run: actors on Dask workers, and any in this process.

    A phase runs on all actors at once (their calls are sent before any result is awaited)
    while the local workers run here.
    """

    def __init__(self, members: list[tuple[Any, str | None]]) -> None:
        self.members = members  # (actor or ShardWorker, worker address or None for local)
        self.day = -1

    def begin_day(self, d: int) -> None:
        """Remember the day (for the message if a worker is lost)."""
        self.day = d

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> list[Any]:
        """Run ``method`` on every member with arguments; results in member order."""
        pending = [getattr(m, method)(*a) if a is not None and addr else None
                   for (m, addr), a in zip(self.members, args, strict=True)]
        out: list[Any] = []
        for (m, addr), a, fut in zip(self.members, args, pending, strict=True):
            if a is None:
                out.append(None)
            elif addr is None:
                out.append(getattr(m, method)(*a))
            else:
                out.append(self._result(fut, addr, method))
        return out

    def _result(self, future: Any, address: str, method: str) -> Any:
        try:
            return future.result()
        except Exception as exc:
            if _worker_lost(exc):
                first = str(exc).splitlines()[0] if str(exc) else ""
                raise EnvironmentFault(
                    f"Dask worker {address} stopped on day {self.day + 1} ({method}: "
                    f"{type(exc).__name__} {first}".rstrip() + "); the run was abandoned "
                    "and nothing was written") from exc
            raise


def _worker_lost(exc: BaseException) -> bool:
    """Whether ``exc`` says a worker or its connection is gone (not an error of the code)."""
    if isinstance(exc, OSError | ConnectionError | CancelledError | TimeoutError):
        return True
    return type(exc).__module__.split(".")[0] == "distributed"


@contextlib.contextmanager
def _client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A client on ``scheduler``, or on a LocalCluster of ``workers`` worker processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UserError(f"running on several workers needs Dask: {INSTALL_HINT}, or pass "
                        "--workers 1") from None
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if scheduler:
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise UserError(f"--scheduler {scheduler}: cannot connect ({exc}); start one with "
                            "`dask scheduler` and `dask worker ADDRESS`") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as client:
        yield client


def simulate_on_dask(cfg: Config, backend: Backend, emit: Callable[[str, Any], None],
                     progress: Callable[[int, int], None] | None = None, *,
                     workers: int = 1, scheduler: str | None = None) -> dict[str, Any]:
    """The whole simulation with the customer side on Dask workers (one shard of customer
    blocks each, held as an actor) and the offer side in this process, which also writes
    every table via ``emit``."""
    with _client(workers, scheduler) as client:
        addresses = sorted(client.scheduler_info()["workers"])
        if not addresses:
            raise UserError(f"--scheduler {scheduler} has no workers; start some with "
                            "`dask worker ADDRESS`")
        world, perishable = setup(cfg, backend, emit)
        blocks = [c for c, _ in plan(world, len(addresses), 1)]
        offers = plan(world, 1, 1)[0][1]
        data = cfg.model_dump(mode="json")
        futures = [client.submit(ShardWorker, data, c, None, backend.name, actor=True,
                                 workers=[a], allow_other_workers=False, pure=False)
                   for c, a in zip(blocks, addresses, strict=False)]
        try:
            actors = [f.result() for f in futures]
        except Exception as exc:
            if _worker_lost(exc):
                raise EnvironmentFault(f"a Dask worker stopped while starting: {exc}") from exc
            raise
        local = ShardWorker(cfg, None, offers, backend.name, (world, perishable))
        members = [*zip(actors, addresses, strict=False), (local, None)]
        shards = [*((c, None) for c in blocks[:len(actors)]), (None, offers)]
        return run_days(world, DaskPool(members), shards, emit, progress, backend)
