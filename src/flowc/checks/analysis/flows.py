"""One flow's diagram, walked in order: who holds which value, what each step does.

Types flow through a diagram as spec-language.md says: a participant holds
the model it last received or produced; a call passes what the caller holds;
a reply returns the model its text names, else what the callee holds; a Data
Transformations row turns what its Step holds into its Output.
"""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.errors import add_error_rows
from flowc.checks.analysis.events import consumer, declared_event, event_plan
from flowc.checks.analysis.mappings import fields_needed, held, mapping_function
from flowc.checks.analysis.model import (
    Analysis,
    Consumer,
    ErrorRow,
    Held,
    LocalStep,
    MappingFunction,
    Operation,
    Publisher,
    Route,
    RouteStep,
)
from flowc.checks.analysis.operations import operation_for
from flowc.checks.analysis.requests import body_model, path_parameters, request_model
from flowc.checks.analysis.responses import public_form
from flowc.checks.analysis.signatures import widened
from flowc.checks.mapping import RefProblem, Resolved, Shape, resolve_ref
from flowc.checks.resolve import parse_route
from flowc.model import Flow, Message
from flowc.model.refs import parse_model_ref
from flowc.rules import report


class FlowWalker:
    """Walks one flow's messages in order, tracking what each participant holds."""

    def __init__(self, analysis: Analysis, flow: Flow) -> None:
        self.analysis = analysis
        self.system = analysis.system
        self.flow = flow
        self.holding: dict[str, Held] = {}
        self.applied: set[int] = set()
        self.stack: list[tuple[str, str, Operation]] = []
        self.route: Route | None = None
        self.consumer: Consumer | None = None
        self.recording: set[int] = set()
        self.rows: list[ErrorRow] = []
        self.answered: dict[str, Operation] = {}
        self.mappings: list[MappingFunction] = []
        """Every mapping the flow applies, in the order it applies them."""
        self.answered_with: dict[str, Held] = {}
        """The model each service answered with, for the hint of a row drawn after."""
        self.row_hints: dict[int, str] = {}
        """Why a row was passed over, where the reason is more than "no input"."""

    def run(self) -> None:
        self.rows = add_error_rows(self.analysis, self.flow)
        for message in self.flow.messages():
            handler = getattr(self, f"_on_{message.kind.value}", None)
            if handler is not None:
                handler(message)
        if self.route is not None:
            self._settle_body(self.route)
            self.analysis.routes.append(self.route)
        self._report_unused_rows()

    def _report_unused_rows(self) -> None:
        """A row that maps nothing the flow holds generates no code: say so at
        its line. Rows whose step or models do not resolve are reported where
        they are read (FLW606, FLW2xx)."""
        participants = {p.name for p in self.flow.participants} | {self.system.bus}
        for index, row in enumerate(self.flow.transformations):
            if (
                index in self.applied
                or row.step not in participants
                or self._resolved(row.input) is None
                or self._resolved(row.output) is None
            ):
                continue
            hint = self.row_hints.get(
                index,
                f"draw a message that gives {row.step} the row's Input, or remove the row",
            )
            self.analysis.diagnostics.append(
                report(
                    "FLW423",
                    f"the Data Transformations row {row.input} -> {row.output} "
                    f"({row.step}) maps nothing this flow holds there: no function "
                    "is generated for it",
                    row.loc,
                    hint,
                )
            )

    def _settle_body(self, route: Route) -> None:
        """What the client sends, once the whole flow says which fields it needs."""
        if not route.has_body:
            return
        request = request_model(self.analysis, self.flow)
        needed = fields_needed(request.name, self.mappings)
        body = body_model(self.analysis, self.flow, request, route.path_params, needed)
        route.body = Held("model", body.name) if body is not None else None

    # -- holding and transformations -----------------------------------------------

    def _held(self, resolved: Resolved) -> Held:
        return held(self.analysis, self.flow, resolved)

    def _resolved(self, text: str) -> Resolved | None:
        found = resolve_ref(self.system, self.flow, text)
        return None if isinstance(found, RefProblem) else found

    def _apply_rows(self, participant: str, span: list[RouteStep] | None) -> None:
        """Apply, in table order, each row of ``participant`` whose Input it now holds."""
        for index, row in enumerate(self.flow.transformations):
            if (
                index in self.applied
                or row.step != participant
                or row.step == self.system.bus
            ):
                continue
            source, target = self._resolved(row.input), self._resolved(row.output)
            if source is None or target is None:
                continue
            held_source = self._held(source)
            current = self.holding.get(participant)
            if current is not None and current != held_source:
                continue
            self.applied.add(index)
            if held_source == self._held(target):
                continue  # e.g. HTTP JSON -> the declared <Flow>Request: nothing to map
            mapping = mapping_function(self.analysis, self.flow, row, source, target)
            self.mappings.append(mapping)
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

    def _record(self, service: str, step: RouteStep) -> None:
        """Add ``step`` to the span ``service`` is acting in, if it acts in one."""
        span = self._span(service)
        if span is not None:
            span.append(step)

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
        return self._after_answer(service)

    def _after_answer(self, service: str) -> list[RouteStep] | None:
        """A step drawn after ``service`` answered (an event published after the
        reply) still belongs to the work that answered: the route, or the
        operation this flow drew for it."""
        if self.route is not None and self.route.entry == service and not self.stack:
            return self.route.steps
        answered = self.answered.get(service)
        if answered is not None and not any(
            callee == service for _, callee, _ in self.stack
        ):
            return answered.steps
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
            or message.target not in self.analysis.services
            or self.route is not None
        ):
            return
        method, path = route
        model = request_model(self.analysis, self.flow)
        params = path_parameters(path, model, method in ("POST", "PUT", "PATCH"))
        request = Held("model", model.name)
        self.holding[message.target] = request
        validation = next(
            (
                row
                for row in self.rows
                if row.kind == "field_errors" and row.handler == message.target
            ),
            None,
        ) or next((row for row in self.rows if row.kind == "field_errors"), None)
        self.route = Route(
            flow=self.flow.name,
            function=naming.snake(self.flow.name),
            method=method,
            path=path,
            path_params=params,
            entry=message.target,
            status=0,
            request=request,
            response=None,
            steps=[],
            sla_ms=self.flow.sla_ms,
            outcome=self.flow.outcome,
            loc=message.loc,
            errors=[row for row in self.rows if row is not validation],
            validation=validation,
        )
        self._apply_rows(message.target, self.route.steps)

    def _on_call(self, message: Message) -> None:
        caller, callee = message.source, message.target
        if callee not in self.analysis.services:
            return
        name = naming.snake(message.text)
        argument = self.holding.get(caller)
        operation, created = operation_for(
            self.analysis, self.flow, self.rows, message, name, argument
        )
        if created:
            self.recording.add(id(operation))
        caller_plan = self.analysis.services.get(caller)
        if caller_plan is not None and callee not in caller_plan.calls:
            caller_plan.calls.append(callee)
        self._record(
            caller,
            RouteStep(
                kind="call",
                target=callee,
                method=name,
                source_var=argument.var if argument else "",
            ),
        )
        self.stack.append((caller, callee, operation))
        if argument is not None:
            self.holding[callee] = argument
        self._apply_rows(
            callee, operation.steps if id(operation) in self.recording else None
        )

    _on_signal = _on_call

    def _on_reply(self, message: Message) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            caller, callee, operation = self.stack[index]
            if caller == message.target and callee == message.source:
                del self.stack[index]
                if id(operation) in self.recording:
                    self.recording.discard(id(operation))
                    self.answered[callee] = operation
                break
        else:
            return
        named = self._reply_model(message)
        result = named or self.holding.get(callee)
        if operation.output is None:
            operation.output = result
        elif result is not None and result != operation.output:
            if named is not None:
                self.analysis.diagnostics.append(
                    report(
                        "FLW431",
                        f"{callee}.{operation.text} returns {named.name} here but {operation.output.name} in flow {operation.flow!r}",
                        message.loc,
                        "name the same model in both replies, or give the operations different names",
                    )
                )
            result = None  # the caller keeps what it holds; the call's answer is unused
        if result is not None:
            self.holding[caller] = result
        if named is not None:
            self.answered_with[callee] = named
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
        if parse_model_ref(message.text) is None:
            return None
        resolved = self._resolved(message.text)
        if resolved is None or resolved.shape != Shape.MODEL:
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
        self.route.response = (
            None if self.route.no_content else self.holding.get(message.source)
        )
        self.route.public_response = public_form(self.analysis, self.route.response)

    def _on_publish(self, message: Message) -> None:
        service = message.source
        if service not in self.analysis.services:
            return
        event_name = naming.pascal(message.event_name)
        source = self.holding.get(service)
        declared = declared_event(self.system, message.event_name)
        mapping = None
        payload: Held | None = None
        for index, row in enumerate(self.flow.transformations):
            if row.step != self.system.bus:
                continue
            row_source, row_target = self._resolved(row.input), self._resolved(
                row.output
            )
            if row_source is None or row_target is None:
                continue
            # A row maps this event when its Output is the event's declared model;
            # an event no model declares takes the first row that fits.
            if declared is not None and self._held(row_target) != declared:
                self.row_hints.setdefault(
                    index,
                    f"{event_name} carries its declared model {declared.name}: "
                    f"write the row's Output as '{declared.name} event', or remove "
                    f"the declared {declared.name} to publish the row's Output",
                )
                continue
            if source is None or self._held(row_source) != source:
                held = f"holds {source.name}" if source is not None else "holds nothing"
                if self.answered_with.get(service) == self._held(row_source):
                    advice = (
                        f"flowc does not yet map an event drawn after the reply "
                        f"from what {service} answered: build {event_name} in "
                        f"{service}'s implementation (the row documents how)"
                    )
                else:
                    advice = (
                        f"draw the publish after {service} has {row.input}, "
                        "or remove the row"
                    )
                self.row_hints.setdefault(
                    index,
                    f"{service} {held} when it publishes {event_name} here: {advice}",
                )
            else:
                mapping = mapping_function(
                    self.analysis, self.flow, row, row_source, row_target
                )
                self.mappings.append(mapping)
                self.applied.add(index)
                payload = mapping.target
                break
        if payload is None:
            payload = declared
        event = event_plan(self.analysis, event_name, payload, message.loc)
        if service not in event.publishers:
            event.publishers.append(service)
        plan = self.analysis.services[service]
        publisher = next((p for p in plan.publishers if p.event == event_name), None)
        if publisher is None:
            publisher = Publisher(
                service=service,
                event=event_name,
                method=naming.snake(event_name),
                source=mapping.source if mapping else event.payload,
                mapping=mapping,
                loc=message.loc,
            )
            plan.publishers.append(publisher)
        self._record(
            service,
            RouteStep(
                kind="publish",
                target=service,
                method=naming.snake(event_name),
                source_var=source.var if source else "",
                source=source,
                needs=publisher.source,
            ),
        )

    def _on_deliver(self, message: Message) -> None:
        service = message.target
        if service not in self.analysis.services:
            return
        event_name = naming.pascal(message.event_name)
        event = event_plan(
            self.analysis,
            event_name,
            declared_event(self.system, message.event_name),
            message.loc,
        )
        self.consumer = consumer(
            self.analysis, service, event, message.loc, self.flow.name
        )
        if self.route is None and self.flow.sla_ms and not self.holding:
            self.consumer.budget_ms = self.flow.sla_ms  # the event triggers the flow
        self.holding[service] = event.payload
        self._apply_rows(service, self._span(service))

    def _on_local(self, message: Message) -> None:
        service = message.source
        if service not in self.analysis.services:
            return
        step = LocalStep(
            service=service,
            name=naming.snake(message.text),
            text=message.text,
            input=self.holding.get(service),
            loc=message.loc,
        )
        plan = self.analysis.services[service]
        existing = next((s for s in plan.local_steps if s.name == step.name), None)
        if existing is None:
            plan.local_steps.append(step)
        else:
            existing.input, existing.input_optional = widened(
                existing.input, existing.input_optional, step.input
            )
        self._record(
            service,
            RouteStep(
                kind="local",
                target=service,
                method=step.name,
                source_var=step.input.var if step.input else "",
            ),
        )
