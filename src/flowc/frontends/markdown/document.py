"""Markdown -> a tree of headed parts, each holding its top-level blocks.

Sections of the template are found by heading text, so the reader works on
this tree: a part is a heading, the blocks under it, and the parts of deeper
headings. Blocks keep markdown-it's tokens and their 0-based line range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from flowc.diagnostics import Location
from flowc.frontends.markdown.source import Source

# Block structure only: inline markup is parsed on demand (links), which
# halves the time on large documents.
_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
_INLINE = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Heading:
    """A heading: its level, its inline text as written, and where that text is."""

    level: int
    text: str
    row: int
    loc: Location


@dataclass(frozen=True)
class Block:
    """One top-level block: its tokens (open..close) and lines [start, end)."""

    tokens: tuple[Token, ...]
    start: int
    end: int

    @property
    def kind(self) -> str:
        """``paragraph``, ``table``, ``fence``, ``bullet_list``, ``html_block``..."""
        return self.tokens[0].type.removesuffix("_open")


@dataclass
class Part:
    """A heading and everything up to the next heading of the same or a higher level."""

    heading: Heading | None
    level: int
    start: int
    end: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text if self.heading is not None else ""

    def walk(self) -> Iterator[Heading | Block]:
        """Blocks and sub-headings in document order, through every depth."""
        stack: list[Iterator[Part]] = []
        yield from self.blocks
        stack.append(iter(self.children))
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            if child.heading is not None:
                yield child.heading
            yield from child.blocks
            stack.append(iter(child.children))


def tokens_of(source: Source) -> list[Token]:
    """Block tokens; link reference definitions are kept in ``source.references``."""
    env: dict[str, object] = {}
    tokens = _BLOCKS.parse(source.text, env)
    source.references = env
    return tokens


def build_tree(source: Source, tokens: list[Token]) -> Part:
    """Group the top-level tokens into blocks and the blocks under their headings."""
    root = Part(heading=None, level=0, start=0, end=len(source.lines))
    stack = [root]
    last_end = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        close = _closing(tokens, index)
        start, end = token.map if token.map else (last_end, last_end)
        last_end = end
        if token.type == "heading_open":
            inline = tokens[index + 1] if index + 1 < len(tokens) else None
            text = (
                inline.content if inline is not None and inline.type == "inline" else ""
            )
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 6
            heading = Heading(
                level, text, start, source.loc(start, source.column(start, text))
            )
            while len(stack) > 1 and stack[-1].level >= level:
                stack.pop().end = start
            part = Part(
                heading=heading, level=level, start=start, end=len(source.lines)
            )
            stack[-1].children.append(part)
            stack.append(part)
        else:
            stack[-1].blocks.append(Block(tuple(tokens[index : close + 1]), start, end))
        index = close + 1
    return root


def _closing(tokens: list[Token], index: int) -> int:
    """Index of the token that closes the block opened at ``index``."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


_MARKUP = re.compile(r"`+|\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")


def plain(text: str) -> str:
    """Inline text without emphasis or code markup, spaces collapsed."""
    return " ".join(_MARKUP.sub("", text).split())


def section_key(text: str) -> str:
    """``2. Key Flows (Core)`` -> ``key flows``: how sections are recognised."""
    stripped = plain(text)
    while (split := _last_parenthetical(stripped)) is not None:
        stripped = split[0]
    return _NUMBERING.sub("", stripped).strip().rstrip(":").strip().lower()


def split_parenthetical(text: str) -> tuple[str, str]:
    """``User (entity, schema.org Person)`` -> ("User", "entity, schema.org Person")."""
    split = _last_parenthetical(text)
    return split if split is not None else (text.strip(), "")


def _last_parenthetical(text: str) -> tuple[str, str] | None:
    """Text before a trailing ``(...)`` group and the group's content, if any.

    Scanned by hand from the end, in time linear in the group's length.
    """
    end = len(text.rstrip())
    if end == 0 or text[end - 1] != ")":
        return None
    index = end - 2
    while index >= 0 and text[index] not in "()":
        index -= 1
    if index <= 0 or text[index] != "(":
        return None
    before = text[:index].strip()
    return (before, text[index + 1 : end - 1].strip()) if before else None


def inline_children(block: Block) -> list[Token]:
    """The inline tokens of a block (paragraph text, table cells, list items)."""
    return [token for token in block.tokens if token.type == "inline"]


def inline_tokens(source: Source, inline: Token) -> list[Token]:
    """The parsed inline markup (links, emphasis) of one inline token."""
    parsed = _INLINE.parseInline(inline.content, dict(source.references))
    return list(parsed[0].children or []) if parsed else []
