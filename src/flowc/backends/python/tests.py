"""The generated tests: per flow, its route, its mappings and its idempotent consumers.

They drive the generated app through its fakes: statuses, problem bodies,
retries, the SLA, events and their correlation ID, as the spec says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from flowc import naming
from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.mapping_views import (
    mapping_case,
    mapping_module,
    sorted_mappings,
)
from flowc.backends.python.samples import (
    annotation_expression,
    invalid_request,
    sample_name,
)
from flowc.backends.python.service_views import ConsumerView, ServiceView
from flowc.checks.analysis import ErrorRow, MappingFunction, Operation, Route
from flowc.model import MessageKind

T = TypeVar("T")


@dataclass(frozen=True)
class FieldsCase:
    """The request-validation row: a bad request answers its status, naming each field."""

    error: ErrorRow
    payload: dict[str, str]
    fields: list[str]
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True)
class RaisedCase:
    """A row raised by a service's operation: injected into its fake."""

    error: ErrorRow
    service: ServiceView
    operation: Operation

    @property
    def kind(self) -> str:
        return self.error.kind


def render_tests(context: BackendContext) -> list[SourceFile]:
    """Tests live inside the package so that linters see one first-party package
    wherever they run from. Each flow's tests are modules of their own (its
    route, its mappings, its consumers), so no module grows with the number
    of flows, and a changed flow changes only its own test modules."""
    path = context.package_path
    files = [
        context.owned(
            "conftest.py", '"""Puts the generated packages on sys.path for pytest."""\n'
        ),
        context.owned(
            path("tests/__init__.py"),
            '"""Tests generated from the spec: one module per flow."""\n',
        ),
    ]
    for route in context.analysis.routes:
        files.append(
            flow_test(context, route, path(f"tests/test_{route.function}_flow.py"))
        )
    mappings = ((m.flow, m) for m in sorted_mappings(context.analysis))
    for flow, found in _per_flow(mappings, "mappings"):
        files.append(mappings_test(context, flow.name, found, path(flow.module)))
    consumers = (
        (consumer.plan.flow, (service, consumer))
        for service in context.services
        for consumer in service.consumers
    )
    for flow, cases in _per_flow(consumers, "consumers"):
        files.append(consumers_test(context, flow.name, cases, path(flow.module)))
    return files


@dataclass(frozen=True)
class FlowModule:
    """A test module of one flow: the flow's name and the module's path."""

    name: str
    module: str


def _per_flow(
    items: Iterable[tuple[str, T]], part: str
) -> list[tuple[FlowModule, list[T]]]:
    """Items by flow name, each flow's in ``tests/test_<flow>_<part>.py``. Flow
    names are unique as module names, but a choreography (whose consumers are
    grouped under its name) may share one with a flow: they share the module."""
    modules: dict[str, tuple[FlowModule, list[T]]] = {}
    for flow, item in sorted(items, key=lambda pair: pair[0]):
        module = f"tests/test_{naming.snake(flow)}_{part}.py"
        modules.setdefault(module, (FlowModule(flow, module), []))[1].append(item)
    return [modules[module] for module in sorted(modules)]


def error_cases(context: BackendContext, route: Route) -> list[FieldsCase | RaisedCase]:
    cases: list[FieldsCase | RaisedCase] = []
    model = context.analysis.model(route.request.name)
    if route.validation is not None and model is not None:
        invalid = invalid_request(model)
        if invalid is not None:
            in_path = {p.name for p in route.path_params}
            cases.append(
                FieldsCase(
                    route.validation,
                    invalid.payload,
                    sorted(invalid.fields - in_path),  # the path always gives these
                )
            )
    for row in route.errors:
        service = context.service_by_name.get(row.handler)
        operation = (
            next(
                (op.plan for op in service.operations if route.flow in op.plan.flows),
                None,
            )
            if service
            else None
        )
        if service is not None and operation is not None:
            cases.append(RaisedCase(row, service, operation))
    return cases


def drawn_events(context: BackendContext, route: Route) -> list[str]:
    """The events the flow's diagram publishes, in order, once each."""
    flow = next(f for f in context.analysis.system.flows if f.name == route.flow)
    names: list[str] = []
    for message in flow.messages():
        name = naming.pascal(message.event_name)
        if (
            message.kind == MessageKind.PUBLISH
            and name in context.analysis.events
            and name not in names
        ):
            names.append(name)
    return names


def flow_test(context: BackendContext, route: Route, path: str) -> SourceFile:
    cases = error_cases(context, route)
    consumers = context.consumers_by_flow.get(route.flow, [])
    first_call = next((step for step in route.steps if step.kind == "call"), None)
    fakes = {c.service.class_name for c in cases if isinstance(c, RaisedCase)}
    fakes |= {s.class_name for s, _ in consumers}
    if first_call is not None:
        fakes.add(context.service_by_name[first_call.target].class_name)
    return context.rendered(
        path,
        "test_flow.py.j2",
        package=context.package,
        route=route,
        saga_state=any(saga.flow for saga in context.analysis.sagas),
        path_params=[p.name for p in route.path_params],
        flow=next(f for f in context.analysis.system.flows if f.name == route.flow),
        cases=cases,
        events=drawn_events(context, route),
        secrets=context.secret_fields,
        consumers=consumers,
        fakes=sorted(fakes),
        request_sample=sample_name(route.request.name),
        request_sample_module=(
            f"{context.package}.{context.sample_modules[sample_name(route.request.name)]}"
        ),
    )


def mappings_test(
    context: BackendContext, flow: str, mappings: list[MappingFunction], path: str
) -> SourceFile:
    """The mappings a flow's Data Transformations table declared first."""
    imports = ModuleImports(names={(mapping_module(m), m.name) for m in mappings})
    cases = [
        mapping_case(m, context.payloads.get(m.target.name, []), imports)
        for m in mappings
    ]
    return context.rendered(
        path,
        "test_mappings.py.j2",
        package=context.package,
        flow=flow,
        cases=cases,
        imports=sorted(
            imports.lines
            | set(imports.name_lines(context.package))
            | set(context.sample_imports(imports.samples))
        ),
        modules=imports.package_modules("schemaorg"),
    )


def consumers_test(
    context: BackendContext,
    flow: str,
    consumers: list[tuple[ServiceView, ConsumerView]],
    path: str,
) -> SourceFile:
    """The consumers of the events a flow draws (or its choreography chains)."""
    imports = ModuleImports()
    cases = []
    for service, consumer in consumers:
        sample = annotation_expression(consumer.payload.annotation)
        imports.add(sample)
        cases.append((service, consumer, sample.text))
    return context.rendered(
        path,
        "test_consumers.py.j2",
        package=context.package,
        flow=flow,
        consumers=cases,
        imports=sorted(imports.lines | set(context.sample_imports(imports.samples))),
    )
