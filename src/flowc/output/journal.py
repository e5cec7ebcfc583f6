"""Surviving a kill: a journal that the next run completes, and one writer at a time.

A write stages every new file as a synced temporary file first. Only then is
the journal written (atomically): the list of targets and the temporary file
that replaces each, or a removal. Commits follow, the manifest last, and the
journal goes. So when a run is killed:

- before the journal exists, the previous output is untouched; its temporary
  files are strays, which the next run removes;
- after it exists, every new file is on disk in full, so the next run rolls the
  journal forward and the output is the complete new version.

Nothing reads the output in between but flowc itself, under the lock, and
``check`` names what it finds (a pending journal, stray temporary files).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".flowc-tmp"
JOURNAL_PATH = ".flowc/journal.json"
JOURNAL_TEMP = f".flowc/.journal{TEMP_SUFFIX}"


@dataclass(frozen=True)
class JournalEntry:
    path: str
    """The target, relative to the output folder."""
    temp: str | None
    """The temporary file (relative) that replaces it; None for a removal."""


class OutputLocked(Exception):
    """Another flowc run holds the output folder's lock."""


def lock_path(root: Path) -> Path:
    """Where the lock of an output folder lives: outside it, so that taking the
    lock writes nothing there (a run that is refused must leave no trace)."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / "flowc-locks" / f"{key}.lock"


@contextmanager
def output_lock(root: Path) -> Iterator[None]:
    """Hold the output folder's lock for one run; a second run is refused at once."""
    import fcntl

    lock = lock_path(root)
    lock.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked(str(lock)) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock, also when killed


def write_journal(root: Path, entries: list[JournalEntry]) -> None:
    data = json.dumps([[e.path, e.temp] for e in entries]).encode()
    target = root / JOURNAL_PATH
    temp = root / JOURNAL_TEMP
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, target)
    fsync_dir(target.parent)


def clear_journal(root: Path) -> None:
    for path in (JOURNAL_PATH, JOURNAL_TEMP):
        with contextlib.suppress(OSError):  # whatever stays, the next run clears
            (root / path).unlink(missing_ok=True)


def recover(root: Path) -> list[str]:
    """Finish what a killed run left: roll a journal forward, drop stray temporary
    files. Returns the paths it completed or removed (for the report)."""
    done: list[str] = []
    journal = root / JOURNAL_PATH
    if journal.is_file():
        for path, temp in json.loads(journal.read_bytes()):
            target = root / path
            if temp is None:
                if target.exists():
                    target.unlink()
                    done.append(path)
                continue
            staged = root / temp
            if staged.exists():
                os.replace(staged, target)
                done.append(path)
        fsync_dir(root)
        journal.unlink()
    for stray in stray_temps(root):
        with contextlib.suppress(OSError):
            (root / stray).unlink()
            done.append(stray)
    return done


def stray_temps(root: Path) -> list[str]:
    """Temporary files a killed run left behind, relative to ``root``."""
    if not root.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob(f"*{TEMP_SUFFIX}")
        if p.is_file() or p.is_symlink()
    )


def pending_journal(root: Path) -> bool:
    return (root / JOURNAL_PATH).is_file()


def fsync_dir(directory: Path) -> None:
    """Make renames durable where the platform allows it (not on Windows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
