"""Generation gap: write a person's starting file once, and never again.

A stub is where a person writes business logic, outside the owned folder. Once
it exists it is theirs, whatever it holds: flowc keeps it even if the spec now
renders a different stub (telling them what no longer fits is a check's job).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flowc import rules
from flowc.diagnostics import Diagnostic, Location, Severity
from flowc.output.drift import Change, RenderedFile
from flowc.output.manifest import unsafe_reason
from flowc.output.writer import apply_changes


@dataclass
class StubReport:
    """Which stubs were written, which already existed, and any findings."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)


def write_stubs(stubs: list[RenderedFile], stub_dir: Path) -> StubReport:
    """Write each stub that does not exist yet; all of them, or (on error) none."""
    report = StubReport()
    new: list[Change] = []
    seen: set[str] = set()
    for stub in sorted(stubs, key=lambda s: s.path):
        reason = unsafe_reason(stub.path)
        if reason is None and stub.path in seen:
            reason = "is rendered twice"
        seen.add(stub.path)
        if reason is not None:
            report.diagnostics.append(
                rules.report(
                    "FLW804",
                    f"refusing to write the stub {stub.path!r}: the path {reason}",
                    Location(file=stub.source),
                )
            )
        elif os.path.lexists(stub_dir / stub.path):
            report.kept.append(stub.path)
        else:
            new.append(Change(stub.path, None, stub.content))
    if report.ok and new:
        failure = apply_changes(stub_dir, new)
        if failure is None:
            report.written = [change.path for change in new]
        else:
            report.diagnostics.append(failure)
    return report
