"""The generated system across processes: an HTTP hop between services, and ``python -m``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_example_service import SIGNUP, FlakyUserService, implementations

from conftest import GENERATED, IMPLEMENTATIONS
from signup.app import create_app, create_internal_app
from signup.runtime import POLICIES, Settings
from signup.testing import record_events


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port, in a thread."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


TOKEN = "a-shared-secret-for-internal-calls"


def settings(service_urls: dict[str, str] | None = None) -> Settings:
    """Retries keep their count but do not wait; internal calls carry the token."""
    return Settings(
        service_urls=service_urls or {},
        retry_wait_initial=0,
        retry_jitter=0,
        internal_token=TOKEN,
    )


def test_a_call_to_a_remote_service_goes_over_http() -> None:
    users_process = create_internal_app(implementations(), settings())
    users_events = record_events(users_process)
    with serving(users_process) as url:
        gateway_process = create_app(
            implementations(), settings(service_urls={"UserService": url})
        )
        gateway_events = record_events(gateway_process)
        with TestClient(gateway_process) as client:
            response = client.post(
                "/register", json=SIGNUP, headers={"X-Correlation-ID": "hop-1"}
            )
    assert response.status_code == 201, response.text
    assert response.json()["email"] == SIGNUP["email"]
    # UserService ran (and published) in the other process.
    assert [e.type for e in users_events] == ["UserCreated"]
    assert users_events[0].correlation_id == "hop-1"
    assert gateway_events == []


def test_the_internal_app_refuses_calls_without_the_token() -> None:
    users_process = create_internal_app(implementations(), settings())
    with serving(users_process) as url:
        gateway_process = create_app(
            implementations(),
            Settings(service_urls={"UserService": url}, internal_token="wrong"),
        )
        with TestClient(gateway_process, raise_server_exceptions=False) as client:
            response = client.post("/register", json=SIGNUP)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


def test_a_remote_problem_becomes_the_same_error_and_is_retried() -> None:
    FlakyUserService.attempts = 0
    users_process = create_internal_app(implementations(FlakyUserService), settings())
    with serving(users_process) as url:
        gateway_process = create_app(
            implementations(), settings(service_urls={"UserService": url})
        )
        with TestClient(gateway_process, raise_server_exceptions=False) as client:
            response = client.post("/register", json=SIGNUP)
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/database-timeout"
    assert FlakyUserService.attempts == POLICIES["UserService"].retries + 1


@contextmanager
def server_process(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process; always stop it, whatever the test does."""
    server = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


def first_signup(server: subprocess.Popen[bytes], port: int) -> httpx.Response:
    """POST the signup as soon as the server listens (within 20 s)."""
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.post(
                f"http://127.0.0.1:{port}/register", json=SIGNUP, timeout=5
            )
        except httpx.TransportError:
            if server.poll() is not None:
                output = server.stdout.read().decode() if server.stdout else ""
                pytest.fail(f"the server exited: {output}")
            if time.monotonic() > deadline:
                pytest.fail("the server did not start within 20 s")
            time.sleep(0.1)


def test_python_dash_m_serves_the_system(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(GENERATED), str(IMPLEMENTATIONS)]),
        "SIGNUP_PORT": str(port),
        "SIGNUP_INBOX_URL": "sqlite://",  # not an events file in the repository
        "SIGNUP_SAGA_DATABASE_URL": f"sqlite:///{tmp_path / 'sagas.db'}",
    }
    with server_process([sys.executable, "-m", "signup"], env=env) as server:
        response = first_signup(server, port)
        assert response.status_code == 201
        assert response.headers["X-Correlation-ID"]
        again = httpx.post(f"http://127.0.0.1:{port}/register", json=SIGNUP, timeout=5)
        assert again.status_code == 409


def test_flowc_run_serves_the_configured_system(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "flowc", "run", "--port", str(port)]
    env = {
        **os.environ,
        "SIGNUP_INBOX_URL": "sqlite://",
        "SIGNUP_SAGA_DATABASE_URL": f"sqlite:///{tmp_path / 'sagas.db'}",
    }
    with server_process(command, env=env, cwd=GENERATED.parent) as server:
        assert first_signup(server, port).status_code == 201
