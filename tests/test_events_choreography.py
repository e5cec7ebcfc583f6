"""The example's choreography, end to end, in process and through real brokers.

OrderCreated -> InventoryService and NotificationService; InventoryReserved ->
ShippingService (specs/integration-patterns.md). Each test runs on every
transport: the in-process bus with the inbox in an SQLite file, and NATS
JetStream, Redis streams and RabbitMQ with the inbox in PostgreSQL (those skip
without their servers, or fail when FLOWC_REQUIRE_SERVICES=1). The consumers
write their side effects to an ``effects`` table through their inbox
transaction (tests/events_support.py), so counting rows counts effects.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4

import psycopg
import pytest
from events_support import CONSUMERS, effects, implementations, order, prepare
from services import forget_namespace, require

from signup.app import build_runtime
from signup.bus import Outcome
from signup.events import Envelope, correlation_id, encode, parse_traceparent
from signup.runtime import Runtime, Settings

T = TypeVar("T")
SUPPORT = Path(__file__).with_name("events_support.py")
REPO = Path(__file__).resolve().parents[1]


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A schema of its own for one test; the URL puts it first on the search path."""
    schema = f"events_{uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@dataclass
class Transport:
    name: str
    inbox_url: str
    broker_url: str | None
    namespace: str = field(default_factory=lambda: f"t{uuid4().hex[:10]}")

    def settings(self, consumers: tuple[str, ...] | None = None) -> Settings:
        return Settings(
            inbox_url=self.inbox_url,
            broker_url=self.broker_url,
            events_namespace=self.namespace,
            consumers=consumers,
            consumer_backoff=0,
            redelivery_seconds=1,
        )

    def environment(self, consumers: str, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "SIGNUP_INBOX_URL": self.inbox_url,
            "SIGNUP_EVENTS_NAMESPACE": self.namespace,
            "SIGNUP_CONSUMERS": consumers,
            "SIGNUP_REDELIVERY_SECONDS": "1",
            "PYTHONPATH": os.pathsep.join(
                str(REPO / folder) for folder in ("generated", "implementations")
            ),
            **extra,
        }
        if self.broker_url:
            env["SIGNUP_BROKER_URL"] = self.broker_url
        return env


BROKERS = {"nats": "nats", "redis": "redis", "rabbitmq": "rabbitmq"}


@pytest.fixture(params=["in-process", *BROKERS])
def transport(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Transport]:
    if request.param == "in-process":
        yield Transport("in-process", f"sqlite:///{tmp_path / 'inbox.db'}", None)
        return
    yield from broker_with_postgres(request.param)


@pytest.fixture(params=list(BROKERS))
def broker_transport(request: pytest.FixtureRequest) -> Iterator[Transport]:
    yield from broker_with_postgres(request.param)


def broker_with_postgres(kind: str) -> Iterator[Transport]:
    """A broker and an inbox schema of the test's own; both cleared afterwards."""
    broker = require(BROKERS[kind])
    with postgres_schema(require("postgresql")) as inbox_url:
        transport = Transport(kind, inbox_url, broker)
        try:
            yield transport
        finally:
            asyncio.run(forget_namespace(kind, broker, transport.namespace))


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], timeout: float = 30
) -> T:
    """Poll ``probe`` until ``done`` holds (brokers deliver in their own time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.05)


def counting(runtime: Runtime) -> list[tuple[str, UUID, Outcome]]:
    """Record the outcome of every consumer run of ``runtime``'s bus."""
    outcomes: list[tuple[str, UUID, Outcome]] = []
    consume = runtime.bus.consume

    async def consume_and_count(
        consumer: str, handler: Any, event: Envelope[Any]
    ) -> Outcome:
        outcome = await consume(consumer, handler, event)
        outcomes.append((consumer, event.event_id, outcome))
        return outcome

    runtime.bus.consume = consume_and_count  # type: ignore[method-assign]
    return outcomes


async def deliver_again(runtime: Runtime, event: Envelope[Any]) -> None:
    """What a redelivery looks like: in process, the bus delivers the event again;
    through a broker, the broker's subscriber hands each consumer the message again."""
    if runtime.bus.broker_url is None:
        await runtime.bus.deliver(event)
        return
    for consumer in CONSUMERS[event.type]:
        await runtime.bus.receive(consumer, encode(event).encode())


def by_consumer(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["consumer"], []).append(row)
    return found


def test_the_chain_acts_once_per_event_with_one_correlation_and_linked_causes(
    transport: Transport,
) -> None:
    async def scenario() -> None:
        await prepare(transport.inbox_url)
        runtime = build_runtime(implementations(), transport.settings())
        published: list[Envelope[Any]] = []
        runtime.bus.observe(published.append)
        await runtime.start()
        correlation_id.set("order-42")
        await runtime.services["OrderService"].events.order_created(order(uuid4()))  # type: ignore[attr-defined]
        rows = await eventually(
            lambda: effects(transport.inbox_url), lambda rows: len(rows) >= 3
        )

        created, reserved = published
        assert (created.type, reserved.type) == ("OrderCreated", "InventoryReserved")
        found = by_consumer(rows)
        assert {name: len(acts) for name, acts in found.items()} == {
            "InventoryService": 1,
            "NotificationService": 1,
            "ShippingService": 1,
        }
        assert {row["correlation_id"] for row in rows} == {"order-42"}
        assert reserved.correlation_id == created.correlation_id == "order-42"
        assert created.causation_id is None
        assert reserved.causation_id == created.event_id
        assert found["ShippingService"][0]["event_id"] == str(reserved.event_id)
        assert found["ShippingService"][0]["causation_id"] == str(created.event_id)
        traces = [parse_traceparent(e.traceparent) for e in (created, reserved)]
        assert all(trace is not None for trace in traces)
        assert len({t.trace_id for t in traces if t}) == 1, "one trace across the chain"
        assert (
            len({t.parent_id for t in traces if t}) == 2
        ), "a span of its own per event"
        await runtime.aclose()

    asyncio.run(scenario())


def test_a_redelivered_event_is_handled_once_also_after_a_restart(
    transport: Transport,
) -> None:
    async def scenario() -> None:
        await prepare(transport.inbox_url)
        runtime = build_runtime(implementations(), transport.settings())
        published: list[Envelope[Any]] = []
        runtime.bus.observe(published.append)
        await runtime.start()
        await runtime.services["OrderService"].events.order_created(order(uuid4()))  # type: ignore[attr-defined]
        await eventually(
            lambda: effects(transport.inbox_url), lambda rows: len(rows) >= 3
        )
        outcomes = counting(runtime)
        for event in published:
            await deliver_again(runtime, event)
        assert [o for _, _, o in outcomes] == [Outcome.DUPLICATE] * 3
        await runtime.aclose()

        restarted = build_runtime(implementations(), transport.settings())
        outcomes = counting(restarted)
        await restarted.start()
        for event in published:
            await deliver_again(restarted, event)
        assert sorted((c, o) for c, _, o in outcomes) == [
            ("InventoryService", Outcome.DUPLICATE),
            ("NotificationService", Outcome.DUPLICATE),
            ("ShippingService", Outcome.DUPLICATE),
        ]
        rows = await effects(transport.inbox_url)
        assert sorted(row["consumer"] for row in rows) == [
            "InventoryService",
            "NotificationService",
            "ShippingService",
        ]
        await restarted.aclose()

    asyncio.run(scenario())


def start_worker(
    transport: Transport, folder: Path, name: str, consumers: str, **extra: str
) -> subprocess.Popen[bytes]:
    ready = folder / f"{name}.ready"
    ready.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(SUPPORT)],
        env=transport.environment(consumers, FLOWC_TEST_READY_FILE=str(ready), **extra),
        stdout=subprocess.DEVNULL,
        stderr=(folder / f"{name}.log").open("ab"),
    )
    deadline = time.monotonic() + 30
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError((folder / f"{name}.log").read_text())
        time.sleep(0.05)
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_services_in_two_processes_exchange_events_through_the_broker(
    broker_transport: Transport, tmp_path: Path
) -> None:
    transport = broker_transport
    asyncio.run(prepare(transport.inbox_url))
    stock = start_worker(
        transport, tmp_path, "stock", "InventoryService,NotificationService"
    )
    shipping = start_worker(transport, tmp_path, "shipping", "ShippingService")
    try:

        async def scenario() -> list[dict[str, Any]]:
            # This process runs no consumer: it only publishes, as OrderService would.
            publisher = build_runtime(
                implementations(), transport.settings(consumers=())
            )
            await publisher.start()
            correlation_id.set("two-processes")
            await publisher.services["OrderService"].events.order_created(order(uuid4()))  # type: ignore[attr-defined]
            await publisher.aclose()
            return await eventually(
                lambda: effects(transport.inbox_url), lambda rows: len(rows) >= 3
            )

        rows = asyncio.run(scenario())
    finally:
        stop_worker(stock)
        stop_worker(shipping)
    found = by_consumer(rows)
    assert {name: len(acts) for name, acts in found.items()} == {
        "InventoryService": 1,
        "NotificationService": 1,
        "ShippingService": 1,
    }
    assert found["InventoryService"][0]["pid"] == stock.pid
    assert found["NotificationService"][0]["pid"] == stock.pid
    assert found["ShippingService"][0]["pid"] == shipping.pid
    assert {row["correlation_id"] for row in rows} == {"two-processes"}
    assert (
        found["ShippingService"][0]["causation_id"]
        == found["InventoryService"][0]["event_id"]
    )


def test_a_consumer_killed_mid_handling_handles_the_event_on_restart_exactly_once(
    transport: Transport, tmp_path: Path
) -> None:
    """SIGKILL while ShippingService is inside its transaction (its effect written,
    not committed): the restarted process handles the event, and every effect
    shows once. In process, the outbox row brings the event back; through a
    broker, the unacknowledged message does."""
    asyncio.run(prepare(transport.inbox_url))
    hang = tmp_path / "hung"
    worker = start_worker(
        transport,
        tmp_path,
        "first",
        "InventoryService,NotificationService,ShippingService",
        FLOWC_TEST_HANG_IN="ShippingService",
        FLOWC_TEST_HANG_FILE=str(hang),
        FLOWC_TEST_PUBLISH_ORDER=str(uuid4()),
    )
    deadline = time.monotonic() + 30
    while not hang.exists() and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.05)
    assert hang.exists(), (tmp_path / "first.log").read_text()
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    restarted = start_worker(
        transport,
        tmp_path,
        "second",
        "InventoryService,NotificationService,ShippingService",
    )
    try:
        rows = asyncio.run(
            eventually(
                lambda: effects(transport.inbox_url),
                lambda rows: any(r["consumer"] == "ShippingService" for r in rows),
            )
        )
        time.sleep(0.5)  # room for a duplicate to show, were there one
        rows = asyncio.run(effects(transport.inbox_url))
    finally:
        stop_worker(restarted)
    found = by_consumer(rows)
    assert {name: len(acts) for name, acts in found.items()} == {
        "InventoryService": 1,
        "NotificationService": 1,
        "ShippingService": 1,
    }, rows
    assert found["ShippingService"][0]["event_id"] == hang.read_text()
    assert found["ShippingService"][0]["pid"] == restarted.pid
