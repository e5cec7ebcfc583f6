"""The library API the CLI and tests call: read, check, (later) generate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flowc import naming
from flowc.diagnostics import Diagnostic, Severity
from flowc.model import Document, System
from flowc.rules import is_input_error


@dataclass
class Result:
    """What a run found: the system (when it could be built) and all findings."""

    system: System | None
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        if any(is_input_error(d.code) for d in self.diagnostics):
            return 2
        return 1 if self.errors else 0


def system_name(
    paths: list[Path], documents: list[Document], package: str | None = None
) -> str:
    if package:
        return package
    first = paths[0] if paths else Path("specs")
    name = first.resolve().name if first.is_dir() else first.stem
    if name in {"specs", "spec", ""}:
        name = first.resolve().parent.name
    return naming.snake(name) or "service"


def validate(
    paths: list[Path], package: str | None = None, base: Path | None = None
) -> Result:
    """Read and check a spec set; never raises on bad input."""
    from flowc.checks import check_documents
    from flowc.frontends import read_spec_set

    spec_set = read_spec_set(paths, base)
    result = Result(system=None, documents=spec_set.documents, files=spec_set.files)
    result.diagnostics.extend(spec_set.diagnostics)
    system, problems = check_documents(
        spec_set.documents, system_name(paths, spec_set.documents, package)
    )
    result.system = system
    result.diagnostics.extend(problems)
    result.diagnostics = sorted(set(result.diagnostics), key=Diagnostic.sort_key)
    return result
