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

_LABEL = re.compile(
    r"^(?:\*\*|__)\s*(?P<label>[^*_\n]+?)\s*(?P<inner>:)?\s*(?:\*\*|__)"
    r"[ \t]*(?P<outer>:)?[ \t]*(?P<value>.*)$"
)
_KEY_VALUE = re.compile(
    r"^(?:\*\*|__)?(?P<key>[^:*_`]+?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?[ \t]*(?P<value>.*)$"
)
_HARD_BREAK = re.compile(r"(?:\\|\s*<br\s*/?>)\s*$", re.IGNORECASE)


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
    return _HARD_BREAK.sub("", value).strip()


def read_paragraph(source: Source, block: Block) -> tuple[list[Line], list[Labelled]]:
    """Free lines before the first label, and the labelled fields in order."""
    free: list[Line] = []
    fields: list[Labelled] = []
    for row in range(block.start, block.end):
        raw = source.line(row)
        stripped = raw.lstrip(" \t")
        offset = len(raw) - len(stripped)
        match = _LABEL.match(stripped.rstrip())
        value = _clean(match.group("value")) if match else ""
        if match and (match.group("inner") or match.group("outer") or not value):
            value_column = offset + match.start("value") + 1
            if not value:
                value_column = len(raw.rstrip()) + 1
            fields.append(
                Labelled(
                    label=label_key(match.group("label")),
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
        match = _KEY_VALUE.match(self.text)
        if match is None:
            return None
        value = match.group("value").strip()
        column = self.loc.column + match.start("value")
        if "\n" in self.text[: match.start("value")]:
            column = self.loc.column
        where = Location(file=self.loc.file, line=self.loc.line, column=column)
        return label_key(match.group("key")), " ".join(value.split()), where


def read_bullets(source: Source, block: Block) -> list[Bullet]:
    """The items of a top-level list, each with its first paragraph's text."""
    bullets: list[Bullet] = []
    tokens = block.tokens
    item_level = tokens[0].level + 1
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "list_item_open" and token.level == item_level:
            inline = next(
                (
                    t
                    for t in tokens[index + 1 :]
                    if t.type in ("inline", "list_item_open", "list_item_close")
                ),
                None,
            )
            start = token.map[0] if token.map else block.start
            if inline is not None and inline.type == "inline":
                row = inline.map[0] if inline.map else start
                first = inline.content.split("\n", 1)[0]
                column = source.column(row, first)
                bullets.append(Bullet(inline.content, source.loc(row, column)))
            else:
                bullets.append(Bullet("", source.loc(start, source.indent(start) + 1)))
        index += 1
    return bullets
