"""Inline ignores: which findings they silence, and what is wrong with them.

Applied once, to every finding of the spec set (readers' and checks'), so
``validate``, ``lint`` and ``generate`` silence the same ones. An ignore
silences warnings and notes of the rules it names in the lines it covers;
errors are never silenced, an ignore without a reason silences nothing, and
one that silenced nothing is reported so that it does not outlive its cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowc.diagnostics import Diagnostic, Severity
from flowc.model import Document, Suppression
from flowc.rules import RULES, report, rule_code

_REASON_HINT = (
    "say why after the brackets: <!-- flowc: ignore[FLW705] the name is a "
    "public contract --> (in YAML: # flowc: ignore[FLW705] ...)"
)


@dataclass
class _Active:
    suppression: Suppression
    codes: list[str]
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Diagnostic) -> bool:
        where = finding.location
        return (
            finding.code in self.codes
            and where.file == self.suppression.loc.file
            and self.suppression.first_line <= where.line <= self.suppression.last_line
        )


def apply_suppressions(
    documents: list[Document], findings: list[Diagnostic]
) -> list[Diagnostic]:
    """``findings`` less those an ignore silences, plus findings about the ignores."""
    about: list[Diagnostic] = []
    active = [_Active(s, _codes(s, about)) for d in documents for s in d.suppressions]
    active = [a for a in active if a.codes and a.suppression.reason]
    kept: list[Diagnostic] = []
    for finding in findings:
        holder = None
        if finding.severity != Severity.ERROR:
            holder = next((a for a in active if a.covers(finding)), None)
        if holder is None:
            kept.append(finding)
        else:
            holder.used.add(finding.code)
    for entry in active:
        for code in entry.codes:
            if code not in entry.used:
                about.append(
                    report(
                        "FLW220",
                        f"the ignore of {code} ({RULES[code].name}) silences nothing "
                        f"in lines {entry.suppression.first_line}-"
                        f"{entry.suppression.last_line}",
                        entry.suppression.loc,
                        "remove it: what it silenced is gone",
                    )
                )
    return kept + about


def _codes(suppression: Suppression, about: list[Diagnostic]) -> list[str]:
    """The rule codes an ignore may silence; the rest are reported."""
    if not suppression.reason:
        about.append(
            report(
                "FLW217",
                "this ignore gives no reason, so it silences nothing",
                suppression.loc,
                _REASON_HINT,
            )
        )
        return []
    codes: list[str] = []
    for written in suppression.codes:
        code = rule_code(written)
        if code is None:
            about.append(
                report(
                    "FLW219",
                    f"the ignore names no rule flowc has: {written!r}",
                    suppression.loc,
                    "name a rule by its code (FLW705) or name (event-not-past-tense); "
                    "docs/rules.md lists them",
                )
            )
        elif RULES[code].severity == Severity.ERROR:
            about.append(
                report(
                    "FLW218",
                    f"{code} ({RULES[code].name}) is an error, and errors cannot be silenced",
                    suppression.loc,
                    "fix what it reports; only warnings and notes can be ignored",
                )
            )
        elif code not in codes:
            codes.append(code)
    return codes
