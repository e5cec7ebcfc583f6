"""``**Trigger**: text`` lines and ``- Key: value`` bullets, with their positions.

The template writes its fields as bold labels, often several in one
paragraph separated by soft line breaks (the seed's Trigger/Outcome/SLA), so
labels are read line by line from the raw text. A line without a label
continues the value above it; lines before the first label are free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowc.diagnostics import Location
from flowc.frontends.markdown.document import Block, Heading, plain
from flowc.frontends.markdown.source import Source

_HARD_BREAK = re.compile(r"(?:\\|<br\s*/?>)$", re.IGNORECASE)
_MARKERS = ("**", "__")


def split_label(text: str) -> tuple[str, int, str] | None:
    """``**Trigger**: x`` -> ("Trigger", offset of x, "x"); None if no label.

    Parsed by hand, not by one regular expression: optional colons and
    whitespace on both sides of the closing ``**`` make a regex backtrack
    badly on long lines.
    """
    marker = text[:2]
    if marker not in _MARKERS:
        return None
    close = text.find(marker, 2)
    if close < 0:
        return None
    label = text[2:close].strip()
    inner = label.endswith(":")
    label = label.rstrip(":").strip()
    rest = close + 2
    while rest < len(text) and text[rest] in " \t":
        rest += 1
    outer = text.startswith(":", rest)
    if outer:
        rest += 1
        while rest < len(text) and text[rest] in " \t":
            rest += 1
    value = _clean(text[rest:])
    if not label or "*" in label or not (inner or outer or not value):
        return None
    return label, rest, value


@dataclass(frozen=True)
class Labelled:
    """A ``**Label**: value`` field; ``label`` is lower case, spaces collapsed."""

    label: str
    value: str
    loc: Location
    value_loc: Location
    rows: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Line:
    """A line of free text in a paragraph that holds labels."""

    text: str
    row: int


def label_key(text: str) -> str:
    return " ".join(plain(text).lower().split()).rstrip(":").strip()


def _clean(value: str) -> str:
    return _HARD_BREAK.sub("", value.rstrip()).strip()


def read_paragraph(source: Source, block: Block) -> tuple[list[Line], list[Labelled]]:
    """Free lines before the first label, and the labelled fields in order."""
    free: list[Line] = []
    fields: list[Labelled] = []
    for row in range(block.start, block.end):
        raw = source.line(row)
        stripped = raw.lstrip(" \t")
        offset = len(raw) - len(stripped)
        found = split_label(stripped.rstrip())
        if found is not None:
            label, start, value = found
            value_column = offset + start + 1 if value else len(raw.rstrip()) + 1
            fields.append(
                Labelled(
                    label=label_key(label),
                    value=value,
                    loc=source.loc(row, offset + 1),
                    value_loc=source.loc(row, value_column),
                    rows=(row, row + 1),
                )
            )
        elif fields:
            last = fields[-1]
            joined = f"{last.value} {_clean(stripped)}".strip()
            value_loc = last.value_loc if last.value else source.loc(row, offset + 1)
            fields[-1] = Labelled(
                last.label, joined, last.loc, value_loc, (last.rows[0], row + 1)
            )
        elif stripped.strip():
            free.append(Line(raw.rstrip(), row))
    return free, fields


def heading_label(heading: Heading) -> Labelled:
    """A sub-heading such as ``#### Error Handling`` used instead of a bold label."""
    rows = (heading.row, heading.row + 1)
    return Labelled(label_key(heading.text), "", heading.loc, heading.loc, rows)


@dataclass(frozen=True)
class Bullet:
    """A list item's first paragraph, and where its text starts."""

    text: str
    loc: Location

    def key_value(self) -> tuple[str, str, Location] | None:
        """``Timeout: 30s`` -> ("timeout", "30s", where 30s starts)."""
        colon = self.text.find(":")
        if colon <= 0:
            return None
        key = self.text[:colon].strip().strip("*_").strip()
        if not key or "`" in key or "\n" in key:
            return None
        start = colon + 1
        while start < len(self.text) and self.text[start] in " \t*_":
            start += 1
        value = " ".join(self.text[start:].split())
        where = Location(
            file=self.loc.file, line=self.loc.line, column=self.loc.column + start
        )
        return label_key(key), value, where


def read_bullets(source: Source, block: Block) -> list[Bullet]:
    """The items of a top-level list, each with its first paragraph's text."""
    bullets: list[Bullet] = []
    item_level = block.tokens[0].level + 1
    waiting: int | None = None  # the row of an item whose text is not seen yet
    for token in block.tokens:
        if token.type == "list_item_open" and token.level == item_level:
            waiting = token.map[0] if token.map else block.start
        elif waiting is not None and token.type == "inline":
            row = token.map[0] if token.map else waiting
            first = token.content.split("\n", 1)[0]
            bullets.append(
                Bullet(token.content, source.loc(row, source.column(row, first)))
            )
            waiting = None
        elif waiting is not None and token.type.startswith("list_item"):
            bullets.append(Bullet("", source.loc(waiting, source.indent(waiting) + 1)))
            waiting = None
    return bullets
