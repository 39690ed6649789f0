"""Kernel launches and device syncs per simulated day, as CuPy would make them.

    python benchmarks/launches.py --preset S --days 8

Runs the simulation on the tests' counting namespace (NumPy underneath), once with the
fused hash kernels and once without, and prints launches and syncs per day (days after
the first) with the sites that make the most.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.counting_xp import counting_namespace, per_day  # noqa: E402

from ecomgen.backend import Backend  # noqa: E402
from ecomgen.config import Config, preset_overrides  # noqa: E402
from ecomgen.simulation.engine import simulate  # noqa: E402


def main() -> None:
    """Print the per-day counts with and without fused kernels."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="S", choices=["tiny", "S", "M", "L", "XL"])
    ap.add_argument("--days", type=int, default=8)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    cfg = Config(seed=42, **preset_overrides(args.preset))
    cfg.end = cfg.start + dt.timedelta(days=args.days - 1)
    print(f"# preset {args.preset}, {args.days} days, views per pass "
          f"{cfg.GPU_CONFIG.batch_size_views:,}")
    print("| hash | launches per day | syncs per day |\n| --- | --- | --- |")
    tallies = {}
    for fused in (False, True):
        b = Backend(counting_namespace(kernels=fused), "counting")
        launches, syncs, sites = per_day(
            lambda progress, b=b: simulate(cfg, b, lambda n, x: None, progress))
        tallies[fused] = sites
        print(f"| {'fused kernel' if fused else 'array operations'} | {launches:,.0f} | "
              f"{syncs:,.0f} |")
    print("\nper day, by site (fused):")
    for (kind, site), n in tallies[True].most_common(args.top):
        print(f"  {kind:6} {site:40} {n:6,}")


if __name__ == "__main__":
    main()
