"""flowc's per-user cache: what was worked out from bytes that have not changed.

It holds compiled templates and parsed spec documents, keyed by a hash of
everything that decided them (the input bytes and flowc's own code digest),
so a stale entry is never found, only missed. Entries are pickles, which run
code when read: the folder must be one that only this user can write. It is
``FLOWC_CACHE_DIR`` when set (empty turns the cache off), else a folder of
the system's temporary directory, created private to the user, and it is
refused (no cache) unless the user owns it and nobody else may write it. A
spec repository never holds it, so cloning one cannot plant an entry.
Anything wrong with the cache (unwritable, corrupt) costs a recomputation,
never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import tempfile
from functools import cache
from pathlib import Path

ENVIRONMENT_VARIABLE = "FLOWC_CACHE_DIR"
MAX_ENTRIES = 512
"""Entries of one kind kept at most; the least recently written go first."""


@cache
def cache_dir() -> Path | None:
    """The private cache folder, or None when there is none to be had."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured == "":
        return None
    if configured is not None:
        folder = Path(configured)
    elif hasattr(os, "getuid"):
        folder = Path(tempfile.gettempdir()) / f"flowc-cache-{os.getuid()}"
    else:
        return None  # no user IDs to check ownership against
    with contextlib.suppress(FileExistsError, OSError):
        folder.mkdir(mode=0o700, parents=True)
    return folder if _private(folder) else None


def _private(folder: Path) -> bool:
    """A real folder (no symbolic link) of this user that no one else may write."""
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(found.st_mode):
        return False
    if hasattr(os, "getuid") and found.st_uid != os.getuid():
        return False
    return not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def entry_key(*parts: str) -> str:
    """The sha256 of flowc's code digest and ``parts``: what decides an entry."""
    from flowc.resources import code_digest

    return hashlib.sha256("\0".join((code_digest(), *parts)).encode()).hexdigest()


def load(kind: str, owner: str, key: str) -> object | None:
    """The entry stored under ``key``, or None (missing, unreadable, corrupt)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / _name(kind, owner, key)).read_bytes()
        # A private folder (see the module doc); any broken entry is a miss.
        value: object = pickle.loads(data)
    except Exception:
        return None
    return value


def store(kind: str, owner: str, key: str, value: object) -> None:
    """Keep ``value`` under ``key``, replacing the entries of the same owner.

    ``owner`` names what the entry is for (a spec file's path): its older
    entries can never be found again once it changed, so they are removed.
    """
    folder = cache_dir()
    if folder is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # not a value the cache can keep: it is worked out each time
    name = _name(kind, owner, key)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    owned = name[: -len(f"{key}.pickle")]
    stale = [p for p in folder.glob(f"{owned}*.pickle") if p.name != name]
    kept = [p for p in folder.glob(f"{kind}-*.pickle") if p not in stale]
    if len(kept) > MAX_ENTRIES:
        # Files that are gone or renamed leave entries no one asks for again.
        stale += sorted(kept, key=_modified)[: len(kept) - MAX_ENTRIES]
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _name(kind: str, owner: str, key: str) -> str:
    owned = hashlib.sha256(owner.encode()).hexdigest()[:16]
    return f"{kind}-{owned}-{key}.pickle"
