# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""ShippingService: books a shipment once stock is held."""

from __future__ import annotations

import logging
from uuid import UUID

from signup import models
from signup.events import Envelope
from signup.runtime import Runtime
from signup.services.shipping_service import ShippingServiceBase

log = logging.getLogger(__name__)


class ShippingService(ShippingServiceBase):
    """Remembers which orders are ready to ship."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.ready: list[UUID] = []

    async def on_inventory_reserved(
        self, event: Envelope[models.InventoryReserved]
    ) -> None:
        """Consume InventoryReserved (specs/integration-patterns.md:91)."""
        self.ready.append(event.payload.order_id)
        log.info("order %s is ready to ship", event.payload.order_id)
