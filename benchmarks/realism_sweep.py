"""Profile presets over several seeds and print the realism figures as a markdown table.

    python benchmarks/realism_sweep.py --presets S M --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ecomgen.config import Config, preset_overrides
from ecomgen.pipeline import generate
from ecomgen.profile.figures import Figure, profile_dir


def cell(f: Figure) -> str:
    """A figure's value as a table cell; misses in bold with ✗."""
    if not f.applicable or f.value is None:
        text = "n/a"
    elif f.band.key == "rating_shape":
        sh = f.details.get("shares_pct", {})
        text = "/".join(f"{sh.get(f'{s}_star', 0):.1f}" for s in (5, 4, 3, 2, 1))
    else:
        text = f"{f.value:.2f}"
    return text if f.ok else f"**{text} ✗**"


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", nargs="+", default=["S", "M"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecomgen-realism-"))
    columns: list[str] = []
    profiles = []
    try:
        for preset in args.presets:
            for seed in args.seeds:
                out = work / f"{preset}-{seed}"
                cfg = Config(seed=seed, **preset_overrides(preset))
                generate(cfg, out, validate=False, report=False, progress=False)
                profiles.append(profile_dir(out))
                columns.append(f"{preset} seed {seed}")
                shutil.rmtree(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| # | figure | band | " + " | ".join(columns) + " |")
    print("| --- | --- | --- | " + " | ".join("---:" for _ in columns) + " |")
    for i, first in enumerate(profiles[0].figures):
        band = "see realism.md" if first.band.key == "rating_shape" else first.band.text()
        row = [cell(p.figures[i]) for p in profiles]
        print(f"| {first.band.number} | {first.band.title} | {band} | " + " | ".join(row) + " |")
    print("| | in band | | " + " | ".join(
        f"{sum(f.ok for f in p.figures)}/{len(p.figures)}" for p in profiles) + " |")


if __name__ == "__main__":
    main()
