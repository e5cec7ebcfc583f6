"""The servers some tests need (PostgreSQL, Redis, RabbitMQ, NATS), found or skipped.

A test that needs one asks ``require(kind)`` for its URL. When the server does
not answer, the test skips with the reason, unless ``FLOWC_REQUIRE_SERVICES=1``
is set (as CI sets it): then it fails, so a missing server cannot pass as green.
Each URL can be overridden with ``FLOWC_TEST_<KIND>_URL``.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit

import pytest

DEFAULTS = {
    "postgresql": (
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgresql://root@127.0.0.1:5432/test",
        "postgresql://postgres@127.0.0.1:5432/postgres",
    ),
    "redis": ("redis://127.0.0.1:6379",),
    "rabbitmq": ("amqp://guest:guest@127.0.0.1:5672/",),
    "nats": ("nats://127.0.0.1:4222",),
}


def services_required() -> bool:
    return os.environ.get("FLOWC_REQUIRE_SERVICES", "") not in ("", "0")


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 0), timeout=1
        ):
            return True
    except OSError:
        return False


def _postgres_accepts(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@cache
def _find(kind: str) -> str | None:
    override = os.environ.get(f"FLOWC_TEST_{kind.upper()}_URL")
    for url in (override,) if override else DEFAULTS[kind]:
        if not _answers(url):
            continue
        if kind == "postgresql" and not _postgres_accepts(url):
            continue
        return url
    return None


def require(kind: str) -> str:
    """The URL of a running ``kind`` server; skips (or fails, when required) without one."""
    url = _find(kind)
    if url is not None:
        return url
    tried = os.environ.get(f"FLOWC_TEST_{kind.upper()}_URL") or ", ".join(
        DEFAULTS[kind]
    )
    reason = f"no {kind} server answers at {tried}"
    if services_required():
        pytest.fail(f"{reason}, and FLOWC_REQUIRE_SERVICES is set")
    pytest.skip(reason)


async def forget_namespace(kind: str, url: str, namespace: str) -> None:
    """Delete what a test's events namespace left on a broker (stream, keys,
    queues, exchange), so test runs do not pile up on a shared server."""
    if kind == "nats":
        import nats
        from nats.js.errors import NotFoundError

        connection = await nats.connect(url)
        try:
            await connection.jetstream().delete_stream(f"{namespace}_events")
        except NotFoundError:
            pass
        finally:
            await connection.close()
    elif kind == "redis":
        from redis.asyncio import Redis

        client = Redis.from_url(url)
        try:
            keys = [key async for key in client.scan_iter(f"{namespace}.events.*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
    elif kind == "rabbitmq":
        import aio_pika

        connection = await aio_pika.connect(url)
        try:
            channel = await connection.channel()
            for queue in list_queues(namespace):
                await channel.queue_delete(queue)
            await channel.exchange_delete(f"{namespace}.events")
        finally:
            await connection.close()


def list_queues(namespace: str) -> list[str]:
    """The example's RabbitMQ queues in ``namespace``: one per consumer and event."""
    pairs = (
        ("InventoryService", "OrderCreated"),
        ("NotificationService", "OrderCreated"),
        ("NotificationService", "UserCreated"),
        ("ShippingService", "InventoryReserved"),
    )
    return [f"{namespace}.{consumer}.{event}" for consumer, event in pairs]


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database (its URL) for one test, dropped afterwards."""
    import psycopg

    server = require("postgresql")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
