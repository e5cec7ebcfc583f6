"""Severity comes from the rule registry alone."""

from __future__ import annotations

import re

from conftest import REPO
from flowc.rules import RULES

SOURCES = sorted((REPO / "src" / "flowc").rglob("*.py"))
HELPER_CALL = re.compile(r'(?<![.\w])(error|warning|note)\(\s*"(FLW\d{3})"')


def test_findings_take_their_severity_from_the_registry() -> None:
    """Outside the Mermaid parsers (whose own tables are the registry's source for
    their codes), no module names a severity: it calls ``report(code, ...)``."""
    stray = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in SOURCES
        if "mermaid" not in path.parts
        for match in HELPER_CALL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert stray == []


def test_the_mermaid_parsers_agree_with_the_registry() -> None:
    for path in SOURCES:
        if "mermaid" not in path.parts:
            continue
        for match in HELPER_CALL.finditer(path.read_text(encoding="utf-8")):
            kind, code = match.groups()
            assert RULES[code].severity.value == kind, (path.name, code)


def test_every_reported_code_is_registered() -> None:
    codes = {
        code
        for path in SOURCES
        for code in re.findall(
            r'report\(\s*"(FLW\d{3})"', path.read_text(encoding="utf-8")
        )
    }
    assert codes and codes <= set(RULES)
