"""Operations: one per service and name, with one signature every caller satisfies.

An operation called from several flows (an authentication check before
create, edit and delete) may receive a different model in each: it takes any
of them (a union), and an optional argument when some flow passes nothing.
"""

from __future__ import annotations

from flowc.checks.analysis.model import Analysis, ErrorRow, Held, Operation
from flowc.checks.analysis.signatures import widened
from flowc.model import Flow, Message


def operation_for(
    analysis: Analysis,
    flow: Flow,
    rows: list[ErrorRow],
    message: Message,
    name: str,
    argument: Held | None,
) -> tuple[Operation, bool]:
    """The operation ``message`` calls, and whether this call created it."""
    service = analysis.services[message.target]
    existing = next((op for op in service.operations if op.name == name), None)
    if existing is not None:
        if flow.name not in existing.flows:
            existing.flows.append(flow.name)
        _accept(existing, argument)
        _add_raises(existing, rows)
        return existing, False
    operation = Operation(
        service=message.target,
        name=name,
        text=message.text,
        input=argument,
        output=None,
        loc=message.loc,
        flow=flow.name,
        caller=message.source,
        flows=[flow.name],
    )
    _add_raises(operation, rows)
    service.operations.append(operation)
    return operation, True


def _accept(operation: Operation, argument: Held | None) -> None:
    operation.input, operation.input_optional = widened(
        operation.input, operation.input_optional, argument
    )


def _add_raises(operation: Operation, rows: list[ErrorRow]) -> None:
    for row in rows:
        if row.handler == operation.service and row.class_name not in operation.raises:
            operation.raises.append(row.class_name)
