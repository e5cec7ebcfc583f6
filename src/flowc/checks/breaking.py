"""What a spec change breaks for the clients, consumers and sagas already out there.

Two analyses (the spec set before, and now) are reduced to their contract:
routes with their request fields and statuses, events with their payload
fields, the consumers of each event, and each saga's steps. What the old
contract promised and the new one no longer keeps is a finding at the spec
line that made the promise (a removed field is named at its line in the old
spec; a new requirement at its line in the new one). Additions that no one
depends on yet, like a new optional field, are not findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flowc.checks.analysis import Analysis, Held
from flowc.diagnostics import Diagnostic, Location
from flowc.model import Model
from flowc.rules import report


@dataclass(frozen=True)
class FieldFace:
    type: str
    required: bool
    loc: Location


@dataclass(frozen=True)
class Shape:
    """The fields of a request body or an event payload, by name."""

    model: str
    fields: dict[str, FieldFace]
    open: bool
    """Open JSON or a union: nothing is promised field by field."""


@dataclass(frozen=True)
class RouteFace:
    status: int
    body: Shape | None
    errors: dict[str, tuple[int, Location]]
    loc: Location


@dataclass(frozen=True)
class SagaFace:
    steps: tuple[tuple[str, Location], ...]
    compensations: tuple[tuple[str, Location], ...]
    loc: Location


@dataclass(frozen=True)
class Contract:
    """What the generated system promises to the world outside one process."""

    routes: dict[str, RouteFace] = field(default_factory=dict)
    events: dict[str, tuple[Shape, Location]] = field(default_factory=dict)
    consumers: dict[tuple[str, str], Location] = field(default_factory=dict)
    sagas: dict[str, SagaFace] = field(default_factory=dict)


@dataclass(frozen=True)
class BreakingChange:
    """One finding, and what an exception names to accept it."""

    finding: Diagnostic
    subject: str


def contract(analysis: Analysis, prefix: str = "") -> Contract:
    """The contract of ``analysis``; ``prefix`` goes before every file name
    (``HEAD:``), so that findings in an old spec set name it as git does."""

    def at(where: Location) -> Location:
        return (
            where.model_copy(update={"file": prefix + where.file}) if prefix else where
        )

    found = Contract()
    for route in analysis.routes:
        key = f"{route.method} {route.path}"
        errors = {row.class_name: (row.status, at(row.loc)) for row in route.errors}
        held = (route.body or route.request) if route.has_body else None
        found.routes[key] = RouteFace(
            route.status, _shape(analysis, held, at), errors, at(route.loc)
        )
    for name, event in analysis.events.items():
        shape = _shape(analysis, event.payload, at)
        if shape is not None and event.publishers:
            found.events[name] = (shape, at(event.loc))
    for plan in analysis.services.values():
        for consumer in plan.consumers:
            found.consumers.setdefault(
                (consumer.service, consumer.event), at(consumer.loc)
            )
    for saga in analysis.sagas:
        found.sagas[saga.name] = SagaFace(
            tuple((step.label, at(step.loc)) for step in saga.steps),
            tuple((action.label, at(action.loc)) for action in saga.compensations),
            at(saga.loc),
        )
    return found


def _shape(
    analysis: Analysis, held: Held | None, at: Callable[[Location], Location]
) -> Shape | None:
    if held is None:
        return None
    model: Model | None = analysis.model(held.name) if held.kind == "model" else None
    if model is None:
        return Shape(held.name, {}, open=True)
    fields = {
        f.name: FieldFace(str(f.type), f.required, at(f.loc)) for f in model.fields
    }
    return Shape(model.name, fields, open=not model.fields)


def breaking_changes(before: Contract, now: Contract) -> list[BreakingChange]:
    found: list[BreakingChange] = []
    _routes(before, now, found)
    _events(before, now, found)
    _consumers(before, now, found)
    _sagas(before, now, found)
    return found


def _add(
    found: list[BreakingChange],
    code: str,
    subject: str,
    message: str,
    where: Location,
    hint: str,
) -> None:
    found.append(BreakingChange(report(code, message, where, hint), subject))


def _routes(before: Contract, now: Contract, found: list[BreakingChange]) -> None:
    for key, old in before.routes.items():
        new = now.routes.get(key)
        if new is None:
            _add(
                found,
                "FLW901",
                key,
                f"the route {key} is removed; its clients get 404",
                old.loc,
                "keep the route (answer 410 Gone from it) until its clients have moved",
            )
            continue
        if new.status != old.status:
            _add(
                found,
                "FLW906",
                key,
                f"{key} answers {new.status} where it answered {old.status}",
                new.loc,
                "clients check the status: keep it, or version the route",
            )
        for error, (status, where) in old.errors.items():
            answer = new.errors.get(error)
            if answer is None:
                _add(
                    found,
                    "FLW906",
                    f"{key} {error}",
                    f"{key} no longer answers {error} with {status}",
                    where,
                    "clients handle that status: keep the row in the Error Handling table",
                )
            elif answer[0] != status:
                _add(
                    found,
                    "FLW906",
                    f"{key} {error}",
                    f"{key} answers {error} with {answer[0]} where it answered {status}",
                    answer[1],
                    "clients handle that status: keep it",
                )
        if old.body is not None and new.body is not None:
            what = f"the request body of {key} ({new.body.model})"
            _fields(old.body, new.body, what, True, found)


def _events(before: Contract, now: Contract, found: list[BreakingChange]) -> None:
    for name, (old, where) in before.events.items():
        new = now.events.get(name)
        if new is None:
            _add(
                found,
                "FLW902",
                name,
                f"the event {name} is no longer published; its consumers wait for nothing",
                where,
                "keep publishing it until no consumer needs it",
            )
            continue
        _fields(old, new[0], f"the event {name}", False, found)


def _fields(
    old: Shape, new: Shape, what: str, request: bool, found: list[BreakingChange]
) -> None:
    """Removed, retyped and newly required fields. A request body breaks on a
    new required field (clients do not send it); an event payload does not
    (consumers ignore what they do not read)."""
    if old.open or new.open:
        return
    for name, field_ in old.fields.items():
        subject = f"{new.model}.{name}"
        now = new.fields.get(name)
        if now is None:
            _add(
                found,
                "FLW903",
                subject,
                f"the field {name} of {what} is removed or renamed",
                field_.loc,
                "keep the field (deprecated) until no one sends or reads it",
            )
        elif now.type != field_.type:
            _add(
                found,
                "FLW904",
                subject,
                f"the field {name} of {what} changes type from {field_.type} to {now.type}",
                now.loc,
                "add a field of the new type beside the old one",
            )
        elif now.required and not field_.required:
            _add(
                found,
                "FLW905",
                subject,
                f"the field {name} of {what} is made required",
                now.loc,
                "keep it optional, with a default, until every sender sets it",
            )
    if request:
        for name, field_ in new.fields.items():
            if name not in old.fields and field_.required:
                _add(
                    found,
                    "FLW905",
                    f"{new.model}.{name}",
                    f"{what} gains the required field {name}; clients do not send it yet",
                    field_.loc,
                    "make it optional, with a default",
                )


def _consumers(before: Contract, now: Contract, found: list[BreakingChange]) -> None:
    for (service, event), where in before.consumers.items():
        if (service, event) not in now.consumers and event in now.events:
            _add(
                found,
                "FLW908",
                f"{service}.{event}",
                f"{service} no longer consumes {event}, which is still published",
                where,
                "keep the consumer, or stop publishing the event for it first",
            )


def _sagas(before: Contract, now: Contract, found: list[BreakingChange]) -> None:
    for name, old in before.sagas.items():
        new = now.sagas.get(name)
        if new is None:
            continue  # a removed saga's route or command is reported with it
        new_steps = {label for label, _ in new.steps}
        new_compensations = {label for label, _ in new.compensations}
        for label, where in old.steps:
            if label not in new_steps:
                _add(
                    found,
                    "FLW907",
                    f"{name}.{label}",
                    f"the step {label} of the saga {name} is removed",
                    where,
                    "instances in flight still run it: keep it until they end",
                )
        for label, where in old.compensations:
            if label not in new_compensations:
                _add(
                    found,
                    "FLW907",
                    f"{name}.{label}",
                    f"the compensation {label} of the saga {name} is removed",
                    where,
                    "instances in flight may still need it to roll back",
                )
        if [s for s, _ in old.steps] != [s for s, _ in new.steps]:
            _add(
                found,
                "FLW909",
                name,
                f"the steps of the saga {name} change while instances may be in flight",
                new.loc,
                "let in-flight instances finish first (sagas list), or "
                "run the new steps as a saga of a new name",
            )
