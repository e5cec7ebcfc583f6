"""What the last clean run read and wrote, so that a run with nothing new stops early.

A run whose key (arguments, flowc's own code, formatter versions), spec files,
kept stubs and output tree are all exactly as the last clean run left them would
produce the same bytes and the same findings: ``generate`` and ``check`` then
answer from this record instead of reading, analysing and rendering again.
Anything that differs, or a record that cannot be read, means the full run.

The record lives in ``.flowc/cache/`` of the output folder, which ignores
itself for git: it describes this checkout, not the committed output.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
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

CACHE_FOLDER = ".flowc/cache"
RECORD_PATH = f"{CACHE_FOLDER}/last-run.json"
_FORMAT = 1


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
    }
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# flowc's local cache: never committed\n*\n")
        temp = folder / f".last-run.{secrets.token_hex(6)}"
        temp.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temp, output / RECORD_PATH)


def still_current(
    record: RunRecord, key: str, specs: list[Path], output: Path
) -> Manifest | None:
    """The output's manifest when a run with ``key`` over ``specs`` would repeat
    the recorded one, else None. Returned so that the caller reads it once."""
    if record.key != key:
        return None
    found = {path.resolve().as_posix() for path in specs}
    if not found <= record.inputs.keys():
        return None  # a new spec file
    for recorded in (record.inputs, record.stubs):
        for path, digest in recorded.items():
            if file_digest(Path(path)) != digest:
                return None
    return intact_manifest(output, record.manifest_sha256)


def intact_manifest(output: Path, manifest_sha256: str) -> Manifest | None:
    """The manifest when the output folder holds exactly what it lists, nothing
    half-written, else None."""
    try:
        manifest_bytes = (output / MANIFEST_PATH).read_bytes()
        if hashlib.sha256(manifest_bytes).hexdigest() != manifest_sha256:
            return None
        manifest = parse_manifest(manifest_bytes)
    except (OSError, ManifestError):
        return None
    if (output / JOURNAL_PATH).exists() or stray_temps(output):
        return None
    for path, entry in manifest.files.items():
        target = output / path
        if target.is_symlink() or file_digest(target) != entry.sha256:
            return None
    return manifest
