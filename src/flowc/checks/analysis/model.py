"""What the analysis finds: services, operations, routes, events, errors, mappings.

These are the resolved view of a system that every command sees. They carry
the Python form of every name (the spec language is compiled to Python), but
no file layout and no code: backends decide files and fill templates.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Literal

from flowc import naming
from flowc.checks.analysis.saga_plan import SagaPlan, ScheduledJob
from flowc.checks.mapping import Assignment
from flowc.diagnostics import Diagnostic, Location
from flowc.model import Model, ServiceKind, SyncPolicy, System, TypeRef

HoldKind = Literal["model", "schemaorg", "open", "union"]

_TAKEN_LOCALS = frozenset(keyword.kwlist) | {
    "request",
    "service",
    "event",
    "self",
    "cls",
    "exc",
    "source",
}
"""Parameters and locals of generated functions (a route's ``request``, a
consumer's ``event``, a mapping's ``source``) and Python's keywords."""


@dataclass(frozen=True)
class Held:
    """A value a participant holds: a declared model, a Schema.org payload, open JSON,
    or (for an operation called from several flows) any one of several models."""

    kind: HoldKind
    name: str
    members: tuple[Held, ...] = ()

    @property
    def annotation(self) -> str:
        if self.kind == "model":
            return f"models.{self.name}"
        if self.kind == "schemaorg":
            return f"schemaorg.{self.name}"
        if self.kind == "union":
            return " | ".join(member.annotation for member in self.members)
        return "dict[str, Any]"

    @property
    def var(self) -> str:
        """The local variable that holds it; never one the generated code itself uses."""
        if self.kind == "union":
            return "payload"
        name = naming.snake(self.name) or "payload"
        return f"{name}_value" if name in _TAKEN_LOCALS else name

    @property
    def models(self) -> tuple[str, ...]:
        """The declared models this value may be."""
        if self.kind == "union":
            return tuple(name for m in self.members for name in m.models)
        return (self.name,) if self.kind == "model" else ()


@dataclass(frozen=True)
class Argument:
    """A method's one argument, as the Python declaration needs it."""

    value: Held
    optional: bool

    @property
    def declaration(self) -> str:
        default = " | None = None" if self.optional else ""
        return f"{self.value.var}: {self.value.annotation}{default}"


@dataclass
class MappingFunction:
    """One Data Transformations row as a function ``<source>_to_<target>``."""

    name: str
    source: Held
    target: Held
    target_model: Model | None
    assignments: list[Assignment]
    dropped_secrets: list[str]
    text: str
    loc: Location
    flow: str

    @property
    def keyword_arguments(self) -> list[Assignment]:
        """Output fields nothing in the input supplies: the caller hands them over."""
        return [a for a in self.assignments if a.source is None]

    @property
    def keywords(self) -> list[str]:
        return [naming.snake(a.target) for a in self.keyword_arguments]


@dataclass
class LocalStep:
    service: str
    name: str
    text: str
    input: Held | None
    loc: Location
    input_optional: bool = False

    @property
    def argument(self) -> Argument | None:
        return Argument(self.input, self.input_optional) if self.input else None


@dataclass
class RouteStep:
    """One statement of a route, operation or consumer body, in diagram order."""

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
    input_optional: bool = False
    """Some flow calls it with nothing: the argument defaults to None."""
    flows: list[str] = field(default_factory=list)
    """Every flow that calls it, in the order they are read."""

    @property
    def argument(self) -> Argument | None:
        return Argument(self.input, self.input_optional) if self.input else None


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
    budget_ms: int | None = None
    """The SLA of the event-triggered flow this consumer starts: it bounds each run."""
    reactions: list[str] = field(default_factory=list)
    """The events the service publishes in the same choreography: a reaction
    publishes the next event of the chain (its publisher is ``self.events``)."""


RecoveryKind = Literal["retry", "field_errors", "hint"]


@dataclass
class ErrorClass:
    """One exception class per error name in the set; ``status`` is its default."""

    class_name: str
    title: str
    slug: str
    status: int
    loc: Location
    flow: str


@dataclass
class ErrorRow:
    """How one flow answers one error: its own status, handler and recovery."""

    flow: str
    class_name: str
    title: str
    slug: str
    status: int
    handler: str
    recovery: str
    kind: RecoveryKind
    loc: Location


@dataclass(frozen=True)
class PathParameter:
    """``{id}`` in a route path, typed as the request field it names (else text)."""

    name: str
    type: TypeRef
    owner: str
    """The model whose field gives the type (enum classes are named after it)."""
    in_body: bool


@dataclass
class Route:
    flow: str
    function: str
    method: str
    path: str
    path_params: list[PathParameter]
    entry: str
    status: int
    request: Held
    response: Held | None
    steps: list[RouteStep]
    sla_ms: int | None
    outcome: str
    loc: Location
    errors: list[ErrorRow] = field(default_factory=list)
    validation: ErrorRow | None = None
    public_response: Held | None = None
    """What the client receives: ``response`` in its public form (no secrets)."""
    body: Held | None = None
    """What the client sends, when it is not ``request``: the request without
    the fields its path gives."""
    saga: SagaPlan | None = None
    """The saga the flow runs through: the route starts it and waits for it."""

    @property
    def has_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    @property
    def no_content(self) -> bool:
        """204 and 304 answers carry no body (FastAPI refuses a response model)."""
        return self.status in (204, 304)


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
class Analysis:
    """The resolved view of a system: what every backend builds from."""

    system: System
    services: dict[str, ServicePlan] = field(default_factory=dict)
    derived_models: list[Model] = field(default_factory=list)
    mappings: dict[str, MappingFunction] = field(default_factory=dict)
    events: dict[str, EventPlan] = field(default_factory=dict)
    errors: dict[str, ErrorClass] = field(default_factory=dict)
    error_rows: list[ErrorRow] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    schemaorg_types: dict[str, list[Assignment]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sagas: list[SagaPlan] = field(default_factory=list)
    schedules: list[ScheduledJob] = field(default_factory=list)
    _derived_by_name: dict[str, Model] = field(default_factory=dict, repr=False)

    def service_plans(self) -> list[ServicePlan]:
        return [self.services[name] for name in sorted(self.services)]

    def all_models(self) -> list[Model]:
        return [*self.system.models, *self.derived_models]

    def model(self, name: str) -> Model | None:
        """A declared model, else a derived one (constant time: sets have thousands)."""
        return self.system.model(name) or self._derived_by_name.get(name)

    def add_derived(self, model: Model) -> None:
        self.derived_models.append(model)
        self._derived_by_name.setdefault(model.name, model)
