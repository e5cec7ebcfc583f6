"""Combinations the example never had, driven over HTTP (each seen in other teams' documents).

Each test generates a corpus document into a temporary folder and drives the
generated app in a fresh interpreter (each package is imported once there).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import REPO
from flowc.api import generate
from flowc.checks.analysis import Analysis
from signup import errors, models
from signup.app import Implementations, create_app
from signup.runtime import POLICIES, Settings
from signup.testing import (
    FakeNotificationService,
    FakeUserService,
    fake_implementations,
    published,
    record_events,
)

CORPUS = REPO / "tests" / "fixtures" / "specs"
SIGNUP = {
    "email": "ada@example.com",
    "password": "correct horse battery staple",
    "given_name": "Ada",
    "family_name": "Lovelace",
}


def run_generated(document: str, package: str, script: str, tmp_path: Path) -> object:
    """Generate corpus ``document`` as ``package``, run ``script`` there, return its JSON."""
    return run_in_generated(CORPUS / document, package, script, tmp_path)


def run_in_generated(specs: Path, package: str, script: str, tmp_path: Path) -> object:
    """Generate the spec folder ``specs`` as ``package``, run ``script`` there, return its JSON."""
    result = generate([specs], tmp_path / "generated", None, package=package)
    assert result.exit_code == 0, [str(d) for d in result.diagnostics]
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=tmp_path / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_an_update_by_id_gets_the_id_from_the_path_and_never_from_the_body(
    tmp_path: Path,
) -> None:
    found = run_generated(
        "directory",
        "directory",
        """
        import dataclasses, json
        from fastapi.testclient import TestClient
        from directory.app import create_app
        from directory.runtime import Settings
        from directory.testing import TEST_TOKEN, FakePeopleService, fake_implementations

        received = []

        class Recording(FakePeopleService):
            async def update_person(self, payload=None):
                received.append(str(payload.id))
                return await super().update_person(payload)

        app = create_app(dataclasses.replace(fake_implementations(), people_service=Recording), Settings())
        headers = {"Authorization": f"Bearer {TEST_TOKEN}"}
        person = {"given-name": "Ada", "family-name": "Lovelace", "email": "ada@example.com"}
        path_id = "7a3f0b8e-6c1d-4f2a-9b5e-0c4d8e2f1a6b"
        with TestClient(app) as client:
            updated = client.put(f"/people/{path_id}", json=person, headers=headers)
            twice = client.put(f"/people/{path_id}", json={**person, "id": path_id}, headers=headers)
            not_a_uuid = client.put("/people/42", json=person, headers=headers)
            spec = client.get("/openapi.json").json()
        body_schema = spec["paths"]["/people/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
        body = spec["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[-1]]
        parameter = spec["paths"]["/people/{id}"]["put"]["parameters"][0]
        print(json.dumps({
            "status": updated.status_code, "received": received,
            "twice": twice.status_code, "not_a_uuid": not_a_uuid.status_code,
            "body_fields": sorted(body["properties"]), "parameter": parameter["schema"],
        }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["status"] == 200
    assert found["received"] == ["7a3f0b8e-6c1d-4f2a-9b5e-0c4d8e2f1a6b"]
    assert (
        found["twice"] == 422
    )  # the id belongs to the path; the body may not repeat it
    assert found["not_a_uuid"] == 422
    assert "id" not in found["body_fields"]
    assert found["parameter"] == {"type": "string", "format": "uuid", "title": "Id"}


def test_one_error_answers_each_flows_own_status_through_the_service_its_diagram_calls(
    tmp_path: Path,
) -> None:
    """ "Not found" is 404 when getting a person and 410 when deleting one."""
    found = run_generated(
        "directory",
        "directory",
        """
        import json
        from fastapi.testclient import TestClient
        from directory import errors
        from directory.testing import TEST_TOKEN, FakePeopleService, create_test_app, service_of

        app = create_test_app()
        headers = {"Authorization": f"Bearer {TEST_TOKEN}"}
        people = service_of(app, "PeopleService", FakePeopleService)
        people.recorder.fail["find_person"] = errors.NotFoundError("no such person")
        people.recorder.fail["delete_person"] = errors.NotFoundError("no such person")
        with TestClient(app) as client:
            got = client.get("/people/7a3f0b8e-6c1d-4f2a-9b5e-0c4d8e2f1a6b", headers=headers)
            deleted = client.delete("/people/7a3f0b8e-6c1d-4f2a-9b5e-0c4d8e2f1a6b", headers=headers)
        print(json.dumps({
            "get": [got.status_code, got.json()["type"], got.json().get("hint")],
            "delete": [deleted.status_code, deleted.json()["type"], deleted.json().get("hint")],
            "calls": people.recorder.calls,
        }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["get"] == [404, "/problems/not-found", "Check the id"]
    assert found["delete"] == [
        410,
        "/problems/not-found",
        "The person was already removed",
    ]
    assert found["calls"] == ["find_person", "delete_person"]


def test_an_event_drawn_after_the_reply_is_published(tmp_path: Path) -> None:
    found = run_generated(
        "petstore",
        "petstore",
        """
        import json
        from fastapi.testclient import TestClient
        from petstore.testing import TEST_TOKEN, create_test_app, published
        from petstore.testing.samples.add_pet_body import sample_update_pet_request

        app = create_test_app()
        pet = sample_update_pet_request().model_dump(mode="json", by_alias=True)
        pet.pop("petId", None)
        with TestClient(app) as client:
            response = client.put("/pets/1", json=pet, headers={"Authorization": f"Bearer {TEST_TOKEN}", "api_key": "k"})
        print(json.dumps({"status": response.status_code, "events": [e.type for e in published(app)]}))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["status"] == 200, found
    assert "PetUpdated" in found["events"]


def test_a_mapping_never_forces_an_optional_output_field(tmp_path: Path) -> None:
    found = run_generated(
        "directory",
        "directory",
        """
        import inspect, json
        from directory.mappings.update_person import update_person_request_to_person
        signature = inspect.signature(update_person_request_to_person)
        print(json.dumps({"user_name": str(signature.parameters["user_name"].default)}))
        """,
        tmp_path,
    )
    assert found == {"user_name": "None"}


def test_a_body_is_held_to_the_json_types_its_schema_declares(tmp_path: Path) -> None:
    """pydantic's lax mode would take false for an integer; the schema says no."""
    found = run_generated(
        "shop",
        "shop",
        """
        import json
        from fastapi.testclient import TestClient
        from shop.app import create_app
        from shop.runtime import Settings
        from shop.testing import TEST_TOKEN, fake_implementations

        client = TestClient(create_app(fake_implementations(), Settings()))
        headers = {"Authorization": f"Bearer {TEST_TOKEN}"}
        order = {"customer_email": "ada@example.com", "card_token": "tok_1", "items": [{"sku": "A-1", "quantity": 2}]}
        answers = {}
        for name, quantity in [("int", 2), ("false", False), ("text", "2"), ("float", 2.0)]:
            sent = {**order, "items": [{"sku": "A-1", "quantity": quantity}]}
            response = client.post("/orders", json=sent, headers=headers)
            answers[name] = [response.status_code, response.json().get("errors")]
        print(json.dumps(answers))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["int"][0] == 201
    for refused in ("false", "text", "float"):
        status, field_errors = found[refused]
        assert status == 422, refused  # the shop's "Invalid order" row
        assert [(e["field"], e["problem"]) for e in field_errors] == [
            ("items.0.quantity", "wrong type")
        ], refused


def test_an_optional_field_the_flow_needs_is_required_at_the_boundary(
    tmp_path: Path,
) -> None:
    """AddPetRequest.tags is optional but Pet.tags is required: the route's body
    requires it, the OpenAPI says so, and a request without it gets the
    validation row's 400 naming the field, not a failure half-way through."""
    found = run_generated(
        "petstore",
        "petstore",
        """
        import json
        from fastapi.testclient import TestClient
        from petstore.app import create_app
        from petstore.runtime import Settings
        from petstore.testing import TEST_TOKEN, fake_implementations

        client = TestClient(create_app(fake_implementations(), Settings()))
        headers = {"Authorization": f"Bearer {TEST_TOKEN}"}
        pet = {
            "name": "Rex",
            "photoUrls": [],
            "category": {"id": 1, "name": "Dogs"},
            "tags": [{"id": 1, "name": "house-trained"}],
            "status": "available",
        }
        document = client.get("/openapi.json").json()
        body = document["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = document["components"]["schemas"][body.rsplit("/", 1)[1]]
        without = {k: v for k, v in pet.items() if k != "tags"}
        missing = client.post("/pets", json=without, headers=headers)
        print(json.dumps({
            "required": sorted(schema["required"]),
            "with": client.post("/pets", json=pet, headers=headers).status_code,
            "without": [missing.status_code, missing.json()["errors"]],
        }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert {"status", "tags"} <= set(found["required"])
    assert found["with"] == 201
    status, field_errors = found["without"]
    assert status == 400
    assert [(e["field"], e["problem"]) for e in field_errors] == [("tags", "missing")]


def test_a_decimal_field_documents_the_strings_it_accepts(tmp_path: Path) -> None:
    found = run_generated(
        "customers-orders",
        "customers",
        """
        import json, re
        from fastapi.testclient import TestClient
        from customers.app import create_app
        from customers.runtime import Settings
        from customers.testing import fake_implementations

        client = TestClient(create_app(fake_implementations(), Settings()))
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
        limit = schemas["CreateCustomerRequest"]["properties"]["credit_limit"]
        answers = {
            text: [bool(re.fullmatch(limit["pattern"], text)), client.post("/customers", json={"name": "Acme", "credit_limit": text}).status_code]
            for text in ["12.50", "-3", ".5", "1e3", "", "abc", "1.2.3"]
        }
        print(json.dumps(answers))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    for text, (documented, status) in found.items():
        assert documented == (status == 201), (text, documented, status)
    assert found["12.50"] == [True, 201]
    assert found[""] == [False, 400]


def test_a_request_response_arrow_gives_the_caller_a_typed_client(
    tmp_path: Path,
) -> None:
    """The shop's Request/Response flowchart draws ShippingService --> OrderService,
    which no sequence diagram does: ShippingService still gets a client for
    OrderService, under the section's policy (800 ms, 2 retries), and its code
    can call it while consuming an event that a POST set off."""
    found = run_generated(
        "shop",
        "shop",
        """
        import dataclasses, json
        from uuid import UUID
        from fastapi.testclient import TestClient
        from shop import models
        from shop.app import create_app
        from shop.clients.order_service import OrderServiceClient
        from shop.runtime import POLICIES, Settings
        from shop.testing import TEST_TOKEN, FakeOrderService, FakeShippingService, fake_implementations, service_of

        looked_up = []

        class Shipping(FakeShippingService):
            async def on_stock_reserved(self, event, tx):
                await super().on_stock_reserved(event, tx)
                order = await self.order_service.lookup_order(
                    models.GetOrderRequest(order_id=UUID("00000000-0000-4000-8000-000000000001"))
                )
                looked_up.append(str(order.id))

        app = create_app(dataclasses.replace(fake_implementations(), shipping_service=Shipping), Settings())
        order = {"customer_email": "ada@example.com", "card_token": "tok_1", "items": [{"sku": "A-1", "quantity": 2}]}
        with TestClient(app) as client:
            status = client.post("/orders", json=order, headers={"Authorization": f"Bearer {TEST_TOKEN}"}).status_code
            orders = service_of(app, "OrderService", FakeOrderService)
            shipping = service_of(app, "ShippingService", Shipping)
            policy = POLICIES["OrderService"]
            print(json.dumps({
                "status": status,
                "client": isinstance(shipping.order_service, OrderServiceClient),
                "looked_up": looked_up,
                "order_service_calls": orders.recorder.calls,
                "policy": [policy.timeout, policy.retries],
            }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["status"] == 201
    assert found["client"] is True
    assert found["looked_up"] == ["00000000-0000-4000-8000-000000000001"]
    assert found["order_service_calls"] == ["place_order", "lookup_order"]
    assert found["policy"] == [0.8, 2]


# --- the runtime, on the committed example ------------------------------------------


class DownUserService(FakeUserService):
    async def create_user(self, user: models.User) -> models.User:
        await self.recorder.enter("create_user")
        raise errors.DatabaseTimeoutError("the users table did not answer")


def test_retries_count_once_against_the_shared_breaker() -> None:
    """One request's retries never open the breaker for everyone, and a request
    that exhausts its retries answers the spec's error, not the breaker's 503."""
    policy = POLICIES["UserService"]
    app = create_app(
        Implementations(
            **{**vars(fake_implementations()), "user_service": DownUserService}
        ),
        Settings(retry_wait_initial=0, retry_jitter=0),
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [
            client.post("/register", json=SIGNUP).json()["type"]
            for _ in range(policy.breaker_failures + 1)
        ]
    assert (
        answers[: policy.breaker_failures]
        == ["/problems/database-timeout"] * policy.breaker_failures
    )
    assert answers[-1] == "/problems/service-unavailable"


class SlowConsumer(FakeNotificationService):
    async def on_user_created(self, event: object, tx: object) -> None:
        import asyncio

        await asyncio.sleep(0.8)  # longer than the flow's 500 ms SLA
        await super().on_user_created(event, tx)  # type: ignore[arg-type]


class FlakyConsumer(FakeNotificationService):
    failures = 0

    async def on_user_created(self, event: object, tx: object) -> None:
        if FlakyConsumer.failures < 2:
            FlakyConsumer.failures += 1
            raise RuntimeError("the mail server hiccuped")
        await super().on_user_created(event, tx)  # type: ignore[arg-type]


@pytest.mark.parametrize("consumer", [SlowConsumer, FlakyConsumer])
def test_consumers_run_after_the_answer_and_failures_are_retried(
    consumer: type[FakeNotificationService],
) -> None:
    app = create_app(
        Implementations(
            **{**vars(fake_implementations()), "notification_service": consumer}
        ),
        Settings(retry_wait_initial=0, retry_jitter=0),
    )
    record_events(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/register", json=SIGNUP)
    assert response.status_code == 201
    assert [e.type for e in published(app)] == ["UserCreated"]
    runtime = app.state.runtime
    assert runtime.bus.failures == []
    notifications = runtime.services["NotificationService"]
    assert "send_welcome_email" in notifications.recorder.calls


def test_the_validation_row_is_the_one_whose_handler_receives_the_request(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "integration-patterns.md"
    spec.write_text(
        (CORPUS / "directory" / "integration-patterns.md")
        .read_text(encoding="utf-8")
        .replace(
            "| Validation failed | Gateway | 400 | Return field errors |",
            "| Bad person | PeopleService | 409 | Return field errors |\n"
            "| Validation failed | Gateway | 400 | Return field errors |",
            1,
        ),
        encoding="utf-8",
    )
    from flowc.api import validate

    analysis = validate([spec]).analysis
    assert isinstance(analysis, Analysis)
    route = next(r for r in analysis.routes if r.flow == "Create Person")
    assert route.validation is not None and route.validation.status == 400
    assert [row.status for row in route.errors if row.kind == "field_errors"] == [409]


def test_an_event_triggered_flow_is_bounded_by_its_sla(tmp_path: Path) -> None:
    """The edge document's Reset Email Sent flow starts with the event; with an
    SLA, a consumer over budget is cancelled, retried, then parked, never left running.
    """
    spec = (CORPUS / "edge" / "integration-patterns.md").read_text(encoding="utf-8")
    folder = tmp_path / "edge"
    folder.mkdir()
    (folder / "integration-patterns.md").write_text(
        spec.replace(
            "**Outcome**: The account records when the email went out",
            "**Outcome**: The account records when the email went out\n**SLA**: 200ms",
        ),
        encoding="utf-8",
    )
    result = generate([folder], tmp_path / "generated", None, package="edge")
    assert result.exit_code == 0, [str(d) for d in result.diagnostics]
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
                import asyncio, dataclasses, json
                from edge.app import create_app
                from edge.events import envelope
                from edge.runtime import Settings
                from edge.testing import FakeAccounts, fake_implementations
                from edge.testing.samples.reset_email_sent import sample_reset_email_sent

                runs = []

                class Slow(FakeAccounts):
                    async def on_reset_email_sent(self, event, tx):
                        runs.append("started")
                        await asyncio.sleep(5)
                        runs.append("finished")

                async def main():
                    app = create_app(dataclasses.replace(fake_implementations(), accounts=Slow), Settings(consumer_attempts=2, consumer_backoff=0))
                    bus = app.state.runtime.bus
                    await bus.deliver(envelope("ResetEmailSent", "test", sample_reset_email_sent()))
                    parked = await bus.dead_letters()
                    print(json.dumps([runs, [p.consumer for p in parked], "TimeoutError" in parked[0].error]))
                    await app.state.runtime.aclose()

                asyncio.run(main())
                """),
        ],
        cwd=tmp_path / "generated",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    runs, parked, timed_out = json.loads(completed.stdout.strip().splitlines()[-1])
    assert runs == ["started", "started"]  # cut at 200 ms, tried twice
    assert parked == ["Accounts"] and timed_out is True
