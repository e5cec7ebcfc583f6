"""Comments that silence findings.

``<!-- flowc: ignore[FLW705] reason -->`` silences warnings in the flow or item
(``###`` section) it sits in, or in the whole file outside any. The older
``<!-- flowc-disable: chatty-services, event-not-past-tense -->`` silences lint
rules, by name or code, for the flow it sits in.
"""

from __future__ import annotations

import re

from flowc.frontends.ignores import find_ignore
from flowc.frontends.markdown.document import Part
from flowc.frontends.markdown.source import Context
from flowc.model import Suppression
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
            named: list[str] = []
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
                    continue
                named.append(name)
                if name not in names:
                    names.append(name)
            ctx.report(
                "FLW221",
                "flowc-disable gives no reason for silencing "
                + (", ".join(named) or "nothing"),
                ctx.source.loc(row, start + 1),
                f"write <!-- flowc: ignore[{', '.join(named) or 'FLW701'}] why it "
                "does not apply --> instead",
            )
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


_ITEM_LEVEL = 3
"""``### Flow`` and the other items: an ignore covers the one it sits in."""


def read_ignores(ctx: Context, root: Part, skip: set[int]) -> tuple[Suppression, ...]:
    """Every ``<!-- flowc: ignore[...] reason -->`` outside code, with its lines."""
    found: list[Suppression] = []
    for row, line in enumerate(ctx.source.lines):
        if row in skip or "flowc:" not in line.lower():
            continue
        position = 0
        while (opening := line.find("<!--", position)) >= 0:
            closing = line.find("-->", opening + 4)
            if closing < 0:
                break
            directive = find_ignore(line[opening + 4 : closing])
            if directive is not None:
                scope = _scope(root, row)
                found.append(
                    Suppression(
                        codes=directive.codes,
                        reason=directive.reason,
                        first_line=scope.start + 1,
                        last_line=max(scope.end, scope.start + 1),
                        loc=ctx.source.loc(row, opening + 5 + directive.offset),
                    )
                )
            position = closing + 3
    return tuple(found)


def _scope(root: Part, row: int) -> Part:
    """The deepest section of item level or above that holds ``row``."""
    scope = root
    children = root.children
    while True:
        holder = next((c for c in children if c.start <= row < c.end), None)
        if holder is None or holder.level > _ITEM_LEVEL:
            return scope
        scope, children = holder, holder.children
