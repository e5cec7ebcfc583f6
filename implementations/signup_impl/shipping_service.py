# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""ShippingService: books a shipment once stock is held."""

from __future__ import annotations

import logging
from uuid import UUID

from signup import models
from signup.events import Envelope
from signup.inbox import InboxTransaction
from signup.runtime import Runtime
from signup.services.shipping_service import ShippingServiceBase

log = logging.getLogger(__name__)

SHIPMENTS = (
    "CREATE TABLE IF NOT EXISTS shipments ("
    " order_id TEXT PRIMARY KEY, reservation_id TEXT NOT NULL)"
)


class ShippingService(ShippingServiceBase):
    """Books a shipment per order in the ``shipments`` table of the inbox database.

    The row is written in the consumer's transaction, so it exists exactly when
    the event counts as handled: a crash mid-way leaves neither, and the
    redelivered event writes it once.
    """

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.ready: list[UUID] = []

    async def on_inventory_reserved(
        self, event: Envelope[models.InventoryReserved], tx: InboxTransaction
    ) -> None:
        """Consume InventoryReserved (specs/integration-patterns.md:91)."""
        await tx.execute(SHIPMENTS)
        await tx.execute(
            "INSERT INTO shipments (order_id, reservation_id) VALUES (?, ?)",
            (str(event.payload.order_id), str(event.payload.reservation_id)),
        )
        self.ready.append(event.payload.order_id)
        log.info("order %s is ready to ship", event.payload.order_id)
