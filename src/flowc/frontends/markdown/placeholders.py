"""Template text left unfilled: ``{Flow Name}``, ``YYYY-MM-DD``, ``(e.g., ...)``.

The seed document is a template. Its placeholders are reported as notes so a
raw template validates cleanly, and a value that is still a placeholder is
read as absent rather than as content.

A ``{...}`` is a placeholder only where template text would stand: not a path
parameter (``/users/{id}``), not a Mermaid shape (``B{Valid?}``,
``A{{hexagon}}``, ``A@{ shape: ... }``), not ``${VAR}`` or ``%%{init}%%``,
and not JSON (quotes or colons inside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACES = re.compile(r"\{([^{}\n]{1,200})\}")
_DATE = re.compile(r"YYYY-MM-DD")
_EXAMPLE = re.compile(r"\(e\.\s?g\.,?[^()\n]{0,300}\)", re.IGNORECASE)
_NOT_AFTER = set("/$%@{#\\") | set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
)


@dataclass(frozen=True, slots=True)
class Span:
    """One placeholder on a line: 0-based start and end offsets, and its text."""

    start: int
    end: int
    text: str


def _brace_spans(line: str) -> list[Span]:
    spans: list[Span] = []
    for match in _BRACES.finditer(line):
        start, end = match.span()
        before = line[start - 1] if start > 0 else ""
        after = line[end] if end < len(line) else ""
        inner = match.group(1)
        if before in _NOT_AFTER or after == "}" or '"' in inner or ":" in inner:
            continue
        if inner.startswith("%") and inner.endswith("%"):  # a Jinja-style {% tag %}
            continue
        if not inner.strip():
            continue
        spans.append(Span(start, end, match.group(0)))
    return spans


def _spans(line: str, *, examples: bool) -> list[Span]:
    found = _brace_spans(line)
    found += [Span(*m.span(), m.group(0)) for m in _DATE.finditer(line)]
    if examples:
        found += [Span(*m.span(), m.group(0)) for m in _EXAMPLE.finditer(line)]
    found.sort(key=lambda span: (span.start, -span.end))
    kept: list[Span] = []
    for span in found:
        if kept and span.start < kept[-1].end:
            continue  # inside a placeholder already reported
        kept.append(span)
    return kept


def find(line: str) -> list[Span]:
    """Every placeholder on one raw line, left to right, none inside another."""
    if "{" not in line and "YYYY" not in line and "(" not in line:
        return []
    return _spans(line, examples=True)


def without_examples(text: str) -> str:
    """``Checkout (e.g., guest)`` -> ``Checkout``: example hints are not content."""
    return " ".join(_EXAMPLE.sub(" ", text).split())


def is_unfilled(text: str) -> bool:
    """True when a value still holds template text (a ``{...}`` or ``YYYY-MM-DD``)."""
    return bool(_spans(text, examples=False))


def clean_value(text: str) -> str:
    """A field value as content: "" when it is still template text."""
    value = without_examples(text)
    return "" if is_unfilled(value) else value


def only_placeholders(text: str) -> bool:
    """True when nothing but placeholders and punctuation is left in ``text``."""
    rest = text
    for span in reversed(_spans(text, examples=True)):
        rest = rest[: span.start] + rest[span.end :]
    return bool(text.strip()) and not re.search(r"\w", rest)
