# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""UserService: stores users and announces them."""

from __future__ import annotations

import asyncio
from typing import ClassVar
from uuid import UUID

from signup import models
from signup.errors import DuplicateEmailError
from signup.runtime import Runtime
from signup.services.user_service import UserServiceBase


class UserService(UserServiceBase):
    """An in-memory user store; swap in a database without touching generated code.

    The store, not its callers, keeps addresses unique: only the place that
    writes can check and write in one step (a database does it with a UNIQUE
    index and an INSERT that fails on conflict).
    """

    # Seconds the simulated write waits, as a database round trip would.
    write_latency: ClassVar[float] = 0.0

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.users: dict[UUID, models.User] = {}
        self._owners: dict[str, UUID] = {}  # lower-cased email -> id holding it

    async def create_user(self, user: models.User) -> models.User:
        """CreateUser, called by AuthService (specs/integration-patterns.md:26)."""
        email = user.email.lower()
        # Check and claim in one expression, before the first await: no other
        # request can run in between, however long the write below waits.
        if self._owners.setdefault(email, user.id) != user.id:
            raise DuplicateEmailError(f"{email} is already registered")
        try:
            await asyncio.sleep(self.write_latency)  # the write's I/O
        except BaseException:
            # Failed or cancelled (the flow's SLA ran out): free the address.
            del self._owners[email]
            raise
        self.users[user.id] = user
        await self.events.user_created(user)
        return user
