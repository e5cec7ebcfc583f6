"""A new user's first hour: init, generate, run, fill one stub, get the first 201.

Before the stub is filled, the request answers 501 with a problem that names the
method, the file to edit and the spec line (never a bare 500).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowc.cli import app

SIGNUP = {
    "email": "ada@example.com",
    "password": "correct horse battery staple",
    "given_name": "Ada",
    "family_name": "Lovelace",
}

REQUEST = textwrap.dedent(f"""
    import json, sys
    sys.path[:0] = ["generated", "implementations"]
    from fastapi.testclient import TestClient
    from newcomer.app import create_app
    from newcomer.runtime import Settings

    with TestClient(create_app(settings=Settings(implementations="newcomer_impl"))) as client:
        response = client.post("/register", json={SIGNUP!r})
    print(response.status_code)
    print(json.dumps(response.json()))
    """)

FILLED = textwrap.dedent('''
    """AuthService: business logic behind the generated AuthServiceBase."""

    from __future__ import annotations

    import hashlib
    import os
    from datetime import UTC, datetime
    from uuid import uuid4

    from newcomer import models
    from newcomer.mappings.user_registration import user_registration_dto_to_user
    from newcomer.services.auth_service import AuthServiceBase


    class AuthService(AuthServiceBase):
        async def validate_credentials(
            self, user_registration_dto: models.UserRegistrationDTO
        ) -> models.User:
            salt = os.urandom(16)
            digest = hashlib.scrypt(
                user_registration_dto.password.encode(), salt=salt, n=2**4, r=8, p=1
            )
            user = user_registration_dto_to_user(
                user_registration_dto,
                id=uuid4(),
                password_hash=salt.hex() + digest.hex(),
                created_at=datetime.now(UTC),
            )
            return await self.user_service.create_user(user)
    ''')


def _request(root: Path) -> tuple[int, dict[str, object]]:
    completed = subprocess.run(
        [sys.executable, "-c", REQUEST],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    status, body = completed.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


def test_init_generate_run_fill_one_stub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "newcomer"
    root.mkdir()
    runner = CliRunner()
    monkeypatch.chdir(root)
    assert runner.invoke(app, ["init"]).exit_code == 0
    generated = runner.invoke(app, ["generate"])
    assert generated.exit_code == 0, generated.output

    status, problem = _request(root)
    assert status == 501
    assert problem["type"] == "/problems/not-implemented"
    detail = str(problem["detail"])
    assert "AuthService.validate_credentials" in detail
    assert "newcomer_impl/auth_service.py" in detail
    assert "specs/integration-patterns.md:" in detail

    (root / "implementations" / "newcomer_impl" / "auth_service.py").write_text(
        FILLED, encoding="utf-8"
    )
    status, user = _request(root)
    assert status == 201, user
    assert user["email"] == SIGNUP["email"]
    assert "password_hash" not in user
