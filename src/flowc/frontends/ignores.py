"""``flowc: ignore[FLW701, FLW705] reason``: an inline suppression's syntax.

The same text in a Markdown comment (``<!-- ... -->``) and a YAML one
(``# ...``). The frontends find it and say which lines it covers; which codes
exist and what may be silenced is the checks' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNWRITTEN_REASON = "(no reason written: rewritten from flowc-disable)"
"""The reason ``flowc fmt`` writes when it rewrites a ``flowc-disable``: the
older comment gave none, and fmt cannot know it. It silences as the old
comment did, and the reader notes it (FLW221) until someone writes why."""

_DIRECTIVE = re.compile(r"flowc:\s*ignore\s*\[([^\]]*)\]?(.*)", re.IGNORECASE)
_CODE = re.compile(r"[^\s,;]+")


@dataclass(frozen=True)
class IgnoreDirective:
    codes: tuple[str, ...]
    reason: str
    offset: int
    """Where ``flowc:`` starts in the text searched (0-based)."""


def find_ignore(comment: str) -> IgnoreDirective | None:
    """The directive in a comment's text, or None when it holds none."""
    found = _DIRECTIVE.search(comment)
    if found is None:
        return None
    codes = tuple(match.group(0) for match in _CODE.finditer(found.group(1)))
    return IgnoreDirective(codes, found.group(2).strip(), found.start())
