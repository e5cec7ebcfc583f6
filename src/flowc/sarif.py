"""Findings as SARIF 2.1.0, the format code-scanning dashboards read.

One run of one tool; each rule that has a finding is described once (its
name, summary and severity from ``flowc.rules``), and each finding points at
its spec line and column. The hint goes into the message, where every viewer
shows it.
"""

from __future__ import annotations

from flowc.diagnostics import Diagnostic, Severity
from flowc.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def to_sarif(diagnostics: list[Diagnostic], version: str) -> dict[str, object]:
    """The SARIF log of one flowc run."""
    codes = sorted({d.code for d in diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "name": RULES[code].name,
            "shortDescription": {"text": RULES[code].summary},
            "defaultConfiguration": {"level": _LEVELS[RULES[code].severity]},
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVELS[d.severity],
            "message": {
                "text": f"{d.message}\nhint: {d.hint}" if d.hint else d.message
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.location.file},
                        "region": {
                            "startLine": max(d.location.line, 1),
                            "startColumn": max(d.location.column, 1),
                        },
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    driver = {"name": "flowc", "version": version, "rules": rules}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
