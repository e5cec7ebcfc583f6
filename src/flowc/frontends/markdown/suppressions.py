"""``<!-- flowc-disable: chatty-services, event-not-past-tense -->`` comments.

A comment inside a flow silences lint rules for that flow only. Rules are
named as in the Anti-Patterns lint table, or by code (``FLW701``).
"""

from __future__ import annotations

import re

from flowc.frontends.markdown.source import Context
from flowc.rules import LINT_RULES

_COMMENT = re.compile(r"<!--\s*flowc-disable\b\s*:?(?P<rules>.*?)-->", re.IGNORECASE)
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
        for comment in _COMMENT.finditer(line):
            for match in _NAME.finditer(comment.group("rules")):
                written = match.group(0)
                name = (
                    written.lower()
                    if written.lower() in LINT_RULES
                    else _CODES.get(written.upper())
                )
                if name is None:
                    column = comment.start("rules") + match.start() + 1
                    ctx.warning(
                        "FLW211",
                        f"flowc-disable names no lint rule: {written!r}",
                        ctx.source.loc(row, column),
                        "known rules: " + ", ".join(sorted(LINT_RULES)),
                    )
                elif name not in names:
                    names.append(name)
    return tuple(names)
