"""Flow and model rules of spec-language.md that are not about names."""

from __future__ import annotations

import difflib

from flowc.checks.resolve import parse_route
from flowc.diagnostics import Diagnostic
from flowc.model import Flow, MessageKind, ServiceKind, System
from flowc.rules import report


def check_flows(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    routes: dict[tuple[str, str], str] = {}
    for flow in system.flows:
        _check_flow(system, flow, routes, out)
    return out


def _check_flow(
    system: System,
    flow: Flow,
    routes: dict[tuple[str, str], str],
    out: list[Diagnostic],
) -> None:
    messages = list(flow.messages())
    if not messages:
        out.append(
            report(
                "FLW418",
                f"flow {flow.name!r} has no messages",
                flow.loc,
                "add a mermaid sequenceDiagram",
            )
        )
        return
    has_request = False
    has_response = False
    for message in messages:
        if message.kind == MessageKind.REQUEST:
            route = parse_route(message.text)
            if route is None:
                out.append(
                    report(
                        "FLW408",
                        f"{message.text!r} is not an HTTP request line",
                        message.loc,
                        "write it as METHOD /path, e.g. POST /register",
                    )
                )
                continue
            has_request = True
            key = (route[0], _route_shape(route[1]))
            if key in routes and routes[key] != flow.name:
                out.append(
                    report(
                        "FLW407",
                        f"{route[0]} {route[1]} is also the trigger of flow {routes[key]!r}",
                        message.loc,
                        "give each flow its own method and path",
                    )
                )
            routes.setdefault(key, flow.name)
        elif message.kind == MessageKind.RESPONSE:
            has_response = True
            status = message.status_code
            if status is None or not 100 <= status <= 399:
                out.append(
                    report(
                        "FLW113",
                        f"success response {message.text!r} needs a status 100-399",
                        message.loc,
                        "write e.g. '201 Created'; errors belong in the Error Handling table",
                    )
                )
        elif (
            message.kind in (MessageKind.PUBLISH, MessageKind.DELIVER)
            and not message.event_name
        ):
            out.append(
                report(
                    "FLW401",
                    "an event line names no event",
                    message.loc,
                    "write e.g. UserService->>EventBus: UserCreated event",
                )
            )
    if has_request and not has_response:
        out.append(
            report(
                "FLW415",
                f"flow {flow.name!r} never answers the client; 200 is assumed",
                flow.loc,
                "add e.g. Gateway-->>Client: 201 Created",
            )
        )
    names = [p.name for p in flow.participants]
    for case in flow.errors:
        if case.handler not in names:
            close = difflib.get_close_matches(case.handler, names, n=1)
            out.append(
                report(
                    "FLW401",
                    f"error handler {case.handler!r} is not a participant of flow {flow.name!r}",
                    case.loc,
                    (
                        f"did you mean {close[0]!r}?"
                        if close
                        else "participants: " + ", ".join(names)
                    ),
                )
            )
        else:
            service = system.service(case.handler)
            if service is not None and service.kind in (
                ServiceKind.EXTERNAL,
                ServiceKind.BUS,
            ):
                out.append(
                    report(
                        "FLW414",
                        f"error handler {case.handler!r} is {service.kind.value}; no code is generated for it",
                        case.loc,
                        "name the service that raises or maps the error",
                    )
                )
        if not 400 <= case.status <= 599:
            out.append(
                report(
                    "FLW113",
                    f"error {case.name!r} has HTTP status {case.status}; errors answer 4xx or 5xx",
                    case.loc,
                    "use a status from 400 to 599",
                )
            )


def _route_shape(path: str) -> str:
    """Two paths that differ only in parameter names are the same route."""
    parts = [
        "{}" if part.startswith("{") and part.endswith("}") else part
        for part in path.rstrip("/").split("/")
    ]
    return "/".join(parts) or "/"


def check_models(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    known = [model.name for model in system.models]
    for model in system.models:
        seen: set[str] = set()
        for field in model.fields:
            if field.name in seen:
                out.append(
                    report(
                        "FLW417",
                        f"{model.name} declares field {field.name!r} twice",
                        field.loc,
                        "remove one row",
                    )
                )
            seen.add(field.name)
            for name in field.type.referenced_models():
                if name not in known:
                    close = difflib.get_close_matches(name, known, n=1)
                    out.append(
                        report(
                            "FLW402",
                            f"field {model.name}.{field.name} has unknown type {name!r}",
                            field.type.loc if field.type.loc.line else field.loc,
                            (
                                f"did you mean {close[0]!r}?"
                                if close
                                else "declare the model in Shared Concepts, or use a built-in type"
                            ),
                        )
                    )
    return out
