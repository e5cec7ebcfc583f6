"""Frontends turn spec text into IR documents; they know syntax, not Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
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


@dataclass(frozen=True)
class _Unread:
    """A spec file's text, waiting to be read."""

    text: str
    display: str
    path: Path
    """Resolved: the cache's owner of the reading."""

    @cached_property
    def cache_key(self) -> str:
        """Asked when the cache is read and again when it is written: hashed once."""
        from flowc import cache

        return cache.entry_key("document", self.display, self.text)


_PARALLEL_CHARACTERS = 200_000
"""Below this much text to read, starting workers costs more than it saves."""


def _read_and_keep(unread: _Unread) -> _Read:
    """Read one file and keep the reading in flowc's cache; runs in a worker too."""
    from flowc import cache

    document, diagnostics = read_document(unread.text, unread.display)
    reading = _Read(document, diagnostics)
    cache.store("document", str(unread.path), unread.cache_key, reading)
    return reading


def _read_all(batch: list[_Unread]) -> list[_Read]:
    """``read_document`` for each file, in order, answered from flowc's cache
    when the same text was read under the same name by the same flowc
    (``flowc.cache``): in a large spec set, an edit to one file leaves the
    others' parsing undone. What is left to read is shared among the cores
    when there is enough of it."""
    from flowc import cache

    readings: dict[int, _Read] = {}
    for index, unread in enumerate(batch):
        found = cache.load("document", str(unread.path), unread.cache_key)
        if isinstance(found, _Read):
            readings[index] = found
    missing = [index for index in range(len(batch)) if index not in readings]
    read = _read_missing([batch[i] for i in missing])
    for index, reading in zip(missing, read, strict=True):
        readings[index] = reading
    return [readings[index] for index in range(len(batch))]


def _read_missing(unread: list[_Unread]) -> list[_Read]:
    from flowc.workers import pool, worker_count

    workers = min(worker_count(), len(unread))
    if workers < 2 or sum(len(u.text) for u in unread) < _PARALLEL_CHARACTERS:
        return [_read_and_keep(u) for u in unread]
    # The readers are imported before the workers fork, so none imports them again.
    import flowc.frontends.markdown
    import flowc.frontends.yaml.reader  # noqa: F401

    # The largest first, so that no core is left with a long one at the end.
    order = sorted(range(len(unread)), key=lambda i: -len(unread[i].text))
    with pool(workers) as executor:
        read = executor.map(_read_and_keep, [unread[i] for i in order])
        done = dict(zip(order, read, strict=True))
    return [done[index] for index in range(len(unread))]


def display_path(path: Path, base: Path | None = None) -> str:
    """Paths as the user sees them: relative to the working folder when inside it."""
    root = base or Path.cwd()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_spec_set(paths: list[Path], base: Path | None = None) -> SpecSet:
    """Read every spec file under ``paths``, following Related Documents links.

    Files are read a round at a time: first those found under ``paths``, then
    those their links name, and so on; within a round, in order."""
    result = SpecSet()
    files, problems = discover(paths)
    result.diagnostics.extend(problems)
    queue = list(files)
    seen: set[Path] = set()
    while queue:
        round_files: list[Path] = []
        for path in queue:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                round_files.append(path)
        queue = []
        texts = []
        for path in round_files:
            display = display_path(path, base)
            text, problems = read_text(path, display)
            texts.append((path, problems, text, display))
        batch = [_Unread(t, d, p.resolve()) for p, _, t, d in texts if t is not None]
        readings = iter(_read_all(batch))
        for path, problems, text, _ in texts:
            result.files.append(path)
            result.diagnostics.extend(problems)
            if text is None:
                continue
            reading = next(readings)
            result.diagnostics.extend(reading.diagnostics)
            if reading.document is not None:
                result.documents.append(reading.document)
                queue.extend(_linked_files(path, reading.document, seen, result))
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
