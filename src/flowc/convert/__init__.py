"""``flowc convert``: one spec file from Markdown to YAML or back, without loss.

Both writers print the IR, so what a file says survives a round trip through
the other syntax: reading the converted text gives the same Document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from flowc.convert.markdown_writer import to_markdown
from flowc.convert.yaml_writer import to_yaml
from flowc.diagnostics import Diagnostic, Location, Severity
from flowc.frontends import read_document
from flowc.frontends.files import read_text
from flowc.model import Document
from flowc.rules import report

__all__ = ["convert_document", "convert_file", "to_markdown", "to_yaml"]

Target = Literal["yaml", "md"]


def convert_document(
    document: Document, to: Target
) -> tuple[str | None, list[Diagnostic]]:
    """The document in the other syntax, or errors saying what it cannot hold."""
    if to == "yaml":
        problems = _yaml_problems(document)
        if problems:
            return None, problems
        return to_yaml(document), _ignore_losses(document, "YAML")
    return to_markdown(document), _markdown_losses(document) + _ignore_losses(
        document, "Markdown"
    )


def _ignore_losses(document: Document, syntax: str) -> list[Diagnostic]:
    """Comments are no part of the IR: a ``flowc: ignore`` is said, not carried."""
    return [
        report(
            "FLW213",
            f"the ignore of {', '.join(ignore.codes)} is a comment, which the {syntax} "
            "file does not carry",
            ignore.loc,
            f"add it again inside the same flow or item of the {syntax} file",
        )
        for ignore in document.suppressions
    ]


def _markdown_losses(document: Document) -> list[Diagnostic]:
    """What the Markdown document has no syntax for: said, never dropped silently."""
    losses = [
        report(
            "FLW213",
            f"service {service.name!r} is declared in YAML; Markdown has no syntax for its kind or sync policy",
            service.loc,
            "keep this file in YAML, or rely on the kinds flowc infers from the diagrams",
        )
        for service in document.services
    ]
    losses += [
        report(
            "FLW213",
            f"flow {flow.name!r} has its own sync policy; Markdown has no syntax for it",
            flow.sync_policy.loc,
            "keep this file in YAML, or move the policy to the Request/Response section",
        )
        for flow in document.flows
        if flow.sync_policy is not None
    ]
    return losses


def convert_file(path: Path, to: Target) -> tuple[str | None, list[Diagnostic]]:
    """Read ``path`` with its frontend and write it in the syntax ``to``.

    A file with errors is not converted: a converted file must say what the
    original says, and a broken one says less than its author meant.
    """
    display = path.as_posix()
    text, diagnostics = read_text(path, display)
    if text is None:
        return None, diagnostics
    document, problems = read_document(text, display)
    diagnostics.extend(problems)
    if document is None or any(d.severity == Severity.ERROR for d in diagnostics):
        return None, diagnostics
    converted, problems = convert_document(document, to)
    return converted, diagnostics + problems


def _yaml_problems(document: Document) -> list[Diagnostic]:
    """YAML keeps models in a mapping by name, so two models may not share one."""
    seen: set[str] = set()
    problems: list[Diagnostic] = []
    for model in document.models:
        if model.name in seen:
            where = model.loc if model.loc.line else Location(file=document.path)
            problems.append(
                report(
                    "FLW406",
                    f"a second model is named {model.name!r}; "
                    "YAML holds one model per name",
                    where,
                    "rename or merge the two models before converting",
                )
            )
        seen.add(model.name)
    return problems
