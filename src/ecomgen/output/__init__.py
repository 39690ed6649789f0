"""Output directories: where a run may write, its lock, atomic publishing, the manifest."""

from ecomgen.output.manifest import (
    MANIFEST,
    SIDE_FILES,
    ecomgen_manifest,
    file_entries,
    read_manifest,
    sha256_file,
    write_manifest,
)
from ecomgen.output.publish import atomic_output, recover
from ecomgen.output.target import Target, check_contents, check_target, resolve_target

__all__ = [
    "MANIFEST",
    "SIDE_FILES",
    "Target",
    "atomic_output",
    "check_contents",
    "check_target",
    "ecomgen_manifest",
    "file_entries",
    "read_manifest",
    "recover",
    "resolve_target",
    "sha256_file",
    "write_manifest",
]
