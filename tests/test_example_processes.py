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

import httpx
import pytest
import uvicorn
from conftest import GENERATED, IMPLEMENTATIONS
from fastapi import FastAPI
from fastapi.testclient import TestClient
from signup.app import create_app
from signup.runtime import POLICIES, Settings
from test_example_service import SIGNUP, FlakyUserService, implementations


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


def settings(**values: object) -> Settings:
    return Settings(retry_wait_initial=0, retry_jitter=0, **values)  # type: ignore[arg-type]


def test_a_call_to_a_remote_service_goes_over_http() -> None:
    users_process = create_app(implementations(), settings())
    with serving(users_process) as url:
        gateway_process = create_app(
            implementations(), settings(service_urls={"UserService": url})
        )
        with TestClient(gateway_process) as client:
            response = client.post(
                "/register", json=SIGNUP, headers={"X-Correlation-ID": "hop-1"}
            )
    assert response.status_code == 201, response.text
    assert response.json()["email"] == SIGNUP["email"]
    # UserService ran (and published) in the other process.
    assert [e.type for e in users_process.state.runtime.bus.published] == [
        "UserCreated"
    ]
    assert users_process.state.runtime.bus.published[0].correlation_id == "hop-1"
    assert gateway_process.state.runtime.bus.published == []


def test_a_remote_problem_becomes_the_same_error_and_is_retried() -> None:
    FlakyUserService.attempts = 0
    users_process = create_app(implementations(FlakyUserService), settings())
    with serving(users_process) as url:
        gateway_process = create_app(
            implementations(), settings(service_urls={"UserService": url})
        )
        with TestClient(gateway_process, raise_server_exceptions=False) as client:
            response = client.post("/register", json=SIGNUP)
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/database-timeout"
    assert FlakyUserService.attempts == POLICIES["UserService"].retries + 1


def test_python_dash_m_serves_the_system() -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(GENERATED), str(IMPLEMENTATIONS)]),
        "SIGNUP_PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "signup"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/register", json=SIGNUP, timeout=5
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output = (
                        server.stdout.read().decode()
                        if server.stdout and server.poll() is not None
                        else ""
                    )
                    pytest.fail(f"python -m signup did not start: {output}")
                time.sleep(0.1)
        assert response.status_code == 201
        assert response.headers["X-Correlation-ID"]
        again = httpx.post(f"http://127.0.0.1:{port}/register", json=SIGNUP, timeout=5)
        assert again.status_code == 409
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_flowc_run_serves_the_configured_system(
    repo_root: str = str(GENERATED.parent),
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flowc", "run", "--port", str(port)],
        cwd=repo_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/register", json=SIGNUP, timeout=5
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("flowc run did not serve the system")
                time.sleep(0.1)
        assert response.status_code == 201
    finally:
        server.terminate()
        server.wait(timeout=10)
