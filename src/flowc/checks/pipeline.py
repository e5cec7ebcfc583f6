"""All checks in order: resolve first, then rules that need the whole system,
then the one analysis that every command and backend shares."""

from __future__ import annotations

from dataclasses import dataclass

from flowc.checks.analysis import Analysis, analyse
from flowc.checks.lint import check_lint
from flowc.checks.names import check_names
from flowc.checks.resolve import resolve
from flowc.checks.sagas import check_sagas
from flowc.checks.transforms import check_transformations
from flowc.checks.validate import check_flows, check_models
from flowc.diagnostics import Diagnostic
from flowc.model import Document, System


@dataclass(frozen=True)
class Checked:
    """A checked spec set: the system, what it means, and every finding."""

    system: System
    analysis: Analysis
    diagnostics: list[Diagnostic]


def check_documents(documents: list[Document], name: str) -> Checked:
    system, diagnostics = resolve(documents, name)
    for check in (
        check_names,
        check_models,
        check_flows,
        check_transformations,
        check_sagas,
        check_lint,
    ):
        diagnostics.extend(check(system))
    analysis = analyse(system)
    diagnostics.extend(analysis.diagnostics)
    return Checked(system=system, analysis=analysis, diagnostics=diagnostics)
