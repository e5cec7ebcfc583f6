"""The one analysis on small documents: what each flow, operation, error and event means."""

from __future__ import annotations

from pathlib import Path

from flowc.api import validate
from flowc.checks.analysis import Analysis
from flowc.model import Scalar

MODELS = """
## Shared Concepts

### Account (entity)

| Field | Type | Required | Description |
|-------|------|----------|-------------|
| id | uuid | yes | Account id |
| display-name | string | no | Shown name |

### UpdateAccountRequest (DTO)

| Field | Type | Required | Description |
|-------|------|----------|-------------|
| id | uuid | yes | Account id |
| display-name | string | yes | Shown name |

### GetAccountDTO (DTO)

| Field | Type | Required | Description |
|-------|------|----------|-------------|
| id | uuid | yes | Account id |

### AccountUpdated (event)

| Field | Type | Required | Description |
|-------|------|----------|-------------|
| id | uuid | yes | Account id |
"""


def flow(name: str, route: str, lines: str, errors: str = "") -> str:
    table = (
        "\n**Error Handling**:\n\n| Error | Handler | HTTP | Recovery |\n|---|---|---|---|\n"
        + errors
        if errors
        else ""
    )
    return f"""
### {name}

**Trigger**: A user acts (`{route}`)
**Outcome**: Done
**SLA**: 1s

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant AccountService
    participant EventBus
    Client->>Gateway: {route}
{lines}
```
{table}
"""


def analyse(tmp_path: Path, *flows: str) -> Analysis:
    spec = tmp_path / "integration-patterns.md"
    spec.write_text("# Accounts\n\n## Key Flows\n" + "".join(flows) + MODELS)
    result = validate([spec])
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.analysis is not None
    return result.analysis


UPDATE = flow(
    "Update Account",
    "PUT /accounts/{id}",
    """    Gateway->>AccountService: CheckOwner
    AccountService-->>Gateway: Allowed
    Gateway->>AccountService: UpdateAccount
    AccountService-->>Gateway: Account entity
    Gateway-->>Client: 200 OK
    AccountService->>EventBus: AccountUpdated event""",
    "| Not found | AccountService | 404 | Check the id |\n",
)
GET = flow(
    "Get Account",
    "GET /accounts/{id}",
    """    Gateway->>AccountService: CheckOwner
    AccountService-->>Gateway: Allowed
    Gateway->>AccountService: FindAccount
    AccountService-->>Gateway: Account entity
    Gateway-->>Client: 200 OK""",
    "| Not found | AccountService | 410 | Gone for good |\n",
)
DELETE = flow(
    "Delete Account",
    "DELETE /accounts/{id}",
    """    Gateway->>AccountService: DeleteAccount
    AccountService-->>Gateway: Deleted
    Gateway-->>Client: 204 No Content""",
)


def test_one_error_class_each_flow_its_own_status(tmp_path: Path) -> None:
    analysis = analyse(tmp_path, UPDATE, GET)
    assert list(analysis.errors) == ["NotFoundError"]
    answers = {(r.flow, r.class_name): r.status for r in analysis.error_rows}
    assert answers == {
        ("Update Account", "NotFoundError"): 404,
        ("Get Account", "NotFoundError"): 410,
    }
    by_flow = {route.flow: route for route in analysis.routes}
    assert [r.status for r in by_flow["Get Account"].errors] == [410]


def test_an_operation_called_from_several_flows_takes_each_callers_model(
    tmp_path: Path,
) -> None:
    analysis = analyse(tmp_path, UPDATE, GET)
    check = next(
        op
        for op in analysis.services["AccountService"].operations
        if op.name == "check_owner"
    )
    assert check.input is not None and check.input.kind == "union"
    assert check.input.models == ("UpdateAccountRequest", "GetAccountRequest")
    assert check.flows == ["Update Account", "Get Account"]


def test_path_parameters_take_the_type_of_the_field_they_name(tmp_path: Path) -> None:
    analysis = analyse(tmp_path, UPDATE, GET)
    by_flow = {route.flow: route for route in analysis.routes}
    (update,) = by_flow["Update Account"].path_params
    assert update.type.scalar == Scalar.UUID and update.in_body
    (get,) = by_flow["Get Account"].path_params
    assert get.type.scalar == Scalar.UUID and not get.in_body
    derived = analysis.model("GetAccountRequest")
    assert derived is not None and derived.fields[0].type.scalar == Scalar.UUID


def test_a_204_route_answers_no_body(tmp_path: Path) -> None:
    (route,) = analyse(tmp_path, DELETE).routes
    assert route.status == 204 and route.no_content and route.response is None


def test_an_event_drawn_after_the_reply_is_published_by_the_operation(
    tmp_path: Path,
) -> None:
    analysis = analyse(tmp_path, UPDATE)
    update = next(
        op
        for op in analysis.services["AccountService"].operations
        if op.name == "update_account"
    )
    assert [step.kind for step in update.steps][-1] == "publish"
    assert analysis.events["AccountUpdated"].publishers == ["AccountService"]
