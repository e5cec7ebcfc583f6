# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""InventoryService: holds stock for new orders."""

from __future__ import annotations

from uuid import uuid4

from signup import models
from signup.events import Envelope
from signup.inbox import InboxTransaction
from signup.services.inventory_service import InventoryServiceBase


class InventoryService(InventoryServiceBase):
    """Reserves stock for every order (this example has unlimited stock)."""

    async def on_order_created(
        self, event: Envelope[models.OrderCreated], tx: InboxTransaction
    ) -> None:
        """Consume OrderCreated (specs/integration-patterns.md:88): a reaction."""
        reservation = models.InventoryReserved(
            order_id=event.payload.order_id, reservation_id=uuid4()
        )
        await self.events.inventory_reserved(reservation)
