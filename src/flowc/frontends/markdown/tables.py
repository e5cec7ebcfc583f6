"""Pipe tables read by their header words, in any column order.

A person filling in the template may reorder columns, add their own, or
write ``HTTP Status`` for ``HTTP``; columns are found by header words and
extra columns are ignored. Cell positions come from the raw line, since
markdown-it gives table rows a line but no columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flowc.diagnostics import Location
from flowc.frontends.markdown.document import Block, plain
from flowc.frontends.markdown.source import Context, Source


@dataclass(frozen=True)
class Cell:
    """A cell's inline text as written (trimmed) and where it starts."""

    text: str
    loc: Location


@dataclass(frozen=True)
class Table:
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    loc: Location

    def columns_found(self) -> str:
        return ", ".join(cell.text for cell in self.header if cell.text) or "none"


@dataclass(frozen=True)
class Column:
    """A column a section reads: its key, the header texts that name it."""

    key: str
    names: tuple[str, ...]
    required: bool = True


def read_table(source: Source, block: Block) -> Table:
    """Header and body rows, each cell placed at its line and column."""
    rows: list[tuple[Cell, ...]] = []
    texts: list[str] = []
    row = block.start
    for token in block.tokens:
        if token.type == "tr_open":
            texts = []
            row = token.map[0] if token.map else row
        elif token.type == "inline":
            texts.append(token.content.strip())
        elif token.type == "tr_close":
            rows.append(_place(source, row, texts))
    header = rows[0] if rows else ()
    where = source.loc(block.start, source.indent(block.start) + 1)
    return Table(header=header, rows=tuple(rows[1:]), loc=where)


def _place(source: Source, row: int, texts: list[str]) -> tuple[Cell, ...]:
    raw = source.line(row)
    cursor = 0
    cells: list[Cell] = []
    for text in texts:
        if text:
            index = raw.find(text, cursor)
            if index < 0:
                pipe = raw.find("|", cursor)
                index = _skip_blank(raw, pipe + 1 if pipe >= 0 else cursor)
            cursor = index + len(text)
        else:
            pipe = raw.find("|", cursor)
            index = pipe + 1 if pipe >= 0 else cursor
            cursor = index
        cells.append(Cell(text, source.loc(row, index + 1)))
    return tuple(cells)


def _skip_blank(raw: str, index: int) -> int:
    while index < len(raw) and raw[index] in " \t":
        index += 1
    return index


def header_key(text: str) -> str:
    """``**HTTP Status**`` -> ``http status``; parenthesised remarks dropped."""
    cleaned = re.sub(r"\([^()]*\)", " ", plain(text)).lower()
    return " ".join(cleaned.replace("?", " ").split())


def fits(table: Table, columns: Sequence[Column]) -> bool:
    """True if the table has every required column (used to place unlabelled tables)."""
    found = _find(table, columns)
    return all(c.key in found for c in columns if c.required)


def match_columns(
    ctx: Context, table: Table, columns: Sequence[Column], what: str
) -> dict[str, int] | None:
    """Column index per key; None (with FLW203 for each gap) if a required one is missing."""
    found = _find(table, columns)
    missing = [c for c in columns if c.required and c.key not in found]
    for column in missing:
        ctx.report(
            "FLW203",
            f"the {what} table has no {column.names[0]} column "
            f"(columns found: {table.columns_found()})",
            table.loc,
            f"add a column headed {column.names[0]}",
        )
    return None if missing else found


def _find(table: Table, columns: Sequence[Column]) -> dict[str, int]:
    """Exact header names first, then headers that contain a name's words."""
    keys = [header_key(cell.text) for cell in table.header]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for column in columns:
            if column.key in found:
                continue
            for index, key in enumerate(keys):
                if index not in taken and _names(key, column.names, exact=exact):
                    found[column.key] = index
                    taken.add(index)
                    break
    return found


def _names(key: str, names: tuple[str, ...], *, exact: bool) -> bool:
    lowered = tuple(name.lower() for name in names)
    if exact:
        return key in lowered
    words = set(key.split())
    return any(set(name.split()) <= words for name in lowered)


def cell(row: tuple[Cell, ...], index: int | None, fallback: Location) -> Cell:
    """The cell at ``index``, or an empty one when the column is absent."""
    if index is None or index >= len(row):
        return Cell("", fallback)
    return row[index]
