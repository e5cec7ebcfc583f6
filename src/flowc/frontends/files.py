"""Finding spec files and reading their text safely.

Every way a file can be wrong (missing, unreadable, binary, huge, badly
encoded) ends as a diagnostic here, so frontends only ever see text.
"""

from __future__ import annotations

from pathlib import Path

from flowc.diagnostics import Diagnostic, Location
from flowc.rules import report

SPEC_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
MAX_BYTES = 4 * 1024 * 1024


def discover(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The spec files named by ``paths``, sorted.

    A folder is one spec set: its own files, not its subfolders (a subfolder
    such as ``specs/yaml/`` can hold a second set, e.g. a converted twin).
    """
    found: set[Path] = set()
    diagnostics: list[Diagnostic] = []
    for path in paths:
        where = Location(file=str(path), line=1, column=1)
        if not path.exists():
            diagnostics.append(
                report("FLW001", f"{path} does not exist", where, "check the path")
            )
        elif path.is_dir():
            files = [
                candidate
                for candidate in path.iterdir()
                if candidate.suffix.lower() in SPEC_SUFFIXES and candidate.is_file()
            ]
            if not files:
                diagnostics.append(
                    report(
                        "FLW005",
                        f"{path} holds no spec files (.md, .yaml, .yml)",
                        where,
                        "run `flowc init` to write an example spec set",
                    )
                )
            found.update(files)
        else:
            found.add(path)
    return sorted(found), diagnostics


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or diagnostics saying why there is none."""
    where = Location(file=display, line=1, column=1)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                report(
                    "FLW003",
                    f"{display} is {size // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB",
                    where,
                    "split the spec set into smaller files",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [
            report(
                "FLW002", f"cannot read {display}: {reason}", where, "check permissions"
            )
        ]
    if b"\x00" in data[:8192] or b"\x00" in data:
        return None, [
            report(
                "FLW004",
                f"{display} is not text (it holds NUL bytes)",
                where,
                "only Markdown and YAML specs belong in the spec folder",
            )
        ]
    diagnostics: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        text = data.decode("utf-8", errors="replace")
        diagnostics.append(
            report(
                "FLW007",
                f"{display} is not valid UTF-8; unreadable bytes were replaced",
                Location(file=display, line=line, column=column),
                "save the file as UTF-8",
            )
        )
    if not text.strip():
        diagnostics.append(
            report(
                "FLW006", f"{display} is empty", where, "add content or remove the file"
            )
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), diagnostics
