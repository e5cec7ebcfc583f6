"""Each flow's HTTP route, and the internal operations router, as typed views."""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.methods import signature, statement
from flowc.backends.python.render import pyrepr
from flowc.backends.python.service_views import flow_method_name
from flowc.checks.analysis import Analysis, Operation, PathParameter, Route
from flowc.checks.analysis.attributes import field_attribute
from flowc.checks.analysis.pytypes import annotation

ENTRY = "service"
"""The route's local name for its entry service; no spec name can take it."""


@dataclass(frozen=True)
class PathArgument:
    """A path parameter as a route argument that overrides the body's field."""

    python: str
    annotation: str
    attribute: str


@dataclass(frozen=True)
class RouteView:
    route: Route
    lines: list[str]
    answer: str | None
    """The returned expression: the held value, or its public form."""
    responses: dict[int, dict[str, str]]
    path_overrides: list[PathArgument]
    entry_class: str
    imports: ModuleImports
    bearer: bool
    """The flow has 401/403 rows: the route declares an HTTP bearer scheme."""
    saga_data: str | None = None
    """What the route starts its saga with, when the flow runs through one."""
    answers: str | None = None
    """The call that records the flow's Error Handling rows (``answer_with``)."""

    @property
    def function(self) -> str:
        return self.route.function

    @property
    def timed(self) -> bool:
        return bool(self.route.sla_ms and self.lines)

    @property
    def parameters(self) -> list[str]:
        """The route function's: what the client sends (a body; else the query
        parameters), the request, and the path parameters the body also has."""
        route = self.route
        if not route.has_body:
            query = f"Annotated[{route.request.annotation}, Depends()]"
            return [f"{route.request.var}: {query}", "request: Request"]
        sent = route.body or route.request
        return [
            f"{sent.var}: {sent.annotation}",
            "request: Request",
            *(f"{a.python}: {a.annotation}" for a in self.path_overrides),
        ]

    def signature(self, returns: str) -> str:
        """The route function's signature as black prints it."""
        return signature("", f"async def {self.function}", self.parameters, returns)

    def statements(self, indent: str) -> list[str]:
        """``lines`` as black prints them at ``indent``."""
        return [statement(indent, line) for line in self.lines]

    def statement(self, indent: str, line: str) -> str:
        """``line`` as black prints it at ``indent`` (``methods.statement``)."""
        return statement(indent, line)


@dataclass(frozen=True)
class InternalOperation:
    service: str
    service_class: str
    plan: Operation


@dataclass(frozen=True)
class ServiceOperations:
    """One service's operations: ``routes/_operations/<module>.py``."""

    service: str
    service_class: str
    module: str
    operations: list[InternalOperation]
    imports: ModuleImports


def path_argument(param: PathParameter, imports: ModuleImports) -> PathArgument:
    typed = annotation(param.type, param.owner, param.name, "models")
    imports.add_annotation(typed)
    python = field_attribute(param.name)
    text = typed.text
    if python != param.name:
        text = f"Annotated[{text}, Path(alias={pyrepr(param.name)})]"
        imports.lines |= {"from typing import Annotated", "from fastapi import Path"}
    return PathArgument(python, text, field_attribute(param.name))


def route_view(analysis: Analysis, route: Route) -> RouteView:
    imports = ModuleImports()
    imports.add_value(route.request)
    imports.add_value(route.public_response)
    response, public = route.response, route.public_response
    answer = response.var if response else None
    if response is not None and public is not None and public != response:
        answer = (
            f"{public.annotation}.model_validate({response.var}, from_attributes=True)"
        )
    responses = declared_responses(route)
    overrides = [
        path_argument(param, imports) for param in route.path_params if param.in_body
    ]
    return RouteView(
        route=route,
        lines=[_flow_call(route)],
        answer=answer,
        responses=responses,
        path_overrides=overrides,
        entry_class=analysis.services[route.entry].class_name,
        imports=imports,
        bearer=any(row.status in (401, 403) for row in route.errors),
        saga_data=_saga_data(route),
        answers=_answers(route, analysis.system.sync_policy.timeout_ms, imports),
    )


def _answers(route: Route, timeout_ms: int, imports: ModuleImports) -> str | None:
    """``answer_with(...)``: how the route answers each error of its flow's
    table, and its request-validation row; None when the flow has neither."""
    if not route.errors and route.validation is None:
        return None
    imports.names.add(("errors", "answer_with"))
    if route.errors:
        imports.names.add(("errors", "Answer"))
    retry_after = max(1, round(timeout_ms / 1000))
    rows = []
    for row in route.errors:
        imports.names.add(("errors", row.class_name))
        arguments = [str(row.status)]
        if row.kind == "hint" and row.recovery:
            arguments.append(f"hint={pyrepr(row.recovery)}")
        if row.kind == "retry":
            arguments.append(f"retry_after={retry_after}")
        rows.append(f"{row.class_name}: Answer({', '.join(arguments)})")
    arguments = [
        pyrepr(route.method.upper()),
        pyrepr(route.path),
        "{" + ", ".join(rows) + "}",
    ]
    if route.validation is not None:
        validation = route.validation
        arguments.append(f"({validation.status}, {pyrepr(validation.title)})")
    return f"answer_with({', '.join(arguments)})"


def _saga_data(route: Route) -> str | None:
    """The request itself when it is the saga's data, else its JSON form."""
    if route.saga is None:
        return None
    if route.saga.data == route.request:
        return route.request.var
    return f'{route.request.var}.model_dump(mode="json", by_alias=True)'


def declared_responses(route: Route) -> dict[int, dict[str, str]]:
    """Every status the route can answer besides success, for its OpenAPI entry:
    the error table's rows, the validation row, and what the runtime adds (a
    body too large, the SLA, an open breaker, the unexpected)."""
    responses: dict[int, dict[str, str]] = {}
    for row in route.errors:
        responses.setdefault(row.status, {"description": row.title})
    if route.validation is not None:
        responses[route.validation.status] = {"description": route.validation.title}
    else:
        responses.setdefault(422, {"description": "Request validation failed"})
    if route.has_body:
        responses.setdefault(413, {"description": "Payload too large"})
    if any(step.kind == "call" for step in route.steps):
        responses.setdefault(503, {"description": "Service unavailable"})
    if route.sla_ms:
        responses.setdefault(504, {"description": "Deadline exceeded"})
    if route.saga is not None:
        responses.setdefault(
            202, {"description": f"{route.saga.name} is still running: its status URL"}
        )
    if any(row.status in (401, 403) for row in route.errors):
        responses.setdefault(401, {"description": "Authentication required"})
    responses.setdefault(500, {"description": "Internal Server Error"})
    return dict(sorted(responses.items()))


def _flow_call(route: Route) -> str:
    """The route runs its flow's sequence: a method of the entry service's base."""
    call = f"await {ENTRY}.{flow_method_name(route)}({route.request.var})"
    return f"{route.response.var} = {call}" if route.response else call


def internal_operations(analysis: Analysis) -> list[ServiceOperations]:
    """Each service's operations, for the internal app, with what its module
    imports; services without operations are left out."""
    found = []
    for service in analysis.service_plans():
        if not service.operations:
            continue
        imports = ModuleImports()
        for operation in service.operations:
            imports.add_value(operation.input)
            imports.add_value(operation.output)
        found.append(
            ServiceOperations(
                service.name,
                service.class_name,
                service.module,
                [
                    InternalOperation(service.name, service.class_name, operation)
                    for operation in service.operations
                ],
                imports,
            )
        )
    return found
