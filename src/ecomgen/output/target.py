"""Which output directories a run may write or replace, and how (beside it or inside it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ecomgen.errors import EnvironmentFault, UserError
from ecomgen.output.manifest import MANIFEST, ecomgen_manifest, owned_entries

#: Prefix of every name ecomgen itself puts inside an output directory (staging, lock).
INNER_PREFIX = ".ecomgen-"
#: Entries of a mounted volume that belong to the file system, not to its user.
FILESYSTEM_ENTRIES = frozenset({"lost+found"})
#: Characters the longest staging name adds to the output directory's name.
STAGING_OVERHEAD = 48
#: Room left under PATH_MAX for the files written inside the output directory.
INNER_PATH_ROOM = 96


@dataclass(frozen=True)
class Target:
    """A checked output directory: where it is and how it is replaced."""

    path: Path  # absolute, symlinks resolved
    inplace: bool  # written inside (a mount point or an unwritable parent), not beside

    @property
    def parent(self) -> Path:
        """The directory that holds the output directory."""
        return self.path.parent


def resolve_target(target: Path | str) -> Target:
    """Check the path itself (empty, too long, forbidden places) and choose the mode."""
    text = str(target)
    if not text.strip():
        raise UserError("--outdir is empty; name the output directory, "
                        "e.g. --outdir ./ecommerce_data")
    path = Path(os.path.abspath(os.path.expanduser(text)))
    _check_length(text, path)
    with _path_errors(text):
        path = path.resolve()
        _check_length(text, path)
    _refuse_special(text, path)
    with _path_errors(text):
        if path.exists() and not path.is_dir():
            raise UserError(f"--outdir {text} exists and is not a directory; "
                            "choose another path")
        return Target(path, inplace=path.is_dir() and _cannot_replace(path))


def check_contents(target: Target, overwrite: bool, shown: str) -> None:
    """Refuse a directory ecomgen may not write into or replace (UserError, nothing touched)."""
    path = target.path
    if not path.is_dir():
        return
    try:
        entries = sorted(e for e in os.listdir(path)
                         if e not in FILESYSTEM_ENTRIES and not e.startswith(INNER_PREFIX))
    except OSError as exc:
        raise EnvironmentFault(f"--outdir {shown}: cannot list it "
                               f"({exc.strerror or exc})") from None
    if not entries:
        return
    manifest = ecomgen_manifest(path)
    foreign = entries if manifest is None else \
        [e for e in entries if e not in owned_entries(manifest)]
    if foreign:
        listed = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more"
                                           if len(foreign) > 3 else "")
        what = "no ecomgen manifest" if manifest is None and MANIFEST not in entries else \
            "files ecomgen did not write"
        raise UserError(f"--outdir {shown} holds {what} ({listed}); ecomgen replaces only "
                        "a directory it wrote itself: choose a new or empty directory")
    if not overwrite:
        raise UserError(f"--outdir {shown} holds an earlier ecomgen output; pass --overwrite "
                        "to replace it or choose another directory")


def _refuse_special(shown: str, path: Path) -> None:
    """The current directory, the home directory, the root and their ancestors."""
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if path == cwd or path in cwd.parents:
        raise UserError(f"--outdir {shown} is the current directory or one above it; ecomgen "
                        "writes a directory of its own: pass e.g. --outdir ./ecommerce_data")
    if path == home or path in home.parents or path == Path(path.anchor):
        raise UserError(f"--outdir {shown} is the home directory, the root or one above them; "
                        "pass a directory of its own, e.g. --outdir ~/ecommerce_data")


def _check_length(shown: str, path: Path) -> None:
    """Names and paths the file system would reject with ENAMETOOLONG, caught up front."""
    anchor = path
    while anchor != anchor.parent and not _exists(anchor):
        anchor = anchor.parent
    try:
        name_max = os.pathconf(anchor, "PC_NAME_MAX")
        path_max = os.pathconf(anchor, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        name_max, path_max = 255, 4096
    for part in path.parts[1:]:
        if len(os.fsencode(part)) + STAGING_OVERHEAD > name_max:
            raise UserError(f"--outdir {shown[:60]}...: the name {part[:40]!r}... is too long "
                            f"(at most {name_max - STAGING_OVERHEAD} bytes per name); "
                            "choose a shorter path")
    if len(os.fsencode(str(path))) + STAGING_OVERHEAD + INNER_PATH_ROOM > path_max:
        raise UserError(f"--outdir {shown[:60]}...: the path is too long (at most "
                        f"{path_max - STAGING_OVERHEAD - INNER_PATH_ROOM} bytes); "
                        "choose a shorter path")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long to look up
        return False


def _cannot_replace(path: Path) -> bool:
    """True for a directory that cannot be renamed: a mount point, or a read-only parent."""
    if os.path.ismount(path) or str(path) in mount_points():
        return True
    try:
        if os.stat(path).st_dev != os.stat(path.parent).st_dev:
            return True
    except OSError:
        return True
    return not os.access(path.parent, os.W_OK | os.X_OK)


def mount_points() -> set[str]:
    """Mount points of this process (Linux; bind mounts included, which ismount misses)."""
    try:
        text = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return set()
    out = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) > 4:  # field 5 is the mount point, with octal escapes for spaces
            out.add(fields[4].encode().decode("unicode_escape"))
    return out


class _path_errors:  # noqa: N801 - used as a context manager
    """Turn OS errors while resolving a path into one-line input errors."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> bool:
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise UserError(f"--outdir {self.shown[:80]}: {reason}; choose another path") \
                from None
        return False


def check_target(target: Path | str, overwrite: bool) -> Target:
    """Raise UserError unless ``target`` can be written (a quick check, without the lock)."""
    t = resolve_target(target)
    check_contents(t, overwrite, str(target))
    return t
