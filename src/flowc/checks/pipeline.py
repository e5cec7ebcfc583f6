"""All checks in order: resolve first, then rules that need the whole system."""

from __future__ import annotations

from flowc.checks.lint import check_lint
from flowc.checks.names import check_names
from flowc.checks.resolve import resolve
from flowc.checks.sagas import check_sagas
from flowc.checks.transforms import check_transformations
from flowc.checks.validate import check_flows, check_models
from flowc.diagnostics import Diagnostic
from flowc.model import Document, System


def check_documents(
    documents: list[Document], name: str
) -> tuple[System, list[Diagnostic]]:
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
    return system, diagnostics
