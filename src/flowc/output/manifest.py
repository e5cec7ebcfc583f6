"""The manifest: which files in the output folder flowc owns, and their hashes.

flowc overwrites or deletes only what the manifest lists, so a file a person
adds to the output folder is never touched, and the recorded hash tells a hand
edit apart from flowc's own output. The file is deterministic (sorted keys, no
timestamps, no absolute paths) so that it can be committed next to the output.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

MANIFEST_PATH = ".flowc/manifest.json"
"""Where the manifest lives, relative to the output folder."""

_RESERVED = ".flowc"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ManifestError(ValueError):
    """The manifest cannot be read; flowc then cannot tell which files are its own."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One owned file: the hash of what flowc wrote and the spec it came from."""

    sha256: str
    source: str
    unformatted: str = ""
    """sha256 of the text before formatting (and the formatter versions): a
    file whose text is unchanged skips the line check and black."""
    unit: str = ""
    """sha256 of the inputs of the unit (a model group) that produced the file:
    an unchanged unit is not generated again."""


@dataclass(frozen=True)
class Manifest:
    flowc_version: str
    black_version: str
    files: dict[str, Entry] = field(default_factory=dict)


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def unsafe_reason(path: str) -> str | None:
    """Why a relative POSIX path could leave (or confuse) its folder, or None.

    Names from specs are validated earlier; this is the safety net that keeps
    any path, from a render or from a tampered manifest, inside the folder on
    every platform (hence no backslashes or colons either).
    """
    if not path:
        return "is empty"
    if _CONTROL.search(path):
        return "contains a control character"
    if "\\" in path:
        return "contains a backslash"
    if ":" in path:
        return "contains a colon (a drive or a stream on Windows)"
    if path.startswith("/"):
        return "is absolute"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' part"
    if parts[0].casefold() == _RESERVED:
        return f"is inside {_RESERVED}/, which holds the manifest"
    return None


def dump_manifest(manifest: Manifest) -> bytes:
    """Serialise with sorted keys and a trailing newline: same input, same bytes."""
    data = {
        "flowc_version": manifest.flowc_version,
        "black_version": manifest.black_version,
        "files": {
            path: _entry_data(entry) for path, entry in sorted(manifest.files.items())
        },
    }
    return (json.dumps(data, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _entry_data(entry: Entry) -> dict[str, str]:
    data = {"sha256": entry.sha256, "source": entry.source}
    if entry.unformatted:
        data["unformatted"] = entry.unformatted
    if entry.unit:
        data["unit"] = entry.unit
    return data


def parse_manifest(data: bytes) -> Manifest:
    """Read a manifest strictly: a bad one must stop the run, not guess ownership."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"is not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise ManifestError("is not a JSON object")
    flowc_version = raw.get("flowc_version")
    black_version = raw.get("black_version")
    files = raw.get("files")
    if not isinstance(flowc_version, str) or not isinstance(black_version, str):
        raise ManifestError("lacks flowc_version or black_version")
    if not isinstance(files, dict):
        raise ManifestError("lacks a files object")
    return Manifest(
        flowc_version, black_version, {p: _entry(p, e) for p, e in files.items()}
    )


def _entry(path: str, raw: object) -> Entry:
    reason = unsafe_reason(path)
    if reason is not None:
        raise ManifestError(f"lists the path {path!r}, which {reason}")
    if not isinstance(raw, dict):
        raise ManifestError(f"has no sha256 and source for {path!r}")
    digest, source = raw.get("sha256"), raw.get("source")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise ManifestError(f"has no valid sha256 for {path!r}")
    if not isinstance(source, str):
        raise ManifestError(f"has no source for {path!r}")
    unformatted, unit = raw.get("unformatted", ""), raw.get("unit", "")
    if not isinstance(unformatted, str) or not isinstance(unit, str):
        raise ManifestError(f"has an invalid unformatted or unit hash for {path!r}")
    return Entry(digest, source, unformatted, unit)
