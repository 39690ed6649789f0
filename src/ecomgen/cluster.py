"""The day loop on Dask distributed: one shard worker per Dask worker (the only Dask import).

Each Dask worker holds one :class:`~ecomgen.simulation.worker.ShardWorker` as an actor: a
range of customer blocks and one of whole products' offers, with their state, for the
whole run; the worker builds its own world (the catalogue, and only its blocks'
customers). Only the day's exchange moves (``simulation/exchange.py``: class codes and
changes, attempts, acceptance, the accepted sales for the ledger, id counts, and the
output batches). The client draws the entity tables, runs
:func:`ecomgen.simulation.engine.run_days` over the actors and writes what they return in
worker order, so the files are byte-identical to a run in one process.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from typing import Any

from ecomgen import interrupts
from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.errors import EnvironmentFault, UserError
from ecomgen.layout import Parts
from ecomgen.shard_writer import WriteSpec, WritingShardWorker, client_parts, worker_parts
from ecomgen.simulation import blocks as customer_blocks
from ecomgen.simulation.engine import plan, run_days, shard_ranges
from ecomgen.simulation.setup import setup
from ecomgen.simulation.worker import ShardWorker

INSTALL_HINT = "pip install 'ecomgen[dask]'"
#: Protocols a scheduler address may name (``dask scheduler`` prints tcp://HOST:PORT).
SCHEMES = ("tcp", "tls")
_ADDRESS = re.compile(r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
                      r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]@]+):(?P<port>[0-9]+)/?")
_FORM = "tcp://HOST:PORT, as `dask scheduler` prints it (e.g. tcp://10.0.0.5:8786)"
#: Loggers that Dask configures with their own stderr handlers, silenced during a run.
_LOGGERS = ("distributed", "tornado", "bokeh")


def scheduler_address(text: str) -> tuple[str, str, int]:
    """``--scheduler`` as (address, host, port); UserError naming the expected form."""
    if not text.strip():
        raise UserError(f"--scheduler is empty; give the scheduler's address as {_FORM}, or "
                        "leave --scheduler out to run on this machine")
    m = _ADDRESS.fullmatch(text.strip())
    scheme = (m.group("scheme") or "tcp").lower() if m else None
    if m is None or scheme not in SCHEMES:
        hint = (f" ({scheme}:// is not a scheduler protocol: use one of "
                f"{', '.join(s + '://' for s in SCHEMES)})") if m else ""
        raise UserError(f"--scheduler {text!r} is not a Dask scheduler address{hint}; use "
                        f"{_FORM}")
    port = int(m.group("port"))
    if not 1 <= port <= 65535:
        raise UserError(f"--scheduler {text!r}: port {port} is out of range (1 to 65535); "
                        f"use {_FORM}")
    host = m.group("host").strip("[]")
    return f"{scheme}://{m.group('host')}:{port}", host, port


def dask_available() -> bool:
    """Whether Dask distributed can be imported here."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


class DaskPool:
    """Shard workers of a run: actors on Dask workers.

    A phase runs on all actors at once (their calls are sent before any result is awaited).
    """

    def __init__(self, members: list[tuple[Any, str]],
                 scheduler_lost: Callable[[], bool] | None = None,
                 scheduler: str | None = None) -> None:
        self.members = members  # (actor, its worker's address)
        self.day = -1
        self.scheduler_lost = scheduler_lost
        self.scheduler = scheduler

    def begin_day(self, d: int) -> None:
        """Remember the day (for the message if a worker is lost)."""
        self.day = d

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> list[Any]:
        """Run ``method`` on every member with arguments; results in member order."""
        pending = [self._guarded(lambda m=m, a=a: getattr(m, method)(*a), addr, method)
                   if a is not None else None
                   for (m, addr), a in zip(self.members, args, strict=True)]
        return [None if fut is None else self._guarded(fut.result, addr, method)
                for (_, addr), fut in zip(self.members, pending, strict=True)]

    def _guarded(self, step: Callable[[], Any], address: str, method: str) -> Any:
        """``step()`` (sending a call to an actor, or awaiting it); a lost worker or
        scheduler becomes one EnvironmentFault naming it and the day."""
        try:
            return step()
        except Exception as exc:
            if _worker_lost(exc):
                if self.scheduler_lost is not None and self.scheduler_lost():
                    raise _scheduler_fault(self.scheduler, f"on day {self.day + 1}") from exc
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
    if isinstance(exc, RuntimeError) and "Actor was lost" in str(exc):
        return True  # an actor proxy whose future the client cancelled
    return type(exc).__module__.split(".")[0] == "distributed"


def _scheduler_fault(address: str | None, when: str) -> EnvironmentFault:
    """The one line for a scheduler that went away (stopped, or its network failed)."""
    return EnvironmentFault(f"lost the connection to the Dask scheduler at {address} {when} "
                            "(it stopped or the network failed); the run was abandoned and "
                            "nothing was written")


def _gone(client: Any, host: str, port: int, patience: float = 3.0) -> bool:
    """Whether the client lost its scheduler, or the scheduler no longer accepts connections.

    Asked when a worker's call failed: a scheduler that stopped takes its workers' actors
    down with it a moment before its port closes, so it is asked again for ``patience``
    seconds before the worker is blamed."""
    deadline = time.monotonic() + patience
    while True:
        if client.status != "running":
            return True
        try:
            socket.create_connection((host, port), timeout=1).close()
        except OSError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Silence Dask's loggers for the run (each has its own stderr handler and level)."""
    manager = logging.Logger.manager
    names = {n for n in list(manager.loggerDict) if n.split(".")[0] in _LOGGERS}
    loggers = [logging.getLogger(n) for n in sorted(names | set(_LOGGERS))]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in saved:
            lg.setLevel(level)


@contextlib.contextmanager
def _client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A client on ``scheduler``, or on a LocalCluster of ``workers`` worker processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UserError(f"running on several workers needs Dask: {INSTALL_HINT}, or pass "
                        "--workers 1") from None
    with _quiet_logs(), contextlib.ExitStack() as stack:
        if scheduler is not None:
            address = scheduler_address(scheduler)[0]
            try:
                client = Client(address, timeout=10)
            except (OSError, TimeoutError) as exc:
                raise UserError(f"--scheduler {scheduler}: cannot connect ({exc}); start one "
                                "with `dask scheduler` and `dask worker ADDRESS`") from None
            yield stack.enter_context(client)
            return
        with interrupts.terminal_signals_blocked():  # only this process acts on Ctrl-C
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, worker_dashboard_address=None,
                # The scheduler starts its HTTP server (health, metrics) even without a
                # dashboard, on port 8787 when given no address, and warns when another run
                # holds that port: any free local port instead.
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.CRITICAL))
        yield stack.enter_context(Client(cluster))


def simulate_on_dask(cfg: Config, backend: Backend, emit: Callable[[str, Any], None],
                     progress: Callable[[int, int], None] | None = None, *,
                     workers: int = 1, scheduler: str | None = None,
                     on_workers: Callable[[int, int], None] | None = None,
                     writer: WriteSpec | None = None,
                     open_sink: Callable[[dict[str, list[int]]], None] | None = None
                     ) -> dict[str, Any]:
    """The whole simulation on Dask workers: each holds, as an actor, one shard of customer
    blocks and one of offers (whole products), and builds its own world (the catalogue,
    and its blocks' customers only); this process draws the entity tables, passes the
    day's messages between the actors and writes every table via ``emit``. ``on_workers``
    is told how many Dask workers hold a shard and how many the cluster has.

    With ``writer`` (part files) each worker writes the part files its shards own
    (``ecomgen.shard_writer``); ``open_sink`` is then told the parts this process writes
    before any row is emitted, and the result's "written" holds what each worker wrote."""
    with _client(workers, scheduler) as client:
        lost: Callable[[], bool] | None = None
        if scheduler is not None:
            _, host, port = scheduler_address(scheduler)
            lost = functools.partial(_gone, client, host, port)
        addresses = sorted(client.scheduler_info()["workers"])
        if not addresses:
            raise UserError(f"--scheduler {scheduler} has no workers; start some with "
                            "`dask worker ADDRESS`")
        n = len(addresses)
        layout = writer.layout() if writer is not None else None
        owned = _worker_parts(cfg, layout, n) if layout is not None else []
        if layout is not None and open_sink is not None:
            open_sink(client_parts(layout, owned))
        world, _ = setup(cfg, backend, emit)
        shards = plan(world, n, n, layout)
        totals = (world.signed_total, world.alive_total)
        data = cfg.model_dump(mode="json")
        if layout is None:
            futures = [client.submit(ShardWorker, data, c, o, backend.name, None, totals,
                                     actor=True, workers=[a], allow_other_workers=False,
                                     pure=False)
                       for (c, o), a in zip(shards, addresses, strict=False)]
        else:
            futures = [client.submit(WritingShardWorker, data, c, o, backend.name, totals,
                                     writer, own, actor=True, workers=[a],
                                     allow_other_workers=False, pure=False)
                       for (c, o), a, own in zip(shards, addresses, owned, strict=False)]
        try:
            actors = [f.result() for f in futures]
        except Exception as exc:
            if _worker_lost(exc):
                if lost is not None and lost():
                    raise _scheduler_fault(scheduler, "while the workers started") from exc
                raise EnvironmentFault(f"a Dask worker stopped while starting: {exc}") from exc
            raise
        if on_workers is not None:
            on_workers(len(actors), len(addresses))
        members = list(zip(actors, addresses, strict=False))
        pool = DaskPool(members, lost, scheduler)
        return run_days(world, pool, shards, emit, progress, backend,
                        workers_write=layout is not None)


def _worker_parts(cfg: Config, layout: Parts, n: int) -> list[dict[str, list[int]]]:
    """The part files each of the ``n`` workers of ``engine.plan`` writes: those of its
    customers and of its products (computed from the sizes alone, as the plan cuts)."""
    bits = customer_blocks.CUSTOMER_BLOCK_BITS
    cust, prods = shard_ranges(cfg.num_customers, cfg.num_products, n, n, layout)
    out = []
    for i in range(max(len(cust), len(prods))):
        c = cust[i] if i < len(cust) else None
        p = prods[i] if i < len(prods) else None
        customers = (min(c[0] << bits, cfg.num_customers),
                     min(c[1] << bits, cfg.num_customers)) if c else None
        out.append(worker_parts(layout, customers, p))
    return out
