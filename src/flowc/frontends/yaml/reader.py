"""``*.flow.yaml`` text -> a Document of the IR, with positions and diagnostics."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from flowc.diagnostics import Diagnostic, Location, error, warning
from flowc.frontends import flowchart_ir, sequence_ir
from flowc.frontends.common import (
    MAX_DURATION_MS,
    DurationError,
    parse_breaker,
    parse_duration,
    parse_retries,
)
from flowc.frontends.mermaid.flowchart import parse_flowchart
from flowc.frontends.mermaid.sequence import parse_sequence
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.loader import Path, Positions, load_yaml
from flowc.model import (
    AntiPattern,
    Block,
    Choreography,
    Document,
    ErrorCase,
    EventRoute,
    Flow,
    Link,
    Message,
    Model,
    ModelField,
    ModelKind,
    Note,
    Participant,
    Prose,
    RouteDirection,
    Saga,
    SagaEdge,
    SagaNode,
    Section,
    SequenceItem,
    Service,
    ServiceKind,
    SyncPolicy,
    Transformation,
    TypeSyntaxError,
    parse_type,
)

DEFAULT_BUS = "EventBus"


def read_yaml(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML spec; invalid entries are reported and left out, not fatal."""
    data, positions, diagnostics = load_yaml(text, file)
    if diagnostics and data is None:
        return None, diagnostics
    if data is None:
        return Document(path=file, loc=Location(file=file)), diagnostics
    if not isinstance(data, dict):
        diagnostics.append(
            error(
                "FLW107",
                f"a spec file is a mapping of sections, not a {type(data).__name__}",
                positions.at(()),
                "start with keys such as 'flows:', 'models:' or 'sagas:'",
            )
        )
        return None, diagnostics
    spec = _validate(data, positions, diagnostics)
    reader = _Reader(file, text, positions, diagnostics)
    return reader.document(spec), diagnostics


# --- schema validation -------------------------------------------------------


def _validate(
    data: dict[str, Any], positions: Positions, out: list[Diagnostic]
) -> s.SpecFile:
    """Validate, report every error, then drop only the broken parts and keep the rest.

    An unknown key is removed; any other error removes the innermost list item
    that holds it (an error row, a step, a field), so one typo does not hide
    the findings in the rest of the flow.
    """
    reported: set[tuple[str, Path]] = set()
    for _ in range(8):
        try:
            return s.SpecFile.model_validate(data)
        except ValidationError as exc:
            cuts: set[Path] = set()
            for problem in exc.errors():
                path = _data_path(data, problem["loc"])
                key = (str(problem["type"]), path)
                if key not in reported:
                    reported.add(key)
                    out.append(_schema_diagnostic(problem, path, positions))
                cuts.add(_cut_point(path, problem["type"] == "extra_forbidden"))
            data = _without(data, cuts)
    return s.SpecFile()


def _cut_point(path: Path, unknown_key: bool) -> Path:
    if unknown_key or len(path) <= 1:
        return path
    for index in range(len(path) - 1, 0, -1):
        if isinstance(path[index], int):
            return path[: index + 1]
    return path[:1]


def _without(data: Any, cuts: set[Path]) -> Any:
    """A copy of ``data`` with the values at ``cuts`` removed."""
    for cut in sorted(cuts, key=lambda p: (len(p), [str(x) for x in p]), reverse=True):
        data = _remove(data, cut)
    return data


def _remove(node: Any, path: Path) -> Any:
    if not path:
        return node
    head, rest = path[0], path[1:]
    if isinstance(node, dict) and head in node:
        copy = dict(node)
        if rest:
            copy[head] = _remove(node[head], rest)
        else:
            del copy[head]
        return copy
    if isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        copy_list = list(node)
        if rest:
            copy_list[head] = _remove(node[head], rest)
        else:
            copy_list[head] = _REMOVED
        return [item for item in copy_list if item is not _REMOVED]
    return node


_REMOVED = object()


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """Pydantic's error path with union tags removed, so it indexes the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _is_union_tag(path, part):
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            path.append(part)
            node = None
        # anything else is a union tag pydantic adds to the path: skip it
    return tuple(path)


def _is_union_tag(path: list[str | int], part: str | int) -> bool:
    """Pydantic names the chosen step kind in error paths; the data has no such level."""
    return (
        isinstance(part, str)
        and part in s.STEP_KEYS
        and len(path) >= 2
        and path[-2] == "steps"
        and isinstance(path[-1], int)
    )


_KNOWN_KEYS = sorted(
    {
        (info.alias or name)
        for model in (
            s.SpecFile,
            s.FlowSpec,
            s.ModelSpec,
            s.FieldSpec,
            s.SagaSpec,
            s.ChoreographySpec,
            s.ServiceSpec,
            s.SyncPolicySpec,
            s.ErrorSpec,
            s.TransformationSpec,
            s.RouteSpec,
            s.ParticipantSpec,
            s.SagaNodeSpec,
            s.FailureSpec,
            s.OrderSpec,
            s.RequestStep,
            s.CallStep,
            s.ConsumeStep,
            s.LocalStep,
            s.NoteStep,
            s.BlockStep,
            s.SectionSpec,
            s.AntiPatternSpec,
            s.LinkSpec,
            s.ProseSpec,
        )
        for name, info in model.model_fields.items()
    }
)


def _schema_diagnostic(problem: Any, path: Path, positions: Positions) -> Diagnostic:
    kind = problem["type"]
    where = ".".join(str(part) for part in path) or "(top level)"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else ""
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else "remove the key; see `flowc schema`"
        )
        return error(
            "FLW102",
            f"unknown key {key!r} in {'.'.join(str(p) for p in path[:-1]) or 'the top level'}",
            positions.at(path, key=True),
            hint,
        )
    if kind == "missing":
        key = str(path[-1]) if path else ""
        return error(
            "FLW104",
            f"missing required key {key!r} at {'.'.join(str(p) for p in path[:-1]) or '(top level)'}",
            positions.at(path[:-1]),
            f"add '{key}:'",
        )
    message = str(problem.get("msg", "invalid value"))
    return error(
        "FLW103",
        f"{where}: {message}",
        positions.at(path),
        "see `flowc schema` for the expected form",
    )


# --- IR construction ---------------------------------------------------------


class _Reader:
    """Builds the IR from validated syntax, attaching positions by data path."""

    def __init__(
        self, file: str, text: str, positions: Positions, out: list[Diagnostic]
    ) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.positions = positions
        self.out = out
        self.bus = DEFAULT_BUS

    def at(self, *path: str | int) -> Location:
        return self.positions.at(tuple(path))

    def document(self, spec: s.SpecFile) -> Document:
        self.bus = spec.bus or DEFAULT_BUS
        return Document(
            path=self.file,
            unfilled=spec.unfilled,
            title=spec.title,
            status=spec.status,
            last_updated=spec.last_updated,
            summary=spec.summary,
            bus=spec.bus,
            services=tuple(
                self.service(item, i) for i, item in enumerate(spec.services)
            ),
            models=tuple(self.model(name, item) for name, item in spec.models.items()),
            flows=tuple(self.flow(item, i) for i, item in enumerate(spec.flows)),
            sagas=tuple(self.saga(item, i) for i, item in enumerate(spec.sagas)),
            choreographies=tuple(
                self.choreography(item, i) for i, item in enumerate(spec.choreographies)
            ),
            sync_policy=self.policy(spec.sync, ("sync",)) if spec.sync else None,
            sync_use_when=spec.sync_use_when,
            anti_patterns=tuple(
                AntiPattern(
                    pattern=item.pattern,
                    problem=item.problem,
                    alternative=item.alternative,
                    loc=self.at("anti_patterns", i),
                )
                for i, item in enumerate(spec.anti_patterns)
            ),
            related=tuple(
                Link(text=item.text, target=item.target, loc=self.at("related", i))
                for i, item in enumerate(spec.related)
            ),
            prose=tuple(
                Prose(heading=item.heading, text=item.text, loc=self.at("prose", i))
                for i, item in enumerate(spec.prose)
            ),
            loc=Location(file=self.file),
        )

    # services and policies

    def service(self, spec: s.ServiceSpec, index: int) -> Service:
        policy = (
            self.policy(spec.sync, ("services", index, "sync")) if spec.sync else None
        )
        return Service(
            name=spec.name,
            kind=ServiceKind(spec.kind),
            label=spec.label,
            sync_policy=policy,
            loc=self.at("services", index),
        )

    def duration(self, value: str | int | None, path: Path) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 < value <= MAX_DURATION_MS:
                return value
            text = str(value)
        else:
            text = str(value)
        try:
            return parse_duration(text)
        except DurationError:
            self.out.append(
                error(
                    "FLW110",
                    f"{text!r} is not a duration",
                    self.positions.at(path),
                    "write it as 500ms, 2s or 1m",
                )
            )
            return None

    def policy(self, spec: s.SyncPolicySpec, path: Path) -> SyncPolicy:
        base = SyncPolicy()
        updates: dict[str, Any] = {}
        timeout = self.duration(spec.timeout, (*path, "timeout"))
        if timeout is not None:
            updates["timeout_ms"] = timeout
        if spec.retries is not None:
            try:
                retries, backoff = parse_retries(str(spec.retries))
                updates.update(
                    retries=retries, backoff=backoff if retries else base.backoff
                )
            except DurationError as exc:
                self.out.append(
                    error(
                        "FLW112",
                        str(exc),
                        self.positions.at((*path, "retries")),
                        "write '3, exponential backoff'",
                    )
                )
        if spec.circuit_breaker is not None:
            try:
                failures, open_ms = parse_breaker(spec.circuit_breaker)
                updates.update(breaker_failures=failures, breaker_open_ms=open_ms)
            except DurationError as exc:
                self.out.append(
                    error(
                        "FLW112",
                        str(exc),
                        self.positions.at((*path, "circuit_breaker")),
                        "write '5 failures, 30s open'",
                    )
                )
        return base.model_copy(update={**updates, "loc": self.positions.at(path)})

    # models

    def model(self, name: str, spec: s.ModelSpec) -> Model:
        fields: list[ModelField] = []
        for index, item in enumerate(spec.fields or []):
            path = ("models", name, "fields", index)
            try:
                type_ref = parse_type(item.type)
            except TypeSyntaxError as exc:
                self.out.append(
                    error(
                        "FLW111",
                        f"field {item.name!r}: {exc}",
                        self.positions.at((*path, "type")),
                        "use string, integer, number, boolean, date, datetime, uuid, email, url, decimal, list[T], enum(a, b) or a model name",
                    )
                )
                continue
            fields.append(
                ModelField(
                    name=item.name,
                    type=type_ref.at(self.positions.at((*path, "type"))),
                    required=item.required,
                    description=item.description,
                    schema_org=item.schema_org,
                    secret=item.secret,
                    loc=self.positions.at(path),
                )
            )
        return Model(
            name=name,
            kind=ModelKind(spec.kind),
            description=spec.description,
            fields=tuple(fields),
            json_schema=spec.json_schema,
            schema_org_type=spec.schema_org_type,
            loc=self.positions.at(("models", name), key=True),
        )

    # flows

    def flow(self, spec: s.FlowSpec, index: int) -> Flow:
        path: Path = ("flows", index)
        participants: tuple[Participant, ...] = tuple(
            Participant(
                name=p.name,
                label=p.label,
                actor=p.actor,
                loc=self.at(*path, "participants", i),
            )
            for i, p in enumerate(spec.participants or [])
        )
        sequence: tuple[SequenceItem, ...] = ()
        if spec.sequence is not None:
            first_line, indent = self.block_start((*path, "sequence"))
            diagram, problems = parse_sequence(
                _with_header(spec.sequence),
                self.file,
                first_line - _header_offset(spec.sequence),
                indent,
            )
            self.out.extend(problems)
            sequence, problems = sequence_ir.items_of(diagram)
            self.out.extend(problems)
            participants = _merge_participants(
                participants, sequence_ir.participants_of(diagram)
            )
        elif spec.steps is not None:
            sequence = self.steps(spec.steps, (*path, "steps"))
            participants = _merge_participants(participants, _participants_in(sequence))
        return Flow(
            name=spec.name,
            trigger=spec.trigger,
            trigger_loc=self.at(*path, "trigger"),
            outcome=spec.outcome,
            sla_ms=self.duration(spec.sla, (*path, "sla")),
            description=spec.description,
            participants=participants,
            sequence=sequence,
            errors=tuple(
                ErrorCase(
                    name=e.error,
                    handler=e.handler,
                    status=e.http,
                    recovery=e.recovery,
                    loc=self.at(*path, "errors", i),
                )
                for i, e in enumerate(spec.errors)
            ),
            transformations=tuple(
                Transformation(
                    step=t.step,
                    input=t.input,
                    output=t.output,
                    loc=self.at(*path, "transformations", i),
                )
                for i, t in enumerate(spec.transformations)
            ),
            suppress=self.suppressions(spec.suppress, (*path, "suppress")),
            sync_policy=self.policy(spec.sync, (*path, "sync")) if spec.sync else None,
            loc=self.at(*path),
        )

    def suppressions(self, names: list[str], path: Path) -> tuple[str, ...]:
        """Lint rules silenced for a flow, by name or code; unknown ones are reported."""
        from flowc.rules import LINT_RULES

        codes = {code: name for name, code in LINT_RULES.items()}
        kept: list[str] = []
        for index, raw in enumerate(names):
            name = codes.get(raw.strip().upper(), raw.strip().lower())
            if name not in LINT_RULES:
                self.out.append(
                    warning(
                        "FLW211",
                        f"suppress names no lint rule: {raw!r}",
                        self.positions.at((*path, index)),
                        "known rules: " + ", ".join(sorted(LINT_RULES)),
                    )
                )
                continue
            if name not in kept:
                kept.append(name)
        return tuple(kept)

    def block_start(self, path: Path) -> tuple[int, int]:
        """Line and indent where a block scalar's text begins (after ``|``)."""
        where = self.positions.at(path)
        line_text = (
            self.lines[where.line - 1] if 0 < where.line <= len(self.lines) else ""
        )
        if line_text[where.column - 1 : where.column].strip() in {"|", ">"}:
            following = self.lines[where.line] if where.line < len(self.lines) else ""
            return where.line + 1, len(following) - len(following.lstrip())
        return where.line, where.column - 1

    def steps(self, steps: list[Any], path: Path) -> tuple[SequenceItem, ...]:
        return tuple(self.step(step, (*path, i)) for i, step in enumerate(steps))

    def step(self, step: Any, path: Path) -> SequenceItem:
        loc = self.positions.at(path)
        if isinstance(step, s.RequestStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="->>",
                text=step.request,
                loc=loc,
            )
        if isinstance(step, s.CallStep):
            return Message(
                source=step.source, target=step.to, arrow="->>", text=step.call, loc=loc
            )
        if isinstance(step, s.ReplyStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="-->>",
                text=step.reply,
                loc=loc,
            )
        if isinstance(step, s.RespondStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="-->>",
                text=str(step.respond),
                loc=loc,
            )
        if isinstance(step, s.PublishStep):
            return Message(
                source=step.source,
                target=step.to or self.bus,
                arrow="->>",
                text=step.publish,
                loc=loc,
            )
        if isinstance(step, s.ConsumeStep):
            return Message(
                source=step.source or self.bus,
                target=step.by,
                arrow="->>",
                text=step.consume,
                loc=loc,
            )
        if isinstance(step, s.LocalStep):
            return Message(
                source=step.by, target=step.by, arrow="->>", text=step.local, loc=loc
            )
        if isinstance(step, s.NoteStep):
            return Note(
                placement=step.placement,
                participants=tuple(step.over),
                text=step.note,
                loc=loc,
            )
        assert isinstance(step, s.BlockStep)
        return Block(
            kind=step.block,
            sections=tuple(
                Section(
                    label=section.label,
                    items=self.steps(section.steps, (*path, "sections", i, "steps")),
                    loc=self.positions.at((*path, "sections", i)),
                )
                for i, section in enumerate(step.sections)
            ),
            loc=loc,
        )

    # sagas and choreography

    def flowchart(self, text: str, path: Path) -> Any:
        """Parse a ``diagram:`` block scalar, positions pointing into this file."""
        first_line, indent = self.block_start(path)
        chart, problems = parse_flowchart(text, self.file, first_line, indent)
        self.out.extend(problems)
        return chart

    def saga(self, spec: s.SagaSpec, index: int) -> Saga:
        path: Path = ("sagas", index)
        loc = self.at(*path)
        if spec.diagram is not None:
            chart = self.flowchart(spec.diagram, (*path, "diagram"))
            saga, problems = flowchart_ir.saga_from_flowchart(chart, spec.name, loc)
            self.out.extend(problems)
        else:
            saga = Saga(
                name=spec.name,
                steps=tuple(
                    SagaNode(id=n.id, label=n.label, loc=self.at(*path, "steps", i))
                    for i, n in enumerate(spec.steps)
                ),
                compensations=tuple(
                    SagaNode(
                        id=n.id, label=n.label, loc=self.at(*path, "compensations", i)
                    )
                    for i, n in enumerate(spec.compensations)
                ),
                failure_edges=tuple(
                    SagaEdge(
                        source=f.step,
                        target=f.compensate,
                        label=f.label,
                        loc=self.at(*path, "on_failure", i),
                    )
                    for i, f in enumerate(spec.on_failure)
                ),
                compensation_edges=tuple(
                    SagaEdge(
                        source=o.source,
                        target=o.to,
                        loc=self.at(*path, "compensation_order", i),
                    )
                    for i, o in enumerate(spec.compensation_order)
                ),
                start=spec.start,
                end=spec.end,
                loc=loc,
            )
        return saga.model_copy(
            update={
                "use_when": spec.use_when,
                "orchestrator": spec.orchestrator,
                "state_storage": spec.state_storage,
                "timeout_ms": self.duration(spec.timeout, (*path, "timeout")),
            }
        )

    def choreography(self, spec: s.ChoreographySpec, index: int) -> Choreography:
        path: Path = ("choreographies", index)
        loc = self.at(*path)
        if spec.diagram is not None:
            chart = self.flowchart(spec.diagram, (*path, "diagram"))
            result, problems = flowchart_ir.choreography_from_flowchart(
                chart, spec.name, self.bus, loc
            )
            self.out.extend(problems)
        else:
            routes: list[EventRoute] = []
            for i, route in enumerate(spec.routes):
                where = self.at(*path, "routes", i)
                if route.publishes:
                    routes.append(
                        EventRoute(
                            service=route.service,
                            event=route.publishes,
                            direction=RouteDirection.PUBLISH,
                            loc=where,
                        )
                    )
                if route.consumes:
                    routes.append(
                        EventRoute(
                            service=route.service,
                            event=route.consumes,
                            direction=RouteDirection.CONSUME,
                            loc=where,
                        )
                    )
                if not route.publishes and not route.consumes:
                    self.out.append(
                        error(
                            "FLW104",
                            "a route needs 'publishes' or 'consumes'",
                            where,
                            "add publishes: EventName",
                        )
                    )
            result = Choreography(name=spec.name, routes=tuple(routes), loc=loc)
        return result.model_copy(
            update={"use_when": spec.use_when, "guidelines": tuple(spec.guidelines)}
        )


def _with_header(text: str) -> str:
    """Accept message lines alone: add the diagram header when it is missing."""
    stripped = text.lstrip()
    if stripped.lower().startswith("sequencediagram"):
        return text
    return "sequenceDiagram\n" + text


def _header_offset(text: str) -> int:
    return 0 if text.lstrip().lower().startswith("sequencediagram") else 1


def _merge_participants(
    declared: tuple[Participant, ...], found: tuple[Participant, ...]
) -> tuple[Participant, ...]:
    """Declared participants first (their labels win), then the rest in order."""
    names = {p.name for p in declared}
    return declared + tuple(p for p in found if p.name not in names)


def _participants_in(items: tuple[SequenceItem, ...]) -> tuple[Participant, ...]:
    seen: dict[str, Participant] = {}
    stack: list[SequenceItem] = list(reversed(items))
    while stack:
        item = stack.pop()
        if isinstance(item, Message):
            for name in (item.source, item.target):
                seen.setdefault(name, Participant(name=name, loc=item.loc))
        elif isinstance(item, Note):
            for name in item.participants:
                seen.setdefault(name, Participant(name=name, loc=item.loc))
        elif isinstance(item, Block):
            for section in reversed(item.sections):
                stack.extend(reversed(section.items))
    return tuple(seen.values())
