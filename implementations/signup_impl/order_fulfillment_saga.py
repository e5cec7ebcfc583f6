# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""Order Fulfillment Saga: the steps and compensations behind OrderFulfillmentSagaBase.

Each method is handed ``context.data`` and ``context.idempotency_key``: a
crash can run a method again, so use the key to do its work once (for
example as the unique key of the row it writes, or of the call it makes).
"""

from __future__ import annotations

from signup.saga_runtime import JsonObject, SagaContext
from signup.sagas.order_fulfillment_saga import OrderFulfillmentSagaBase


class OrderFulfillmentSaga(OrderFulfillmentSagaBase):
    """An in-memory ledger standing in for the order, inventory and payment stores.

    Every effect is written under the step's idempotency key, and written only
    if absent: a step that DBOS runs again after a crash finds its effect and
    changes nothing. A real implementation passes the same key to its
    database (a unique column) or to the payment provider (an idempotency
    header), and undoes by key, so a compensation run twice undoes once.
    """

    def __init__(self, runtime: object) -> None:
        super().__init__(runtime)
        self.ledger: dict[str, str] = {}

    def _once(self, context: SagaContext[JsonObject], effect: str) -> None:
        self.ledger.setdefault(context.idempotency_key, effect)

    def _undo(self, context: SagaContext[JsonObject], step: str) -> None:
        """Mark ``step``'s effect undone; nothing to undo when it never happened."""
        done = f"{context.saga_id}/{step}"
        if done in self.ledger:
            self._once(context, f"undid {self.ledger[done]}")

    async def create_order(self, context: SagaContext[JsonObject]) -> None:
        """Step 1, Create Order (specs/integration-patterns.md:54)."""
        self._once(context, "order created")

    async def reserve_inventory(self, context: SagaContext[JsonObject]) -> None:
        """Step 2, Reserve Inventory (specs/integration-patterns.md:54)."""
        self._once(context, "inventory reserved")

    async def process_payment(self, context: SagaContext[JsonObject]) -> None:
        """Step 3, Process Payment (specs/integration-patterns.md:54)."""
        self._once(context, "payment captured")

    async def refund_payment(self, context: SagaContext[JsonObject]) -> None:
        """Compensation Refund Payment (specs/integration-patterns.md:54)."""
        self._undo(context, "process_payment")

    async def release_inventory(self, context: SagaContext[JsonObject]) -> None:
        """Compensation Release Inventory (specs/integration-patterns.md:54)."""
        self._undo(context, "reserve_inventory")

    async def cancel_order(self, context: SagaContext[JsonObject]) -> None:
        """Compensation Cancel Order (specs/integration-patterns.md:54)."""
        self._undo(context, "create_order")
