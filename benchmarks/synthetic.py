"""Synthetic spec sets of any size, in the seed document's shape, for benchmarks.

Run: ``.venv/bin/python benchmarks/synthetic.py --flows N --out DIR [--split]``.

Every flow has what the seed's User Registration has: an HTTP route on the
Gateway, a sync call with its reply, an event on the bus and its consumer, an
error table with three rows and a transformation table with three rows (HTTP
JSON -> DTO -> entity -> Schema.org event). Its models (DTO, entity, and the
payload of the event the consumer publishes in turn) live in Shared Concepts.
Error names come from one pool, so several flows share each error class, as in
real documents. Every tenth flow runs through a saga and every tenth (another
one) takes part in the Event Choreography, so those generators are measured
too. Services are shared by several flows, as a real system's are.

The output depends only on the arguments: the same call writes the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FLOWS_PER_DOCUMENT = 25
FLOWS_PER_SHARED_DOCUMENT = 500
SAGA_EVERY = 10
SAGA_OFFSET = 0
CHOREOGRAPHY_EVERY = 10
CHOREOGRAPHY_OFFSET = 5
SINGLE_DOCUMENT = "integration-patterns.md"
SHARED_DOCUMENT = "shared-concepts.md"
SPEC_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
MAX_DOCUMENT_BYTES = 4 * 2**20  # flowc refuses larger files (FLW003)


@dataclass(frozen=True)
class Field:
    """A model field; ``schema_org`` names the property it fills, if any."""

    name: str
    type: str
    description: str
    schema_org: str = ""
    required: bool = True


@dataclass(frozen=True)
class Domain:
    """What a flow is about: its nouns, verbs and Schema.org type.

    Four domains take turns so that the set has several Schema.org types and
    field shapes, not one template repeated.
    """

    noun: str
    plural: str
    verb: str
    past: str
    schema_type: str
    key: Field
    when: Field
    extra: Field


DOMAINS = (
    Domain(
        "Order",
        "orders",
        "Place",
        "Placed",
        "Order",
        Field("order_number", "string", "Number the customer sees", "orderNumber"),
        Field("placed_at", "datetime", "When it was placed", "orderDate"),
        Field("total", "decimal", "Order total"),
    ),
    Domain(
        "Invoice",
        "invoices",
        "Issue",
        "Issued",
        "Invoice",
        Field("account_id", "string", "The billed account", "accountId"),
        Field("due_at", "datetime", "When payment is due", "paymentDueDate"),
        Field("amount", "decimal", "Amount due"),
    ),
    Domain(
        "Reservation",
        "reservations",
        "Book",
        "Booked",
        "Reservation",
        Field("reservation_code", "string", "Code the guest sees", "reservationId"),
        Field("booked_at", "datetime", "When it was booked", "bookingTime"),
        Field("party_size", "integer", "Number of guests"),
    ),
    Domain(
        "Shipment",
        "shipments",
        "Dispatch",
        "Dispatched",
        "ParcelDelivery",
        Field("tracking_number", "string", "Carrier tracking number", "trackingNumber"),
        Field(
            "arrives_by", "datetime", "Latest expected arrival", "expectedArrivalUntil"
        ),
        Field("weight_grams", "integer", "Parcel weight"),
    ),
)


@dataclass(frozen=True)
class ErrorRow:
    """An error of the shared pool: the same status wherever it is used.

    ``role`` says who raises it: ``field`` (the Gateway's request validation),
    ``business`` or ``transient`` (the flow's service).
    """

    name: str
    status: int
    role: str
    recovery: str


ERROR_POOL = (
    ErrorRow("Invalid request", 400, "field", "Return field errors"),
    ErrorRow("Validation failed", 400, "field", "Return field errors"),
    ErrorRow("Malformed payload", 422, "field", "Return field errors"),
    ErrorRow("Missing field", 400, "field", "Return field errors"),
    ErrorRow("Unsupported currency", 422, "field", "Return field errors"),
    ErrorRow("Out of stock", 409, "business", "Suggest another item"),
    ErrorRow("Payment declined", 402, "business", "Ask for another card"),
    ErrorRow("Duplicate request", 409, "business", "Return the earlier result"),
    ErrorRow("Not found", 404, "business", "Check the identifier"),
    ErrorRow("Quota exceeded", 429, "business", "Try again tomorrow"),
    ErrorRow("Account locked", 423, "business", "Contact support"),
    ErrorRow("Price changed", 409, "business", "Show the new price"),
    ErrorRow("Coupon expired", 410, "business", "Remove the coupon"),
    ErrorRow("Permission denied", 403, "business", "Ask an administrator"),
    ErrorRow("Limit reached", 422, "business", "Split the request"),
    ErrorRow("Store timeout", 503, "transient", "Retry with backoff"),
    ErrorRow("Database timeout", 503, "transient", "Retry with backoff"),
    ErrorRow("Upstream unavailable", 503, "transient", "Retry with backoff"),
    ErrorRow("Lock contention", 503, "transient", "Retry with backoff"),
    ErrorRow("Ledger unavailable", 503, "transient", "Retry with backoff"),
)

SLAS = ("<300ms", "<500ms", "800ms", "1s", "2s")


@dataclass(frozen=True)
class Flow:
    """One synthetic flow and the names everything it touches is given."""

    n: int
    domain: Domain
    sla: str
    errors: tuple[ErrorRow, ErrorRow, ErrorRow]

    @property
    def name(self) -> str:
        """The flow's heading: ``Place Order 7``."""
        return f"{self.domain.verb} {self.domain.noun} {self.n}"

    @property
    def path(self) -> str:
        """The route: a literal path per flow, like a real API's many routes."""
        return f"/{self.domain.plural}/{self.n}"

    @property
    def operation(self) -> str:
        """The sync call's operation, unique per flow."""
        return f"Store{self.domain.noun}{self.n}"

    @property
    def service(self) -> str:
        """The service that owns the flow: one per domain per 16 flows."""
        return f"{self.domain.noun}Service{self.n // 16}"

    @property
    def consumer(self) -> str:
        """The service that consumes the flow's event: one per 32 flows."""
        return f"AuditService{self.n // 32}"

    @property
    def notifier(self) -> str:
        """Who consumes the follow-up event in the choreography: one per 100."""
        return f"NotificationService{self.n // 100}"

    @property
    def dto(self) -> str:
        """The flow's DTO, named ``<Flow>DTO`` so flowc finds it by name."""
        return f"{self.domain.verb}{self.domain.noun}{self.n}DTO"

    @property
    def entity(self) -> str:
        """The flow's entity."""
        return f"{self.domain.noun}{self.n}"

    @property
    def event(self) -> str:
        """The event the flow's service publishes (a Schema.org payload)."""
        return f"{self.domain.noun}{self.n}{self.domain.past}"

    @property
    def follow_up(self) -> str:
        """The event the consumer publishes in turn (a declared payload)."""
        return f"{self.domain.noun}{self.n}Recorded"

    @property
    def has_saga(self) -> bool:
        """Whether the flow runs through a saga of its own."""
        return self.n % SAGA_EVERY == SAGA_OFFSET

    @property
    def in_choreography(self) -> bool:
        """Whether the flow's events are drawn in the Event Choreography."""
        return self.n % CHOREOGRAPHY_EVERY == CHOREOGRAPHY_OFFSET


def build_flows(flows: int, seed: int = 0) -> list[Flow]:
    """The flows of a set: the domain turns, errors and SLAs come from ``seed``.

    One seeded generator drawn in flow order keeps the set reproducible and
    makes flow ``n`` the same in every set that has it, whatever its size.
    """
    roles = {role: [e for e in ERROR_POOL if e.role == role] for role in _ROLES}
    result = []
    for n in range(flows):
        rng = random.Random(f"{seed}:{n}")
        picked = (
            rng.choice(roles["field"]),
            rng.choice(roles["business"]),
            rng.choice(roles["transient"]),
        )
        result.append(Flow(n, DOMAINS[n % len(DOMAINS)], rng.choice(SLAS), picked))
    return result


_ROLES = ("field", "business", "transient")


def dto_fields(flow: Flow) -> tuple[Field, ...]:
    """What the client sends: the domain's key and extra field and an email."""
    return (
        flow.domain.key,
        Field("customer_email", "email", "Who asked"),
        flow.domain.extra,
    )


def entity_fields(flow: Flow) -> tuple[Field, ...]:
    """The stored entity: the DTO's fields plus what the service assigns."""
    return (
        Field("id", "uuid", "Assigned by the service", "identifier"),
        flow.domain.key,
        Field("customer_email", "email", "Who asked"),
        flow.domain.extra,
        flow.domain.when,
    )


def follow_up_fields(flow: Flow) -> tuple[Field, ...]:
    """The payload of the consumer's follow-up event."""
    return (
        Field(flow.domain.key.name, "string", flow.domain.key.description),
        Field("recorded_at", "datetime", "When the audit log took it"),
        Field("note", "string", "Free text from the auditor", required=False),
    )


def flow_markdown(flow: Flow) -> str:
    """One flow in the seed's shape, as its ``###`` subsection."""
    d = flow.domain
    errors = "\n".join(
        f"| {e.name} | {'Gateway' if e.role == 'field' else flow.service} "
        f"| {e.status} | {e.recovery} |"
        for e in flow.errors
    )
    return f"""
### {flow.name}

**Trigger**: A client calls `POST {flow.path}`
**Outcome**: {d.noun} {flow.n} is stored and announced
**SLA**: {flow.sla}

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant {flow.service}
    participant EventBus
    participant {flow.consumer}

    Client->>Gateway: POST {flow.path}
    Gateway->>{flow.service}: {flow.operation}
    {flow.service}->>EventBus: {flow.event} event
    {flow.service}-->>Gateway: {d.noun} stored
    Gateway-->>Client: 201 Created

    EventBus->>{flow.consumer}: {flow.event}
    {flow.consumer}->>{flow.consumer}: Record {d.noun.lower()} {flow.n}
    {flow.consumer}->>EventBus: {flow.follow_up} event
```

**Error Handling**:

| Error | Handler | HTTP | Recovery |
|-------|---------|------|----------|
{errors}

**Data Transformations**:

| Step | Input | Output |
|------|-------|--------|
| Gateway | HTTP JSON | `{flow.dto}` |
| {flow.service} | `{flow.dto}` | {flow.entity} entity |
| EventBus | {flow.entity} entity | Schema.org/{d.schema_type} event |
"""


def model_markdown(name: str, kind: str, fields: Iterable[Field], level: str) -> str:
    """A Shared Concepts model; ``level`` is ``###`` in a section, ``##`` alone."""
    rows = "\n".join(
        f"| {f.name} | {f.type} | {'yes' if f.required else 'no'} "
        f"| {f.description} | {f.schema_org} |"
        for f in fields
    )
    return f"""
{level} {name} ({kind})

| Field | Type | Required | Description | Schema.org |
|-------|------|----------|-------------|------------|
{rows}
"""


def models_markdown(flows: Iterable[Flow], level: str) -> str:
    """Each flow's three models: DTO, entity and follow-up event payload."""
    return "".join(
        model_markdown(f.dto, "DTO", dto_fields(f), level)
        + model_markdown(f.entity, "entity", entity_fields(f), level)
        + model_markdown(f.follow_up, "event", follow_up_fields(f), level)
        for f in flows
    )


def saga_markdown(flow: Flow) -> str:
    """The flow's saga, drawn as the seed's Order Fulfillment Saga is.

    Named ``<Flow> Saga`` so that the flow runs through it.
    """
    return f"""
### {flow.name} Saga

**Use when**: {flow.domain.noun} {flow.n} spans stock, payment and the store and must roll back as a whole.

```mermaid
flowchart LR
    subgraph "Happy Path"
        Start --> Step1[Create Record]
        Step1 --> Step2[Reserve Stock]
        Step2 --> Step3[Charge Payment]
        Step3 --> Commit[Complete]
    end

    subgraph "Compensation"
        Step3 -.->|Failed| Comp3[Refund Payment]
        Comp3 -.-> Comp2[Release Stock]
        Step2 -.->|Failed| Comp2
        Comp2 -.-> Comp1[Cancel Record]
        Step1 -.->|Failed| Comp1
    end
```

**Implementation**:
- Orchestrator: {flow.service}
- State storage: sqlite:///sagas.db
- Timeout: 30s
"""


def choreography_markdown(flows: list[Flow]) -> str:
    """The Event Choreography of ``flows``: each event chain, bus in the middle."""
    edges = "".join(
        f"    {f.service} -->|{f.event}| EventBus\n"
        f"    EventBus -->|{f.event}| {f.consumer}\n"
        f"    {f.consumer} -->|{f.follow_up}| EventBus\n"
        f"    EventBus -->|{f.follow_up}| {f.notifier}\n"
        for f in flows
    )
    return f"""
### Event Choreography

**Use when**: Loosely coupled services reacting to domain events.

```mermaid
flowchart LR
{edges}```

**Guidelines**:
- Events are facts (past tense: `OrderCreated`, not `CreateOrder`)
- Each consumer is idempotent
- Events include correlation ID for tracing
"""


SYNC_SECTION = """
### Request/Response (Sync)

**Use when**: Immediate response required, tight consistency needed.

**Guidelines**:
- Timeout: 2s
- Retries: 3, exponential backoff
- Circuit breaker: 5 failures, 30s open
"""

ANTI_PATTERNS = """
## Anti-Patterns

| Pattern | Problem | Alternative |
|---------|---------|-------------|
| Chatty services | Many small calls = latency | Batch operations |
| Distributed transactions | 2PC doesn't scale | Saga pattern |
| Sync for fire-and-forget | Unnecessary coupling | Events |
| Events for queries | Eventual consistency issues | Sync call |
"""


def patterns_markdown(flows: list[Flow], *, with_sync: bool) -> str:
    """Cross-Boundary Patterns: the sagas, the choreography, the sync policy."""
    parts = [saga_markdown(f) for f in flows if f.has_saga]
    dancers = [f for f in flows if f.in_choreography]
    if dancers:
        parts.append(choreography_markdown(dancers))
    if with_sync:
        parts.append(SYNC_SECTION)
    if not parts:
        return ""
    return "\n## Cross-Boundary Patterns\n" + "".join(parts)


def flows_document(title: str, flows: list[Flow], *, first: bool, shared: str) -> str:
    """A document of flows; ``shared`` is its models section or the file of them.

    Only the first document carries the sync policy and the anti-patterns,
    as a real set states them once.
    """
    text = (
        f"# {title}\n<!-- Status: Accepted -->\n<!-- Last Updated: 2026-12-01 -->\n\n"
        "Synthetic flows for flowc's scale benchmarks.\n\n## Key Flows\n"
    )
    text += "".join(flow_markdown(f) for f in flows)
    text += patterns_markdown(flows, with_sync=first)
    if first:
        text += ANTI_PATTERNS
    if shared.endswith(".md"):
        text += (
            "\n## Related Documents\n\n"
            f"- [Shared Concepts]({shared}) - The entities in these flows\n"
        )
    else:
        text += "\n## Shared Concepts\n" + shared
    return text


def render_spec_set(
    flows: int, *, one_document: bool = True, seed: int = 0
) -> dict[str, str]:
    """The set's documents by file name, without touching the disk."""
    all_flows = build_flows(flows, seed)
    if one_document:
        text = flows_document(
            "Integration Patterns",
            all_flows,
            first=True,
            shared=models_markdown(all_flows, "###"),
        )
        return {SINGLE_DOCUMENT: text}
    documents = {}
    for start in range(0, len(all_flows), FLOWS_PER_SHARED_DOCUMENT):
        chunk = all_flows[start : start + FLOWS_PER_SHARED_DOCUMENT]
        documents[shared_name(start)] = (
            "# Shared Concepts\n\nThe nouns of the synthetic system.\n"
            + models_markdown(chunk, "##")
        )
    for start in range(0, len(all_flows), FLOWS_PER_DOCUMENT):
        chunk = all_flows[start : start + FLOWS_PER_DOCUMENT]
        index = start // FLOWS_PER_DOCUMENT
        documents[document_name(index)] = flows_document(
            f"Integration Patterns, part {index + 1}",
            chunk,
            first=index == 0,
            shared=shared_name(start),
        )
    return documents


def document_name(index: int) -> str:
    """The file of the ``index``-th flows document of a split set."""
    return f"flows-{index + 1:04d}.md"


def shared_name(flow: int) -> str:
    """The shared-concepts document that holds flow ``flow``'s models.

    The seed's name for the first; more of them past 500 flows, because one
    would outgrow the 4 MiB flowc reads (their H1 makes them shared concepts).
    """
    part = flow // FLOWS_PER_SHARED_DOCUMENT
    return SHARED_DOCUMENT if part == 0 else f"shared-concepts-{part + 1:02d}.md"


def write_spec_set(
    folder: Path, flows: int, *, one_document: bool = True, seed: int = 0
) -> Path:
    """Write the set into ``folder`` (created) and return ``folder``.

    A folder that already holds other spec files is refused: flowc reads every
    spec file of a folder, so a leftover would silently join the set. So is a
    document flowc would refuse for its size, before anything is written.
    """
    documents = render_spec_set(flows, one_document=one_document, seed=seed)
    for name, text in documents.items():
        if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
            raise ValueError(
                f"{name} would be over 4 MiB, which flowc refuses (FLW003): "
                "split the set (one_document=False, --split)"
            )
    folder.mkdir(parents=True, exist_ok=True)
    strangers = sorted(
        p.name
        for p in folder.iterdir()
        if p.suffix in SPEC_SUFFIXES and p.name not in documents
    )
    if strangers:
        raise ValueError(f"{folder} holds other spec files: {', '.join(strangers)}")
    for name, text in documents.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def set_outcome(folder: Path, flow: int, outcome: str) -> Path:
    """Replace flow ``flow``'s Outcome line in whichever document holds it.

    The scale benchmark's one-flow-changed run edits the spec the way a person
    would, in place, and returns the file it changed.
    """
    heading = f"### {build_flows(flow + 1)[flow].name}\n"
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        start = text.find(heading)
        if start < 0:
            continue
        line = re.compile(r"^\*\*Outcome\*\*: .*$", re.MULTILINE)
        found = line.search(text, start)
        if found is None:
            break
        new = f"**Outcome**: {outcome}"
        path.write_text(text[: found.start()] + new + text[found.end() :], "utf-8")
        return path
    raise ValueError(f"no flow {flow} in {folder}")


def main() -> None:
    """Write a set from the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--flows", type=int, required=True, help="number of flows")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument(
        "--split",
        action="store_true",
        help=f"a document per {FLOWS_PER_DOCUMENT} flows, and shared concepts apart",
    )
    parser.add_argument("--seed", type=int, default=0, help="varies errors and SLAs")
    args = parser.parse_args()
    write_spec_set(args.out, args.flows, one_document=not args.split, seed=args.seed)


if __name__ == "__main__":
    main()
