"""The older ``<!-- flowc-disable: RULES -->`` rewritten as the ignore comment.

``flowc-disable`` gives no reason, and fmt cannot know one, so the ignore it
writes says so (``UNWRITTEN_REASON``): it silences the same rules in the
same flow, and the reader keeps a note on it until someone writes why.
Comments inside code (fences, indented blocks) are program text and stay.
"""

from __future__ import annotations

import re

from flowc.frontends.ignores import UNWRITTEN_REASON
from flowc.frontends.markdown.document import tokens_of
from flowc.frontends.markdown.source import Source
from flowc.frontends.markdown.suppressions import find_disables

_CODE_TOKENS = ("fence", "code_block")
_ANY_DISABLE = re.compile(r"<!--\s*flowc-disable", re.IGNORECASE)


def rewrite_disables(text: str, name: str) -> str:
    """``text`` with each flowc-disable comment outside code written as an ignore."""
    if not _ANY_DISABLE.search(text):
        return text  # the ignores fmt wrote name flowc-disable only in their reason
    code = {
        row
        for token in tokens_of(Source(text, name))
        if token.type in _CODE_TOKENS and token.map
        for row in range(*token.map)
    }
    lines = text.splitlines(keepends=True)
    for row, line in enumerate(lines):
        if row in code:
            continue
        for disable in reversed(find_disables(line)):
            if not disable.names:
                continue  # names nothing: its note says so, and there is nothing to carry
            ignore = (
                f"<!-- flowc: ignore[{', '.join(disable.names)}] {UNWRITTEN_REASON} -->"
            )
            line = line[: disable.opening] + ignore + line[disable.closing :]
        lines[row] = line
    return "".join(lines)
