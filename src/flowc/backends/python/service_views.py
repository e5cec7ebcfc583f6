"""Services as the templates print them: base classes, clients, fakes and stubs.

Each view holds the statements of its spans and what its module must import,
worked out once from the analysis; templates only print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.mapping_views import mapping_module
from flowc.backends.python.methods import signature, statement
from flowc.backends.python.spans import Hook, render_span, with_return, without_unused
from flowc.checks.analysis import (
    Analysis,
    Argument,
    Consumer,
    Held,
    LocalStep,
    MappingFunction,
    Operation,
    Route,
    ServicePlan,
)
from flowc.diagnostics import Location
from flowc.model import SyncPolicy
from flowc.naming import pascal


@dataclass(frozen=True)
class OperationView:
    """An operation: its abstract signature, and its body when the diagram gives all of it."""

    plan: Operation
    lines: list[str]
    recipe: list[str]
    returns: str | None
    complete: bool
    imports: ModuleImports = field(compare=False)
    """What ``lines`` need, for a module that writes the body out (a stub)."""

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def text(self) -> str:
        return self.plan.text

    @property
    def argument(self) -> Argument | None:
        return self.plan.argument

    @property
    def input(self) -> Held | None:
        return self.plan.input

    @property
    def output(self) -> Held | None:
        return self.plan.output

    @property
    def caller(self) -> str:
        return self.plan.caller

    @property
    def flow(self) -> str:
        return self.plan.flow

    @property
    def loc(self) -> Location:
        return self.plan.loc

    @property
    def raises(self) -> list[str]:
        return self.plan.raises


@dataclass(frozen=True)
class ConsumerView:
    """A consumer: generated in full when the diagram draws its steps, else abstract."""

    plan: Consumer
    lines: list[str]

    def statements(self, indent: str) -> list[str]:
        """``lines`` as black prints them at ``indent``."""
        return [statement(indent, line) for line in self.lines]

    @property
    def method(self) -> str:
        return self.plan.method

    @property
    def event(self) -> str:
        return self.plan.event

    @property
    def payload(self) -> Held:
        return self.plan.payload

    @property
    def loc(self) -> Location:
        return self.plan.loc


@dataclass(frozen=True)
class FlowMethod:
    """A flow's sequence as a method of its entry service's base class.

    The route calls it within the SLA; a person's subclass may override it to
    wrap a call, handle one failure or add a step, without editing owned code.
    Each flow's method is a class of its own module in the service's package
    (``class_name``), so a service's modules stay small at any number of flows.
    """

    name: str
    flow: str
    module: str
    """The flow's module in its service's package: the route's function name."""
    argument: Held
    returns: Held | None
    lines: list[str]
    loc: Location
    imports: ModuleImports = field(compare=False)
    """What the flow's module imports for ``lines`` and the signature."""
    guarded: bool = False
    """The entry service itself answers 401/403 rows of this flow."""

    @property
    def class_name(self) -> str:
        return f"{pascal(self.module)}Flow"

    def declaration(self, indent: str) -> str:
        """The method's ``async def`` line, as black prints it at ``indent``."""
        return signature(
            indent,
            f"async def {self.name}",
            ["self", f"{self.argument.var}: {self.argument.annotation}"],
            self.returns.annotation if self.returns else "None",
        )

    def statements(self, indent: str) -> list[str]:
        """``lines`` as black prints them at ``indent``."""
        return [statement(indent, line) for line in self.lines]


def flow_method_name(route: Route) -> str:
    return f"{route.function}_flow"


@dataclass(frozen=True)
class PublisherView:
    method: str
    event: str
    source: Held
    payload: Held
    mapping: MappingFunction | None
    loc: Location


@dataclass(frozen=True)
class ServiceView:
    plan: ServicePlan
    operations: list[OperationView]
    consumers: list[ConsumerView]
    publishers: list[PublisherView]
    hooks: list[Hook]
    flows: list[FlowMethod]
    imports: ModuleImports = field(compare=False)

    def statement(self, indent: str, line: str) -> str:
        """``line`` as black prints it at ``indent`` (``methods.statement``)."""
        return statement(indent, line)

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def class_name(self) -> str:
        return self.plan.class_name

    @property
    def module(self) -> str:
        return self.plan.module

    @property
    def core_class(self) -> str:
        """The class ``service.py.j2`` prints: the base class itself, or, for a
        service that runs flows, the core its flows' classes extend."""
        return f"{self.class_name}{'Core' if self.flows else 'Base'}"

    def client_import(self, package: str) -> str:
        """The import of this service's typed client, for the modules that call it."""
        return f"from {package}.clients.{self.module} import {self.class_name}Client"

    @property
    def kind(self) -> str:
        return self.plan.kind.value

    @property
    def policy(self) -> SyncPolicy:
        return self.plan.policy

    @property
    def retry_on(self) -> list[str]:
        return self.plan.retry_on

    @property
    def calls(self) -> list[str]:
        return self.plan.calls

    @property
    def local_steps(self) -> list[LocalStep]:
        return self.plan.local_steps

    @property
    def abstract(self) -> bool:
        """Something is left for the person to write: the base class is an ABC."""
        return bool(
            self.operations
            or self.local_steps
            or self.hooks
            or any(not consumer.lines for consumer in self.consumers)
        )


def operation_view(operation: Operation) -> OperationView:
    span = render_span(operation.steps, "self", operation.input)
    returns = (
        operation.output.var
        if operation.output and operation.output.var in span.variables
        else None
    )
    recipe = render_span(operation.steps, "self", operation.input, "recipe").lines
    if operation.output is not None:
        recipe = with_return(recipe, returns or operation.output.name)
    complete = (
        bool(operation.steps)
        and not span.hooks
        and (operation.input is None or operation.input.kind != "union")
        and (operation.output is None or returns is not None)
        and not any(
            line.startswith("await self.")
            and "." not in line.removeprefix("await self.").split("(")[0]
            for line in span.lines
        )
    )
    return OperationView(operation, span.lines, recipe, returns, complete, span.imports)


def service_view(analysis: Analysis, service: ServicePlan) -> ServiceView:
    """The base class of ``service``: abstract methods, generated bodies, publishers."""
    imports = ModuleImports()
    hooks: list[Hook] = []
    consumers: list[ConsumerView] = []
    for consumer in service.consumers:
        span = render_span(consumer.steps, "self", consumer.payload)
        hooks.extend(span.hooks)
        imports.merge(span.imports)
        imports.add_value(consumer.payload)
        consumers.append(ConsumerView(consumer, without_unused(span.lines)))
    flows: list[FlowMethod] = []
    for route in analysis.routes:
        if route.entry != service.name:
            continue
        span = render_span(route.steps, "self", route.request)
        hooks.extend(span.hooks)
        response = route.response
        flow_imports = ModuleImports()
        flow_imports.merge(span.imports)
        flow_imports.add_value(route.request)
        flow_imports.add_value(response)
        flows.append(
            FlowMethod(
                name=flow_method_name(route),
                flow=route.flow,
                module=route.function,
                argument=route.request,
                returns=response,
                lines=(
                    with_return(span.lines, response.var)
                    if response
                    else without_unused(span.lines)
                ),
                loc=route.loc,
                imports=flow_imports,
                guarded=any(
                    row.status in (401, 403) and row.handler == service.name
                    for row in route.errors
                ),
            )
        )
    unique_hooks = list({hook.name: hook for hook in hooks}.values())
    for hook in unique_hooks:
        imports.add_value(hook.source)
        imports.add_value(hook.target)
    for operation in service.operations:
        imports.add_value(operation.input)
        imports.add_value(operation.output)
    for step in service.local_steps:
        imports.add_value(step.input)
    publishers = []
    for publisher in service.publishers:
        payload = analysis.events[publisher.event].payload
        imports.add_value(publisher.source)
        imports.add_value(payload)
        if publisher.mapping is not None:
            imports.names.add(
                (mapping_module(publisher.mapping), publisher.mapping.name)
            )
        publishers.append(
            PublisherView(
                method=publisher.method,
                event=publisher.event,
                source=publisher.source,
                payload=payload,
                mapping=publisher.mapping,
                loc=publisher.loc,
            )
        )
    return ServiceView(
        plan=service,
        operations=[operation_view(op) for op in service.operations],
        consumers=consumers,
        publishers=publishers,
        hooks=unique_hooks,
        flows=flows,
        imports=imports,
    )
