"""Error Handling rows: one exception class per error name, one answer per flow.

Real documents reuse error names ("Not found", "Validation failed") across
flows, raised by different services and answered with different statuses.
That is one class; each flow maps it by its own row. Only two rows of one
flow that say different things about the same error contradict each other.
"""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.model import Analysis, ErrorClass, ErrorRow
from flowc.model import ErrorCase, Flow
from flowc.rules import report


def error_slug(name: str) -> str:
    """The problem type's last path segment: ``Duplicate email`` -> ``duplicate-email``."""
    return naming.snake(name).replace("_", "-") or "error"


def error_class_name(name: str) -> str:
    base = naming.pascal(name)
    return base if base.endswith("Error") else base + "Error"


def add_error_rows(analysis: Analysis, flow: Flow) -> list[ErrorRow]:
    """Record ``flow``'s rows; report a row that contradicts an earlier one of the flow."""
    rows: dict[str, ErrorRow] = {}
    for case in flow.errors:
        row = _row(flow, case)
        earlier = rows.get(row.class_name)
        if earlier is not None:
            differences = _differences(earlier, row)
            if differences:
                analysis.diagnostics.append(
                    report(
                        "FLW430",
                        f"error {case.name!r} is listed twice in flow {flow.name!r} with a different {differences}",
                        case.loc,
                        f"keep one row for {case.name!r} in this flow (the first is at line {earlier.loc.line})",
                    )
                )
            continue
        rows[row.class_name] = row
        analysis.error_rows.append(row)
        analysis.errors.setdefault(
            row.class_name,
            ErrorClass(
                class_name=row.class_name,
                title=case.name,
                slug=row.slug,
                status=case.status,
                loc=case.loc,
                flow=flow.name,
            ),
        )
        service = analysis.services.get(row.handler)
        if (
            row.kind == "retry"
            and service is not None
            and row.class_name not in service.retry_on
        ):
            service.retry_on.append(row.class_name)
    return list(rows.values())


def _row(flow: Flow, case: ErrorCase) -> ErrorRow:
    return ErrorRow(
        flow=flow.name,
        class_name=error_class_name(case.name),
        title=case.name,
        slug=error_slug(case.name),
        status=case.status,
        handler=case.handler,
        recovery=case.recovery,
        kind=case.recovery_kind,
        loc=case.loc,
    )


def _differences(first: ErrorRow, second: ErrorRow) -> str:
    parts = [
        f"{what} ({a} and {b})"
        for what, a, b in (
            ("status", first.status, second.status),
            ("handler", first.handler, second.handler),
            ("recovery", first.recovery or "none", second.recovery or "none"),
        )
        if a != b
    ]
    return ", ".join(parts)
