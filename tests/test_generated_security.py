"""What the generated services open to the world: only the routes the spec draws.

Internal operations live on their own app behind a token; the public app has
no such path. Bodies are limited, correlation IDs are checked, every error is
a problem, and no answer carries a secret field.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import REPO, SPECS
from flowc.api import generate, validate
from signup.app import create_app, create_internal_app
from signup.runtime import Settings
from signup.testing import fake_implementations, keys_in

SIGNUP = {
    "email": "ada@example.com",
    "password": "correct horse battery staple",
    "given_name": "Ada",
    "family_name": "Lovelace",
}
TOKEN = "internal-secret"
ANALYSIS = validate([SPECS]).analysis
assert ANALYSIS is not None
OPERATIONS = [
    f"/_flowc/{service.name}/{op.name}"
    for service in ANALYSIS.service_plans()
    for op in service.operations
]
SECRETS = {f.name for m in ANALYSIS.all_models() for f in m.fields if f.secret}


@pytest.fixture
def public() -> Iterator[TestClient]:
    app = create_app(fake_implementations(), Settings(internal_token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def internal(token: str | None) -> FastAPI:
    return create_internal_app(fake_implementations(), Settings(internal_token=token))


@pytest.mark.parametrize("path", OPERATIONS)
def test_the_public_app_has_no_internal_path(public: TestClient, path: str) -> None:
    response = public.post(path, json={})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert not any(
        p.startswith("/_flowc") for p in public.get("/openapi.json").json()["paths"]
    )


@pytest.mark.parametrize("path", OPERATIONS)
@pytest.mark.parametrize(
    ("configured", "sent"),
    [(None, None), (None, TOKEN), (TOKEN, None), (TOKEN, "wrong"), (TOKEN, TOKEN[:-1])],
    ids=[
        "no-token-configured",
        "no-token-configured-but-sent",
        "none-sent",
        "wrong",
        "prefix",
    ],
)
def test_internal_operations_need_the_configured_token(
    path: str, configured: str | None, sent: str | None
) -> None:
    headers = {"Authorization": f"Bearer {sent}"} if sent else {}
    with TestClient(internal(configured), raise_server_exceptions=False) as client:
        response = client.post(path, json={}, headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/internal-token-required"


def test_with_the_token_an_internal_operation_answers(public: TestClient) -> None:
    with TestClient(internal(TOKEN), raise_server_exceptions=False) as client:
        response = client.post(
            "/_flowc/UserService/create_user",
            json={
                "email": "ada@example.com",
                "password_hash": "x",
                "given_name": "A",
                "family_name": "L",
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code != 401, response.text


def test_no_public_answer_carries_a_secret_field(public: TestClient) -> None:
    assert SECRETS, "the example marks password fields secret"
    response = public.post("/register", json=SIGNUP)
    assert response.status_code == 201, response.text
    assert not keys_in(response.json()) & SECRETS
    schema = public.get("/openapi.json").json()["components"]["schemas"]
    answered = schema["UserPublic"]["properties"]
    assert not set(answered) & SECRETS


def test_a_body_over_the_limit_answers_413() -> None:
    app = create_app(fake_implementations(), Settings(max_body_bytes=64))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/register", json={**SIGNUP, "given_name": "A" * 200})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("order-42:retry.1", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("has space", False),
        ("line\\nbreak", False),
        ("<script>", False),
    ],
)
def test_a_correlation_id_is_kept_only_when_well_formed(
    public: TestClient, sent: str, kept: bool
) -> None:
    response = public.post("/register", json=SIGNUP, headers={"X-Correlation-ID": sent})
    answered = response.headers["X-Correlation-ID"]
    assert (answered == sent) is kept
    assert len(answered) <= 128


def test_routing_errors_are_problems_with_the_allowed_methods(
    public: TestClient,
) -> None:
    missing = public.get("/no/such/path")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = public.delete("/register")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.headers["Allow"] == "POST"


def test_an_unreadable_body_answers_the_validation_status(public: TestClient) -> None:
    response = public.post(
        "/register",
        content=b"\xff{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


BEARER_SCRIPT = """
import dataclasses, json
from fastapi.testclient import TestClient
from directory.app import create_app
from directory.runtime import Settings
from directory.testing import TEST_TOKEN, FakeAccessService, fake_implementations
from directory.testing.samples.create_person_request import sample_create_person_request

seen = []

class Recording(FakeAccessService):
    async def check_access(self, payload=None):
        seen.append(self.request_context().bearer)
        return await super().check_access(payload)

implementations = dataclasses.replace(fake_implementations(), access_service=Recording)
with TestClient(create_app(implementations, Settings())) as client:
    document = client.get("/openapi.json").json()
    body = sample_create_person_request().model_dump(mode="json", by_alias=True)
    status = client.post("/people", json=body, headers={"Authorization": f"Bearer {TEST_TOKEN}"}).status_code
print(json.dumps({
    "schemes": document["components"].get("securitySchemes", {}),
    "security": document["paths"]["/people"]["post"].get("security"),
    "status": status,
    "seen": seen,
}))
"""


def test_a_flow_with_401_or_403_rows_declares_bearer_auth_and_hands_over_the_credentials(
    tmp_path: Path,
) -> None:
    """The operation behind the 403 row reads who is asking from its request context."""
    spec = REPO / "tests" / "fixtures" / "specs" / "directory"
    result = generate([spec], tmp_path / "generated", None, package="directory")
    assert result.exit_code == 0
    completed = subprocess.run(
        [sys.executable, "-c", BEARER_SCRIPT],
        cwd=tmp_path / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    assert found["schemes"] == {"HTTPBearer": {"type": "http", "scheme": "bearer"}}
    assert found["security"] == [{"HTTPBearer": []}]
    assert found["status"] == 201
    assert found["seen"] == ["flowc-test-token"]


PUBLIC_PROCESS = """
import json, sys
from signup.app import create_app
from signup.runtime import Settings
from signup.testing import fake_implementations
app = create_app(fake_implementations(), Settings())
print(json.dumps({
    "internal_loaded": sorted(m for m in sys.modules if m.startswith("signup.routes._operations")),
    "paths": [getattr(route, "path", "") for route in app.routes],
}))
"""


def test_a_public_process_never_loads_the_internal_operations() -> None:
    """A process imports what it serves: the public app neither serves nor
    imports the internal operations, and adds each of its routes once."""
    completed = subprocess.run(
        [sys.executable, "-c", PUBLIC_PROCESS],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    assert found["internal_loaded"] == []
    paths = found["paths"]
    assert "/register" in paths
    assert len(paths) == len(set(paths))
    assert not any(path.startswith("/_flowc") for path in paths)
