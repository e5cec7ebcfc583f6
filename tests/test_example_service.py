"""The generated example system, driven over HTTP as its users would.

The app is the committed ``generated/signup`` package wired to the team's
implementations in ``implementations/signup_impl``; a test double replaces
UserService only where a database failure must be staged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from signup import errors, models
from signup.app import Implementations, create_app
from signup.runtime import POLICIES, Settings
from signup.testing import published, record_events
from signup_impl.auth_service import AuthService
from signup_impl.inventory_service import InventoryService
from signup_impl.notification_service import NotificationService
from signup_impl.order_fulfillment_saga import OrderFulfillmentSaga
from signup_impl.shipping_service import ShippingService
from signup_impl.user_service import UserService

SIGNUP = {
    "email": "ada@example.com",
    "password": "correct horse battery staple",
    "given_name": "Ada",
    "family_name": "Lovelace",
}


class FlakyUserService(UserService):
    """A user store whose database times out, counting every attempt."""

    attempts = 0

    async def create_user(self, user: models.User) -> models.User:
        FlakyUserService.attempts += 1
        raise errors.DatabaseTimeoutError("the users table did not answer")


def implementations(user_service: type[UserService] = UserService) -> Implementations:
    return Implementations(
        auth_service=AuthService,
        inventory_service=InventoryService,
        notification_service=NotificationService,
        shipping_service=ShippingService,
        user_service=user_service,
        order_fulfillment_saga=OrderFulfillmentSaga,
    )


def build(user_service: type[UserService] = UserService) -> FastAPI:
    app = create_app(
        implementations(user_service), Settings(retry_wait_initial=0, retry_jitter=0)
    )
    record_events(app)
    return app


@pytest.fixture
def app() -> FastAPI:
    return build()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def register(
    client: TestClient, body: dict[str, Any] | None = None, correlation: str = "corr-1"
) -> Any:
    return client.post(
        "/register", json=body or SIGNUP, headers={"X-Correlation-ID": correlation}
    )


def test_register_answers_201_without_secrets(client: TestClient) -> None:
    response = register(client)
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "ada@example.com"
    assert user["given_name"] == "Ada"
    assert "password" not in user
    assert "password_hash" not in user
    assert response.headers["X-Correlation-ID"] == "corr-1"


def test_user_created_is_published_as_a_schema_org_person(
    app: FastAPI, client: TestClient
) -> None:
    register(client, correlation="signup-42")
    events = published(app)
    assert [event.type for event in events] == ["UserCreated"]
    (event,) = events
    assert event.correlation_id == "signup-42"
    assert event.source == "UserService"
    document = event.model_dump(mode="json")["payload"]
    assert document["@context"] == "https://schema.org"
    assert document["@type"] == "Person"
    assert document["givenName"] == "Ada"
    assert document["familyName"] == "Lovelace"
    assert document["email"] == "ada@example.com"
    serialised = event.model_dump_json()
    assert "password" not in serialised
    assert SIGNUP["password"] not in serialised


def test_the_welcome_email_goes_out_through_the_consumer(
    app: FastAPI, client: TestClient
) -> None:
    register(client)
    notifications = app.state.runtime.services["NotificationService"]
    assert isinstance(notifications, NotificationService)
    assert notifications.outbox == ["To ada@example.com: welcome, Ada!"]


def test_duplicate_email_answers_409_problem_with_hint(client: TestClient) -> None:
    assert register(client).status_code == 201
    response = register(client, correlation="second-try")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/duplicate-email"
    assert problem["title"] == "Duplicate email"
    assert problem["status"] == 409
    assert problem["detail"] == "ada@example.com is already registered"
    assert problem["hint"] == "Return existing user hint"
    assert problem["correlation_id"] == "second-try"


def test_invalid_body_answers_400_naming_each_bad_field(client: TestClient) -> None:
    response = register(client, {"email": "not-an-email", "given_name": 7})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Validation failed"
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"email", "password", "given_name", "family_name"}


def test_database_timeout_is_retried_then_answers_503_with_retry_after() -> None:
    FlakyUserService.attempts = 0
    with TestClient(build(FlakyUserService), raise_server_exceptions=False) as client:
        response = register(client)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["title"] == "Database timeout"
    assert FlakyUserService.attempts == POLICIES["UserService"].retries + 1


def test_a_redelivered_event_reaches_each_consumer_once(
    app: FastAPI, client: TestClient
) -> None:
    import asyncio

    register(client)
    runtime = app.state.runtime
    (event,) = published(app)
    asyncio.run(runtime.bus.deliver(event))
    notifications = runtime.services["NotificationService"]
    assert len(notifications.outbox) == 1


def test_choreography_reaction_publishes_the_next_event(app: FastAPI) -> None:
    import asyncio
    from uuid import uuid4

    from signup.events import envelope

    runtime = app.state.runtime
    order = models.OrderCreated(
        order_id=uuid4(), customer_email="ada@example.com", total="12.50"
    )
    asyncio.run(runtime.bus.publish(envelope("OrderCreated", "OrderService", order)))
    assert [event.type for event in published(app)] == [
        "OrderCreated",
        "InventoryReserved",
    ]
    shipping = runtime.services["ShippingService"]
    assert shipping.ready == [order.order_id]
    reserved = published(app)[1]
    assert reserved.causation_id == published(app)[0].event_id
    assert reserved.correlation_id == published(app)[0].correlation_id


class SlowUserService(UserService):
    """A user store far slower than the flow's 500 ms SLA."""

    async def create_user(self, user: models.User) -> models.User:
        import asyncio

        await asyncio.sleep(10)
        return user


def test_a_request_over_its_sla_answers_504_in_time() -> None:
    import time

    with TestClient(build(SlowUserService), raise_server_exceptions=False) as client:
        started = time.perf_counter()
        response = register(client)
        elapsed = time.perf_counter() - started
    assert response.status_code == 504
    assert response.json()["type"] == "/problems/deadline-exceeded"
    # The SLA cut-off is the behaviour under test: the slow store takes 10 s, the
    # flow's budget is 0.5 s; the answer must come long before the store's would,
    # and the wide margin keeps a loaded machine from failing it.
    assert elapsed < 5
