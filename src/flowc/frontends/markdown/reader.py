"""An Integration Patterns Markdown document -> a Document of the IR.

The title, the metadata comments and the summary come from the top of the
file; each known ``##`` section goes to its reader; every other section is
prose for the generated docs. Placeholders are reported here, once per
occurrence, before any section is read.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from flowc.diagnostics import Diagnostic, Location
from flowc.frontends.markdown import placeholders, unread
from flowc.frontends.markdown.appendix import read_anti_patterns, read_related
from flowc.frontends.markdown.concepts import read_models
from flowc.frontends.markdown.diagrams import fence_of
from flowc.frontends.markdown.document import (
    Block,
    Part,
    build_tree,
    plain,
    section_key,
    tokens_of,
)
from flowc.frontends.markdown.flows import read_flows
from flowc.frontends.markdown.patterns import read_patterns
from flowc.frontends.markdown.source import Context, Source
from flowc.frontends.markdown.suppressions import read_ignores
from flowc.model import (
    DEFAULT_BUS,
    AntiPattern,
    Choreography,
    Document,
    Flow,
    Link,
    Model,
    ModelKind,
    Prose,
    Saga,
    SyncArrow,
    SyncPolicy,
)

KEY_FLOWS = "key flows"
SHARED_CONCEPTS = "shared concepts"
PATTERNS = "cross-boundary patterns"
ANTI_PATTERNS = "anti-patterns"
RELATED = "related documents"
_ALIASES = {
    "flows": KEY_FLOWS,
    "cross boundary patterns": PATTERNS,
    "integration patterns": PATTERNS,
    "anti patterns": ANTI_PATTERNS,
    "antipatterns": ANTI_PATTERNS,
    "related docs": RELATED,
    "related": RELATED,
    "see also": RELATED,
}
_METADATA_KEY = re.compile(r"[A-Za-z][A-Za-z -]{0,40}")
_SCANNED_FENCES = ("", "mermaid", "text", "txt", "plain", "markdown", "md")


def read_markdown(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read one Markdown spec; mistakes are diagnostics, never exceptions."""
    source = Source(text, file)
    tokens = tokens_of(source)
    root = build_tree(source, tokens)
    ctx = Context(source=source)
    code = _code_rows(ctx, root)
    _placeholder_notes(ctx, code)
    reader = _Reader(ctx, root)
    document = reader.document()
    document = document.model_copy(
        update={"suppressions": read_ignores(ctx, root, code)}
    )
    return document, sorted(ctx.out, key=Diagnostic.sort_key)


def _is_placeholder_heading(text: str) -> bool:
    return placeholders.is_unfilled(text)


def _code_rows(ctx: Context, root: Part) -> set[int]:
    """The lines of program text (JSON, YAML, code), where no comment is one."""
    skip: set[int] = set()
    for item in root.walk():
        if not isinstance(item, Block):
            continue
        for token in item.tokens:
            if token.map and _is_code(ctx, token.type, Block((token,), *token.map)):
                skip.update(range(token.map[0] + 1, token.map[1]))
    return skip


def _placeholder_notes(ctx: Context, skip: set[int]) -> None:
    """FLW201 for every placeholder outside code (JSON, YAML, program text)."""
    for row, line in enumerate(ctx.source.lines):
        if row in skip:
            continue
        for span in placeholders.find(line):
            ctx.report(
                "FLW201",
                f"template text {span.text!r} is not filled in",
                ctx.source.loc(row, span.start + 1),
                "replace it with your system's own text, or delete it",
            )


def _is_code(ctx: Context, kind: str, block: Block) -> bool:
    """Program text, where braces are code: indented code and fences in a language."""
    if kind == "code_block":
        return True
    fence = fence_of(ctx.source, block) if kind == "fence" else None
    return fence is not None and fence.language not in _SCANNED_FENCES


def _comments(text: str) -> list[tuple[str, str]]:
    """``<!-- Key: value -->`` comments as (normalised key, value) pairs."""
    pairs: list[tuple[str, str]] = []
    position = 0
    while (opening := text.find("<!--", position)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            break
        key, colon, value = text[opening + 4 : closing].partition(":")
        key = " ".join(key.lower().replace("-", " ").split())
        if colon and _METADATA_KEY.fullmatch(key):
            key = {"updated": "last updated", "event bus": "bus"}.get(key, key)
            pairs.append((key, " ".join(value.split())))
        position = closing + 3
    return pairs


class _Reader:
    """Walks the sections of one file and assembles the Document."""

    def __init__(self, ctx: Context, root: Part) -> None:
        self.ctx = ctx
        self.root = root
        self.flows: list[Flow] = []
        self.placeholder_flows = 0
        self.models: list[Model] = []
        self.sagas: list[Saga] = []
        self.choreographies: list[Choreography] = []
        self.sync_policy: SyncPolicy | None = None
        self.sync_use_when = ""
        self.sync_arrows: tuple[SyncArrow, ...] = ()
        self.anti_patterns: list[AntiPattern] = []
        self.related: list[Link] = []
        self.prose: list[Prose] = []
        self.metadata: dict[str, str] = {}

    def document(self) -> Document:
        title_part, sections = self._layout()
        intro = title_part if title_part is not None else self.root
        self._read_metadata()
        self.ctx.bus = self.metadata.get("bus") or DEFAULT_BUS
        concepts_file = self._is_concepts_file(title_part)
        loose: list[Part] = []
        for part in sections:
            key = section_key(part.title)
            key = _ALIASES.get(key, key)
            if key in (KEY_FLOWS, SHARED_CONCEPTS, PATTERNS):
                self._unread_intro(part)
            if key == KEY_FLOWS:
                self.flows += read_flows(self.ctx, part)
                self.placeholder_flows += sum(
                    1
                    for child in part.children
                    if child.heading is not None
                    and _is_placeholder_heading(child.heading.text)
                )
            elif key == SHARED_CONCEPTS:
                self._models(part.children, lenient=False)
            elif key == PATTERNS:
                self._patterns(part)
            elif key == ANTI_PATTERNS:
                self.anti_patterns += read_anti_patterns(self.ctx, part)
            elif key == RELATED:
                self.related += read_related(self.ctx, part)
            elif concepts_file:
                loose.append(part)
            else:
                self._prose(part)
        if loose:
            self._models(loose, lenient=True)
        file = self.ctx.source.file
        return Document(
            path=file,
            unfilled=not self.flows and self.placeholder_flows > 0,
            title=placeholders.clean_value(title_part.title) if title_part else "",
            status=self._meta("status"),
            last_updated=self._meta("last updated"),
            summary=self._summary(intro),
            bus=self.metadata.get("bus") or None,
            models=tuple(self.models),
            flows=tuple(self.flows),
            sagas=tuple(self.sagas),
            choreographies=tuple(self.choreographies),
            sync_policy=self.sync_policy,
            sync_use_when=self.sync_use_when,
            sync_arrows=self.sync_arrows,
            anti_patterns=tuple(self.anti_patterns),
            related=tuple(self.related),
            prose=tuple(sorted(self.prose, key=lambda p: (p.loc.line, p.loc.column))),
            loc=Location(file=file),
        )

    def _unread_intro(self, part: Part) -> None:
        """FLW215 for blocks of a known section that sit outside all of its items."""
        where = f"section {plain(part.title)!r}"
        for block in part.blocks:
            unread.report_block(self.ctx, block, where)

    def _layout(self) -> tuple[Part | None, list[Part]]:
        """The title (first H1) and the sections: its children and any later top parts."""
        title: Part | None = None
        sections: list[Part] = []
        for part in self.root.children:
            if title is None and part.level == 1 and not sections:
                title = part
                sections.extend(part.children)
            else:
                sections.append(part)
        return title, sections

    def _is_concepts_file(self, title: Part | None) -> bool:
        name = PurePosixPath(self.ctx.source.file.replace("\\", "/")).name.lower()
        heading = section_key(title.title) if title is not None else ""
        return (
            name in {"shared-concepts.md", "shared_concepts.md"}
            or heading == SHARED_CONCEPTS
        )

    def _read_metadata(self) -> None:
        """``<!-- Status: Draft -->`` style comments anywhere at the top level; first wins."""
        for item in self.root.walk():
            if not isinstance(item, Block) or item.kind != "html_block":
                continue
            text = "".join(token.content for token in item.tokens)
            for key, value in _comments(text):
                self.metadata.setdefault(key, placeholders.clean_value(value))

    def _meta(self, key: str) -> str | None:
        return self.metadata.get(key) or None

    def _summary(self, intro: Part) -> str:
        block = next((b for b in intro.blocks if b.kind == "paragraph"), None)
        if block is None:
            return ""
        text = self.ctx.source.text_of(block.start, block.end)
        return "" if placeholders.only_placeholders(text) else text

    def _models(self, parts: list[Part], *, lenient: bool) -> None:
        models, prose = read_models(self.ctx, parts, ModelKind.ENTITY, lenient=lenient)
        self.models += models
        for part in prose:
            self._prose(part)

    def _patterns(self, part: Part) -> None:
        found = read_patterns(self.ctx, part)
        self.sagas += found.sagas
        self.choreographies += found.choreographies
        found_sync = (
            found.sync_policy is not None or found.sync_use_when or found.sync_arrows
        )
        if found_sync and self.sync_policy is None and not self.sync_use_when:
            self.sync_policy, self.sync_use_when, self.sync_arrows = (
                found.sync_policy,
                found.sync_use_when,
                found.sync_arrows,
            )
        for prose in found.prose:
            self._prose(prose)

    def _prose(self, part: Part) -> None:
        if part.heading is None:
            return
        text = self.ctx.source.text_of(part.heading.row + 1, part.end)
        self.prose.append(
            Prose(heading=part.heading.text, text=text, loc=part.heading.loc)
        )
