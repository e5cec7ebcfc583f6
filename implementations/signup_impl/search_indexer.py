# Written once by flowc from tests/fixtures/specs/petstore. This file is yours: flowc never overwrites it.
"""SearchIndexer: business logic behind the generated SearchIndexerBase."""

from __future__ import annotations

from signup import models
from signup.services.search_indexer import SearchIndexerBase


class SearchIndexer(SearchIndexerBase):
    """SearchIndexer as this team implements it."""

    async def index_pet(self, pet_added: models.PetAdded) -> None:
        """Index pet (tests/fixtures/specs/petstore/integration-patterns.md:35)."""
        raise NotImplementedError(
            "SearchIndexer.index_pet is not implemented yet: edit signup_impl/search_indexer.py (Index pet, tests/fixtures/specs/petstore/integration-patterns.md:35)"
        )

    async def drop_pet_from_index(self, pet_removed: models.PetRemoved) -> None:
        """Drop pet from index (tests/fixtures/specs/petstore/integration-patterns.md:160)."""
        raise NotImplementedError(
            "SearchIndexer.drop_pet_from_index is not implemented yet: edit signup_impl/search_indexer.py (Drop pet from index, tests/fixtures/specs/petstore/integration-patterns.md:160)"
        )
