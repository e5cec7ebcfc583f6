"""Events, their publishers and consumers, from flows and choreographies alike."""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.model import (
    Analysis,
    Consumer,
    EventPlan,
    Held,
    Publisher,
)
from flowc.diagnostics import Location
from flowc.model import EventRoute, ModelKind, RouteDirection, System
from flowc.rules import report


def declared_event(system: System, name: str) -> Held | None:
    """The model an event's name declares: ``X``, ``XEvent`` or ``XPayload``."""
    for candidate in (name, name + "Event", name + "Payload"):
        model = system.model(candidate)
        if model is not None:
            return Held("model", model.name)
    return None


def event_plan(
    analysis: Analysis, name: str, payload: Held | None, loc: Location
) -> EventPlan:
    """The event ``name``; the first payload that is known wins over open JSON."""
    event = analysis.events.get(name)
    if event is None:
        event = EventPlan(
            name=name,
            payload=payload or Held("open", name),
            loc=loc,
            open_payload=payload is None,
        )
        analysis.events[name] = event
    elif event.open_payload and payload is not None:
        event.payload = payload
        event.open_payload = False
    return event


def consumer(
    analysis: Analysis, service: str, event: EventPlan, loc: Location, flow: str
) -> Consumer:
    """The consumer of ``event`` in ``service``: one per service and event."""
    service_plan = analysis.services[service]
    for existing in service_plan.consumers:
        if existing.event == event.name:
            return existing
    created = Consumer(
        service=service,
        event=event.name,
        method=f"on_{naming.snake(event.name)}",
        payload=event.payload,
        steps=[],
        loc=loc,
        flow=flow,
    )
    service_plan.consumers.append(created)
    if service not in event.consumers:
        event.consumers.append(service)
    return created


def add_choreographies(analysis: Analysis) -> None:
    """Routes drawn only in a choreography still get publishers and consumers."""
    for choreography in analysis.system.choreographies:
        consumed: list[Consumer] = []
        for route in choreography.routes:
            if route.service not in analysis.services:
                continue
            declared = next(
                (
                    Held("model", m.name)
                    for name in (route.event, route.event + "Event")
                    if (m := analysis.system.model(name)) is not None
                    and m.kind == ModelKind.EVENT
                ),
                None,
            )
            event = event_plan(
                analysis, naming.pascal(route.event), declared, route.loc
            )
            service = analysis.services[route.service]
            if route.direction == RouteDirection.CONSUME:
                consumed.append(
                    consumer(
                        analysis, route.service, event, route.loc, choreography.name
                    )
                )
                continue
            if route.service not in event.publishers:
                event.publishers.append(route.service)
            if not any(p.event == event.name for p in service.publishers):
                service.publishers.append(
                    Publisher(
                        service=route.service,
                        event=event.name,
                        method=naming.snake(event.name),
                        source=event.payload,
                        mapping=None,
                        loc=route.loc,
                    )
                )
        _link_reactions(choreography.routes, consumed)


def _link_reactions(routes: tuple[EventRoute, ...], consumed: list[Consumer]) -> None:
    """A service that consumes one event and, later in the same choreography,
    publishes another reacts to the first with the second."""
    for handler in consumed:
        drawn = next(
            (
                index
                for index, route in enumerate(routes)
                if route.service == handler.service
                and route.direction == RouteDirection.CONSUME
                and naming.pascal(route.event) == handler.event
            ),
            len(routes),
        )
        for route in routes[drawn + 1 :]:
            published = naming.pascal(route.event)
            if (
                route.service == handler.service
                and route.direction == RouteDirection.PUBLISH
                and published != handler.event
                and published not in handler.reactions
            ):
                handler.reactions.append(published)


def settle_payloads(analysis: Analysis) -> None:
    """Once every event's payload is known, consumers and plain publishers carry it;
    an event that stays open is reported once, where it first appears."""
    for event in analysis.events.values():
        if event.open_payload:
            analysis.diagnostics.append(
                report(
                    "FLW416",
                    f"event {event.name} has no payload model: it carries open JSON",
                    event.loc,
                    f"declare '{event.name} (event)' under Shared Concepts, or add a Data Transformations row whose Output is '{event.name} event'",
                )
            )
    for service in analysis.services.values():
        for item in service.consumers:
            if item.event in analysis.events:
                item.payload = analysis.events[item.event].payload
        for publisher in service.publishers:
            if publisher.event in analysis.events and publisher.mapping is None:
                publisher.source = analysis.events[publisher.event].payload
