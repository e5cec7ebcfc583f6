"""Markdown specs in canonical form: every table's pipes aligned.

Only the lines of tables change, and within them only the spaces around
cells and the length of the delimiter dashes: a cell's text, its escapes and
its column's alignment (``:---``, ``:---:``, ``---:``) stay as written.
Tables inside block quotes or lists are left alone. The tables are the ones
markdown-it finds, the same parser the Markdown reader uses.
"""

from __future__ import annotations

import re

from flowc.frontends.markdown.document import tokens_of
from flowc.frontends.markdown.source import Source

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r":?-+:?")


def format_markdown(text: str) -> str:
    """``text`` with each top-level table laid out in aligned columns."""
    source = Source(text, "<fmt>")
    lines = text.splitlines(keepends=True)
    for token in tokens_of(source):
        if token.type != "table_open" or token.level != 0 or not token.map:
            continue
        start, end = token.map
        block = lines[start:end]
        if any(not line.lstrip(" ").startswith("|") for line in block):
            continue  # a table without leading pipes: written as its author likes
        ending = [line[len(line.rstrip("\r\n")) :] for line in block]
        rows = [_cells(line.rstrip("\r\n")) for line in block]
        if len(rows) < 2 or not all(_DELIMITER_CELL.fullmatch(c) for c in rows[1]):
            continue
        aligned = _layout(rows)
        lines[start:end] = [
            row + end_ for row, end_ in zip(aligned, ending, strict=True)
        ]
    return "".join(lines)


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip() for cell in _UNESCAPED_PIPE.split(body)]


def _layout(rows: list[list[str]]) -> list[str]:
    delimiters = rows[1]
    columns = max(len(row) for row in rows)
    widths = [
        max(
            3,
            *(
                len(row[index])
                for number, row in enumerate(rows)
                if number != 1 and index < len(row)
            ),
        )
        for index in range(columns)
    ]
    out = []
    for number, row in enumerate(rows):
        if number == 1:
            cells = [
                _delimiter(delimiters[i] if i < len(delimiters) else "-", widths[i])
                for i in range(len(row))
            ]
        else:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
        out.append(("| " + " | ".join(cells) + " |").rstrip())
    return out


def _delimiter(written: str, width: int) -> str:
    left, right = written.startswith(":"), written.endswith(":")
    dashes = "-" * (width - left - right)
    return (":" if left else "") + dashes + (":" if right else "")
