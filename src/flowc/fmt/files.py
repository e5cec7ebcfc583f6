"""``flowc fmt`` over files: find the spec files, format each, write back
only what changed, each file whole (a temporary file, then a rename)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flowc.diagnostics import Diagnostic, Location
from flowc.fmt import YamlFormatError, format_spec
from flowc.frontends import display_path
from flowc.frontends.files import discover, read_text
from flowc.rules import is_input_error, report


@dataclass(frozen=True)
class Reformatted:
    display: str
    before: str
    after: str


@dataclass
class FormatOutcome:
    files: int = 0
    changes: list[Reformatted] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def input_problem(self) -> bool:
        return any(is_input_error(d.code) for d in self.diagnostics)


def format_specs(paths: list[Path], *, write: bool) -> FormatOutcome:
    """Every spec file under ``paths`` in canonical form; written back only
    when ``write`` (atomically, each file whole or not at all)."""
    outcome = FormatOutcome()
    files, problems = discover(paths)
    outcome.diagnostics.extend(problems)
    for path in files:
        display = display_path(path)
        text, problems = read_text(path, display)
        outcome.diagnostics.extend(problems)
        if text is None:
            continue
        outcome.files += 1
        try:
            formatted = format_spec(text, path.name)
        except YamlFormatError as exc:
            outcome.diagnostics.append(
                report(
                    "FLW101",
                    f"YAML: {exc}".splitlines()[0],
                    Location(file=display),
                    "fix the YAML first: `flowc validate` points at the line",
                )
            )
            continue
        if formatted == text:
            continue
        outcome.changes.append(Reformatted(display, text, formatted))
        if write:
            temporary = path.with_name(f".{path.name}.flowc-fmt")
            temporary.write_text(formatted, encoding="utf-8", newline="")
            os.replace(temporary, path)
    return outcome
