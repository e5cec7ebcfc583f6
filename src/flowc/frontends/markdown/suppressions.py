"""Comments that silence findings.

``<!-- flowc: ignore[FLW705] reason -->`` silences warnings in the flow or item
(``###`` section) it sits in, or in the whole file outside any. The older
``<!-- flowc-disable: chatty-services, event-not-past-tense -->`` silences lint
rules, by name or code, for the flow it sits in; it gives no reason, so each
one gets a note, and ``flowc fmt`` rewrites it as an ignore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowc.frontends.ignores import UNWRITTEN_REASON, find_ignore
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
        for disable in find_disables(line):
            start = disable.rules_at
            named: list[str] = []
            for match in _NAME.finditer(disable.rules):
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
                "flowc-disable is the older form of the ignore comment, and gives "
                "no reason for silencing " + (", ".join(named) or "nothing"),
                ctx.source.loc(row, disable.opening + 1),
                f"`flowc fmt` rewrites it as <!-- flowc: ignore[{', '.join(disable.names)}]"
                " ... -->; then write why the rule does not apply after the brackets",
            )
    return tuple(names)


@dataclass(frozen=True)
class Disable:
    """One ``<!-- flowc-disable: RULES -->`` on a line (0-based offsets)."""

    opening: int
    """Where ``<!--`` starts."""
    closing: int
    """Just past ``-->``."""
    rules_at: int
    rules: str

    @property
    def names(self) -> tuple[str, ...]:
        """The rules as written, by name or code."""
        return tuple(match.group(0) for match in _NAME.finditer(self.rules))


def find_disables(line: str) -> list[Disable]:
    """Each ``<!-- flowc-disable: ... -->`` comment on ``line``, in order."""
    found: list[Disable] = []
    position = 0
    while (opening := line.find("<!--", position)) >= 0:
        closing = line.find("-->", opening + 4)
        if closing < 0:
            break
        position = closing + 3
        body = line[opening + 4 : closing]
        head = len(body) - len(body.lstrip())
        if not body[head:].lower().startswith(_DIRECTIVE):
            continue
        start = head + len(_DIRECTIVE)
        if body[start : start + 1] not in ("", ":", " ", "\t"):
            continue
        while start < len(body) and body[start] in " \t:":
            start += 1
        found.append(Disable(opening, position, opening + 4 + start, body[start:]))
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
            if directive is not None and directive.reason == UNWRITTEN_REASON:
                ctx.report(
                    "FLW221",
                    "this ignore, rewritten from flowc-disable, gives no reason yet",
                    ctx.source.loc(row, opening + 5 + directive.offset),
                    f"replace {UNWRITTEN_REASON!r} with why "
                    f"{', '.join(directive.codes)} does not apply here",
                )
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
