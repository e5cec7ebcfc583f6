# Written once by flowc from specs. This file is yours: flowc never overwrites it.
"""AuthService: checks a signup and creates the account through UserService."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import unicodedata
from datetime import UTC, datetime
from uuid import uuid4

from signup import models
from signup.errors import ValidationFailedError
from signup.mappings.user_registration import user_registration_dto_to_user
from signup.services.auth_service import AuthServiceBase

# scrypt's cost: N=2**14, r=8 takes 16 MiB and about 0.1 s of CPU per hash.
# Raise N as hardware gets faster; each hash records its own parameters.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PASSWORD_LENGTH = range(8, 1025)  # bounded, so no request buys unbounded work
NAME_LENGTH = range(1, 201)
# Line breaks and other controls would reach logs and emails; a lone surrogate
# (valid in JSON as "\ud800") cannot be encoded, hashed or answered at all.
FORBIDDEN_IN_NAMES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFKC, so the same password typed with composed or decomposed accents matches.
    secret = unicodedata.normalize("NFKC", password).encode()
    # OpenSSL refuses more than 32 MiB unless told: allow twice what N and r need.
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=256 * n * r)


def hash_password(password: str) -> str:
    """scrypt with a random salt, stored as ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` gives ``stored``, compared in constant time."""
    _, n, r, p, salt, digest = stored.split("$")
    candidate = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def invalid_fields(dto: models.UserRegistrationDTO) -> list[str]:
    """The fields no account should be made from; the models only ask for strings."""
    names = {"given_name": dto.given_name, "family_name": dto.family_name}
    bad = [
        field
        for field, name in names.items()
        if len(name.strip()) not in NAME_LENGTH
        or any(unicodedata.category(c) in FORBIDDEN_IN_NAMES for c in name)
    ]
    password = dto.password
    if len(password) not in PASSWORD_LENGTH or any(
        unicodedata.category(c) == "Cs" for c in password
    ):
        bad.append("password")
    return bad


class AuthService(AuthServiceBase):
    """Validates and hashes; UserService decides whether the address is free."""

    async def validate_credentials(
        self, user_registration_dto: models.UserRegistrationDTO
    ) -> models.User:
        """ValidateCredentials, called by Gateway (specs/integration-patterns.md:25)."""
        # Refuse before any work: a bad string must answer 400, not fail later
        # in hashing or in serialising the answer (a 500 after the user is stored).
        if bad := invalid_fields(user_registration_dto):
            raise ValidationFailedError(f"invalid fields: {', '.join(bad)}")
        # scrypt is ~0.1 s of CPU: in a worker thread (it releases the GIL), the
        # event loop keeps serving other requests meanwhile.
        password_hash = await asyncio.to_thread(
            hash_password, user_registration_dto.password
        )
        user = user_registration_dto_to_user(
            user_registration_dto,
            id=uuid4(),
            password_hash=password_hash,
            created_at=datetime.now(UTC),
        )
        # Raises DuplicateEmailError (409) when the address is taken.
        return await self.user_service.create_user(user)
