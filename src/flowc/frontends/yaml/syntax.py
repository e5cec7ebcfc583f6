"""The YAML spec syntax, as pydantic models.

These models validate ``*.flow.yaml`` files and are the source of the JSON
Schema that ``flowc schema`` prints, so the schema and the validator cannot
drift apart. They describe syntax only; ``reader.py`` turns them into the IR.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

SCHEMA_ID = "https://flowc.dev/schemas/flow-spec.schema.json"

Duration = Annotated[
    str | int,
    Field(
        description="A duration: '500ms', '2s', '<500ms', or a number of milliseconds."
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SyncPolicySpec(Strict):
    """Timeout, retries and circuit breaker of synchronous calls."""

    timeout: Duration | None = None
    retries: str | int | None = Field(
        default=None, description="'3, exponential backoff', or a count."
    )
    circuit_breaker: str | None = Field(
        default=None, description="'5 failures, 30s open'."
    )


class SyncArrowSpec(Strict):
    """One arrow of the Request/Response flowchart: ``{from: Gateway, to: UserService}``."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")


class ServiceSpec(Strict):
    """A participant declared up front, to set its kind or sync policy."""

    name: str
    kind: Literal["external", "gateway", "service", "bus"] = "service"
    label: str | None = None
    sync: SyncPolicySpec | None = None


class FieldSpec(Strict):
    """One field of a model table."""

    name: str
    type: str = Field(
        description="string, integer, number, boolean, date, datetime, uuid, email, "
        "url, decimal, list[T], a model name, or enum(a, b, c)."
    )
    required: bool = True
    description: str = ""
    schema_org: str | None = Field(default=None, alias="schema.org")
    secret: bool = False


class ModelSpec(Strict):
    """A DTO, entity or event payload: a field list or a JSON Schema."""

    kind: Literal["entity", "dto", "event"] = "entity"
    description: str = ""
    schema_org_type: str | None = Field(default=None, alias="schema.org")
    fields: list[FieldSpec] | None = None
    json_schema: dict[str, Any] | None = None


class RequestStep(Strict):
    """An external participant calls an HTTP route."""

    request: Annotated[str, Field(description="'METHOD /path'")]
    source: str = Field(alias="from")
    to: str


class CallStep(Strict):
    """A synchronous call: the target exposes the operation."""

    call: str
    source: str = Field(alias="from")
    to: str


class ReplyStep(Strict):
    """The reply to the latest open call from ``to`` to ``from``."""

    reply: str
    source: str = Field(alias="from")
    to: str


class RespondStep(Strict):
    """The route's answer to the external caller, e.g. '201 Created'."""

    respond: str | int
    source: str = Field(alias="from")
    to: str


class PublishStep(Strict):
    """A service publishes an event on the bus."""

    publish: str
    source: str = Field(alias="from")
    to: str | None = Field(
        default=None, description="The bus; defaults to the set's bus."
    )


class ConsumeStep(Strict):
    """A service consumes an event from the bus."""

    consume: str
    by: str
    source: str | None = Field(default=None, alias="from")


class LocalStep(Strict):
    """A local step inside one service's handler."""

    local: str
    by: str


class NoteStep(Strict):
    """A note over or beside participants."""

    note: str
    over: list[str] = Field(min_length=1)
    placement: Literal["over", "left of", "right of"] = "over"


class SectionSpec(Strict):
    label: str = ""
    steps: list[StepSpec] = Field(default_factory=list)


class BlockStep(Strict):
    """loop / alt / opt / par / critical / break / rect with branches."""

    block: Literal["loop", "alt", "opt", "par", "critical", "break", "rect"]
    sections: list[SectionSpec] = Field(min_length=1)


STEP_KEYS = (
    "request",
    "call",
    "reply",
    "respond",
    "publish",
    "consume",
    "local",
    "note",
    "block",
)


def _step_tag(value: Any) -> str | None:
    """Pick the step kind by its verb key so errors name one kind, not nine."""
    if isinstance(value, dict):
        return next((key for key in STEP_KEYS if key in value), None)
    return next(
        (key for key in STEP_KEYS if getattr(value, key, None) is not None), None
    )


StepSpec = Annotated[
    Annotated[RequestStep, Tag("request")]
    | Annotated[CallStep, Tag("call")]
    | Annotated[ReplyStep, Tag("reply")]
    | Annotated[RespondStep, Tag("respond")]
    | Annotated[PublishStep, Tag("publish")]
    | Annotated[ConsumeStep, Tag("consume")]
    | Annotated[LocalStep, Tag("local")]
    | Annotated[NoteStep, Tag("note")]
    | Annotated[BlockStep, Tag("block")],
    Discriminator(
        _step_tag,
        custom_error_type="step_kind",
        custom_error_message="a step needs one of: " + ", ".join(STEP_KEYS),
    ),
]
SectionSpec.model_rebuild()


class ParticipantSpec(Strict):
    name: str
    label: str | None = None
    actor: bool = False


class ErrorSpec(Strict):
    """A row of the Error Handling table."""

    error: str
    handler: str
    http: int
    recovery: str = ""


class TransformationSpec(Strict):
    """A row of the Data Transformations table."""

    step: str
    input: str
    output: str


class FlowSpec(Strict):
    """A key flow."""

    name: str
    trigger: str = ""
    outcome: str = ""
    sla: Duration | None = None
    description: str = ""
    participants: list[ParticipantSpec] | None = None
    sequence: str | None = Field(
        default=None, description="Mermaid sequenceDiagram message lines."
    )
    steps: list[StepSpec] | None = Field(
        default=None, description="The same messages as structured steps."
    )
    errors: list[ErrorSpec] = Field(default_factory=list)
    transformations: list[TransformationSpec] = Field(default_factory=list)
    suppress: list[str] = Field(
        default_factory=list, description="Lint rules silenced for this flow."
    )
    sync: SyncPolicySpec | None = None


class SagaNodeSpec(Strict):
    id: str
    label: str


class FailureSpec(Strict):
    step: str
    compensate: str = Field(description="The compensation node where the chain starts.")
    label: str = "Failed"


class OrderSpec(Strict):
    source: str = Field(alias="from")
    to: str


class SagaSpec(Strict):
    """A saga: a Mermaid flowchart, or the same graph as lists."""

    name: str
    use_when: str = ""
    diagram: str | None = Field(
        default=None,
        description="Mermaid flowchart with Happy Path and Compensation subgraphs.",
    )
    start: str | None = None
    end: str | None = None
    steps: list[SagaNodeSpec] = Field(default_factory=list)
    compensations: list[SagaNodeSpec] = Field(default_factory=list)
    on_failure: list[FailureSpec] = Field(default_factory=list)
    compensation_order: list[OrderSpec] = Field(default_factory=list)
    orchestrator: str | None = None
    state_storage: str | None = None
    timeout: Duration | None = None


class RouteSpec(Strict):
    service: str
    publishes: str | None = None
    consumes: str | None = None


class ChoreographySpec(Strict):
    """Event choreography: a Mermaid flowchart or a list of routes."""

    name: str = "Event Choreography"
    use_when: str = ""
    diagram: str | None = None
    routes: list[RouteSpec] = Field(default_factory=list)
    guidelines: list[str] = Field(default_factory=list)


class AntiPatternSpec(Strict):
    pattern: str
    problem: str = ""
    alternative: str = ""


class LinkSpec(Strict):
    text: str
    target: str


class ProseSpec(Strict):
    heading: str
    text: str


class SpecFile(Strict):
    """A flowc spec file (``*.flow.yaml``)."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        title="flowc flow spec",
        json_schema_extra={"$id": SCHEMA_ID},
    )

    flowc: Literal[1] = Field(default=1, description="Spec syntax version.")
    unfilled: bool = Field(
        default=False,
        description="The raw template (flows still placeholders): its patterns are examples and generate nothing.",
    )
    title: str = ""
    status: str | None = None
    last_updated: str | None = None
    summary: str = ""
    bus: str | None = None
    services: list[ServiceSpec] = Field(default_factory=list)
    models: dict[str, ModelSpec] = Field(default_factory=dict)
    flows: list[FlowSpec] = Field(default_factory=list)
    sagas: list[SagaSpec] = Field(default_factory=list)
    choreographies: list[ChoreographySpec] = Field(default_factory=list)
    sync: SyncPolicySpec | None = None
    sync_use_when: str = ""
    sync_arrows: list[SyncArrowSpec] = Field(
        default_factory=list,
        description="The Request/Response flowchart's arrows, in the order drawn: "
        "a call, or the reply to an earlier one.",
    )
    anti_patterns: list[AntiPatternSpec] = Field(default_factory=list)
    related: list[LinkSpec] = Field(default_factory=list)
    prose: list[ProseSpec] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the YAML syntax (what ``flowc schema`` prints)."""
    schema = SpecFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
