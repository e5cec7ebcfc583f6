# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""NotificationService: welcome emails and order notices (logged, not sent, here)."""

from __future__ import annotations

import logging

from signup import models, schemaorg
from signup.events import Envelope
from signup.inbox import InboxTransaction
from signup.runtime import Runtime
from signup.services.notification_service import NotificationServiceBase

log = logging.getLogger(__name__)


class NotificationService(NotificationServiceBase):
    """Writes each message to the log, and keeps it for inspection."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.outbox: list[str] = []

    def _send(self, message: str) -> None:
        self.outbox.append(message)
        log.info("%s", message)

    async def send_welcome_email(self, person: schemaorg.Person) -> None:
        """Send welcome email (specs/integration-patterns.md:33)."""
        self._send(f"To {person.email}: welcome, {person.given_name}!")

    async def on_order_created(
        self, event: Envelope[models.OrderCreated], tx: InboxTransaction
    ) -> None:
        """Consume OrderCreated (specs/integration-patterns.md:89)."""
        self._send(
            f"To {event.payload.customer_email}: order {event.payload.order_id} received"
        )
