"""requirements/lock.txt: exact pins that satisfy pyproject.toml, and a venv that matches.

The lock is what makes "same seed, same bytes" hold on a fresh machine: every install of
the Makefile takes its versions. To add or upgrade a dependency: edit pyproject.toml, run
``make lock``, commit both.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
LOCK_TOOLS = ROOT / "requirements" / "lock-tools.txt"
PYPROJECT = ROOT / "pyproject.toml"
MAKEFILE = ROOT / "Makefile"
#: Extras the lock covers (the gpu extras are left to the machine that has a GPU).
LOCKED_EXTRAS = ("test", "bench", "dask")
#: Locked although nothing imports them: the installer and the build backend.
TOOLS = ("pip", "setuptools", "wheel")


def parse_pins(text: str) -> list[tuple[str, str]]:
    """(canonical name, version) of every line, in order; anything but ``name==version``
    (a range, a wildcard, an extra, a marker, an option line) raises ValueError."""
    pins = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)  # an option line such as "--index-url" fails to parse
        spec = list(req.specifier)
        if (req.extras or req.marker or req.url or len(spec) != 1 or spec[0].operator != "=="
                or "*" in spec[0].version):
            raise ValueError(f"not an exact pin: {raw!r}")
        pins.append((canonicalize_name(req.name), spec[0].version))
    return pins


def lock_pins() -> dict[str, str]:
    """Canonical name -> locked version."""
    return dict(parse_pins(LOCK.read_text()))


def project_requirements() -> list[tuple[str, Requirement]]:
    """(where, requirement) for the base dependencies, the locked extras and the build."""
    data = tomllib.loads(PYPROJECT.read_text())
    out = [("dependencies", Requirement(r)) for r in data["project"]["dependencies"]]
    extras = data["project"]["optional-dependencies"]
    out += [(f"[{e}]", Requirement(r)) for e in LOCKED_EXTRAS for r in extras[e]]
    out += [("build-system", Requirement(r)) for r in data["build-system"]["requires"]]
    return out


def installed() -> dict[str, metadata.Distribution]:
    """Canonical name -> the distribution that import would find first."""
    found: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        found.setdefault(canonicalize_name(dist.metadata["Name"]), dist)
    return found


def test_lock_pins_every_package_exactly_once() -> None:
    """Every line is ``name==version``, no name twice; the header names the platform."""
    text = LOCK.read_text()
    pins = parse_pins(text)
    twice = sorted(n for n, k in Counter(n for n, _ in pins).items() if k > 1)
    assert not twice, f"pinned more than once in {LOCK.name}: {twice}"
    assert len(pins) > 20
    assert "Reference platform: CPython 3.11, Linux x86_64." in text
    assert "make lock" in text
    assert dict(parse_pins(LOCK_TOOLS.read_text()))  # the lock's own tools are pinned too


def test_parse_pins_rejects_anything_but_exact_pins() -> None:
    """The parser the other tests rely on refuses ranges, extras, markers and options."""
    assert parse_pins("# c\nFoo_Bar==1.0  # via x\n\n") == [("foo-bar", "1.0")]
    for bad in ("numpy>=1.26", "numpy==2.*", "dask[distributed]==1.0",
                'tzdata==1; sys_platform == "win32"', "--index-url x", "numpy"):
        with pytest.raises(ValueError):
            parse_pins(bad)


@pytest.mark.parametrize("where,req", project_requirements(), ids=lambda v: str(v))
def test_pyproject_requirement_is_locked_within_its_specifier(where: str,
                                                              req: Requirement) -> None:
    """Each requirement of pyproject.toml is pinned, at a version its specifier allows."""
    pins = lock_pins()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req} ({where}) is not in {LOCK.name}: run make lock"
    assert req.specifier.contains(pins[name], prereleases=True), (
        f"{LOCK.name} pins {name}=={pins[name]}, outside {where}'s {req}: run make lock")


def test_installer_and_build_backend_are_locked() -> None:
    """pip, setuptools and wheel are pinned like everything else."""
    pins = lock_pins()
    assert [t for t in TOOLS if t not in pins] == []


def test_installed_packages_have_the_locked_versions() -> None:
    """Every locked package that is installed here is at exactly its locked version."""
    pins, here = lock_pins(), installed()
    stale = {name: f"{here[name].version} installed, {version} locked"
             for name, version in pins.items()
             if name in here and Version(here[name].version) != Version(version)}
    assert not stale, f"this environment does not match {LOCK.name} (re-run make): {stale}"
    assert "pip" in here and "numpy" in here  # the check above had something to compare


def test_installed_dependency_closure_is_locked() -> None:
    """Everything pyproject's requirements pull in, as installed here, is pinned."""
    pins, here = lock_pins(), installed()
    env = default_environment()
    todo = [(canonicalize_name(r.name), frozenset(r.extras))
            for _, r in project_requirements()]
    seen: set[tuple[str, frozenset[str]]] = set()
    missing = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen or name not in here:
            continue
        seen.add((name, extras))
        if name not in pins:
            missing.add(name)
        for line in here[name].requires or []:
            req = Requirement(line)
            wanted = req.marker is None or any(
                req.marker.evaluate({**env, "extra": e}) for e in ("", *sorted(extras)))
            if wanted:
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    assert not missing, f"installed dependencies missing from {LOCK.name}: {sorted(missing)}"
    assert len(seen) > 20


def test_makefile_installs_only_through_the_lock() -> None:
    """Each pip install in the Makefile is constrained, and each install stamp depends on
    the lock so that a lock change reinstalls."""
    text = MAKEFILE.read_text()
    assert re.search(r"^LOCK := requirements/lock\.txt$", text, re.M)
    assert re.search(r"^PIP_INSTALL := \$\(PY\) -m pip install .*--constraint \$\(LOCK\)$",
                     text, re.M)
    pinned = ("--constraint $(LOCK)", "--constraint requirements/lock-tools.txt",
              "--requirement requirements/lock-tools.txt")
    for command in re.split(r"[;\n]", text.replace("\\\n", " ")):
        if "pip install" in command:
            assert any(p in command for p in pinned), f"unpinned pip install: {command.strip()}"
            assert "--upgrade" not in command.split(), command.strip()
    assert "$(PY) -m pip install" not in text.replace("PIP_INSTALL := $(PY) -m pip install", "")
    stamps = re.findall(r"^(\$\(VENV\)/\.installed[\w-]*):(.*)$", text, re.M)
    assert len(stamps) >= 3
    for target, prereqs in stamps:
        assert "$(LOCK)" in prereqs.split(), f"{target} does not depend on $(LOCK)"
