"""Vendored en_IN vocabulary: pinned content, shipped licence, no Faker at run time."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest

from ecomgen.entities import locale_en_in as loc
from ecomgen.entities import vocabulary as voc

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "tiny_seed42_csv.json"

#: sha256 of each vendored tuple as JSON (see ``digest``). A change here changes ecomgen's
#: output bytes: make it only on purpose, with tests/test_golden.py regenerated.
VENDORED_SHA256 = {
    "FIRST_NAMES_MALE": "45a4f93ec0a27d9fdb2278fe1669bcd5a2d277beb73ed80ec34628ba3c55c294",
    "FIRST_NAMES_FEMALE": "de96e5cfc57df92af8c6a2904f4a03ad3d9f373b2d99bc963d2d32e083ba71f8",
    "FIRST_NAMES": "51fa7572fb3b229c471c11f31cfc68f7182a8a07a08a10a46dc5856dd119a692",
    "LAST_NAMES": "0a313c16d103164ed3189c4d87dcc4f96465e98c93fe4ef5b362e15dfd74aef7",
    "CITIES": "0c25bd13442d3d578b661894c9e1e33430dfb02b9c313278ce93d0b1dd44cbac",
}
VENDORED_LENGTHS = {"FIRST_NAMES_MALE": 260, "FIRST_NAMES_FEMALE": 273, "FIRST_NAMES": 531,
                    "LAST_NAMES": 538, "CITIES": 316}


def digest(items: tuple[str, ...]) -> str:
    """sha256 of the tuple as compact UTF-8 JSON (order and every character count)."""
    text = json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", sorted(VENDORED_SHA256))
def test_vendored_vocabulary_is_unchanged(name: str) -> None:
    """Each vendored tuple has its recorded length and checksum."""
    items = getattr(loc, name)
    assert isinstance(items, tuple) and all(isinstance(s, str) for s in items)
    assert len(items) == VENDORED_LENGTHS[name]
    assert digest(items) == VENDORED_SHA256[name], f"locale_en_in.{name} was edited"


def test_vendored_vocabulary_is_clean() -> None:
    """No blanks, no surrounding whitespace, no repeats; all names = male then female."""
    for name in VENDORED_SHA256:
        items = getattr(loc, name)
        assert all(s and s == s.strip() for s in items), name
        assert len(set(items)) == len(items), name
    both = loc.FIRST_NAMES_MALE + loc.FIRST_NAMES_FEMALE
    assert tuple(dict.fromkeys(both)) == loc.FIRST_NAMES


def test_every_vendored_city_has_a_state_and_tier() -> None:
    """CITY_TABLE places exactly the vendored cities; cities() keeps their order."""
    assert set(loc.CITIES) == set(voc.CITY_TABLE)
    names, states, tiers = voc.cities()
    assert names == loc.CITIES
    assert states == tuple(voc.CITY_TABLE[c][0] for c in names)
    assert tiers.tolist() == [voc.CITY_TABLE[c][1] for c in names]


def test_vocabulary_serves_the_vendored_tuples() -> None:
    """The vocabulary functions return the vendored tuples for every gender label."""
    for label in ("Male", "male", "M", "men"):
        assert voc.first_names(label) == loc.FIRST_NAMES_MALE
    for label in ("Female", "f", "Women"):
        assert voc.first_names(label) == loc.FIRST_NAMES_FEMALE
    for label in (None, "Other", "Non-binary", ""):
        assert voc.first_names(label) == loc.FIRST_NAMES
    assert voc.last_names() == loc.LAST_NAMES


def test_faker_licence_ships_with_the_package() -> None:
    """Faker's MIT notice is in the package and listed in its package data."""
    text = (resources.files("ecomgen.entities") / "LICENSE.faker").read_text(encoding="utf-8")
    assert "Copyright (c) 2012 Daniele Faraglia" in text
    assert "Permission is hereby granted, free of charge" in text
    assert "The above copyright notice and this permission notice shall be included" in text
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["ecomgen"]
    assert any(fnmatch("entities/LICENSE.faker", p) for p in patterns)
    assert "LICENSE.faker" in loc.__doc__ and "Faker 40.63.0" in loc.__doc__


_WITHOUT_FAKER = """
import hashlib, json, sys
from pathlib import Path
sys.modules["faker"] = None  # any import of faker or faker.* now raises ImportError
from ecomgen.cli import main
out = Path(sys.argv[1])
status = main(["generate", "--preset", "tiny", "--seed", "42", "--outdir", str(out),
               "--no-gpu", "--quiet"])
assert status == 0, status
assert main(["profile", str(out), "--json"]) == 0
assert sys.modules["faker"] is None
assert not [m for m in sys.modules if m.startswith("faker.")]
sys.stdout.write("\\n" + json.dumps({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                     for p in sorted(out.glob("*.csv"))}) + "\\n")
"""


def test_generation_never_imports_faker(tmp_path: Path) -> None:
    """generate (with validation and report) and profile run with Faker unimportable, and
    the tiny preset's files still match the golden checksums."""
    run = subprocess.run([sys.executable, "-c", _WITHOUT_FAKER, str(tmp_path / "tiny")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got == json.loads(GOLDEN.read_text())
