"""The raw lines of a Markdown file and the diagnostics found in it.

markdown-it reports block positions as line ranges only; columns come from
the raw lines kept here. Lines are split the way markdown-it splits them
(``\\r\\n``, ``\\r`` or ``\\n``), not with ``str.splitlines``, which also breaks
on form feeds and Unicode separators and would shift every line number after
one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flowc.diagnostics import Diagnostic, Location
from flowc.model import DEFAULT_BUS
from flowc.rules import report

_LINE_BREAK = re.compile(r"\r\n?|\n")


class Source:
    """One file's text as markdown-it sees it, and positions inside it."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        # markdown-it replaces NUL the same way; lengths stay equal.
        self.text = text.replace("\0", "\ufffd")
        self.lines = _LINE_BREAK.split(self.text)
        self.references: dict[str, object] = {}

    def line(self, row: int) -> str:
        """The raw text of 0-based line ``row`` ("" outside the file)."""
        return self.lines[row] if 0 <= row < len(self.lines) else ""

    def indent(self, row: int) -> int:
        text = self.line(row)
        return len(text) - len(text.lstrip(" \t"))

    def column(self, row: int, text: str) -> int:
        """1-based column where ``text`` starts on line ``row``.

        Falls back to the first non-blank character, so a position is always
        given even when markdown-it rewrote the text (escapes, entities).
        """
        needle = text.strip()
        index = self.line(row).find(needle) if needle else -1
        return (index if index >= 0 else self.indent(row)) + 1

    def loc(self, row: int, column: int = 1) -> Location:
        """A location from a 0-based line and a 1-based column."""
        return Location(file=self.file, line=row + 1, column=max(column, 1))

    def text_of(self, start: int, end: int) -> str:
        """Raw lines ``start``..``end`` (0-based, end excluded), trimmed of blank edges."""
        return "\n".join(self.lines[max(start, 0) : max(end, 0)]).strip("\n").rstrip()


@dataclass
class Context:
    """What every section reader shares: the source, the bus name, the findings."""

    source: Source
    bus: str = DEFAULT_BUS
    out: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        """A finding of rule ``code``; its severity is the registry's."""
        self.out.append(report(code, message, loc, hint))
