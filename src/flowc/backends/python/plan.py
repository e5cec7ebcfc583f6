"""What to generate for a system: services, operations, routes, events, mappings.

The plan reads the resolved IR once and decides every Python name and type, so
templates only print. Types flow through a diagram as spec-language.md says:
a participant holds the model it last received or produced; a call passes what
the caller holds; a reply returns the model its text names, else what the
callee holds; a Data Transformations row turns what its Step holds into its
Output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from flowc import naming
from flowc.backends.python.pytypes import Annotation, annotation
from flowc.backends.python.samples import scalar_sample
from flowc.checks.mapping import (
    Assignment,
    RefProblem,
    Resolved,
    Shape,
    flow_model_name,
    plan_mapping,
    resolve_ref,
)
from flowc.checks.resolve import parse_route
from flowc.diagnostics import Diagnostic, Location, error, warning
from flowc.model import (
    ErrorCase,
    Flow,
    Message,
    MessageKind,
    Model,
    ModelField,
    ModelKind,
    RouteDirection,
    Scalar,
    ServiceKind,
    SyncPolicy,
    System,
    Transformation,
    TypeRef,
)
from flowc.model.refs import parse_model_ref

HoldKind = Literal["model", "schemaorg", "open"]


@dataclass(frozen=True)
class Held:
    """A value a participant holds: a declared model, a Schema.org payload, or open JSON."""

    kind: HoldKind
    name: str

    @property
    def annotation(self) -> str:
        if self.kind == "model":
            return f"models.{self.name}"
        if self.kind == "schemaorg":
            return f"schemaorg.{self.name}"
        return "dict[str, Any]"

    @property
    def var(self) -> str:
        return naming.snake(self.name) or "payload"


@dataclass
class MappingFunction:
    name: str
    source: Held
    target: Held
    assignments: list[Assignment]
    dropped_secrets: list[str]
    text: str
    loc: Location
    flow: str
    kwargs: list[tuple[str, Annotation]] = field(default_factory=list)
    kwarg_samples: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalStep:
    service: str
    name: str
    text: str
    input: Held | None
    loc: Location


@dataclass
class Operation:
    service: str
    name: str
    text: str
    input: Held | None
    output: Held | None
    loc: Location
    flow: str
    caller: str
    steps: list[RouteStep] = field(default_factory=list)
    raises: list[str] = field(default_factory=list)


@dataclass
class EventPlan:
    name: str
    payload: Held
    loc: Location
    open_payload: bool = False
    publishers: list[str] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)


@dataclass
class Publisher:
    service: str
    event: str
    method: str
    source: Held
    mapping: MappingFunction | None
    loc: Location


@dataclass
class Consumer:
    service: str
    event: str
    method: str
    payload: Held
    steps: list[RouteStep]
    loc: Location
    flow: str


@dataclass
class ErrorPlan:
    class_name: str
    title: str
    status: int
    handler: str
    recovery: str
    kind: str
    slug: str
    flow: str
    loc: Location


@dataclass
class RouteStep:
    kind: Literal["map", "call", "local", "publish"]
    target: str = ""
    method: str = ""
    source_var: str = ""
    result_var: str = ""
    mapping: MappingFunction | None = None
    result: Held | None = None
    source: Held | None = None
    needs: Held | None = None


@dataclass
class Route:
    flow: str
    function: str
    method: str
    path: str
    path_params: list[str]
    entry: str
    status: int
    request: Held
    response: Held | None
    steps: list[RouteStep]
    sla_ms: int | None
    outcome: str
    loc: Location
    validation_status: int | None = None
    validation_title: str = "Request validation failed"


@dataclass
class ServicePlan:
    name: str
    class_name: str
    module: str
    kind: ServiceKind
    policy: SyncPolicy
    operations: list[Operation] = field(default_factory=list)
    local_steps: list[LocalStep] = field(default_factory=list)
    consumers: list[Consumer] = field(default_factory=list)
    publishers: list[Publisher] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    retry_on: list[str] = field(default_factory=list)


@dataclass
class SystemPlan:
    package: str
    system: System
    services: dict[str, ServicePlan] = field(default_factory=dict)
    derived_models: list[Model] = field(default_factory=list)
    mappings: dict[str, MappingFunction] = field(default_factory=dict)
    events: dict[str, EventPlan] = field(default_factory=dict)
    errors: dict[str, ErrorPlan] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    schemaorg_types: dict[str, list[Assignment]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def service_plans(self) -> list[ServicePlan]:
        return [self.services[name] for name in sorted(self.services)]

    def all_models(self) -> list[Model]:
        return [*self.system.models, *self.derived_models]


def plan_system(system: System, package: str) -> SystemPlan:
    plan = SystemPlan(package=package, system=system)
    for service in system.services:
        if service.kind in (ServiceKind.SERVICE, ServiceKind.GATEWAY):
            plan.services[service.name] = ServicePlan(
                name=service.name,
                class_name=naming.pascal(service.name),
                module=naming.snake(service.name),
                kind=service.kind,
                policy=service.sync_policy or system.sync_policy,
            )
    for flow in system.flows:
        _FlowPlanner(plan, flow).run()
    _plan_choreographies(plan)
    for service_plan in plan.services.values():
        service_plan.calls.sort()
    return plan


class _FlowPlanner:
    """Walks one flow's messages in order, tracking what each participant holds."""

    def __init__(self, plan: SystemPlan, flow: Flow) -> None:
        self.plan = plan
        self.system = plan.system
        self.flow = flow
        self.holding: dict[str, Held] = {}
        self.applied: set[int] = set()
        self.stack: list[tuple[str, str, Operation]] = []
        self.route: Route | None = None
        self.consumer: Consumer | None = None
        self.recording: set[int] = set()

    def run(self) -> None:
        self._errors()
        for message in self.flow.messages():
            handler = getattr(self, f"_on_{message.kind.value}", None)
            if handler is not None:
                handler(message)
        if self.route is not None:
            self.plan.routes.append(self.route)

    # -- errors ----------------------------------------------------------------------

    def _errors(self) -> None:
        for case in self.flow.errors:
            plan = _error_plan(self.flow, case)
            existing = self.plan.errors.get(plan.class_name)
            if existing is not None and (
                existing.status != plan.status or existing.handler != plan.handler
            ):
                self.plan.diagnostics.append(
                    error(
                        "FLW404",
                        f"error {case.name!r} is declared with status {existing.status} in flow {existing.flow!r} and {plan.status} here",
                        case.loc,
                        "give the two errors different names",
                    )
                )
                continue
            self.plan.errors.setdefault(plan.class_name, plan)
            if plan.kind == "retry" and plan.handler in self.plan.services:
                retry_on = self.plan.services[plan.handler].retry_on
                if plan.class_name not in retry_on:
                    retry_on.append(plan.class_name)

    # -- holding and transformations --------------------------------------------------

    def _held(self, resolved: Resolved) -> Held:
        if resolved.shape == Shape.SCHEMAORG:
            return Held("schemaorg", resolved.schema_type or "Thing")
        if resolved.shape == Shape.REQUEST_BODY:
            return Held("model", self._request_model().name)
        assert resolved.model is not None
        return Held("model", resolved.model.name)

    def _request_model(self) -> Model:
        """``<Flow>Request``: declared, or derived from the DTO the body maps to."""
        name = flow_model_name(self.flow, "Request")
        declared = self.system.model(name)
        if declared is not None:
            return declared
        for model in self.plan.derived_models:
            if model.name == name:
                return model
        method, path = self._route_line()
        has_body = method in ("POST", "PUT", "PATCH")
        dto = resolve_ref(self.system, self.flow, "DTO") if has_body else None
        fields = (
            dto.model.fields
            if isinstance(dto, Resolved) and dto.model is not None
            else ()
        )
        if not has_body:
            # Without a body the request is its path and query parameters.
            fields = tuple(
                ModelField(
                    name=param,
                    type=TypeRef(scalar=Scalar.STRING),
                    description=f"From the path {path}.",
                    loc=self.flow.loc,
                )
                for param in _path_params(path)
            )
        derived = Model(
            name=name,
            kind=ModelKind.DTO,
            description=f"The {'JSON body' if has_body else 'parameters'} of the {self.flow.name} request.",
            fields=fields,
            loc=self.flow.loc,
        )
        self.plan.derived_models.append(derived)
        return derived

    def _route_line(self) -> tuple[str, str]:
        for message in self.flow.messages():
            if message.kind == MessageKind.REQUEST:
                route = parse_route(message.text)
                if route is not None:
                    return route
        return "POST", "/"

    def _apply_rows(self, participant: str, span: list[RouteStep] | None) -> None:
        """Apply, in table order, each row of ``participant`` whose Input it now holds."""
        for index, row in enumerate(self.flow.transformations):
            if (
                index in self.applied
                or row.step != participant
                or row.step == self.system.bus
            ):
                continue
            source, target = resolve_ref(
                self.system, self.flow, row.input
            ), resolve_ref(self.system, self.flow, row.output)
            if isinstance(source, RefProblem) or isinstance(target, RefProblem):
                continue
            held_source = self._held(source)
            current = self.holding.get(participant)
            if current is not None and current != held_source:
                continue
            self.applied.add(index)
            if held_source == self._held(target):
                continue  # e.g. HTTP JSON -> the declared <Flow>Request: nothing to map
            mapping = self._mapping(row, source, target)
            self.holding[participant] = mapping.target
            if span is not None:
                span.append(
                    RouteStep(
                        kind="map",
                        mapping=mapping,
                        source_var=held_source.var,
                        result_var=mapping.target.var,
                        result=mapping.target,
                    )
                )

    def _mapping(
        self, row: Transformation, source: Resolved, target: Resolved
    ) -> MappingFunction:
        if source.shape == Shape.REQUEST_BODY:
            source = Resolved(
                Shape.MODEL, model=self._request_model(), text=source.text
            )
        held_source, held_target = self._held(source), self._held(target)
        prefix = "schemaorg_" if held_target.kind == "schemaorg" else ""
        name = f"{naming.snake(held_source.name)}_to_{prefix}{naming.snake(held_target.name)}"
        existing = self.plan.mappings.get(name)
        if existing is not None:
            return existing
        mapping_plan = plan_mapping(source, target)
        kwargs = []
        kwarg_samples: dict[str, str] = {}
        owner = target.model.name if target.model is not None else held_target.name
        for index, assignment in enumerate(mapping_plan.keyword_arguments, start=1):
            keyword = naming.snake(assignment.target)
            kwargs.append(
                (
                    keyword,
                    annotation(
                        assignment.target_type, owner, assignment.target, "models"
                    ),
                )
            )
            kwarg_samples[keyword] = scalar_sample(
                assignment.target_type, assignment.target, index, owner
            )
        mapping = MappingFunction(
            name=name,
            source=held_source,
            target=held_target,
            assignments=mapping_plan.assignments,
            dropped_secrets=mapping_plan.dropped_secrets,
            text=f"{row.input} -> {row.output}",
            loc=row.loc,
            flow=self.flow.name,
            kwargs=kwargs,
            kwarg_samples=kwarg_samples,
        )
        self.plan.mappings[name] = mapping
        if held_target.kind == "schemaorg":
            self.plan.schemaorg_types.setdefault(
                held_target.name, mapping_plan.assignments
            )
        return mapping

    def _span(self, service: str) -> list[RouteStep] | None:
        """Where ``service``'s next action belongs: its route, operation or consumer."""
        if self._in_route_span(service):
            assert self.route is not None
            return self.route.steps
        if self.stack and self.stack[-1][1] == service:
            operation = self.stack[-1][2]
            return operation.steps if id(operation) in self.recording else None
        if (
            self.consumer is not None
            and self.consumer.service == service
            and not self.stack
        ):
            return self.consumer.steps
        return None

    def _in_route_span(self, service: str) -> bool:
        return (
            self.route is not None
            and self.route.entry == service
            and not any(caller == service for caller, _, _ in self.stack)
            and self.route.status == 0
        )

    # -- messages --------------------------------------------------------------------

    def _on_request(self, message: Message) -> None:
        route = parse_route(message.text)
        if (
            route is None
            or message.target not in self.plan.services
            or self.route is not None
        ):
            return
        method, path = route
        request = Held("model", self._request_model().name)
        self.holding[message.target] = request
        validation = next(
            (
                e
                for e in self.flow.errors
                if e.recovery_kind == "field_errors" and e.handler == message.target
            ),
            None,
        )
        validation = validation or next(
            (e for e in self.flow.errors if e.recovery_kind == "field_errors"), None
        )
        self.route = Route(
            flow=self.flow.name,
            function=naming.snake(self.flow.name),
            method=method,
            path=path,
            path_params=_path_params(path),
            entry=message.target,
            status=0,
            request=request,
            response=None,
            steps=[],
            sla_ms=self.flow.sla_ms,
            outcome=self.flow.outcome,
            loc=message.loc,
            validation_status=validation.status if validation else None,
            validation_title=(
                validation.name if validation else "Request validation failed"
            ),
        )
        self._apply_rows(message.target, self.route.steps)

    def _on_call(self, message: Message) -> None:
        caller, callee = message.source, message.target
        if callee not in self.plan.services:
            return
        name = naming.snake(message.text)
        argument = self.holding.get(caller)
        operation = self._operation(callee, name, message, argument)
        if (
            caller in self.plan.services
            and callee not in self.plan.services[caller].calls
        ):
            self.plan.services[caller].calls.append(callee)
        span = self._span(caller)
        if span is not None:
            span.append(
                RouteStep(
                    kind="call",
                    target=callee,
                    method=name,
                    source_var=argument.var if argument else "",
                )
            )
        self.stack.append((caller, callee, operation))
        if argument is not None:
            self.holding[callee] = argument
        self._apply_rows(
            callee, operation.steps if id(operation) in self.recording else None
        )

    _on_signal = _on_call

    def _operation(
        self, service: str, name: str, message: Message, argument: Held | None
    ) -> Operation:
        plan = self.plan.services[service]
        for existing in plan.operations:
            if existing.name == name:
                if existing.input != argument:
                    self.plan.diagnostics.append(
                        error(
                            "FLW404",
                            f"{service}.{message.text} receives {argument.name if argument else 'nothing'} here but {existing.input.name if existing.input else 'nothing'} in flow {existing.flow!r}",
                            message.loc,
                            "give the two operations different names, or make the flows pass the same model",
                        )
                    )
                return existing
        operation = Operation(
            service=service,
            name=name,
            text=message.text,
            input=argument,
            output=None,
            loc=message.loc,
            flow=self.flow.name,
            caller=message.source,
            raises=[
                e.class_name
                for e in self.plan.errors.values()
                if e.handler == service and e.flow == self.flow.name
            ],
        )
        plan.operations.append(operation)
        self.recording.add(id(operation))
        return operation

    def _on_reply(self, message: Message) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            caller, callee, operation = self.stack[index]
            if caller == message.target and callee == message.source:
                del self.stack[index]
                self.recording.discard(id(operation))
                break
        else:
            return
        result = self._reply_model(message) or self.holding.get(callee)
        if operation.output is None:
            operation.output = result
        if result is not None:
            self.holding[caller] = result
        span = self._span(caller)
        if span is not None:
            last = next(
                (s for s in reversed(span) if s.kind == "call" and s.target == callee),
                None,
            )
            if last is not None and result is not None:
                last.result_var = result.var
                last.result = result
        self._apply_rows(caller, span)

    def _reply_model(self, message: Message) -> Held | None:
        ref = parse_model_ref(message.text)
        if ref is None:
            return None
        resolved = resolve_ref(self.system, self.flow, message.text)
        if isinstance(resolved, RefProblem) or resolved.shape != Shape.MODEL:
            return None
        return self._held(resolved)

    def _on_response(self, message: Message) -> None:
        if (
            self.route is None
            or message.source != self.route.entry
            or self.route.status
        ):
            return
        self.route.status = message.status_code or 200
        self.route.response = self.holding.get(message.source)

    def _on_publish(self, message: Message) -> None:
        service = message.source
        if service not in self.plan.services:
            return
        event_name = naming.pascal(message.event_name)
        source = self.holding.get(service)
        mapping = None
        payload: Held | None = None
        for row in self.flow.transformations:
            if row.step != self.system.bus:
                continue
            row_source, row_target = resolve_ref(
                self.system, self.flow, row.input
            ), resolve_ref(self.system, self.flow, row.output)
            if isinstance(row_source, RefProblem) or isinstance(row_target, RefProblem):
                continue
            if source is not None and self._held(row_source) == source:
                mapping = self._mapping(row, row_source, row_target)
                payload = mapping.target
                break
        if payload is None:
            payload = self._declared_event(message.event_name)
        event = self._event(event_name, payload, message.loc)
        if service not in event.publishers:
            event.publishers.append(service)
        plan = self.plan.services[service]
        if not any(p.event == event_name for p in plan.publishers):
            plan.publishers.append(
                Publisher(
                    service=service,
                    event=event_name,
                    method=naming.snake(event_name),
                    source=mapping.source if mapping else event.payload,
                    mapping=mapping,
                    loc=message.loc,
                )
            )
        span = self._span(service)
        if span is not None:
            publisher = next(p for p in plan.publishers if p.event == event_name)
            span.append(
                RouteStep(
                    kind="publish",
                    target=service,
                    method=naming.snake(event_name),
                    source_var=source.var if source else "",
                    source=source,
                    needs=publisher.source,
                )
            )

    def _declared_event(self, name: str) -> Held | None:
        for candidate in (name, name + "Event", name + "Payload"):
            model = self.system.model(candidate)
            if model is not None:
                return Held("model", model.name)
        return None

    def _event(self, name: str, payload: Held | None, loc: Location) -> EventPlan:
        return _event(self.plan, name, payload, loc)

    def _on_deliver(self, message: Message) -> None:
        service = message.target
        if service not in self.plan.services:
            return
        event_name = naming.pascal(message.event_name)
        event = self._event(
            event_name, self._declared_event(message.event_name), message.loc
        )
        self.consumer = _consumer(
            self.plan, service, event, message.loc, self.flow.name
        )
        self.holding[service] = event.payload

    def _on_local(self, message: Message) -> None:
        service = message.source
        if service not in self.plan.services:
            return
        step = LocalStep(
            service=service,
            name=naming.snake(message.text),
            text=message.text,
            input=self.holding.get(service),
            loc=message.loc,
        )
        plan = self.plan.services[service]
        if not any(s.name == step.name for s in plan.local_steps):
            plan.local_steps.append(step)
        span = self._span(service)
        if span is not None:
            span.append(
                RouteStep(
                    kind="local",
                    target=service,
                    method=step.name,
                    source_var=step.input.var if step.input else "",
                )
            )


def _event(
    plan: SystemPlan, name: str, payload: Held | None, loc: Location
) -> EventPlan:
    event = plan.events.get(name)
    if event is None:
        open_payload = payload is None
        event = EventPlan(
            name=name,
            payload=payload or Held("open", name),
            loc=loc,
            open_payload=open_payload,
        )
        plan.events[name] = event
        if open_payload:
            plan.diagnostics.append(
                warning(
                    "FLW416",
                    f"event {name} has no payload model: it carries open JSON",
                    loc,
                    f"declare '{name} (event)' under Shared Concepts, or add a Data Transformations row whose Output is '{name} event'",
                )
            )
    elif event.open_payload and payload is not None:
        event.payload = payload
        event.open_payload = False
    return event


def _consumer(
    plan: SystemPlan, service: str, event: EventPlan, loc: Location, flow: str
) -> Consumer:
    service_plan = plan.services[service]
    for existing in service_plan.consumers:
        if existing.event == event.name:
            return existing
    consumer = Consumer(
        service=service,
        event=event.name,
        method=f"on_{naming.snake(event.name)}",
        payload=event.payload,
        steps=[],
        loc=loc,
        flow=flow,
    )
    service_plan.consumers.append(consumer)
    if service not in event.consumers:
        event.consumers.append(service)
    return consumer


def _plan_choreographies(plan: SystemPlan) -> None:
    """Routes drawn only in a choreography still get publishers and consumers."""
    for choreography in plan.system.choreographies:
        for route in choreography.routes:
            if route.service not in plan.services:
                continue
            declared = next(
                (
                    Held("model", m.name)
                    for m in plan.system.models
                    if m.name in (route.event, route.event + "Event")
                    and m.kind == ModelKind.EVENT
                ),
                None,
            )
            event = _event(plan, naming.pascal(route.event), declared, route.loc)
            service = plan.services[route.service]
            if route.direction == RouteDirection.PUBLISH:
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
            else:
                _consumer(plan, route.service, event, route.loc, choreography.name)
    for event in plan.events.values():
        for service in plan.services.values():
            for consumer in service.consumers:
                if consumer.event == event.name:
                    consumer.payload = event.payload
            for publisher in service.publishers:
                if publisher.event == event.name and publisher.mapping is None:
                    publisher.source = event.payload


def _path_params(path: str) -> list[str]:
    return [
        part[1:-1]
        for part in path.split("/")
        if part.startswith("{") and part.endswith("}")
    ]


def _error_plan(flow: Flow, case: ErrorCase) -> ErrorPlan:
    return ErrorPlan(
        class_name=naming.pascal(case.name)
        + ("" if naming.pascal(case.name).endswith("Error") else "Error"),
        title=case.name,
        status=case.status,
        handler=case.handler,
        recovery=case.recovery,
        kind=case.recovery_kind,
        slug=naming.snake(case.name).replace("_", "-"),
        flow=flow.name,
        loc=case.loc,
    )
