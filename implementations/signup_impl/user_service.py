# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""UserService: stores users and announces them."""

from __future__ import annotations

from uuid import UUID

from signup import models
from signup.runtime import Runtime
from signup.services.user_service import UserServiceBase


class UserService(UserServiceBase):
    """An in-memory user store; swap in a database without touching generated code."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.users: dict[UUID, models.User] = {}

    async def create_user(self, user: models.User) -> models.User:
        """CreateUser, called by AuthService (specs/integration-patterns.md:26)."""
        self.users[user.id] = user
        await self.events.user_created(user)
        return user
