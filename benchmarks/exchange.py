"""Bytes that cross between shards per simulated day, by message.

    python benchmarks/exchange.py --preset M --workers 4 --days 10
    python benchmarks/exchange.py --preset XL --workers 16 --days 4 --customers 200000

Runs the day loop in this process over ``--workers`` shard workers, each holding one
customer shard and one offer shard (as a cluster run would place them), and measures every
call's arguments and results as pickled (what Dask sends). A broadcast counts once per
receiving worker. Output rows are counted apart: they travel only when one process writes
every file; with ``--parts`` each worker writes its own. ``--customers`` keeps a preset's
catalogue but fewer customers (the exchange per day grows with the catalogue and the
day's sales, not with the customer count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecomgen.backend import CPU  # noqa: E402
from ecomgen.config import Config, preset_overrides  # noqa: E402
from ecomgen.simulation.engine import LocalPool, plan, run_days  # noqa: E402
from ecomgen.simulation.setup import setup  # noqa: E402
from ecomgen.simulation.worker import ShardWorker  # noqa: E402


def size(obj: Any) -> int:
    """Bytes of ``obj`` pickled as Dask would send it."""
    return len(pickle.dumps(obj, protocol=5))


class CountingPool(LocalPool):
    """A LocalPool that adds up the pickled size of every call's arguments and results."""

    def __init__(self, workers: list[ShardWorker]) -> None:
        super().__init__(workers)
        self.day = -1
        self.bytes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def begin_day(self, d: int) -> None:
        """Count under day ``d``."""
        self.day = d

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> list[Any]:
        """Run the call and count its messages."""
        out = super().call(method, args)
        tally = self.bytes[self.day]
        for a, r in zip(args, out, strict=True):
            if a is None:
                continue
            tally[f"{method} args"] += size(a)
            if method in ("finish", "close"):
                rows, rest = r[0], r[1:]
                tally["output rows"] += size(rows)
                tally[f"{method} result"] += size(rest)
            else:
                tally[f"{method} result"] += size(r)
        return out


def main() -> None:
    """Print bytes per day by message: day 0 (every offer's class) and the median after."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="M", choices=["tiny", "S", "M", "L", "XL"])
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--days", type=int, default=10)
    ap.add_argument("--customers", type=int, default=0)
    args = ap.parse_args()
    cfg = Config(seed=42, **preset_overrides(args.preset))
    cfg.end = cfg.start + dt.timedelta(days=args.days - 1)
    if args.customers:
        scale = args.customers / cfg.num_customers
        cfg.num_customers = args.customers
        cfg.avg_views_per_day = max(int(cfg.avg_views_per_day * scale), 1)
    world, perishable = setup(cfg, CPU, lambda name, batch: None)
    shards = plan(world, args.workers, args.workers)
    pool = CountingPool([ShardWorker(cfg, c, o, "numpy", (world, perishable))
                         for c, o in shards])
    run_days(world, pool, shards, lambda name, batch: None, None, CPU)
    days = sorted(pool.bytes)
    keys = sorted({k for d in days for k in pool.bytes[d]})
    print(f"# preset {args.preset}: {cfg.num_customers:,} customers, {cfg.num_products:,} "
          f"products, {world.offers.n:,} offers, {cfg.avg_views_per_day:,} views a day; "
          f"{len(shards)} workers, {len(days)} days")
    print("| message | day 1 bytes | median bytes per later day |\n| --- | ---: | ---: |")
    later = [d for d in days if d > 0] or days
    total0 = total = 0
    for k in keys:
        first = pool.bytes[days[0]].get(k, 0)
        med = statistics.median(pool.bytes[d].get(k, 0) for d in later)
        print(f"| {k} | {first:,} | {med:,.0f} |")
        if k != "output rows":
            total0 += first
            total += med
    print(f"| **exchange (without output rows)** | {total0:,} | {total:,.0f} |")


if __name__ == "__main__":
    main()
