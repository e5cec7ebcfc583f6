# Written once by flowc from tests/fixtures/specs/petstore. This file is yours: flowc never overwrites it.
"""StoreService: business logic behind the generated StoreServiceBase."""

from __future__ import annotations

from signup import models
from signup.services.store_service import StoreServiceBase


class StoreService(StoreServiceBase):
    """StoreService as this team implements it."""

    async def place_order(
        self, checkout_cart_request: models.CheckoutCartRequest
    ) -> models.StoreOrder:
        """PlaceOrder, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:197)."""
        raise NotImplementedError(
            "StoreService.place_order is not implemented yet: edit signup_impl/store_service.py (PlaceOrder, tests/fixtures/specs/petstore/integration-patterns.md:197)"
        )
