"""Events a request publishes: written before the client sees a success, delivered
after the response, and delivered on restart when a crash came in between; and
the W3C trace context from the request into events and outgoing calls."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import httpx
from events_support import implementations
from fastapi.testclient import TestClient

from signup import models
from signup.app import create_app
from signup.events import Envelope, TraceContext, parse_traceparent, trace_context
from signup.inbox import Inbox
from signup.runtime import Runtime, Settings
from signup.testing import published, record_events
from signup.testing.samples.user import sample_user
from signup_impl.shipping_service import ShippingService

SIGNUP = {
    "email": "ada@example.com",
    "password": "correct horse battery staple",
    "given_name": "Ada",
    "family_name": "Lovelace",
}
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def outbox_rows(url: str) -> list[str]:
    async def read() -> list[str]:
        inbox = Inbox(url)
        try:
            return await inbox.undelivered()
        finally:
            await inbox.close()

    return asyncio.run(read())


def test_a_crash_between_the_answer_and_the_delivery_loses_no_event(
    tmp_path: Path,
) -> None:
    settings = Settings(inbox_url=f"sqlite:///{tmp_path / 'inbox.db'}")
    app = create_app(implementations(), settings)
    runtime: Runtime = app.state.runtime

    async def crash(event: Envelope[Any]) -> None:
        """The process dies after the response, before delivering."""

    runtime.bus.dispatch = crash  # type: ignore[method-assign]
    with TestClient(app) as client:
        assert client.post("/register", json=SIGNUP).status_code == 201
    assert runtime.services["NotificationService"].outbox == []  # type: ignore[attr-defined]
    (waiting,) = outbox_rows(settings.inbox_url)
    assert json.loads(waiting)["type"] == "UserCreated"

    restarted = create_app(implementations(), settings)
    with TestClient(restarted):  # the app's start delivers what the outbox holds
        notifications = restarted.state.runtime.services["NotificationService"]
        assert notifications.outbox == ["To ada@example.com: welcome, Ada!"]
    assert outbox_rows(settings.inbox_url) == []


def test_a_request_that_fails_writes_no_event(tmp_path: Path) -> None:
    settings = Settings(inbox_url=f"sqlite:///{tmp_path / 'inbox.db'}")
    app = create_app(implementations(), settings)
    with TestClient(app) as client:
        assert (
            client.post(
                "/register", json={**SIGNUP, "email": "not-an-email"}
            ).status_code
            == 400
        )
    assert outbox_rows(settings.inbox_url) == []


def test_events_of_a_request_are_delivered_after_it_and_leave_the_outbox(
    tmp_path: Path,
) -> None:
    settings = Settings(inbox_url=f"sqlite:///{tmp_path / 'inbox.db'}")
    app = create_app(implementations(), settings)
    record_events(app)
    with TestClient(app) as client:
        client.post("/register", json=SIGNUP, headers={"traceparent": TRACEPARENT})
        notifications = app.state.runtime.services["NotificationService"]
        assert notifications.outbox == ["To ada@example.com: welcome, Ada!"]
    assert outbox_rows(settings.inbox_url) == []
    (event,) = published(app)
    trace = parse_traceparent(event.traceparent)
    assert trace is not None
    assert (trace.trace_id, trace.flags) == ("4bf92f3577b34da6a3ce929d0e0e4736", "01")
    assert (
        trace.parent_id != "00f067aa0ba902b7"
    ), "the event is a child span of the request"


def test_an_invalid_traceparent_starts_a_new_trace() -> None:
    app = create_app(implementations(), Settings())
    record_events(app)
    invalid = "00-00000000000000000000000000000000-00f067aa0ba902b7-01"
    with TestClient(app) as client:
        client.post("/register", json=SIGNUP, headers={"traceparent": invalid})
    (event,) = published(app)
    trace = parse_traceparent(event.traceparent)
    assert trace is not None and trace.trace_id != "0" * 32


def test_typed_clients_pass_the_trace_on_over_http() -> None:
    app = create_app(
        implementations(),
        Settings(
            service_urls={"UserService": "http://users.invalid"}, internal_token="t"
        ),
    )
    runtime: Runtime = app.state.runtime
    seen: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json=json.loads(request.content))

    async def call() -> None:
        runtime._http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        trace_context.set(
            TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01")
        )
        await runtime.remote("UserService", "create_user", sample_user())
        await runtime.aclose()

    asyncio.run(call())
    (headers,) = seen
    sent = parse_traceparent(headers["traceparent"])
    assert sent is not None
    assert sent.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert sent.parent_id != "00f067aa0ba902b7"


def test_the_w3c_rules_for_traceparent() -> None:
    valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert parse_traceparent(valid) == TraceContext(
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01"
    )
    assert (
        parse_traceparent(" " + valid) is not None
    )  # surrounding whitespace is allowed
    later = (
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-adds"
    )
    assert (
        parse_traceparent(later) is not None
    ), "a later version is read by its first fields"
    for invalid in (
        None,
        "",
        valid.upper(),
        valid + "-extra",  # version 00 has exactly four fields
        "ff" + valid[2:],
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
    ):
        assert parse_traceparent(invalid) is None, invalid


def test_a_fresh_envelope_gets_a_trace_and_each_event_a_span() -> None:
    first = Envelope[dict[str, Any]](
        type="Happened", source="test", correlation_id="c", payload={}
    )
    second = Envelope[dict[str, Any]](
        type="Happened", source="test", correlation_id="c", payload={}
    )
    a, b = parse_traceparent(first.traceparent), parse_traceparent(second.traceparent)
    assert a is not None and b is not None
    assert a.parent_id != b.parent_id


def test_consumers_are_handed_the_transaction_of_their_inbox_row(
    tmp_path: Path,
) -> None:
    """ShippingService (signup_impl) books the shipment through ``tx``: the row and
    the inbox claim commit together, so a failure after the write leaves neither."""
    url = f"sqlite:///{tmp_path / 'inbox.db'}"

    class Crashing(ShippingService):
        async def on_inventory_reserved(self, event: Any, tx: Any) -> None:
            await super().on_inventory_reserved(event, tx)
            raise RuntimeError("after the write")

    async def scenario() -> tuple[list[Any], list[Any]]:
        from signup.app import build_runtime
        from signup.events import envelope

        runtime = build_runtime(
            dataclasses.replace(implementations(), shipping_service=Crashing),
            Settings(inbox_url=url, consumer_attempts=2, consumer_backoff=0),
        )
        reserved = models.InventoryReserved.model_validate(
            {
                "order_id": "00000000-0000-4000-8000-000000000001",
                "reservation_id": "00000000-0000-4000-8000-000000000002",
            }
        )
        await runtime.bus.deliver(envelope("InventoryReserved", "test", reserved))
        async with runtime.bus.inbox.transaction() as tx:
            shipments = await tx.fetch(
                "SELECT * FROM sqlite_master WHERE name = 'shipments'"
            )
            claims = await tx.fetch("SELECT consumer FROM inbox")
        letters = await runtime.bus.dead_letters()
        await runtime.aclose()
        return shipments + claims, [(d.consumer, d.failures) for d in letters]

    written, parked = asyncio.run(scenario())
    assert written == [], "the table created and the row written in tx were rolled back"
    assert parked == [("ShippingService", 1)]
