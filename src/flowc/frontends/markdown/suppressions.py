"""``<!-- flowc-disable: chatty-services, event-not-past-tense -->`` comments.

A comment inside a flow silences lint rules for that flow only. Rules are
named as in the Anti-Patterns lint table, or by code (``FLW701``).
"""

from __future__ import annotations

import re

from flowc.frontends.markdown.source import Context
from flowc.rules import LINT_RULES

_DIRECTIVE = "flowc-disable"
_NAME = re.compile(r"[^\s,;]+")
_CODES = {code: name for name, code in LINT_RULES.items()}


def read_suppressions(ctx: Context, rows: range, skip: set[int]) -> tuple[str, ...]:
    """Rule names silenced by comments on ``rows`` (code lines in ``skip`` ignored)."""
    names: list[str] = []
    for row in rows:
        if row in skip:
            continue
        line = ctx.source.line(row)
        if "flowc-disable" not in line.lower():
            continue
        for start, rules in _directives(line):
            for match in _NAME.finditer(rules):
                written = match.group(0)
                lowered = written.lower()
                name = lowered if lowered in LINT_RULES else _CODES.get(written.upper())
                if name is None:
                    ctx.report(
                        "FLW211",
                        f"flowc-disable names no lint rule: {written!r}",
                        ctx.source.loc(row, start + match.start() + 1),
                        "known rules: " + ", ".join(sorted(LINT_RULES)),
                    )
                elif name not in names:
                    names.append(name)
    return tuple(names)


def _directives(line: str) -> list[tuple[int, str]]:
    """(offset, rule text) of each ``<!-- flowc-disable: ... -->`` on a line."""
    found: list[tuple[int, str]] = []
    position = 0
    while (opening := line.find("<!--", position)) >= 0:
        closing = line.find("-->", opening + 4)
        if closing < 0:
            break
        body = line[opening + 4 : closing]
        head = len(body) - len(body.lstrip())
        if body[head:].lower().startswith(_DIRECTIVE):
            start = head + len(_DIRECTIVE)
            if body[start : start + 1] not in ("", ":", " ", "\t"):
                position = closing + 3
                continue
            while start < len(body) and body[start] in " \t:":
                start += 1
            found.append((opening + 4 + start, body[start:]))
        position = closing + 3
    return found
