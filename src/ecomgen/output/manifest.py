"""The run manifest (``manifest.json``) and the checksums of written files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
#: Files written beside the data by every run (validation and report are optional).
SIDE_FILES: tuple[str, ...] = (MANIFEST, "validation_report.json", "report.html")
_HASH_BLOCK = 1 << 22


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


def file_entries(directory: Path, paths: list[Path],
                 digests: dict[Path, str] | None = None) -> dict[str, dict[str, Any]]:
    """{path relative to ``directory``: {bytes, sha256}} for the written files, in order."""
    digests = digests or {}
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(paths, key=lambda q: q.relative_to(directory).as_posix()):
        out[p.relative_to(directory).as_posix()] = {
            "bytes": p.stat().st_size, "sha256": digests.get(p) or sha256_file(p)}
    return out


def write_manifest(directory: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` (sorted keys, so equal content gives equal bytes)."""
    path = Path(directory) / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of an output directory."""
    return json.loads((Path(directory) / MANIFEST).read_text())


def ecomgen_manifest(directory: Path) -> dict[str, Any] | None:
    """The directory's manifest if it is one that ecomgen wrote, else None."""
    try:
        data = read_manifest(directory)
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and "ecomgen_version" in data and \
            isinstance(data.get("files"), dict):
        return data
    return None


def owned_entries(manifest: dict[str, Any]) -> set[str]:
    """Top-level names of a dataset directory that its manifest accounts for."""
    names = {str(f).split("/")[0] for f in manifest.get("files", {})}
    return names | set(SIDE_FILES)
