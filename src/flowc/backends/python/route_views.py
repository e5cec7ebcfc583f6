"""Each flow's HTTP route, and the internal operations router, as typed views."""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.spans import render_span, without_unused
from flowc.checks.analysis import Analysis, Held, Operation, PathParameter, Route
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
    response_exclude: set[str]
    responses: dict[int, dict[str, str]]
    path_overrides: list[PathArgument]
    entry_class: str
    imports: ModuleImports

    @property
    def function(self) -> str:
        return self.route.function

    @property
    def timed(self) -> bool:
        return bool(self.route.sla_ms and self.lines)


@dataclass(frozen=True)
class InternalOperation:
    service: str
    service_class: str
    plan: Operation


def path_argument(param: PathParameter, imports: ModuleImports) -> PathArgument:
    typed = annotation(param.type, param.owner, param.name, "models")
    imports.add_annotation(typed)
    python = field_attribute(param.name)
    text = typed.text
    if python != param.name:
        text = f"Annotated[{text}, Path(alias={param.name!r})]"
        imports.lines |= {"from typing import Annotated", "from fastapi import Path"}
    return PathArgument(python, text, field_attribute(param.name))


def route_view(analysis: Analysis, route: Route) -> RouteView:
    imports = ModuleImports()
    span = render_span(route.steps, ENTRY, route.request)
    imports.merge(span.imports)
    imports.add_value(route.request)
    imports.add_value(route.response)
    response = route.response
    exclude: set[str] = set()
    model = (
        analysis.model(response.name) if response and response.kind == "model" else None
    )
    if model is not None:
        exclude = {field_attribute(f.name) for f in model.fields if f.secret}
    responses: dict[int, dict[str, str]] = {}
    for row in route.errors:
        responses.setdefault(row.status, {"description": row.title})
    if route.validation is not None:
        responses[route.validation.status] = {"description": route.validation.title}
    overrides = [
        path_argument(param, imports) for param in route.path_params if param.in_body
    ]
    return RouteView(
        route=route,
        lines=without_unused(span.lines, response.var if response else None),
        response_exclude=exclude,
        responses=dict(sorted(responses.items())),
        path_overrides=overrides,
        entry_class=analysis.services[route.entry].class_name,
        imports=imports,
    )


def internal_operations(
    analysis: Analysis,
) -> tuple[list[InternalOperation], ModuleImports]:
    imports = ModuleImports()
    found = []
    for service in analysis.service_plans():
        for operation in service.operations:
            imports.add_value(operation.input)
            imports.add_value(operation.output)
            found.append(InternalOperation(service.name, service.class_name, operation))
    return found, imports


def value_annotation(value: Held | None) -> str:
    return value.annotation if value is not None else "None"
