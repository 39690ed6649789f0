"""Benchmark: vectorised customer generation against a one-Faker-call-per-field row loop.

Usage: python benchmarks/bench_entities.py [--customers 1000000] [--sample 20000]
       [--repeats 3] [--seed 42] [--json FILE]

Times ``make_customers`` plus turning its table into a polars DataFrame (categorical
columns decoded to strings), and a straightforward Faker('en_IN') loop building the same
kind of rows (names, e-mail, city, state, age, gender, segment, sign-up date) on a sample.
Reports the median of the repeats as rows per second and the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import polars as pl

from ecomgen.config import Config
from ecomgen.entities.customers import make_customers
from ecomgen.rng import Rng
from ecomgen.schema import TABLES
from ecomgen.sinks.frame import to_frame


def run_ecomgen(n: int, seed: int) -> float:
    """Seconds to generate ``n`` customers and build their DataFrame."""
    cfg = Config(num_customers=n, seed=seed)
    t0 = time.perf_counter()
    df = to_frame(TABLES["customers"],
                  make_customers(cfg, Rng(np, cfg.seed, cfg.chunk_size)).table)
    elapsed = time.perf_counter() - t0
    assert df.height == n
    return elapsed


def run_faker(n: int, seed: int) -> float:
    """Seconds for a row loop with one Faker call per field, then a DataFrame."""
    from faker import Faker  # noqa: PLC0415 - only the baseline needs it

    cfg = Config()
    fake = Faker("en_IN")
    Faker.seed(seed)
    segments = list(cfg.CUSTOMER_SEGMENTS)
    genders = list(cfg.GENDER_PREFERENCES)
    t0 = time.perf_counter()
    rows = []
    for i in range(n):
        first, last = fake.first_name(), fake.last_name()
        rows.append({
            "customer_id": i + 1,
            "first_name": first,
            "last_name": last,
            "email": fake.email(),
            "city": fake.city(),
            "state": fake.state(),
            "age": fake.random_int(18, 65),
            "gender": fake.random_element(genders),
            "segment": fake.random_element(segments),
            "signup_date": fake.date_between(start_date="-3y", end_date="today"),
        })
    df = pl.DataFrame(rows)
    elapsed = time.perf_counter() - t0
    assert df.height == n
    return elapsed


def main() -> None:
    """Run both, print a markdown table, optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000, help="rows for the Faker loop")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    run_ecomgen(1_000, args.seed)  # warm-up: imports and vocabularies
    ours = [run_ecomgen(args.customers, args.seed) for _ in range(args.repeats)]
    base = [run_faker(args.sample, args.seed) for _ in range(args.repeats)]
    t_ours, t_base = statistics.median(ours), statistics.median(base)
    rate_ours, rate_base = args.customers / t_ours, args.sample / t_base
    result = {
        "benchmark": "entities.customers",
        "customers": args.customers,
        "faker_sample": args.sample,
        "repeats": args.repeats,
        "ecomgen_seconds": ours,
        "faker_seconds": base,
        "ecomgen_rows_per_s": rate_ours,
        "faker_rows_per_s": rate_base,
        "speedup": rate_ours / rate_base,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "polars": pl.__version__,
    }
    print(f"| generator | rows | median s | rows/s |\n| --- | ---: | ---: | ---: |\n"
          f"| ecomgen make_customers + DataFrame | {args.customers:,} | {t_ours:.3f} | "
          f"{rate_ours:,.0f} |\n"
          f"| Faker en_IN row loop | {args.sample:,} | {t_base:.3f} | {rate_base:,.0f} |\n\n"
          f"speed-up: {rate_ours / rate_base:,.0f}x (median of {args.repeats})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
