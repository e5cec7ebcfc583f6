"""The example's consumers, counting their side effects, for the events tests.

Each consumer of the example (``signup_impl``) is subclassed to write one row to
an ``effects`` table through its inbox transaction before it does its own work,
so the table shows exactly how often each consumer's effect committed: a
duplicate that slipped through would show as a second row (the table has no
key that would hide it).

Run as a script, this module is a worker process that runs the consumers
``SIGNUP_CONSUMERS`` names, configured by the ``SIGNUP_*`` environment like any
deployment, until SIGTERM. ``FLOWC_TEST_HANG_IN=<service>`` makes that
consumer write its effect, touch ``FLOWC_TEST_HANG_FILE`` and hang (for a test
to kill it mid-handling); ``FLOWC_TEST_PUBLISH_ORDER=<uuid>`` publishes one
OrderCreated once started; ``FLOWC_TEST_READY_FILE`` is touched once started.
The worker needs ``generated/`` and ``implementations/`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from pathlib import Path
from typing import Any
from uuid import UUID

from signup import models
from signup.app import Implementations, build_runtime, load_implementations
from signup.events import Envelope
from signup.inbox import Inbox, InboxTransaction
from signup.runtime import Runtime, Settings
from signup_impl.inventory_service import InventoryService
from signup_impl.notification_service import NotificationService
from signup_impl.shipping_service import ShippingService

EFFECTS = (
    "CREATE TABLE IF NOT EXISTS effects ("
    " consumer TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,"
    " correlation_id TEXT NOT NULL, causation_id TEXT, traceparent TEXT NOT NULL,"
    " pid INTEGER NOT NULL)"
)

CONSUMERS = {
    "OrderCreated": ("InventoryService", "NotificationService"),
    "InventoryReserved": ("ShippingService",),
}
"""The example's choreography (specs/integration-patterns.md, Event Choreography)."""


async def record(tx: InboxTransaction, consumer: str, event: Envelope[Any]) -> None:
    await tx.execute(
        "INSERT INTO effects (consumer, event_id, event_type, correlation_id,"
        " causation_id, traceparent, pid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            consumer,
            str(event.event_id),
            event.type,
            event.correlation_id,
            str(event.causation_id) if event.causation_id else None,
            event.traceparent,
            os.getpid(),
        ),
    )
    if os.environ.get("FLOWC_TEST_HANG_IN") == consumer:
        Path(os.environ["FLOWC_TEST_HANG_FILE"]).write_text(str(event.event_id))
        await asyncio.sleep(3600)


class Inventory(InventoryService):
    async def on_order_created(
        self, event: Envelope[models.OrderCreated], tx: InboxTransaction
    ) -> None:
        await record(tx, "InventoryService", event)
        await super().on_order_created(event, tx)


class Notification(NotificationService):
    async def on_order_created(
        self, event: Envelope[models.OrderCreated], tx: InboxTransaction
    ) -> None:
        await record(tx, "NotificationService", event)
        await super().on_order_created(event, tx)


class Shipping(ShippingService):
    async def on_inventory_reserved(
        self, event: Envelope[models.InventoryReserved], tx: InboxTransaction
    ) -> None:
        await record(tx, "ShippingService", event)
        await super().on_inventory_reserved(event, tx)


def implementations() -> Implementations:
    return dataclasses.replace(
        load_implementations("signup_impl"),
        inventory_service=Inventory,
        notification_service=Notification,
        shipping_service=Shipping,
    )


def order(order_id: UUID) -> models.OrderCreated:
    return models.OrderCreated.model_validate(
        {
            "order_id": str(order_id),
            "customer_email": "ada@example.com",
            "total": "12.50",
        }
    )


async def prepare(inbox_url: str) -> None:
    """Create the effects table in the inbox database (the inbox creates its own)."""
    inbox = Inbox(inbox_url)
    async with inbox.transaction() as tx:
        await tx.execute(EFFECTS)
    await inbox.close()


async def effects(inbox_url: str) -> list[dict[str, Any]]:
    """Every effect row, oldest first."""
    inbox = Inbox(inbox_url)
    async with inbox.transaction() as tx:
        rows = await tx.fetch(
            "SELECT consumer, event_id, event_type, correlation_id, causation_id,"
            " traceparent, pid FROM effects"
        )
    await inbox.close()
    keys = ("consumer", "event_id", "event_type", "correlation_id", "causation_id")
    return [
        {
            **dict(zip(keys, row[:5], strict=True)),
            "traceparent": row[5],
            "pid": int(row[6]),
        }
        for row in rows
    ]


async def serve() -> None:
    settings = Settings.from_env()
    await prepare(settings.inbox_url)
    runtime: Runtime = build_runtime(implementations(), settings)
    await runtime.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    publishing = None
    if order_id := os.environ.get("FLOWC_TEST_PUBLISH_ORDER"):
        service = runtime.services["OrderService"]
        publishing = asyncio.create_task(service.events.order_created(order(UUID(order_id))))  # type: ignore[attr-defined]
    Path(os.environ["FLOWC_TEST_READY_FILE"]).write_text(str(os.getpid()))
    await stop.wait()
    if publishing is not None:
        publishing.cancel()
    await runtime.aclose()


if __name__ == "__main__":
    asyncio.run(serve())
