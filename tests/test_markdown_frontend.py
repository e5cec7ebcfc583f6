"""The Markdown frontend: the seed template, a filled-in document, and mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.api import validate
from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends.markdown import read_markdown
from flowc.frontends.yaml.reader import read_yaml
from flowc.model import (
    Document,
    ErrorCase,
    Message,
    ModelKind,
    RouteDirection,
    Scalar,
    SyncPolicy,
    Transformation,
)

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures" / "markdown"
SHARED_SEED = TESTS.parents[1] / "shared" / "seed" / "integration-patterns.md"
LOCAL_SEED = TESTS / "fixtures" / "seed" / "integration-patterns.md"
SEED_PATH = SHARED_SEED if SHARED_SEED.is_file() else LOCAL_SEED
SEED = SEED_PATH.read_text(encoding="utf-8")
FILLED = (FIXTURES / "user-registration.md").read_text(encoding="utf-8")


def read(text: str, file: str = "doc.md") -> tuple[Document, list[Diagnostic]]:
    document, diagnostics = read_markdown(text, file)
    assert document is not None
    return document, diagnostics


def places(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in diagnostics]


def of(severity: Severity, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == severity]


# --- the seed template ------------------------------------------------------


def test_the_seed_copy_is_byte_exact() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip(f"the shared seed is not at {SHARED_SEED}: nothing to compare")
    assert LOCAL_SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_gives_notes_only_at_each_placeholder() -> None:
    document, diagnostics = read(SEED, "integration-patterns.md")
    assert of(Severity.ERROR, diagnostics) == []
    assert of(Severity.WARNING, diagnostics) == []
    assert places(diagnostics) == [
        ("FLW201", 3, 20),  # YYYY-MM-DD
        ("FLW201", 9, 5),  # {Flow Name}
        ("FLW202", 9, 5),  # ... so the flow is skipped
        ("FLW201", 9, 17),  # (e.g., User Registration)
        ("FLW201", 11, 14),
        ("FLW201", 12, 14),
        ("FLW201", 13, 10),
        ("FLW201", 52, 5),  # {Another Flow}
        ("FLW202", 52, 5),
        ("FLW201", 54, 1),  # {Same structure}
        ("FLW201", 81, 17),  # Orchestrator: {service name}
        ("FLW201", 82, 18),
        ("FLW201", 83, 12),
        ("FLW201", 118, 12),  # Timeout: {default timeout}
        ("FLW201", 119, 12),
        ("FLW201", 120, 20),
    ]
    assert document.flows == ()


def test_seed_header_summary_and_appendix() -> None:
    document, _ = read(SEED, "integration-patterns.md")
    assert document.title == "Integration Patterns"
    assert document.status == "Draft"
    assert document.last_updated is None  # still YYYY-MM-DD
    assert document.summary == "End-to-end flowsâ€”how the nouns move via the verbs."
    assert [a.pattern for a in document.anti_patterns] == [
        "Chatty services",
        "Distributed transactions",
        "Sync for fire-and-forget",
        "Events for queries",
    ]
    assert document.anti_patterns[1].problem == "2PC doesn't scale"
    assert document.anti_patterns[0].loc.line == 126
    assert [(link.text, link.target) for link in document.related] == [
        ("Shared Concepts", "shared-concepts.md"),
        ("Communication Protocols", "communication-protocols.md"),
        ("Cross-Cutting Concerns", "cross-cutting-concerns.md"),
    ]
    assert (document.related[0].loc.line, document.related[0].loc.column) == (133, 3)
    assert document.prose == ()


def test_seed_saga_is_read_as_drawn() -> None:
    document, _ = read(SEED, "integration-patterns.md")
    (saga,) = document.sagas
    assert saga.name == "Saga Pattern"
    assert saga.use_when == "Multi-service transactions requiring rollback capability."
    assert [(s.id, s.label) for s in saga.steps] == [
        ("Step1", "Create Order"),
        ("Step2", "Reserve Inventory"),
        ("Step3", "Process Payment"),
    ]
    assert (saga.start, saga.end) == ("Start", "Commit")
    assert saga.compensation_chain("Step3") == ("Comp3", "Comp2", "Comp1")
    assert saga.compensation_chain("Step2") == ("Comp2", "Comp1")
    assert saga.compensation_chain("Step1") == ("Comp1",)
    assert saga.node_label("Comp3") == "Refund Payment"
    # The Implementation bullets are still template text: absent.
    assert (saga.orchestrator, saga.state_storage, saga.timeout_ms) == (
        None,
        None,
        None,
    )
    assert (saga.loc.line, saga.loc.column) == (58, 5)
    assert (saga.steps[0].loc.line, saga.steps[0].loc.column) == (65, 19)


def test_seed_choreography_and_sync_section() -> None:
    document, _ = read(SEED, "integration-patterns.md")
    (choreography,) = document.choreographies
    assert choreography.name == "Event Choreography"
    assert [(r.service, r.event, r.direction) for r in choreography.routes] == [
        ("OrderService", "OrderCreated", RouteDirection.PUBLISH),
        ("InventoryService", "OrderCreated", RouteDirection.CONSUME),
        ("NotificationService", "OrderCreated", RouteDirection.CONSUME),
        ("InventoryService", "InventoryReserved", RouteDirection.PUBLISH),
        ("ShippingService", "InventoryReserved", RouteDirection.CONSUME),
    ]
    assert choreography.guidelines == (
        "Events are facts (past tense: `OrderCreated`, not `CreateOrder`)",
        "Each consumer is idempotent",
        "Events include correlation ID for tracing",
    )
    assert choreography.routes[0].loc.line == 91
    # All three policy bullets are placeholders: no policy, but the use-when text.
    assert document.sync_policy is None
    assert (
        document.sync_use_when
        == "Immediate response required, tight consistency needed."
    )


def test_seed_validates_without_errors(tmp_path: Path) -> None:
    path = tmp_path / "integration-patterns.md"
    shutil.copyfile(SEED_PATH, path)
    result = validate([path])
    assert result.errors == []
    assert {d.code for d in result.diagnostics if d.severity == Severity.WARNING} <= {
        "FLW205",  # its Related Documents links name files not in the set
        "FLW416",
    }


# --- a filled-in document -----------------------------------------------------


def test_filled_document_flow() -> None:
    document, diagnostics = read(FILLED, "user-registration.md")
    # the older flowc-disable comment still silences, with a note to give a reason
    assert [(d.code, d.location.line) for d in diagnostics] == [("FLW221", 11)]
    assert (document.title, document.status, document.last_updated) == (
        "Integration Patterns",
        "Approved",
        "2026-01-01",
    )
    (flow,) = document.flows
    assert flow.name == "User Registration"
    assert (flow.loc.line, flow.loc.column) == (9, 5)
    assert flow.trigger == "User submits the sign-up form"
    assert flow.outcome == "A new account exists and a welcome email is on its way"
    assert flow.sla_ms == 500
    assert flow.suppress == ("chatty-services",)
    assert flow.description == "Registration is the first flow a new user meets."
    assert [p.name for p in flow.participants] == [
        "Client",
        "Gateway",
        "AuthService",
        "UserService",
        "EventBus",
        "NotificationService",
    ]
    assert [(m.source, m.arrow, m.target, m.text) for m in flow.messages()] == [
        ("Client", "->>", "Gateway", "POST /register"),
        ("Gateway", "->>", "AuthService", "ValidateCredentials"),
        ("AuthService", "->>", "UserService", "CreateUser"),
        ("UserService", "->>", "EventBus", "UserCreated event"),
        ("UserService", "-->>", "AuthService", "User created"),
        ("AuthService", "-->>", "Gateway", "Auth token"),
        ("Gateway", "-->>", "Client", "201 Created"),
        ("EventBus", "->>", "NotificationService", "UserCreated"),
        ("NotificationService", "->>", "NotificationService", "Send welcome email"),
    ]
    assert all(isinstance(item, Message) for item in flow.sequence)  # no blocks
    first = flow.sequence[0]
    assert (first.loc.line, first.loc.column) == (26, 5)
    assert flow.errors == (
        ErrorCase(
            name="Duplicate email",
            handler="AuthService",
            status=409,
            recovery="Return existing user hint",
        ),
        ErrorCase(
            name="Validation failed",
            handler="Gateway",
            status=400,
            recovery="Return field errors",
        ),
        ErrorCase(
            name="Database timeout",
            handler="UserService",
            status=503,
            recovery="Retry with backoff",
        ),
    )
    assert [(e.loc.line, e.loc.column) for e in flow.errors] == [
        (42, 3),
        (43, 3),
        (44, 3),
    ]
    assert flow.transformations == (
        Transformation(step="Gateway", input="HTTP JSON", output="Internal DTO"),
        Transformation(step="AuthService", input="DTO", output="User entity"),
        Transformation(
            step="EventBus", input="User entity", output="Schema.org/Person event"
        ),
    )
    assert [t.loc.line for t in flow.transformations] == [50, 51, 52]


def test_filled_document_models_policy_and_prose() -> None:
    document, _ = read(FILLED, "user-registration.md")
    request, user = document.models
    assert (request.name, request.kind, request.description) == (
        "UserRegistrationRequest",
        ModelKind.DTO,
        "What the sign-up form sends.",
    )
    assert [
        (f.name, str(f.type), f.required, f.schema_org, f.secret)
        for f in request.fields
    ] == [
        ("email", "email", True, "email", False),
        ("password", "string", True, None, True),
        ("given_name", "string", True, "givenName", False),
        ("family_name", "string", False, "familyName", False),
    ]
    assert request.fields[0].type.scalar == Scalar.EMAIL
    assert (request.fields[1].loc.line, request.fields[1].loc.column) == (65, 3)
    assert (request.fields[1].type.loc.line, request.fields[1].type.loc.column) == (
        65,
        14,
    )
    assert (user.name, user.kind, user.schema_org_type) == (
        "User",
        ModelKind.ENTITY,
        "Person",
    )
    assert [f.name for f in user.fields] == ["id", "email", "given_name", "family_name"]
    assert (user.loc.line, user.loc.column) == (69, 5)
    assert document.sync_policy == SyncPolicy(
        timeout_ms=2000,
        retries=3,
        backoff="exponential",
        breaker_failures=5,
        breaker_open_ms=30000,
    )
    assert [(p.heading, p.text) for p in document.prose] == [
        ("Glossary", "A **flow** is one path through the system, start to finish.")
    ]


def test_filled_document_validates_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "user-registration.md"
    shutil.copyfile(FIXTURES / "user-registration.md", path)
    result = validate([path])
    assert result.errors == [], result.errors


YAML_TWIN = """\
title: Integration Patterns
status: Approved
last_updated: "2026-01-01"
summary: End-to-end flows—how the nouns move via the verbs.
models:
  UserRegistrationRequest:
    kind: dto
    description: What the sign-up form sends.
    fields:
      - {name: email, type: email, description: Login and contact address, schema.org: email}
      - {name: password, type: string, description: Chosen password, secret: true}
      - {name: given_name, type: string, description: First name, schema.org: givenName}
      - {name: family_name, type: string, required: false, description: Last name, schema.org: familyName}
  User:
    schema.org: Person
    fields:
      - {name: id, type: uuid, description: Server-assigned identifier, schema.org: identifier}
      - {name: email, type: email, description: Login and contact address, schema.org: email}
      - {name: given_name, type: string, description: First name, schema.org: givenName}
      - {name: family_name, type: string, required: false, description: Last name, schema.org: familyName}
flows:
  - name: User Registration
    trigger: User submits the sign-up form
    outcome: A new account exists and a welcome email is on its way
    sla: <500ms
    description: Registration is the first flow a new user meets.
    suppress: [chatty-services]
    sequence: |
      sequenceDiagram
          participant Client
          participant Gateway
          participant AuthService
          participant UserService
          participant EventBus
          participant NotificationService
          Client->>Gateway: POST /register
          Gateway->>AuthService: ValidateCredentials
          AuthService->>UserService: CreateUser
          UserService->>EventBus: UserCreated event
          UserService-->>AuthService: User created
          AuthService-->>Gateway: Auth token
          Gateway-->>Client: 201 Created
          EventBus->>NotificationService: UserCreated
          NotificationService->>NotificationService: Send welcome email
    errors:
      - {error: Duplicate email, handler: AuthService, http: 409, recovery: Return existing user hint}
      - {error: Validation failed, handler: Gateway, http: 400, recovery: Return field errors}
      - {error: Database timeout, handler: UserService, http: 503, recovery: Retry with backoff}
    transformations:
      - {step: Gateway, input: HTTP JSON, output: Internal DTO}
      - {step: AuthService, input: DTO, output: User entity}
      - {step: EventBus, input: User entity, output: Schema.org/Person event}
sync: {timeout: 2s, retries: "3, exponential backoff", circuit_breaker: "5 failures, 30s open"}
sync_use_when: Immediate response required, tight consistency needed.
anti_patterns:
  - {pattern: Chatty services, problem: Many small calls = latency, alternative: Batch operations}
  - {pattern: Events for queries, problem: Eventual consistency issues, alternative: Sync call}
prose:
  - {heading: Glossary, text: "A **flow** is one path through the system, start to finish."}
"""


def test_markdown_and_yaml_give_the_same_ir() -> None:
    from_markdown, _ = read(FILLED, "spec")
    from_yaml, problems = read_yaml(YAML_TWIN, "spec")
    assert problems == []
    assert from_yaml == from_markdown


# --- mistakes, at their line:column ------------------------------------------------


def test_mistakes_are_reported_where_they_are_written() -> None:
    text = (FIXTURES / "mistakes.md").read_text(encoding="utf-8")
    document, diagnostics = read(text, "mistakes.md")
    assert places(diagnostics) == [
        ("FLW110", 8, 10),  # SLA: soon
        ("FLW302", 14, 18),  # mermaid syntax error, inside the file
        ("FLW203", 20, 1),  # Error Handling table without HTTP
        ("FLW221", 26, 1),  # flowc-disable: the older form, no reason
        ("FLW211", 26, 38),  # flowc-disable: no-such-rule
        ("FLW207", 29, 1),  # a flowchart where a sequence diagram belongs
        ("FLW113", 47, 3),  # HTTP 4O4
        ("FLW203", 52, 1),  # Data Transformations without Step
        ("FLW204", 56, 5),  # flow without a diagram
        ("FLW111", 67, 11),  # map<string, int>
        ("FLW212", 68, 19),  # Required: perhaps
        ("FLW209", 70, 5),  # model with no table or schema
        ("FLW210", 77, 44),  # broken JSON Schema
        ("FLW207", 85, 1),  # a saga drawn as a sequence diagram
        ("FLW110", 91, 12),  # saga Timeout: eventually
        ("FLW206", 92, 3),  # Implementation bullet Color: blue
        ("FLW112", 98, 12),  # Retries: many
        ("FLW201", 99, 20),  # Circuit breaker: {threshold}
    ]
    assert (
        "HTTP" in diagnostics[2].message
        and "Error, Handler, Recovery" in diagnostics[2].message
    )
    place, refund = document.flows
    assert place.errors == ()  # its table lacks HTTP
    assert place.sla_ms is None
    assert [(e.name, e.status) for e in refund.errors] == [("Already refunded", 409)]
    assert refund.transformations == ()
    assert [m.name for m in document.models] == ["Order", "Invoice"]
    assert [f.name for f in document.models[0].fields] == ["id", "note"]
    assert document.sagas == ()
    # Timeout set, Retries unreadable, breaker a placeholder: defaults for the rest.
    assert document.sync_policy == SyncPolicy(timeout_ms=3000)


def test_pipeline_mistakes_point_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "shop.md"
    shutil.copyfile(FIXTURES / "pipeline-mistakes.md", path)
    result = validate([path])
    found = {(d.code, d.location.line) for d in result.errors}
    assert ("FLW401", 28) in found  # handler BillingService is no participant
    assert ("FLW402", 35) in found  # 'Account entity' names no model
    assert ("FLW402", 44) in found  # field type Money is no model
    assert ("FLW504", 61) in found  # Comp1 -.-> Comp2: chains do not nest
    assert all(d.location.file.endswith("shop.md") for d in result.diagnostics)


def test_tables_match_header_words_in_any_order() -> None:
    text = """\
## Key Flows

### Ping

```mermaid
sequenceDiagram
    Client->>Api: GET /ping
    Api-->>Client: 200 OK
```

| Notes | **Recovery** | HTTP Status | Handled by | Error case |
|-------|--------------|-------------|------------|------------|
| internal | Retry with backoff | 503 | Api | Upstream down |

| Output | Comment | Input | Step |
|--------|---------|-------|------|
| `Pong` | ignored | HTTP JSON | Api |
"""
    document, diagnostics = read(text)
    assert diagnostics == []
    (flow,) = document.flows
    assert flow.errors == (
        ErrorCase(
            name="Upstream down",
            handler="Api",
            status=503,
            recovery="Retry with backoff",
        ),
    )
    assert (flow.errors[0].loc.line, flow.errors[0].loc.column) == (13, 3)
    assert flow.transformations == (
        Transformation(step="Api", input="HTTP JSON", output="`Pong`"),
    )


def test_model_table_columns_in_any_order_and_flag_spellings() -> None:
    text = """\
## Shared Concepts

### Account (DTO)

| Secret | Type | Notes | Field | Required | Schema.org |
|--------|------|-------|-------|----------|------------|
| ✓ | string | x | pin | x | |
| | `list[Address]` | | addresses | ✓ | `schema:address` |
| false | enum(open, closed) | | state | true | |
"""
    document, diagnostics = read(text)
    assert diagnostics == []
    (model,) = document.models
    assert [
        (f.name, str(f.type), f.required, f.secret, f.schema_org) for f in model.fields
    ] == [
        ("pin", "string", False, True, None),
        ("addresses", "list[Address]", True, False, "address"),
        ("state", "enum(open, closed)", True, False, None),
    ]


# --- template awareness ---------------------------------------------------------


def test_path_parameters_json_and_shapes_are_not_placeholders() -> None:
    text = """\
# Orders

## Key Flows

### Get Order

**Trigger**: `GET /orders/{order_id}` from the app

```mermaid
sequenceDiagram
    Client->>Api: GET /orders/{id}
    Api-->>Client: 200 OK
```

## Shared Concepts

### Order (entity)

```json
{"type": "object", "properties": {"id": {"type": "string"}}}
```

### Line (entity)

```yaml
type: object
properties:
  sku: {type: string}
```

## Notes

A decision looks like `B{Valid?}` in a flowchart; {Fill me} is template text.
"""
    document, diagnostics = read(text)
    assert places(diagnostics) == [("FLW201", 33, 51)]
    assert document.flows[0].trigger == "`GET /orders/{order_id}` from the app"
    order, line = document.models
    assert order.json_schema == {
        "type": "object",
        "properties": {"id": {"type": "string"}},
    }
    assert line.json_schema == {
        "type": "object",
        "properties": {"sku": {"type": "string"}},
    }


def test_placeholder_values_are_absent_and_examples_are_dropped() -> None:
    text = """\
## Key Flows

### Checkout (e.g., guest checkout)

**Trigger**: {What starts it}
**SLA**: 2s

```mermaid
sequenceDiagram
    Client->>Shop: POST /checkout
```

| Error | Handler | HTTP | Recovery |
|---|---|---|---|
| {Error name} | {Service} | {code} | {What to do} |

## Cross-Boundary Patterns

### Request/Response (Sync)

**Guidelines**:
- Timeout: {default timeout}
- Retries: 5, linear backoff
"""
    document, diagnostics = read(text)
    assert {d.severity for d in diagnostics} == {Severity.NOTE}
    assert places(diagnostics)[0] == ("FLW201", 3, 14)
    (flow,) = document.flows
    assert (flow.name, flow.trigger, flow.sla_ms, flow.errors) == (
        "Checkout",
        "",
        2000,
        (),
    )
    assert document.sync_policy == SyncPolicy(retries=5, backoff="linear")


def test_shared_concepts_file_uses_level_two_headings() -> None:
    text = """\
# Shared Concepts

## Overview

The nouns of the system.

## Entities

### Customer (schema.org Person)

| Field | Type |
|---|---|
| name | string |

## OrderPlaced (event)

| Field | Type | Required |
|---|---|---|
| order_id | uuid | yes |
| customer | Customer | no |

## Shipment (entity)

Nothing here yet.
"""
    document, diagnostics = read(text, "specs/shared-concepts.md")
    assert places(diagnostics) == [("FLW209", 22, 4)]
    customer, placed = document.models
    assert (customer.name, customer.kind, customer.schema_org_type) == (
        "Customer",
        ModelKind.ENTITY,
        "Person",
    )
    assert (placed.name, placed.kind) == ("OrderPlaced", ModelKind.EVENT)
    assert placed.fields[1].type.model == "Customer"
    assert [p.heading for p in document.prose] == ["Overview"]


def test_suppressions_accept_rule_names_and_codes() -> None:
    text = """\
## Key Flows

### Ping

<!-- flowc-disable: FLW705 Chatty-Services -->

```mermaid
sequenceDiagram
    Client->>Api: GET /ping
```
"""
    document, diagnostics = read(text)
    (note,) = diagnostics
    assert note.code == "FLW221"
    assert "flowc fmt` rewrites it as <!-- flowc: ignore[FLW705, Chatty-Services]" in (
        note.hint
    )
    assert document.flows[0].suppress == ("event-not-past-tense", "chatty-services")


def test_crlf_and_odd_characters_keep_positions() -> None:
    text = "# T\r\n\r\n## Key Flows\r\n\r\n### Ping\u2028x\r\n\r\n**SLA**: later\r\n"
    _, diagnostics = read(text)
    assert places(diagnostics) == [("FLW204", 5, 5), ("FLW110", 7, 10)]


def test_heading_labels_blocks_and_a_fence_inside_a_list() -> None:
    text = """\
<!-- Bus: Broker -->

## Key Flows

### Pay

**SLA**: 1s
**SLA**: 2s

- The diagram:

  ```mermaid
  sequenceDiagram
      Client->>Api: POST /pay
      alt card ok
          Api->>Bank: Charge
          Bank-->>Api: Charged
      else declined
          Api-->>Client: 402 Payment Required
      end
      Api->>Api: Oops:
  ```

#### Error Handling

| Error | Handler | HTTP |
|---|---|---|
| Declined | Api | 402 Payment Required |

## Cross-Boundary Patterns

### Event Choreography

```mermaid
flowchart LR
    Api -->|Paid| Broker
    Broker -->|Paid| Ledger
```
"""
    document, diagnostics = read(text)
    assert places(diagnostics) == [("FLW208", 8, 1)]
    (flow,) = document.flows
    assert flow.sla_ms == 1000
    block = flow.sequence[1]
    assert block.item == "block" and block.kind == "alt"
    assert [s.label for s in block.sections] == ["card ok", "declined"]
    assert (block.loc.line, block.loc.column) == (15, 7)
    assert flow.sequence[0].loc.column == 7
    assert flow.errors == (ErrorCase(name="Declined", handler="Api", status=402),)
    assert document.bus == "Broker"
    assert [(r.service, r.direction) for r in document.choreographies[0].routes] == [
        ("Api", RouteDirection.PUBLISH),
        ("Ledger", RouteDirection.CONSUME),
    ]


def test_related_links_inline_reference_and_template() -> None:
    text = """\
## Related Documents

See [Shared Concepts][sc] and [Protocols](communication protocols.md), also
[Cross-Cutting](<cross cutting.md>) and [{Doc}]({doc}.md).

- [Déjà](d%C3%A9j%C3%A0.md)

[sc]: shared-concepts.md
"""
    document, diagnostics = read(text)
    assert places(diagnostics) == [("FLW201", 4, 42), ("FLW201", 4, 49)]
    assert [
        (link.text, link.target, link.loc.line, link.loc.column)
        for link in document.related
    ] == [
        ("Shared Concepts", "shared-concepts.md", 3, 5),
        ("Cross-Cutting", "cross cutting.md", 4, 1),
        ("Déjà", "déjà.md", 6, 3),
    ]


def test_filled_saga_implementation_and_placeholder_saga() -> None:
    text = """\
## Cross-Boundary Patterns

### Order Saga

```mermaid
flowchart LR
    subgraph "Happy Path"
        Start --> A[Create Order]
        A --> B[Charge Card]
        B --> Done[Done]
    end
    subgraph "Compensation"
        B -.->|Failed| CB[Refund]
        CB -.-> CA[Cancel Order]
        A -.->|Failed| CA
    end
```

**Implementation**:
- **Orchestrator**: `OrderService`
- State storage: postgresql://db/sagas
- Timeout: 30s

### {Name} Saga

{Same structure}
"""
    document, diagnostics = read(text)
    assert places(diagnostics) == [
        ("FLW201", 24, 5),
        ("FLW202", 24, 5),
        ("FLW201", 26, 1),
    ]
    (saga,) = document.sagas
    assert saga.name == "Order Saga"
    assert [s.label for s in saga.steps] == ["Create Order", "Charge Card"]
    assert saga.compensation_chain("B") == ("CB", "CA")
    assert (saga.orchestrator, saga.state_storage, saga.timeout_ms) == (
        "OrderService",
        "postgresql://db/sagas",
        30_000,
    )


# --- robustness ---------------------------------------------------------------------


def _mutate(text: str, edits: list[tuple[int, int, int]]) -> str:
    lines = text.split("\n")
    for kind, first, second in edits:
        if not lines:
            break
        i, j = first % len(lines), second % len(lines)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(0, 10_000)),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    EDITS,
    st.sampled_from(
        [SEED, FILLED, (FIXTURES / "mistakes.md").read_text(encoding="utf-8")]
    ),
)
def test_line_mutations_never_raise(
    edits: list[tuple[int, int, int]], base: str
) -> None:
    document, diagnostics = read_markdown(_mutate(base, edits), "mutated.md")
    assert document is not None
    assert all(d.location.line >= 1 and d.location.column >= 1 for d in diagnostics)


MARKDOWN_BITS = st.sampled_from(
    [
        "# ",
        "## Key Flows\n",
        "## Shared Concepts\n",
        "## Cross-Boundary Patterns\n",
        "### Saga Pattern\n",
        "### Event Choreography\n",
        "### Request/Response (Sync)\n",
        "## Anti-Patterns\n",
        "## Related Documents\n",
        "### X\n",
        "```mermaid\n",
        "```json\n",
        "```\n",
        "sequenceDiagram\n",
        "flowchart LR\n",
        "A->>B: x\n",
        "A -.->|Failed| B\n",
        "| Error | Handler | HTTP |\n",
        "|---|---|---|\n",
        "| a | b | c |\n",
        "**Trigger**: ",
        "**SLA**: ",
        "- Timeout: ",
        "{x}",
        "(e.g., y)",
        "YYYY-MM-DD",
        "<!-- flowc-disable: ",
        "-->",
        "[l](t.md)",
        "\n",
        "\r",
        "\t",
        "> ",
        "* ",
        "1. ",
        "|",
        "\u2028",
        "\x00",
        "\ufeff",
        "â€”",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=400),
        st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=8)), max_size=60).map(
            "".join
        ),
    )
)
def test_random_text_never_raises(text: str) -> None:
    document, _ = read_markdown(text, "random.md")
    assert document is not None


def test_deep_nesting_does_not_raise() -> None:
    for text in ("> " * 5000 + "x", "- " * 5000 + "x", "[" * 5000 + "](x)", "#" * 5000):
        document, _ = read_markdown(text, "deep.md")
        assert document is not None


def test_five_thousand_lines_read_quickly() -> None:
    head, rest = FILLED.split("## Key Flows", 1)
    flow, tail = rest.split("## Shared Concepts", 1)
    copies = []
    index = 0
    while sum(c.count("\n") for c in copies) < 5000:
        copies.append(flow.replace("User Registration", f"User Registration {index}"))
        index += 1
    text = head + "## Key Flows" + "".join(copies) + "## Shared Concepts" + tail
    document, diagnostics = read(text, "big.md")
    assert len(document.flows) == index
    assert {d.code for d in diagnostics} == {"FLW221"}  # each copy's flowc-disable


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_fixture_positions_are_inside_the_file(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    _, diagnostics = read(text, name)
    lines = text.split("\n")
    for diagnostic in diagnostics:
        assert 1 <= diagnostic.location.line <= len(lines)
        assert (
            diagnostic.location.column <= len(lines[diagnostic.location.line - 1]) + 1
        )
