"""Fenced blocks: their language, content, and where the content starts.

The Mermaid parsers report positions inside the text they are given; the
fence's first content line and indentation turn those into file positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowc.diagnostics import Location
from flowc.frontends.markdown.document import Block
from flowc.frontends.markdown.source import Context, Source

SEQUENCE = ("sequencediagram",)
FLOWCHART = ("flowchart", "graph", "flowchart-elk")
_HEADER = re.compile(r"[A-Za-z][A-Za-z-]*")


@dataclass(frozen=True)
class Fence:
    """A fenced code block; ``first_line`` is the 1-based line after the fence."""

    language: str
    content: str
    first_line: int
    indent: int
    loc: Location


def fence_of(source: Source, block: Block) -> Fence | None:
    """The fence a block is, or None for any other block."""
    token = block.tokens[0]
    if token.type != "fence":
        return None
    words = token.info.strip().strip("{}").split()
    language = words[0].lower() if words else ""
    raw = source.line(block.start)
    indent = (
        max(raw.find(token.markup), 0) if token.markup else source.indent(block.start)
    )
    return Fence(
        language=language,
        content=token.content,
        first_line=block.start + 2,
        indent=indent,
        loc=source.loc(block.start, indent + 1),
    )


def fences_in(block: Block) -> list[Block]:
    """The block itself if a fence, else the fences nested in it (a list item, a quote)."""
    if block.kind == "fence":
        return [block]
    return [
        Block((token,), token.map[0], token.map[1])
        for token in block.tokens
        if token.type == "fence" and token.map
    ]


def is_mermaid(fence: Fence | None) -> bool:
    return fence is not None and fence.language == "mermaid"


def diagram_kind(fence: Fence) -> tuple[str, Location]:
    """The diagram keyword as written and where it is; "" for an empty diagram.

    Blank lines, ``%%`` comments and a ``---`` front-matter block may come
    before the keyword.
    """
    in_front_matter = False
    for offset, line in enumerate(fence.content.split("\n")):
        text = line.strip()
        if offset == 0 and text == "---":
            in_front_matter = True
            continue
        if in_front_matter:
            in_front_matter = text != "---"
            continue
        if not text or text.startswith("%%"):
            continue
        match = _HEADER.match(text)
        column = fence.indent + len(line) - len(line.lstrip()) + 1
        where = Location(
            file=fence.loc.file, line=fence.first_line + offset, column=column
        )
        return (match.group(0) if match else text[:20]), where
    return "", fence.loc


def expect_kind(ctx: Context, fence: Fence, kinds: tuple[str, ...], what: str) -> bool:
    """True if the fence draws one of ``kinds``; else FLW207 at its first line."""
    kind, where = diagram_kind(fence)
    if kind.lower() in kinds:
        return True
    wanted = "sequenceDiagram" if kinds == SEQUENCE else "flowchart"
    ctx.report(
        "FLW207",
        f"the {what} needs a mermaid {wanted}, but this block is "
        + (repr(kind) if kind else "empty"),
        where,
        f"start the mermaid block with {'sequenceDiagram' if kinds == SEQUENCE else 'flowchart LR'}",
    )
    return False
