"""Frontends turn spec text into IR documents; they know syntax, not Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flowc.diagnostics import Diagnostic
from flowc.frontends.files import discover, read_text

if TYPE_CHECKING:  # the model is loaded by the readers, not by importing a frontend
    from flowc.model import Document


@dataclass
class SpecSet:
    """What reading a set of paths gave: documents and every finding on the way."""

    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def read_document(text: str, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Dispatch on the file suffix: Markdown or YAML."""
    if display.lower().endswith((".yaml", ".yml")):
        from flowc.frontends.yaml.reader import read_yaml

        return read_yaml(text, display)
    from flowc.frontends.markdown import read_markdown

    document, diagnostics = read_markdown(text, display)
    return document, diagnostics


@dataclass(frozen=True)
class _Read:
    """A spec file's reading, as flowc's cache keeps it."""

    document: Document | None
    diagnostics: list[Diagnostic]


def _read_once(
    text: str, display: str, path: Path
) -> tuple[Document | None, list[Diagnostic]]:
    """``read_document``, answered from flowc's cache when the same text was
    read under the same name by the same flowc (``flowc.cache``): in a large
    spec set, an edit to one file leaves the others' parsing undone."""
    from flowc import cache

    key = cache.entry_key("document", display, text)
    found = cache.load("document", str(path), key)
    if isinstance(found, _Read):
        return found.document, list(found.diagnostics)
    document, diagnostics = read_document(text, display)
    cache.store("document", str(path), key, _Read(document, diagnostics))
    return document, diagnostics


def display_path(path: Path, base: Path | None = None) -> str:
    """Paths as the user sees them: relative to the working folder when inside it."""
    root = base or Path.cwd()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_spec_set(paths: list[Path], base: Path | None = None) -> SpecSet:
    """Read every spec file under ``paths``, following Related Documents links."""
    result = SpecSet()
    files, problems = discover(paths)
    result.diagnostics.extend(problems)
    queue = list(files)
    seen: set[Path] = set()
    while queue:
        path = queue.pop(0)
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        result.files.append(path)
        display = display_path(path, base)
        text, problems = read_text(path, display)
        result.diagnostics.extend(problems)
        if text is None:
            continue
        document, problems = _read_once(text, display, key)
        result.diagnostics.extend(problems)
        if document is None:
            continue
        result.documents.append(document)
        queue.extend(_linked_files(path, document, seen, result))
    return result


def _linked_files(
    path: Path, document: Document, seen: set[Path], result: SpecSet
) -> list[Path]:
    """Spec files that Related Documents links name; missing ones are a warning."""
    from flowc.rules import report

    linked: list[Path] = []
    for link in document.related:
        target_text = link.target.split("#", 1)[0].strip()
        if (
            not target_text
            or "://" in target_text
            or not target_text.lower().endswith((".md", ".yaml", ".yml"))
        ):
            continue
        target = _existing_twin(path.parent / target_text)
        if target is not None:
            if target.resolve() not in seen:
                linked.append(target)
        else:
            result.diagnostics.append(
                report(
                    "FLW216" if document.unfilled else "FLW205",
                    f"linked document {target_text} is not in the spec set",
                    link.loc,
                    "create it, or remove the link",
                )
            )
    return linked


def _existing_twin(target: Path) -> Path | None:
    """The linked file, or its twin in the other syntax (``x.md`` <-> ``x.flow.yaml``)."""
    stem = target.name.split(".", 1)[0]
    for candidate in (
        target,
        target.with_name(stem + ".flow.yaml"),
        target.with_name(stem + ".yaml"),
        target.with_name(stem + ".md"),
    ):
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a name too long for the file system names no file
            continue
    return None
