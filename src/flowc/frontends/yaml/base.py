"""What every section reader shares: the file, positions, diagnostics, values.

The YAML reader is one object built from a mixin per part of a spec file
(flows, models, patterns). This base holds their common state and the value
readers more than one part needs: durations, sync policies and where a block
scalar's text starts.
"""

from __future__ import annotations

from typing import Any

from flowc.diagnostics import Diagnostic, Location
from flowc.frontends.common import (
    MAX_DURATION_MS,
    DurationError,
    parse_breaker,
    parse_duration,
    parse_retries,
)
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.loader import Path, Positions
from flowc.model import DEFAULT_BUS, SyncPolicy
from flowc.rules import report


class ReaderBase:
    """State shared by the section readers, and the values more than one reads."""

    def __init__(
        self, file: str, text: str, positions: Positions, out: list[Diagnostic]
    ) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.positions = positions
        self.out = out
        self.bus = DEFAULT_BUS

    def at(self, *path: str | int) -> Location:
        return self.positions.at(tuple(path))

    def duration(self, value: str | int | None, path: Path) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 < value <= MAX_DURATION_MS:
                return value
            text = str(value)
        else:
            text = str(value)
        try:
            return parse_duration(text)
        except DurationError:
            self.out.append(
                report(
                    "FLW110",
                    f"{text!r} is not a duration",
                    self.positions.at(path),
                    "write it as 500ms, 2s or 1m",
                )
            )
            return None

    def policy(self, spec: s.SyncPolicySpec, path: Path) -> SyncPolicy:
        base = SyncPolicy()
        updates: dict[str, Any] = {}
        timeout = self.duration(spec.timeout, (*path, "timeout"))
        if timeout is not None:
            updates["timeout_ms"] = timeout
        if spec.retries is not None:
            try:
                retries, backoff = parse_retries(str(spec.retries))
                updates.update(
                    retries=retries, backoff=backoff if retries else base.backoff
                )
            except DurationError as exc:
                self.out.append(
                    report(
                        "FLW112",
                        str(exc),
                        self.positions.at((*path, "retries")),
                        "write '3, exponential backoff'",
                    )
                )
        if spec.circuit_breaker is not None:
            try:
                failures, open_ms = parse_breaker(spec.circuit_breaker)
                updates.update(breaker_failures=failures, breaker_open_ms=open_ms)
            except DurationError as exc:
                self.out.append(
                    report(
                        "FLW112",
                        str(exc),
                        self.positions.at((*path, "circuit_breaker")),
                        "write '5 failures, 30s open'",
                    )
                )
        return base.model_copy(update={**updates, "loc": self.positions.at(path)})

    def block_start(self, path: Path) -> tuple[int, int]:
        """Line and indent where a block scalar's text begins (after ``|``)."""
        where = self.positions.at(path)
        line_text = (
            self.lines[where.line - 1] if 0 < where.line <= len(self.lines) else ""
        )
        if line_text[where.column - 1 : where.column].strip() in {"|", ">"}:
            following = self.lines[where.line] if where.line < len(self.lines) else ""
            return where.line + 1, len(following) - len(following.lstrip())
        return where.line, where.column - 1
