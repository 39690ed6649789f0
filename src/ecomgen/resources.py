"""Will the run fit in memory? An estimate from the sizes, checked before any work.

The simulation keeps every entity in memory and one day of events at a time, so its peak
resident memory is close to linear in customers, products and the busiest day's views.
The coefficients were fitted to peak RSS measured on a 2-core Linux machine (2026-11-26):
1k-4M customers, 1k-2M products, 2k-3M views a day, presets tiny to XL; the model was
within 10 % of every measurement (XL as Parquet: 6.2 GiB estimated before the margin,
6.7 GiB measured).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ecomgen.config import Config
from ecomgen.errors import EnvironmentFault, UserError

MIB = 1 << 20
GIB = 1 << 30
#: Interpreter and libraries loaded, plus the writer queues of a long run.
BASE_BYTES = 400 * MIB
#: Per customer: attributes, behaviour state and the customers table while it is written.
CUSTOMER_BYTES = 370
#: Per product: product, description and offer state (offers ~1.5 per product) and tables.
PRODUCT_BYTES = 1_000
#: Per view of the busiest day: the day's views, cart lines, sessions and their batches.
VIEW_BYTES = 410
#: Row groups (Parquet) or insert buffers (DuckDB) held per table before writing.
FORMAT_BYTES = {"csv": 0, "parquet": 400 * MIB, "duckdb": 500 * MIB}
#: Per part with ``--parts``, by format: the part's sink, digests and file state (CSV at preset
#: tiny: 42 KiB a part writing 10,000 parts, 62 KiB with validation of 1,000), and a Parquet
#: part's open writers (0.75 MiB a part at preset M in 400 parts; more row groups at larger
#: sizes keep more metadata).
PART_BYTES = {"csv": 64 << 10, "parquet": 2 * MIB}
#: Head room over the estimate before a run is refused.
MARGIN = 1.25
LIMIT_ENV = "ECOMGEN_MEMORY_LIMIT"


@dataclass(frozen=True)
class MemoryEstimate:
    """Estimated peak memory of a run and what drives it."""

    total: int
    peak_day_views: int
    parts: int = 0


def estimate_memory(cfg: Config, fmt: str = "csv", parts: int = 0) -> MemoryEstimate:
    """Peak resident memory of ``generate`` for ``cfg`` in ``parts`` parts, in bytes (no margin)."""
    from ecomgen.simulation.calendar import build_calendar

    peak = float(build_calendar(cfg).traffic.max()) if cfg.num_days else 1.0
    day_views = int(cfg.avg_views_per_day * peak)
    total = (BASE_BYTES + CUSTOMER_BYTES * cfg.num_customers + PRODUCT_BYTES * cfg.num_products
             + VIEW_BYTES * day_views + FORMAT_BYTES.get(fmt, 0)
             + PART_BYTES.get(fmt, 0) * parts)
    return MemoryEstimate(int(total), day_views, parts)


def available_memory() -> tuple[int, str]:
    """Bytes this process may use and where that limit comes from."""
    env = os.environ.get(LIMIT_ENV)
    if env:
        return parse_size(env, LIMIT_ENV), f"{LIMIT_ENV}={env}"
    import psutil

    avail, source = int(psutil.virtual_memory().available), "available on this machine"
    cgroup = _cgroup_room()
    if cgroup is not None and cgroup < avail:
        avail, source = cgroup, "left under this container's memory limit"
    return avail, source


def check_memory(cfg: Config, fmt: str = "csv", parts: int = 0) -> MemoryEstimate:
    """Refuse in one line (EnvironmentFault) a run that would not fit in memory."""
    est = estimate_memory(cfg, fmt, parts)
    need = int(est.total * MARGIN)
    limit, source = available_memory()
    if need > limit:
        in_parts = f", {parts:,} part files per table" if parts else ""
        fewer = "--parts, " if parts else ""
        raise EnvironmentFault(
            f"this run needs about {_gib(need)} of memory ({cfg.num_customers:,} customers, "
            f"{cfg.num_products:,} products, about {est.peak_day_views:,} views on the busiest "
            f"day{in_parts}) but {_gib(limit)} is {source}; reduce {fewer}--num-customers, "
            f"--num-products or --avg-views-per-day, or set {LIMIT_ENV} to allow more")
    return est


def parse_size(text: str, what: str) -> int:
    """'512MiB', '8G', '1.5 GiB' or a byte count -> bytes (UserError when unreadable)."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(i?b?)\s*", text.lower())
    if not m:
        raise UserError(f"{what}={text!r} is not a size; use e.g. 8GiB, 512MiB or 1073741824")
    scale = {"": 1, "k": 1 << 10, "m": MIB, "g": GIB, "t": 1 << 40}[m.group(2)]
    return int(float(m.group(1)) * scale)


def _gib(n: int) -> str:
    return f"{n / GIB:.1f} GiB" if n >= GIB // 10 else f"{n / MIB:.0f} MiB"


def _cgroup_room() -> int | None:
    """Bytes left under a cgroup v2 (or v1) memory limit, if one is set.

    Page cache counts against the limit but is given back under pressure, so it is not
    counted as used.
    """
    for limit_file, usage_file, stat_file, cache_key in (
            ("memory.max", "memory.current", "memory.stat", "file"),
            ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes",
             "memory/memory.stat", "total_cache")):
        base = Path("/sys/fs/cgroup")
        try:
            raw = (base / limit_file).read_text().strip()
            used = int((base / usage_file).read_text().strip())
        except (OSError, ValueError):
            continue
        if not raw.isdigit() or int(raw) >= 1 << 60:
            return None
        cache = 0
        try:
            for line in (base / stat_file).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == cache_key and value.strip().isdigit():
                    cache = int(value)
        except OSError:
            pass
        return max(int(raw) - max(used - cache, 0), 0)
    return None
