"""Golden checksums: the tiny preset's files, byte for byte.

A change to any random stream, model rule or writer shows up here. When the change is
intended, regenerate with ``ECOMGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and say
why in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ecomgen.config import Config, preset_overrides
from ecomgen.pipeline import generate

GOLDEN = Path(__file__).parent / "golden" / "tiny_seed42_csv.json"


def test_tiny_preset_matches_golden_checksums(tmp_path: Path) -> None:
    """Every CSV file of the tiny preset (seed 42) has its recorded sha256."""
    out = tmp_path / "tiny"
    generate(Config(seed=42, **preset_overrides("tiny")), out, validate=False, report=False,
             progress=False)
    got = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
           for p in sorted(out.glob("*.csv"))}
    if os.environ.get("ECOMGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=2) + "\n")
    expected = json.loads(GOLDEN.read_text())
    changed = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    assert not changed, f"files differ from the golden checksums: {changed}"
