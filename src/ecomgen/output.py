"""Atomic output directories and the run manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ecomgen.errors import UserError

MANIFEST = "manifest.json"
_HASH_BLOCK = 1 << 22


def check_target(target: Path, overwrite: bool) -> None:
    """Raise UserError unless ``target`` can be (re)created as an output directory."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise UserError(f"--outdir {target} exists and is not a directory; choose another path")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise UserError(f"--outdir {target} exists and is not empty; pass --overwrite to "
                        "replace it or choose another directory")
    anchor = target.parent.resolve() if target.parent != Path("") else Path.cwd()
    while not anchor.exists():
        anchor = anchor.parent
    if not anchor.is_dir():
        raise UserError(f"--outdir {target}: {anchor} is not a directory")
    try:  # os.access is not enough (root, read-only mounts): try to create a directory
        probe = Path(tempfile.mkdtemp(prefix=".ecomgen-probe-", dir=anchor))
        probe.rmdir()
    except OSError as exc:
        raise UserError(f"--outdir {target}: cannot write in {anchor} "
                        f"({exc.strerror or exc}); choose another directory") from None


def partial_path(target: Path) -> Path:
    """The temporary sibling directory a run writes into."""
    target = Path(target).resolve()
    return target.parent / f".{target.name}.partial-{os.getpid()}"


@contextlib.contextmanager
def atomic_output(target: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary directory that becomes ``target`` only if the block succeeds.

    On any exception the temporary directory is removed and an existing ``target`` is left
    untouched. With ``overwrite`` an existing ``target`` is replaced after success.
    """
    check_target(target, overwrite)
    final = Path(target).resolve()
    tmp = partial_path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
    except OSError as exc:
        raise UserError(f"--outdir {target}: cannot create it ({exc.strerror or exc})") from None
    try:
        yield tmp
        _replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replace(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``; an old ``final`` is swapped aside, then deleted."""
    if not final.exists():
        tmp.rename(final)
        return
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    final.rename(old)
    try:
        tmp.rename(final)
    except BaseException:
        old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


def file_entries(directory: Path, paths: list[Path],
                 digests: dict[Path, str] | None = None) -> dict[str, dict[str, Any]]:
    """{file name: {bytes, sha256}} for the written files, in name order."""
    digests = digests or {}
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(paths, key=lambda q: q.name):
        out[p.name] = {"bytes": p.stat().st_size, "sha256": digests.get(p) or sha256_file(p)}
    return out


def write_manifest(directory: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` (sorted keys, so equal content gives equal bytes)."""
    path = Path(directory) / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of an output directory."""
    return json.loads((Path(directory) / MANIFEST).read_text())
