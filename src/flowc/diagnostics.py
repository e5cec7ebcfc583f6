"""Diagnostics are data: every stage returns them, only the CLI prints them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How bad a finding is; errors stop generation, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Location(BaseModel):
    """A place in a spec file: 1-based line and column."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Diagnostic(BaseModel):
    """One finding: what, where, which rule, and how to fix it."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.location.file,
            self.location.line,
            self.location.column,
            self.code,
            self.message,
        )


def error(code: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    return Diagnostic(
        severity=Severity.ERROR,
        code=code,
        message=message,
        location=location,
        hint=hint,
    )


def warning(code: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    return Diagnostic(
        severity=Severity.WARNING,
        code=code,
        message=message,
        location=location,
        hint=hint,
    )


def note(code: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    return Diagnostic(
        severity=Severity.NOTE, code=code, message=message, location=location, hint=hint
    )


def counts(diagnostics: list[Diagnostic]) -> dict[Severity, int]:
    tally = dict.fromkeys(Severity, 0)
    for diagnostic in diagnostics:
        tally[diagnostic.severity] += 1
    return tally


def format_text(diagnostic: Diagnostic) -> str:
    """``path:line:col: error[FLW102] message`` and, indented, the hint."""
    head = f"{diagnostic.location}: {diagnostic.severity.value}[{diagnostic.code}] {diagnostic.message}"
    return f"{head}\n  hint: {diagnostic.hint}" if diagnostic.hint else head


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the spec line."""
    level = {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.NOTE: "notice",
    }[diagnostic.severity]
    where = diagnostic.location
    props = ",".join(
        (
            f"file={_github_escape(where.file, property_value=True)}",
            f"line={where.line}",
            f"col={where.column}",
            f"title={diagnostic.code}",
        )
    )
    message = diagnostic.message + (
        f" (hint: {diagnostic.hint})" if diagnostic.hint else ""
    )
    return f"::{level} {props}::{_github_escape(message)}"


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    return {
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": diagnostic.location.file,
        "line": diagnostic.location.line,
        "column": diagnostic.location.column,
        "hint": diagnostic.hint,
    }
