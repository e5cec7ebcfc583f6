# Written once by flowc from tests/fixtures/specs/petstore. This file is yours: flowc never overwrites it.
"""PetService: business logic behind the generated PetServiceBase."""

from __future__ import annotations

from signup import models
from signup.mappings.delete_pet import delete_pet_request_to_pet_removed
from signup.services.pet_service import PetServiceBase


class PetService(PetServiceBase):
    """PetService as this team implements it."""

    async def add_pet(self, add_pet_request: models.AddPetRequest) -> models.Pet:
        """AddPet, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:29)."""
        raise NotImplementedError(
            "PetService.add_pet is not implemented yet: edit signup_impl/pet_service.py (AddPet, tests/fixtures/specs/petstore/integration-patterns.md:29)"
        )

    async def find_pet_by_id(self, get_pet_request: models.GetPetRequest) -> models.Pet:
        """FindPetById, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:68)."""
        raise NotImplementedError(
            "PetService.find_pet_by_id is not implemented yet: edit signup_impl/pet_service.py (FindPetById, tests/fixtures/specs/petstore/integration-patterns.md:68)"
        )

    async def find_pets_by_status(
        self, list_pets_request: models.ListPetsRequest
    ) -> models.PetPage:
        """FindPetsByStatus, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:93)."""
        raise NotImplementedError(
            "PetService.find_pets_by_status is not implemented yet: edit signup_impl/pet_service.py (FindPetsByStatus, tests/fixtures/specs/petstore/integration-patterns.md:93)"
        )

    async def update_pet(
        self, update_pet_request: models.UpdatePetRequest
    ) -> models.Pet:
        """UpdatePet, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:118)."""
        raise NotImplementedError(
            "PetService.update_pet is not implemented yet: edit signup_impl/pet_service.py (UpdatePet, tests/fixtures/specs/petstore/integration-patterns.md:118)"
        )

    async def delete_pet(
        self, delete_pet_request: models.DeletePetRequest
    ) -> models.PetRemoved:
        """DeletePet, called by Gateway (tests/fixtures/specs/petstore/integration-patterns.md:154)."""
        pet_removed = delete_pet_request_to_pet_removed(delete_pet_request)
        await self.events.pet_removed(pet_removed)
        return pet_removed
