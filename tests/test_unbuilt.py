"""Nothing is read and then silently dropped.

What flowc reads but does not turn into code yet (sagas, scheduled triggers,
the Request/Response flowchart, stray text in a known section) gets a warning
or a note at its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import validate
from flowc.checks.triggers import schedule_of
from flowc.diagnostics import Diagnostic, Severity
from flowc.model import Flow

SEED = Path("/work/shared/seed/integration-patterns.md")

FLOW = """\
### Order Export

**Trigger**: {trigger}
**Outcome**: Orders are exported

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant OrderService
    Client->>Gateway: POST /exports
    Gateway->>OrderService: ExportOrders
    OrderService-->>Gateway: Export id
    Gateway-->>Client: 202 Accepted
```
"""


def _doc(body: str, trigger: str = "An operator asks for an export") -> str:
    return (
        "# Integration Patterns\n\n## Key Flows\n\n"
        + FLOW.format(trigger=trigger)
        + "\n"
        + body
    )


def _check(tmp_path: Path, text: str, name: str = "spec.md") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(validate([path]).diagnostics)


def _found(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, int, int]]:
    return [
        (d.severity.value, d.location.line, d.location.column)
        for d in diagnostics
        if d.code == code
    ]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- sagas -------------------------------------------------------------------

SAGA = """\
## Cross-Boundary Patterns

### Order Saga

**Use when**: An order must roll back as a whole.

```mermaid
flowchart LR
    subgraph "Happy Path"
        Start --> Step1[Create Order]
        Step1 --> Step2[Process Payment]
        Step2 --> Commit[Complete]
    end
    subgraph "Compensation"
        Step2 -.->|Failed| Comp1[Cancel Order]
        Step1 -.->|Failed| Comp1
    end
```
"""

IMPLEMENTATION = """
**Implementation**:
- Orchestrator: OrderService
- State storage: sqlite:///sagas.db
- Timeout: 30s
"""


def test_a_saga_says_how_it_runs_at_its_heading(tmp_path: Path) -> None:
    text = _doc(SAGA)
    found = _check(tmp_path, text)
    line = _line_of(text, "### Order Saga")
    assert _found(found, "FLW510") == [("note", line, 5)]
    message = next(d.message for d in found if d.code == "FLW510")
    assert "'Order Saga' runs on DBOS as OrderSaga@v" in message
    assert "POST /_flowc/sagas/order-saga" in message  # no flow is named like it


def test_the_saga_note_names_its_state_storage(tmp_path: Path) -> None:
    found = _check(tmp_path, _doc(SAGA + IMPLEMENTATION))
    (message,) = [d.message for d in found if d.code == "FLW510"]
    assert "state in sqlite:///sagas.db" in message
    assert not _found(found, "FLW215")


def test_a_flow_named_like_the_saga_runs_through_it(tmp_path: Path) -> None:
    found = _check(
        tmp_path, _doc(SAGA.replace("### Order Saga", "### Order Export Saga"))
    )
    (message,) = [d.message for d in found if d.code == "FLW510"]
    assert "flow 'Order Export' runs through it" in message


def test_a_yaml_saga_gets_the_note_too(tmp_path: Path) -> None:
    text = """\
flowc: 1
sagas:
  - name: Order Saga
    steps:
      - {id: Step1, label: Create Order}
    compensations:
      - {id: Comp1, label: Cancel Order}
    on_failure:
      - {step: Step1, compensate: Comp1}
    orchestrator: OrderService
"""
    found = _check(tmp_path, text, "sagas.flow.yaml")
    assert _found(found, "FLW510") == [("note", 3, 5)]


def test_the_unfilled_templates_saga_stays_a_note() -> None:
    found = list(validate([SEED]).diagnostics)
    assert not _found(found, "FLW510")
    assert {d.severity for d in found} == {Severity.NOTE}


# --- scheduled triggers ------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "schedule"),
    [
        ("Nightly export (`0 2 * * *`)", "`0 2 * * *`"),
        ("A cron job at `@daily`", "`@daily`"),
        ("Runs every 15 minutes", "every 15 minutes"),
        ("Nightly, after the books close", "Nightly"),
        ("A scheduled job exports orders", "scheduled"),
    ],
)
def test_a_scheduled_trigger_is_a_warning_at_its_line(
    tmp_path: Path, trigger: str, schedule: str
) -> None:
    text = _doc("", trigger)
    found = _check(tmp_path, text)
    line = _line_of(text, "**Trigger**")
    assert _found(found, "FLW419") == [("warning", line, len("**Trigger**: ") + 1)]
    (message,) = [d.message for d in found if d.code == "FLW419"]
    assert schedule in message and "'Order Export'" in message


@pytest.mark.parametrize(
    "trigger",
    [
        "A visitor submits the form (`POST /exports`)",
        "OrderPlaced event",
        "User edits their delivery schedule",
        "",
    ],
)
def test_other_triggers_are_no_schedule(tmp_path: Path, trigger: str) -> None:
    assert schedule_of(trigger) is None
    assert not _found(_check(tmp_path, _doc("", trigger)), "FLW419")


def test_a_yaml_cron_trigger_runs_on_its_schedule(tmp_path: Path) -> None:
    text = """\
flowc: 1
flows:
  - name: Order Export
    trigger: Every night at two (`0 2 * * *`)
    steps:
      - {call: ExportOrders, from: Scheduler, to: OrderService}
"""
    found = _check(tmp_path, text, "export.flow.yaml")
    assert not _found(found, "FLW419")
    assert _found(found, "FLW511") == [("note", 4, 14)]
    (message,) = [d.message for d in found if d.code == "FLW511"]
    assert "OrderService.export_orders" in message


def test_the_trigger_location_is_not_part_of_equality(tmp_path: Path) -> None:
    flow = Flow(name="Export", trigger="daily")
    moved = flow.model_copy(update={"trigger_loc": flow.loc.model_copy()})
    assert flow == moved
    assert "trigger_loc" not in flow.model_dump()


# --- the Request/Response flowchart -------------------------------------------

SYNC = """\
## Cross-Boundary Patterns

### Request/Response (Sync)

**Use when**: Immediate response required.

```mermaid
flowchart LR
    Client --> Gateway
    Gateway --> Client
```

**Guidelines**:
- Timeout: 2s
- Retries: 3, exponential backoff
- Circuit breaker: 5 failures, 30s open
"""


def test_sync_arrows_to_and_from_the_outside_give_no_finding(tmp_path: Path) -> None:
    found = _check(tmp_path, _doc(SYNC))
    assert not _found(found, "FLW214")
    assert not [d for d in found if d.severity is not Severity.NOTE]


def test_a_sync_arrow_naming_no_service_is_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    text = _doc(SYNC.replace("Gateway --> Client", "Gateway --> ServiceA"))
    found = _check(tmp_path, text)
    assert _found(found, "FLW214") == [
        ("warning", _line_of(text, "Gateway --> ServiceA"), 5)
    ]


def test_a_sync_arrow_to_a_service_without_operations_is_a_warning(
    tmp_path: Path,
) -> None:
    text = _doc(SYNC.replace("Gateway --> Client", "OrderService --> Gateway"))
    found = _check(tmp_path, text)
    [finding] = [d for d in found if d.code == "FLW214"]
    assert finding.location.line == _line_of(text, "OrderService --> Gateway")
    assert "no flow draws an operation of Gateway" in finding.message


def test_the_seed_flowchart_is_a_template_note_and_nothing_worse() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = list(validate([SEED]).diagnostics)
    first_arrow = _line_of(text, "    Client --> Gateway")
    assert ("note", first_arrow, 5) in _found(found, "FLW202")
    assert not _found(found, "FLW214")
    assert not _found(found, "FLW215")


# --- text that belongs to no part of a known section ---------------------------


def _unread(found: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return _found(found, "FLW215")


def test_key_flows_intro_text_is_a_warning(tmp_path: Path) -> None:
    text = _doc("").replace(
        "## Key Flows\n\n", "## Key Flows\n\nThese are our flows.\n\n- one\n- two\n\n"
    )
    found = _check(tmp_path, text)
    assert _unread(found) == [
        ("warning", _line_of(text, "These are our flows"), 1),
        ("warning", _line_of(text, "- one"), 1),
    ]
    message = next(d.message for d in found if d.code == "FLW215")
    assert "'Key Flows'" in message and "not turned into code" in message


def test_an_unknown_label_in_a_flow_is_a_warning(tmp_path: Path) -> None:
    text = _doc("").replace("**Outcome**:", "**Owner**: the exports team\n**Outcome**:")
    found = _check(tmp_path, text)
    assert _unread(found) == [("warning", _line_of(text, "**Owner**"), 1)]
    message = next(d.message for d in found if d.code == "FLW215")
    assert "**Owner**" in message and "'Order Export'" in message


def test_a_table_no_flow_part_fits_is_a_warning(tmp_path: Path) -> None:
    text = _doc("| Metric | Target |\n|---|---|\n| p99 | 200ms |\n")
    found = _check(tmp_path, text)
    assert _unread(found) == [("warning", _line_of(text, "| Metric"), 1)]


def test_a_second_kind_of_diagram_in_a_flow_is_a_warning(tmp_path: Path) -> None:
    text = _doc("```mermaid\nflowchart LR\n    A --> B\n```\n")
    found = _check(tmp_path, text)
    assert _unread(found) == [("warning", _line_of(text, "flowchart LR") - 1, 1)]


def test_free_text_in_a_flow_is_its_description(tmp_path: Path) -> None:
    text = _doc("Exports feed the accounting system.\n")
    assert not _unread(_check(tmp_path, text))


def test_stray_parts_of_a_saga_are_warnings(tmp_path: Path) -> None:
    body = SAGA.replace(
        "## Cross-Boundary Patterns\n\n",
        "## Cross-Boundary Patterns\n\nHow our services cooperate.\n\n",
    ) + (
        "\nThe saga was agreed in review.\n\n"
        "**Owners**:\n- Team A\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "- a loose list\n\n"
        "```mermaid\nflowchart LR\n    X --> Y\n```\n"
    )
    text = _doc(body)
    found = _check(tmp_path, text)
    assert _unread(found) == [
        ("warning", _line_of(text, "How our services cooperate"), 1),
        ("warning", _line_of(text, "The saga was agreed"), 1),
        ("warning", _line_of(text, "**Owners**"), 1),
        ("warning", _line_of(text, "| A | B |"), 1),
        ("warning", _line_of(text, "- a loose list"), 1),
        ("warning", _line_of(text, "X --> Y") - 2, 1),
    ]
    owners = next(d.message for d in found if "**Owners**" in d.message)
    assert "'Order Saga'" in owners and "Implementation" in owners


def test_stray_parts_of_shared_concepts_are_warnings(tmp_path: Path) -> None:
    text = (
        "# Integration Patterns\n\n## Shared Concepts\n\nOur nouns.\n\n"
        "### Order (entity)\n\nAn order.\n\n"
        "| Field | Type | Required | Description |\n|---|---|---|---|\n"
        "| id | uuid | yes | The id |\n\n"
        "- invariant: total >= 0\n\n"
        "#### History\n\nOrders used to be carts.\n"
    )
    found = _check(tmp_path, text)
    assert _unread(found) == [
        ("warning", _line_of(text, "Our nouns"), 1),
        ("warning", _line_of(text, "- invariant"), 1),
        ("warning", _line_of(text, "#### History"), 6),
    ]


def test_prose_sections_comments_and_rules_are_not_reported(tmp_path: Path) -> None:
    text = _doc(
        "<!-- flowc-disable: chatty-services -->\n\n"
        "## Background\n\nWhy we built this.\n\n- a list\n\n---\n\n*footer*\n"
    ).replace("## Key Flows\n\n", "## Key Flows\n\n<!-- reviewed -->\n\n---\n\n")
    assert not _unread(_check(tmp_path, text))


def test_the_example_has_only_its_saga_note() -> None:
    found = list(validate([REPO / "specs"]).diagnostics)
    assert [(d.code, d.severity.value) for d in found] == [("FLW510", "note")]
