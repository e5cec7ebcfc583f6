"""What the last clean run read and wrote, so that a run with nothing new stops early.

A run whose key (arguments, flowc's own code, formatter versions), spec files,
kept stubs and output tree are all exactly as the last clean run left them would
produce the same bytes and the same findings: ``generate`` and ``check`` then
answer from this record instead of reading, analysing and rendering again.
Anything that differs, or a record that cannot be read, means the full run.

The record lives in ``.flowc/cache/`` of the output folder, which ignores
itself for git: it describes this checkout, not the committed output.

Like git's index, the record also keeps each file's status (size, times,
inode) from when its bytes were last read and found as recorded: a file whose
status is unchanged is not read again. A status is kept only when the file
last changed well before it was taken, so an edit in the same clock tick can
never hide behind it; any write changes the inode change time, which no user
can set back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from flowc.diagnostics import Diagnostic
from flowc.output.journal import JOURNAL_PATH, stray_temps
from flowc.output.manifest import (
    MANIFEST_PATH,
    Manifest,
    ManifestError,
    parse_manifest,
)
from flowc.output.tree import UnreadableFolder, folders_of, strangers

CACHE_FOLDER = ".flowc/cache"
RECORD_PATH = f"{CACHE_FOLDER}/last-run.json"
_FORMAT = 2
_SETTLED_NS = 2_000_000_000
"""A status is kept only for a file whose last change is older than this."""

FileStatus = tuple[int, int, int, int]
"""size, modification time, inode change time (ns), inode."""


@dataclass(frozen=True)
class RunRecord:
    """One clean run: what it depended on and what it reported."""

    key: str
    inputs: dict[str, str]
    """Every spec file read (resolved path) -> sha256 of its bytes."""
    stubs: dict[str, str]
    """Every stub file the run checked (resolved path) -> sha256, "" if absent."""
    manifest_sha256: str
    inventory: list[tuple[str, int]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    statuses: dict[str, FileStatus] = field(default_factory=dict)
    """Spec, stub (resolved path) or output file (manifest path) -> its status
    when its bytes were last found to be the recorded ones; ``folder:<path>``
    -> an output folder's status when it last held nothing unlisted."""


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or "" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def digests(paths: list[Path]) -> dict[str, str]:
    return {path.resolve().as_posix(): file_digest(path) for path in paths}


def load_record(output: Path) -> RunRecord | None:
    """The last clean run's record, or None when there is none or it is unreadable."""
    try:
        raw = json.loads((output / RECORD_PATH).read_bytes())
        if raw.get("format") != _FORMAT:
            return None
        return RunRecord(
            key=str(raw["key"]),
            inputs={str(k): str(v) for k, v in raw["inputs"].items()},
            stubs={str(k): str(v) for k, v in raw["stubs"].items()},
            manifest_sha256=str(raw["manifest_sha256"]),
            inventory=[(str(label), int(n)) for label, n in raw["inventory"]],
            diagnostics=[Diagnostic.model_validate(d) for d in raw["diagnostics"]],
            statuses={
                str(path): (int(a), int(b), int(c), int(d))
                for path, (a, b, c, d) in raw["statuses"].items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None


def store_record(output: Path, record: RunRecord) -> None:
    """Replace the record atomically; a cache that cannot be written is no error."""
    folder = output / CACHE_FOLDER
    data = {
        "format": _FORMAT,
        "key": record.key,
        "inputs": record.inputs,
        "stubs": record.stubs,
        "manifest_sha256": record.manifest_sha256,
        "inventory": record.inventory,
        "diagnostics": [d.model_dump(mode="json") for d in record.diagnostics],
        "statuses": record.statuses,
    }
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# flowc's local cache: never committed\n*\n")
        temp = folder / f".last-run.{secrets.token_hex(6)}"
        temp.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temp, output / RECORD_PATH)


def file_status(
    path: str, *, follow: bool = True, folder: bool = False
) -> FileStatus | None:
    """A regular file's status (a real folder's with ``folder``, never through
    a link), or None for anything else: absent, a FIFO that reading would wait
    on forever. A folder's times move when an entry is added, removed or
    renamed. Strings, not ``Path``: this runs for every output file."""
    try:
        found = os.lstat(path) if folder or not follow else os.stat(path)
    except OSError:
        return None
    wanted = stat.S_ISDIR if folder else stat.S_ISREG
    if not wanted(found.st_mode):
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


class _Verifier:
    """Compares files with recorded digests, reading only those whose status
    changed, and learns the statuses that later runs may trust."""

    def __init__(self, known: dict[str, FileStatus]) -> None:
        self.known = known
        self.learned: dict[str, FileStatus] = {}
        self.settled_before = time.time_ns() - _SETTLED_NS

    def holds(self, key: str, path: str, digest: str, *, follow: bool = True) -> bool:
        before = file_status(path, follow=follow)
        if before is None:
            return digest == ""  # recorded as absent or unreadable
        if self.known.get(key) == before:
            self.learned[key] = before
            return True
        if file_digest(Path(path)) != digest:
            return False
        if self._settled(before) and file_status(path, follow=follow) == before:
            self.learned[key] = before
        return True

    def folder_holds(
        self, root: str, folder: str, listed: set[str], folders: set[str]
    ) -> bool:
        """True when ``folder`` holds nothing the manifest does not list."""
        key = f"folder:{folder}"
        path = os.path.join(root, folder) if folder else root
        before = file_status(path, folder=True)
        if before is None:
            return False
        if self.known.get(key) == before:
            self.learned[key] = before
            return True
        try:
            if strangers(root, folder, listed, folders):
                return False
        except UnreadableFolder:
            return False
        if self._settled(before) and file_status(path, folder=True) == before:
            self.learned[key] = before
        return True

    def _settled(self, status: FileStatus) -> bool:
        return status[1] < self.settled_before and status[2] < self.settled_before


def still_current(
    record: RunRecord, key: str, specs: list[Path], output: Path
) -> Manifest | None:
    """The output's manifest when a run with ``key`` over ``specs`` would repeat
    the recorded one, else None. Returned so that the caller reads it once.

    Statuses learned on the way are saved with the record, so the next run
    reads none of these files again."""
    if record.key != key:
        return None
    found = {path.resolve().as_posix() for path in specs}
    if not found <= record.inputs.keys():
        return None  # a new spec file
    verifier = _Verifier(record.statuses)
    for recorded in (record.inputs, record.stubs):
        for path, digest in recorded.items():
            if not verifier.holds(path, path, digest):
                return None
    manifest = intact_manifest(output, record.manifest_sha256, verifier)
    if manifest is not None and verifier.learned != record.statuses:
        store_record(output, replace(record, statuses=verifier.learned))
    return manifest


def intact_manifest(
    output: Path, manifest_sha256: str, verifier: _Verifier | None = None
) -> Manifest | None:
    """The manifest when the output folder holds exactly what it lists, nothing
    half-written and nothing else, else None."""
    verifier = verifier or _Verifier({})
    try:
        manifest_bytes = (output / MANIFEST_PATH).read_bytes()
        if hashlib.sha256(manifest_bytes).hexdigest() != manifest_sha256:
            return None
        manifest = parse_manifest(manifest_bytes)
    except (OSError, ManifestError):
        return None
    if (output / JOURNAL_PATH).exists() or stray_temps(output):
        return None
    root = os.fspath(output)
    for path, entry in manifest.files.items():
        if not entry.sha256 or not verifier.holds(
            path, os.path.join(root, path), entry.sha256, follow=False
        ):
            return None
    listed = set(manifest.files)
    folders = folders_of(listed)
    if not all(
        verifier.folder_holds(root, f, listed, folders) for f in sorted(folders)
    ):
        return None  # a file no manifest lists: the full run names it
    return manifest
