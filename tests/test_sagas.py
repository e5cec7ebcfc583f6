"""Sagas on DBOS, driven for real: compensation order, timeouts, stuck steps,
compensations that keep failing, the internal routes, the CLI, and a crash.

The orders expected here are written out by hand from the diagrams, so they
check the orchestrator against the spec, not against itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

from fastapi.testclient import TestClient
from services import fresh_postgres_database
from test_unseen_specs import run_generated, run_in_generated

from conftest import GENERATED, IMPLEMENTATIONS, SPECS
from flowc.api import generate
from signup.app import build_runtime, create_app, create_internal_app
from signup.runtime import Settings
from signup.saga_runtime import SagaOutcome, SagaStatus
from signup.sagas.fakes import FakeOrderFulfillmentSaga
from signup.testing import fake_implementations

SAGA = "OrderFulfillmentSaga"


def settings(tmp_path: Path, **extra: Any) -> Settings:
    defaults: dict[str, Any] = {
        "saga_database_url": f"sqlite:///{tmp_path / 'sagas.db'}",
        "saga_retry_initial": 0.01,
        "internal_token": "saga-operator-token",
    }
    return Settings(**{**defaults, **extra})


def run_saga(
    tmp_path: Path, saga: type[FakeOrderFulfillmentSaga], **extra: Any
) -> tuple[SagaOutcome, list[str]]:
    async def scenario() -> tuple[SagaOutcome, list[str]]:
        runtime = build_runtime(
            dataclasses.replace(fake_implementations(), order_fulfillment_saga=saga),
            settings(tmp_path, **extra),
        )
        try:
            saga_id = await runtime.sagas.start(SAGA, {})
            outcome = await runtime.sagas.wait(saga_id, timeout=60)
            assert outcome is not None
            fake = runtime.sagas.implementation(SAGA)
            assert isinstance(fake, FakeOrderFulfillmentSaga)
            return outcome, fake.ran
        finally:
            await runtime.aclose()

    return asyncio.run(scenario())


# --- the example's saga, as its diagram draws it -----------------------------------
# Step1 Create Order -.-> Cancel Order; Step2 Reserve Inventory -.-> Release
# Inventory -.-> Cancel Order; Step3 Process Payment -.-> Refund Payment -.->
# Release Inventory -.-> Cancel Order.


def test_a_payment_failure_refunds_releases_and_cancels_in_that_order(
    tmp_path: Path,
) -> None:
    class PaymentFails(FakeOrderFulfillmentSaga):
        failing: ClassVar[frozenset[str]] = frozenset({"process_payment"})

    outcome, ran = run_saga(tmp_path, PaymentFails)
    assert outcome.status is SagaStatus.COMPENSATED
    assert outcome.failed_step == "process_payment"
    assert ran == [
        "create_order",
        "reserve_inventory",
        "process_payment",
        "refund_payment",
        "release_inventory",
        "cancel_order",
    ]
    assert outcome.error is not None and outcome.error.type == "FakeStepError"


def test_saga_state_in_postgresql_compensates_the_same_way(tmp_path: Path) -> None:
    class PaymentFails(FakeOrderFulfillmentSaga):
        failing: ClassVar[frozenset[str]] = frozenset({"process_payment"})

    with fresh_postgres_database("flowc_sagas") as url:
        outcome, ran = run_saga(tmp_path, PaymentFails, saga_database_url=url)
    assert outcome.status is SagaStatus.COMPENSATED
    assert ran[3:] == ["refund_payment", "release_inventory", "cancel_order"]


def test_a_compensation_that_keeps_failing_ends_the_saga_failed(
    tmp_path: Path,
) -> None:
    class RefundFails(FakeOrderFulfillmentSaga):
        failing: ClassVar[frozenset[str]] = frozenset(
            {"process_payment", "refund_payment"}
        )

    outcome, ran = run_saga(tmp_path, RefundFails, saga_compensation_attempts=3)
    assert outcome.status is SagaStatus.FAILED
    assert outcome.failed_step == "process_payment"
    assert ran.count("refund_payment") == 3
    assert "release_inventory" not in ran  # the chain stops at the failing one
    assert outcome.error is not None
    assert "refund_payment failed" in outcome.error.detail


# --- FTGO's Create Order Saga: failure edges into the middle of a chain, a pivot ---


def test_ftgo_failures_start_where_their_edges_point(tmp_path: Path) -> None:
    found = run_generated(
        "food-delivery",
        "ftgo",
        """
        import asyncio, dataclasses, json
        from ftgo.app import build_runtime
        from ftgo.runtime import Settings
        from ftgo.sagas.fakes import FakeCreateOrderSaga
        from ftgo.testing import fake_implementations
        from ftgo.testing.samples.create_order_request import sample_create_order_request

        async def run(failing, attempts_before_success=0):
            class Saga(FakeCreateOrderSaga):
                failures = {"approve_ticket": attempts_before_success}
                async def approve_ticket(self, context):
                    self.record(context)
                    if self.failures["approve_ticket"]:
                        self.failures["approve_ticket"] -= 1
                        raise RuntimeError("kitchen is down")
            Saga.failing = frozenset(failing)
            runtime = build_runtime(
                dataclasses.replace(fake_implementations(), create_order_saga=Saga),
                Settings(saga_database_url=f"sqlite:///sagas-{'-'.join(failing) or 'none'}.db", saga_retry_initial=0.01),
            )
            try:
                saga_id = await runtime.sagas.start("CreateOrderSaga", sample_create_order_request())
                outcome = await runtime.sagas.wait(saga_id, timeout=60)
                return [outcome.status.value, outcome.compensations, runtime.sagas.implementation("CreateOrderSaga").ran]
            finally:
                await runtime.aclose()

        print(json.dumps({
            "authorize_card": asyncio.run(run({"authorize_card"})),
            "create_ticket": asyncio.run(run({"create_ticket"})),
            "pivot_retried": asyncio.run(run(set(), attempts_before_success=2)),
        }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    # Authorize Card -.->|Failed| Reject Ticket -.-> Reject Order
    assert found["authorize_card"][:2] == [
        "compensated",
        ["reject_ticket", "reject_order"],
    ]
    # Create Ticket -.->|Failed| Reject Order (into the middle of the chain)
    assert found["create_ticket"][:2] == ["compensated", ["reject_order"]]
    # Approve Ticket has no failure edge: retried until it succeeds, never compensated.
    status, compensations, ran = found["pivot_retried"]
    assert status == "completed" and compensations == []
    assert ran.count("approve_ticket") == 3
    assert ran[-1] == "approve_order"


def test_a_package_with_a_two_letter_name_runs_its_sagas(tmp_path: Path) -> None:
    """DBOS wants an application name of at least 3 characters; a package
    called ``ft`` still runs its sagas (under the name ``ft_sagas``)."""
    found = run_generated(
        "food-delivery",
        "ft",
        """
        import asyncio, json
        from ft.app import build_runtime
        from ft.runtime import Settings
        from ft.testing import fake_implementations
        from ft.testing.samples.create_order_request import sample_create_order_request

        async def run():
            runtime = build_runtime(
                fake_implementations(),
                Settings(saga_database_url="sqlite:///sagas.db", saga_retry_initial=0.01),
            )
            try:
                saga_id = await runtime.sagas.start("CreateOrderSaga", sample_create_order_request())
                outcome = await runtime.sagas.wait(saga_id, timeout=60)
                return outcome.status.value
            finally:
                await runtime.aclose()

        print(json.dumps(asyncio.run(run())))
        """,
        tmp_path,
    )
    assert found == "completed"


def test_a_flow_that_runs_through_its_saga_answers_as_the_saga_ends(
    tmp_path: Path,
) -> None:
    """FTGO's Create Order runs through the Create Order Saga: 201 when it
    completes; the failing step's own error (after its compensations ran)
    when it does not; 202 with a public status URL when the SLA runs out."""
    found = run_generated(
        "food-delivery",
        "ftgo",
        """
        import asyncio, dataclasses, json, time
        from fastapi.testclient import TestClient
        from ftgo import errors
        from ftgo.app import create_app
        from ftgo.runtime import Settings
        from ftgo.sagas.fakes import FakeCreateOrderSaga
        from ftgo.testing import fake_implementations
        from ftgo.testing.samples.create_order_request import sample_create_order_request

        class CardRefused(FakeCreateOrderSaga):
            async def authorize_card(self, context):
                self.record(context)
                raise errors.InvalidMenuItemError("the kitchen removed an item")

        class SlowKitchen(FakeCreateOrderSaga):
            async def create_ticket(self, context):
                self.record(context)
                await asyncio.sleep(1.5)

        def post(saga, name):
            app = create_app(
                dataclasses.replace(fake_implementations(), create_order_saga=saga),
                Settings(saga_database_url=f"sqlite:///{name}.db", saga_retry_initial=0.01),
            )
            body = sample_create_order_request().model_dump(mode="json", by_alias=True)
            with TestClient(app) as client:
                response = client.post("/orders", json=body)
                answer = [response.status_code, response.headers["content-type"], response.json()]
                if response.status_code == 202:
                    url = response.json()["status_url"]
                    answer.append(response.headers["Location"] == url)
                    deadline = time.monotonic() + 30
                    while (shown := client.get(url).json())["status"] != "completed":
                        assert time.monotonic() < deadline, shown
                        time.sleep(0.05)
                    answer.append(shown["completed_steps"])
                ran = app.state.runtime.sagas.implementation("CreateOrderSaga").ran
                return answer + [ran]

        print(json.dumps({
            "completes": post(FakeCreateOrderSaga, "completes"),
            "refused": post(CardRefused, "refused"),
            "slow": post(SlowKitchen, "slow"),
        }))
        """,
        tmp_path,
    )
    assert isinstance(found, dict)
    assert found["completes"][0] == 201
    status, content_type, problem, ran = found["refused"]
    assert (status, content_type) == (422, "application/problem+json")
    assert problem["detail"] == "the kitchen removed an item"
    assert ran[-2:] == ["reject_ticket", "reject_order"]  # compensated before answering
    status, _, accepted, same_location, steps, _ = found["slow"]
    assert status == 202 and same_location is True
    assert accepted["status_url"].startswith("/sagas/create-order-saga/")
    assert steps[-1] == "approve_order"


# --- timeout, stuck, and the routes ---------------------------------------------

TIMED_SAGA = """\
# Integration Patterns

## Key Flows

### Book Trip

**Trigger**: A traveller books (`POST /trips`)

```mermaid
sequenceDiagram
    actor Traveller
    participant Gateway
    participant TripService
    Traveller->>Gateway: POST /trips
    Gateway->>TripService: BookTrip
    TripService-->>Gateway: Trip entity
    Gateway-->>Traveller: 201 Created
```

## Cross-Boundary Patterns

### Trip Booking Saga

```mermaid
flowchart LR
    subgraph "Happy Path"
        Start --> Flight[Book Flight]
        Flight --> Hotel[Book Hotel]
        Hotel --> Confirm[Confirm Trip]
        Confirm --> Done[Complete]
    end
    subgraph "Compensation"
        Hotel -.->|Failed| CancelFlight[Cancel Flight]
        Flight -.->|Failed| CancelFlight
    end
```

**Implementation**:
- Orchestrator: TripService
- Timeout: 1s
"""


def run_trips(tmp_path: Path, spec: str, script: str) -> Any:
    """Generate ``spec`` as the package ``trips``, run ``script`` there, return its JSON."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "trips.md").write_text(spec, encoding="utf-8")
    return run_in_generated(tmp_path / "specs", "trips", script, tmp_path)


def test_the_timeout_starts_the_chain_of_the_step_running_then(
    tmp_path: Path,
) -> None:
    script = """
        import asyncio, dataclasses, json
        from trips.app import build_runtime
        from trips.runtime import Settings
        from trips.sagas.fakes import FakeTripBookingSaga
        from trips.testing import fake_implementations

        class SlowHotel(FakeTripBookingSaga):
            async def book_hotel(self, context):
                self.record(context)
                await asyncio.sleep(30)

        class StuckConfirm(FakeTripBookingSaga):
            tries = 0
            async def confirm_trip(self, context):
                self.record(context)
                StuckConfirm.tries += 1
                if StuckConfirm.tries < 6:
                    raise RuntimeError("the confirmation service is down")

        async def run(saga, name):
            runtime = build_runtime(
                dataclasses.replace(fake_implementations(), trip_booking_saga=saga),
                Settings(saga_database_url=f"sqlite:///{name}.db", saga_retry_initial=0.05),
            )
            try:
                saga_id = await runtime.sagas.start("TripBookingSaga", {})
                seen = set()
                while (outcome := await runtime.sagas.wait(saga_id, timeout=0.05)) is None:
                    seen.add((await runtime.sagas.outcome(saga_id)).status.value)
                return [outcome.status.value, outcome.failed_step, outcome.compensations, outcome.error.type if outcome.error else None, sorted(seen)]
            finally:
                await runtime.aclose()

        print(json.dumps({"slow": asyncio.run(run(SlowHotel, "slow")), "stuck": asyncio.run(run(StuckConfirm, "stuck"))}))
    """
    found = run_trips(tmp_path, TIMED_SAGA, script)
    assert found["slow"][:4] == [
        "compensated",
        "book_hotel",
        ["cancel_flight"],
        "SagaTimeoutError",
    ]
    status, failed, compensations, _, seen = found["stuck"]
    assert (status, failed, compensations) == ("completed", None, [])
    assert "stuck" in seen  # `sagas list` shows it while it keeps failing


def test_sagas_start_and_show_on_the_internal_app_only(tmp_path: Path) -> None:
    implementations = fake_implementations()
    runtime = build_runtime(implementations, settings(tmp_path))
    public = create_app(runtime=runtime)
    internal = create_internal_app(runtime=runtime)
    headers = {"Authorization": "Bearer saga-operator-token"}
    try:
        with TestClient(public) as client:
            assert (
                client.post("/_flowc/sagas/order-fulfillment-saga", json={}).status_code
                == 404
            )
        with TestClient(internal) as client:
            refused = client.post("/_flowc/sagas/order-fulfillment-saga", json={})
            assert refused.status_code == 401
            started = client.post(
                "/_flowc/sagas/order-fulfillment-saga", json={}, headers=headers
            )
            assert started.status_code == 202, started.text
            body = started.json()
            assert started.headers["Location"] == body["status_url"]
            deadline = time.monotonic() + 30
            while True:
                shown = client.get(body["status_url"], headers=headers).json()
                if shown["status"] == "completed" or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert shown["status"] == "completed"
            assert shown["completed_steps"] == [
                "create_order",
                "reserve_inventory",
                "process_payment",
            ]
            missing = client.get(
                "/_flowc/sagas/order-fulfillment-saga/nope", headers=headers
            )
            assert missing.status_code == 404
            assert missing.headers["content-type"] == "application/problem+json"
    finally:
        asyncio.run(runtime.aclose())


# --- regeneration keeps sagas in flight ----------------------------------------------


def test_the_workflow_version_follows_the_definition_not_the_text(
    tmp_path: Path,
) -> None:
    spec = (SPECS / "integration-patterns.md").read_text(encoding="utf-8")
    versions = []
    for index, text in enumerate(
        [
            spec,
            spec.replace("Placing an order spans", "Placing any order spans"),
            spec.replace("Step3[Process Payment]", "Step3[Charge Card]"),
        ]
    ):
        folder = tmp_path / f"specs{index}"
        folder.mkdir()
        (folder / "integration-patterns.md").write_text(text, encoding="utf-8")
        for name in ("shared-concepts.md",):
            source = SPECS / name
            if source.is_file():
                (folder / name).write_text(source.read_text(encoding="utf-8"))
        result = generate(
            [folder],
            tmp_path / f"out{index}",
            tmp_path / f"impl{index}",
            package="signup",
        )
        saga_module = (
            tmp_path / f"out{index}" / "signup" / "sagas" / "order_fulfillment_saga.py"
        ).read_text(encoding="utf-8")
        versions.append(saga_module.split('version="', 1)[1].split('"', 1)[0])
        assert result.exit_code == 0, [str(d) for d in result.diagnostics]
    committed = (
        GENERATED / "signup" / "sagas" / "order_fulfillment_saga.py"
    ).read_text(encoding="utf-8")
    assert f'version="{versions[0]}"' in committed
    assert versions[1] == versions[0]  # prose changed, the saga did not
    assert versions[2] != versions[0]  # a step changed: a new workflow


# --- a crash in the middle of a step ----------------------------------------------------

CRASHING = """
import asyncio, os, sqlite3, sys
from pathlib import Path
from signup.app import build_runtime
import dataclasses
from signup.runtime import Settings
from signup.sagas.fakes import FakeOrderFulfillmentSaga
from signup.testing import fake_implementations

EFFECTS = sys.argv[1]
READY = Path(sys.argv[2])


class Effects(FakeOrderFulfillmentSaga):
    async def _effect(self, context):
        self.record(context)
        db = sqlite3.connect(EFFECTS)
        db.execute("INSERT INTO attempts (step) VALUES (?)", (context.step,))
        db.execute("INSERT OR IGNORE INTO effects (key) VALUES (?)", (context.idempotency_key,))
        db.commit()
        db.close()
        if context.step == "reserve_inventory" and not READY.exists():
            READY.write_text("mid-step")
            await asyncio.sleep(600)  # killed here

    async def create_order(self, context): await self._effect(context)
    async def reserve_inventory(self, context): await self._effect(context)
    async def process_payment(self, context): await self._effect(context)


async def main():
    runtime = build_runtime(
        dataclasses.replace(fake_implementations(), order_fulfillment_saga=Effects),
        Settings(saga_database_url=f"sqlite:///{sys.argv[3]}"),
    )
    try:
        if sys.argv[4] == "start":
            await runtime.sagas.start("OrderFulfillmentSaga", {}, saga_id="crash-1")
            await asyncio.sleep(600)
        else:
            await runtime.sagas.launch()  # recovers what was in flight
            outcome = await runtime.sagas.wait("crash-1", timeout=60)
            print(outcome.model_dump_json())
    finally:
        await runtime.aclose()


asyncio.run(main())
"""


def test_a_saga_killed_mid_step_finishes_on_restart_with_each_effect_once(
    tmp_path: Path,
) -> None:
    effects = tmp_path / "effects.db"
    with sqlite3.connect(effects) as db:
        db.execute("CREATE TABLE effects (key TEXT PRIMARY KEY)")
        db.execute("CREATE TABLE attempts (step TEXT)")
    script = tmp_path / "crashing.py"
    script.write_text(CRASHING, encoding="utf-8")
    ready = tmp_path / "ready"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(GENERATED), os.environ.get("PYTHONPATH", "")]
        ),
    }
    args = [
        sys.executable,
        str(script),
        str(effects),
        str(ready),
        str(tmp_path / "s.db"),
    ]
    first = subprocess.Popen([*args, "start"], env=env, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert first.poll() is None, "the saga process ended before the step"
        assert time.monotonic() < deadline, "the step never started"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    second = subprocess.run(
        [*args, "resume"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 0, second.stderr[-3000:]
    outcome = json.loads(second.stdout.strip().splitlines()[-1])
    assert outcome["status"] == "completed"
    with sqlite3.connect(effects) as db:
        keys = sorted(key for (key,) in db.execute("SELECT key FROM effects"))
        attempts = [step for (step,) in db.execute("SELECT step FROM attempts")]
    assert keys == [
        "crash-1/create_order",
        "crash-1/process_payment",
        "crash-1/reserve_inventory",
    ]
    assert attempts.count("create_order") == 1  # recorded: never run again
    assert attempts.count("reserve_inventory") == 2  # interrupted, so run again


# --- the operations CLI ----------------------------------------------------------------


def test_the_cli_starts_lists_and_shows_sagas(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(GENERATED), str(IMPLEMENTATIONS)]),
        "SIGNUP_SAGA_DATABASE_URL": f"sqlite:///{tmp_path / 'sagas.db'}",
        "SIGNUP_INBOX_URL": "sqlite://",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "signup", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    shown_help = cli("--help")
    assert shown_help.returncode == 0, shown_help.stderr
    for name in ("User Registration", "Order Fulfillment Saga", "OrderCreated"):
        assert name in " ".join(shown_help.stdout.split()), shown_help.stdout
    started = cli("sagas", "start", "order-fulfillment-saga", "--json", "{}")
    assert started.returncode == 0, started.stderr[-3000:]
    saga_id = started.stdout.split()[0]
    assert '"status": "completed"' in started.stdout  # the example's ledger saga
    listed = cli("sagas", "list")
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert f"{saga_id}  Order Fulfillment Saga  completed" in listed.stdout
    shown = cli("sagas", "show", saga_id)
    assert json.loads(shown.stdout)["completed_steps"] == [
        "create_order",
        "reserve_inventory",
        "process_payment",
    ]
    assert cli("sagas", "show", "no-such-saga").returncode == 1
    unknown = cli("sagas", "start", "no-such-saga")
    assert unknown.returncode == 2 and "order-fulfillment-saga" in unknown.stderr


ACCEPTED = TIMED_SAGA.replace(
    "Gateway-->>Traveller: 201 Created", "Gateway-->>Traveller: 202 Accepted"
).replace("### Trip Booking Saga", "### Book Trip Saga")


def test_a_flow_whose_diagram_answers_202_answers_once_the_saga_is_started(
    tmp_path: Path,
) -> None:
    script = """
        import asyncio, dataclasses, json, time
        from fastapi.testclient import TestClient
        from trips.app import create_app
        from trips.runtime import Settings
        from trips.sagas.fakes import FakeBookTripSaga
        from trips.testing import fake_implementations

        class SlowHotel(FakeBookTripSaga):
            async def book_hotel(self, context):
                self.record(context)
                await asyncio.sleep(0.5)

        app = create_app(
            dataclasses.replace(fake_implementations(), book_trip_saga=SlowHotel),
            Settings(saga_database_url="sqlite:///accepted.db"),
        )
        with TestClient(app) as client:
            began = time.monotonic()
            response = client.post("/trips", json={})
            answered_while_running = list(app.state.runtime.sagas.implementation("BookTripSaga").ran)
            url = response.json()["status_url"]
            while (shown := client.get(url).json())["status"] != "completed":
                time.sleep(0.05)
        print(json.dumps([response.status_code, "confirm_trip" not in answered_while_running, shown["completed_steps"]]))
    """
    status, answered_before_the_end, steps = run_trips(tmp_path, ACCEPTED, script)
    assert status == 202
    assert answered_before_the_end is True
    assert steps == ["book_flight", "book_hotel", "confirm_trip"]
