# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""AuthService: checks a signup and creates the account through UserService."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from uuid import uuid4

from signup import mappings, models
from signup.errors import DuplicateEmailError
from signup.runtime import Runtime
from signup.services.auth_service import AuthServiceBase


def hash_password(password: str) -> str:
    """scrypt with a random salt, stored as ``salt$hash`` in hex."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"{salt.hex()}${digest.hex()}"


class AuthService(AuthServiceBase):
    """Keeps the registered addresses in memory (a real team would ask UserService)."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.registered: set[str] = set()

    async def validate_credentials(
        self, user_registration_dto: models.UserRegistrationDTO
    ) -> models.User:
        """ValidateCredentials, called by Gateway (specs/integration-patterns.md:25)."""
        email = str(user_registration_dto.email).lower()
        if email in self.registered:
            raise DuplicateEmailError(f"{email} is already registered")
        user = mappings.user_registration_dto_to_user(
            user_registration_dto,
            id=uuid4(),
            password_hash=hash_password(user_registration_dto.password),
            created_at=datetime.now(UTC),
        )
        created = await self.user_service.create_user(user)
        self.registered.add(email)
        return created
