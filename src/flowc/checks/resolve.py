"""Documents of a spec set -> one System, with participants and messages classified."""

from __future__ import annotations

import re
from typing import TypeVar

from flowc.diagnostics import Diagnostic, Location
from flowc.model import (
    DEFAULT_BUS,
    Block,
    Choreography,
    Document,
    Flow,
    Message,
    MessageKind,
    Model,
    Saga,
    SequenceItem,
    Service,
    ServiceKind,
    SyncPolicy,
    System,
)
from flowc.rules import report

T = TypeVar("T", Model, Flow, Saga)
_ROUTE = re.compile(
    r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*)$", re.IGNORECASE
)


def is_external_name(name: str) -> bool:
    return name.lower() in {"client", "user", "browser"}


def resolve(documents: list[Document], name: str) -> tuple[System, list[Diagnostic]]:
    """Merge the documents; every name must be unique across the whole set."""
    diagnostics: list[Diagnostic] = []
    documents = [_without_template_examples(d, diagnostics) for d in documents]
    bus = next((d.bus for d in documents if d.bus), DEFAULT_BUS)
    models = _unique([m for d in documents for m in d.models], "model", diagnostics)
    flows = _unique([f for d in documents for f in d.flows], "flow", diagnostics)
    sagas = _unique([s for d in documents for s in d.sagas], "saga", diagnostics)
    choreographies = [c for d in documents for c in d.choreographies]
    policies = [d.sync_policy for d in documents if d.sync_policy is not None]
    for extra in policies[1:]:
        diagnostics.append(
            report(
                "FLW208",
                "a second Request/Response policy; the first one is used",
                extra.loc,
                "keep one sync policy per spec set",
            )
        )
    services = _services(documents, flows, sagas, choreographies, bus, diagnostics)
    kinds = {service.name: service.kind for service in services}
    flows = [_classify(flow, kinds, diagnostics) for flow in flows]
    system = System(
        name=name,
        documents=tuple(documents),
        services=tuple(services),
        models=tuple(models),
        flows=tuple(flows),
        sagas=tuple(sagas),
        choreographies=tuple(choreographies),
        sync_policy=policies[0] if policies else SyncPolicy(),
        sync_arrows=tuple(a for d in documents for a in d.sync_arrows),
        bus=bus,
    )
    return system, diagnostics


def _without_template_examples(document: Document, out: list[Diagnostic]) -> Document:
    """An unfilled template's sagas and choreographies are its examples: nothing to build."""
    if not document.unfilled:
        return document
    examples: list[Saga | Choreography] = [*document.sagas, *document.choreographies]
    for example in examples:
        out.append(
            report(
                "FLW202",
                f"{example.name!r} belongs to an unfilled template (every flow is still a placeholder); it is not built",
                example.loc,
                "fill in at least one flow under Key Flows",
            )
        )
    if document.sync_arrows:
        out.append(
            report(
                "FLW202",
                "the Request/Response flowchart belongs to an unfilled template "
                "(every flow is still a placeholder); it gives no clients",
                document.sync_arrows[0].loc,
                "fill in at least one flow under Key Flows",
            )
        )
    return document.model_copy(
        update={
            "sagas": (),
            "choreographies": (),
            "sync_policy": None,
            "sync_arrows": (),
        }
    )


def _unique(items: list[T], what: str, out: list[Diagnostic]) -> list[T]:
    seen: dict[str, T] = {}
    for item in items:
        if item.name in seen:
            first = seen[item.name].loc
            out.append(
                report(
                    "FLW406",
                    f"{what} {item.name!r} is declared twice (first at {first})",
                    item.loc,
                    f"rename one {what}; names are global to the spec set",
                )
            )
            continue
        seen[item.name] = item
    return list(seen.values())


def _services(
    documents: list[Document],
    flows: list[Flow],
    sagas: list[Saga],
    choreographies: list[Choreography],
    bus: str,
    out: list[Diagnostic],
) -> list[Service]:
    """Declared services, then every participant the diagrams name, with its kind."""
    declared: dict[str, Service] = {}
    for document in documents:
        for service in document.services:
            if service.name in declared:
                out.append(
                    report(
                        "FLW406",
                        f"service {service.name!r} is declared twice",
                        service.loc,
                        "declare each service once",
                    )
                )
                continue
            declared[service.name] = service
    found: dict[str, Service] = dict(declared)
    for flow in flows:
        http_targets = {
            m.target
            for m in flow.messages()
            if _is_actor(flow, m.source) and _route(m.text) is not None
        }
        for participant in flow.participants:
            if participant.name in found:
                continue
            if participant.name == bus:
                kind = ServiceKind.BUS
            elif participant.actor or is_external_name(participant.name):
                kind = ServiceKind.EXTERNAL
            elif participant.name in http_targets:
                kind = ServiceKind.GATEWAY
            else:
                kind = ServiceKind.SERVICE
            found[participant.name] = Service(
                name=participant.name,
                kind=kind,
                label=participant.label,
                loc=participant.loc,
            )
    for choreography in choreographies:
        for route in choreography.routes:
            found.setdefault(route.service, Service(name=route.service, loc=route.loc))
    declared_at = next((Location(file=d.path) for d in documents if d.bus == bus), None)
    found.setdefault(
        bus,
        Service(
            name=bus, kind=ServiceKind.BUS, loc=declared_at or _first_file(documents)
        ),
    )
    for saga in sagas:
        if saga.orchestrator and saga.orchestrator not in found:
            found[saga.orchestrator] = Service(name=saga.orchestrator, loc=saga.loc)
    return sorted(found.values(), key=lambda s: s.name)


def _first_file(documents: list[Document]) -> Location:
    """Where a finding about the whole set points when nothing narrower exists."""
    return Location(
        file=documents[0].path if documents else "<specs>", line=1, column=1
    )


def _is_actor(flow: Flow, name: str) -> bool:
    participant = flow.participant(name)
    return is_external_name(name) or (participant is not None and participant.actor)


def _route(text: str) -> tuple[str, str] | None:
    match = _ROUTE.match(text.strip())
    if match is None:
        return None
    return match.group(1).upper(), match.group(2)


def parse_route(text: str) -> tuple[str, str] | None:
    """``POST /register`` -> ("POST", "/register")."""
    return _route(text)


def _classify(flow: Flow, kinds: dict[str, ServiceKind], out: list[Diagnostic]) -> Flow:
    """Give each message its meaning from the kinds of its two ends."""
    open_calls: list[tuple[str, str]] = []

    def kind_of(message: Message) -> MessageKind:
        source = kinds.get(message.source, ServiceKind.SERVICE)
        target = kinds.get(message.target, ServiceKind.SERVICE)
        if message.source == message.target:
            return MessageKind.LOCAL
        if source == ServiceKind.EXTERNAL and target == ServiceKind.EXTERNAL:
            return MessageKind.SIGNAL
        if source == ServiceKind.EXTERNAL:
            return MessageKind.REQUEST
        if target == ServiceKind.EXTERNAL:
            return MessageKind.RESPONSE
        if target == ServiceKind.BUS:
            return MessageKind.PUBLISH
        if source == ServiceKind.BUS:
            return MessageKind.DELIVER
        if message.is_reply_arrow:
            pair = (message.target, message.source)
            if pair in open_calls:
                index = len(open_calls) - 1 - open_calls[::-1].index(pair)
                del open_calls[index]
                return MessageKind.REPLY
            out.append(
                report(
                    "FLW409",
                    f"reply {message.source} --> {message.target} answers no open call from {message.target} to {message.source}",
                    message.loc,
                    "draw the call first (->>), or use a solid arrow for a new call",
                )
            )
            return MessageKind.REPLY
        if ")" in message.arrow:
            return MessageKind.SIGNAL
        open_calls.append((message.source, message.target))
        return MessageKind.CALL

    def convert(items: tuple[SequenceItem, ...]) -> tuple[SequenceItem, ...]:
        result: list[SequenceItem] = []
        for item in items:
            if isinstance(item, Message):
                result.append(item.model_copy(update={"kind": kind_of(item)}))
            elif isinstance(item, Block):
                sections = tuple(
                    section.model_copy(update={"items": convert(section.items)})
                    for section in item.sections
                )
                result.append(item.model_copy(update={"sections": sections}))
            else:
                result.append(item)
        return tuple(result)

    return flow.model_copy(update={"sequence": convert(flow.sequence)})
