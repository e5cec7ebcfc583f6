"""The generated events commands (``signup.event_commands``): publish an event,
list and replay dead letters, against the inbox database the environment names."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from events_support import implementations
from typer.testing import CliRunner

from conftest import GENERATED, IMPLEMENTATIONS
from signup import models
from signup.app import build_runtime
from signup.event_commands import events_cli
from signup.events import envelope
from signup.inbox import Inbox
from signup.runtime import Settings
from signup_impl.shipping_service import ShippingService


@pytest.fixture
def inbox_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inbox.db'}"


def run(inbox_url: str, *args: str) -> Any:
    return CliRunner().invoke(
        events_cli, list(args), env={"SIGNUP_INBOX_URL": inbox_url}
    )


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    async def read() -> list[tuple[Any, ...]]:
        inbox = Inbox(url)
        async with inbox.transaction() as tx:
            found = await tx.fetch(sql)
        await inbox.close()
        return found

    return asyncio.run(read())


def test_publish_help_names_the_events_of_the_spec(inbox_url: str) -> None:
    result = run(inbox_url, "publish", "--help")
    assert result.exit_code == 0
    for name in ("InventoryReserved", "OrderCreated", "UserCreated"):
        assert name in result.output


def test_publish_runs_the_choreography(inbox_url: str) -> None:
    order = {
        "order_id": str(uuid4()),
        "customer_email": "ada@example.com",
        "total": "12.50",
    }
    result = run(inbox_url, "publish", "OrderCreated", "--json", json.dumps(order))
    assert result.exit_code == 0, result.output
    assert rows(inbox_url, "SELECT order_id FROM shipments") == [(order["order_id"],)]
    assert rows(inbox_url, "SELECT count(*) FROM outbox") == [(0,)]


def test_publish_refuses_an_unknown_event_or_a_bad_payload(inbox_url: str) -> None:
    assert run(inbox_url, "publish", "OrderShipped", "--json", "{}").exit_code == 2
    bad = run(inbox_url, "publish", "OrderCreated", "--json", '{"order_id": 1}')
    assert bad.exit_code == 2
    assert "not a valid OrderCreated payload" in bad.output


class Down(ShippingService):
    async def on_inventory_reserved(self, event: Any, tx: Any) -> None:
        raise ConnectionError("the carrier's API is down")


def test_dead_letters_are_listed_and_replayed(inbox_url: str) -> None:
    async def park() -> str:
        from dataclasses import replace

        runtime = build_runtime(
            replace(implementations(), shipping_service=Down),
            Settings(inbox_url=inbox_url, consumer_attempts=2, consumer_backoff=0),
        )
        reserved = models.InventoryReserved(order_id=uuid4(), reservation_id=uuid4())
        event = envelope("InventoryReserved", "InventoryService", reserved)
        await runtime.bus.deliver(event)
        await runtime.aclose()
        return str(event.event_id)

    event_id = asyncio.run(park())
    listed = run(inbox_url, "dead-letters", "list")
    assert listed.exit_code == 0
    assert "ShippingService\tInventoryReserved\t" + event_id in listed.output
    assert "ConnectionError" in listed.output

    replayed = run(inbox_url, "dead-letters", "replay", "--consumer", "ShippingService")
    assert replayed.exit_code == 0, replayed.output
    assert replayed.output.strip().endswith("handled")
    assert run(inbox_url, "dead-letters", "list").output.strip() == "no dead letters"
    assert len(rows(inbox_url, "SELECT * FROM shipments")) == 1


def test_a_message_that_is_no_envelope_is_parked_not_redelivered_forever(
    inbox_url: str,
) -> None:
    async def receive() -> str:
        runtime = build_runtime(implementations(), Settings(inbox_url=inbox_url))
        outcome = await runtime.bus.receive("ShippingService", b'{"not": "an event"}')
        await runtime.aclose()
        return str(outcome.value)

    assert asyncio.run(receive()) == "parked"
    listed = run(inbox_url, "dead-letters", "list").output
    assert "ShippingService\t(undecodable)" in listed
    replayed = run(inbox_url, "dead-letters", "replay")
    assert replayed.exit_code == 1
    assert replayed.output.strip().endswith("parked")


def test_help_imports_none_of_the_systems_modules() -> None:
    """``python -m signup --help`` and ``publish --help`` answer without importing
    the app, the models or the events: a large system's CLI starts at once."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from signup.__main__ import cli\n"
        "for args in (['--help'], ['publish', '--help'], ['sagas', '--help']):\n"
        "    result = CliRunner().invoke(cli, args)\n"
        "    assert result.exit_code == 0, result.output\n"
        "heavy = ('signup.app', 'signup.models', 'signup.events', 'signup.runtime')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=GENERATED,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(map(str, (GENERATED, IMPLEMENTATIONS))),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"
