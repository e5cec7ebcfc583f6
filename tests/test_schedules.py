"""Scheduled triggers, run for real on DBOS: each tick once, the SLA bounding a
tick, and two processes sharing one schedule through PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from services import fresh_postgres_database

from flowc.api import generate

EXPORT = """\
# Integration Patterns

## Key Flows

### Order Export

**Trigger**: Every second (`* * * * * *`)
**SLA**: 1s

```mermaid
sequenceDiagram
    participant Scheduler
    participant ExportService
    Scheduler->>ExportService: ExportOrders
    ExportService-->>Scheduler: Export done
```
"""

# A process that runs the generated system for a while, recording each call
# with the ID of the tick (DBOS workflow) that made it.
RUNNER = """
import asyncio, dataclasses, sqlite3, sys
from dbos import DBOS
from exports.app import build_runtime
from exports.runtime import Settings
from exports.testing import FakeExportService, fake_implementations

CALLS, DATABASE, SECONDS, MODE = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]


class Recording(FakeExportService):
    async def export_orders(self, payload=None):
        with sqlite3.connect(CALLS, timeout=10) as db:
            db.execute("INSERT INTO calls VALUES (?, ?)", (DBOS.workflow_id, MODE))
        if MODE == "slow":
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                with sqlite3.connect(CALLS, timeout=10) as db:
                    db.execute("INSERT INTO calls VALUES (?, ?)", (DBOS.workflow_id, "cancelled"))
                raise


async def main():
    runtime = build_runtime(
        dataclasses.replace(fake_implementations(), export_service=Recording),
        Settings(saga_database_url=DATABASE, saga_retry_initial=0.01),
    )
    try:
        await runtime.sagas.launch()
        if MODE == "slow":
            from exports.schedules import order_export_on_schedule
            from datetime import UTC, datetime
            handle = await DBOS.start_workflow_async(order_export_on_schedule, datetime.now(UTC), None)
            try:
                await handle.get_result()
            except Exception as exc:
                print(type(exc).__name__)
            status = await DBOS.get_workflow_status_async(handle.workflow_id)
            print(status.status, handle.workflow_id)
        else:
            await asyncio.sleep(SECONDS)
    finally:
        await runtime.aclose()


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("schedules")
    (root / "specs").mkdir()
    (root / "specs" / "export.md").write_text(EXPORT, encoding="utf-8")
    result = generate([root / "specs"], root / "out", root / "impl", package="exports")
    assert result.exit_code == 0, [str(d) for d in result.diagnostics]
    assert "FLW511" in {d.code for d in result.diagnostics}
    (root / "runner.py").write_text(RUNNER, encoding="utf-8")
    return root


def calls_table(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE calls (tick TEXT, mode TEXT)")
    return path


def start(
    exports: Path, calls: Path, database: str, seconds: float, mode: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(exports / "runner.py"),
            str(calls),
            database,
            str(seconds),
            mode,
        ],
        cwd=exports / "out",
        env={**os.environ, "PYTHONPATH": str(exports / "out")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-3000:]
    return out


def ticks(calls: Path, mode: str = "tick") -> list[str]:
    with sqlite3.connect(calls) as db:
        return [
            t for (t,) in db.execute("SELECT tick FROM calls WHERE mode = ?", (mode,))
        ]


def test_each_tick_of_a_scheduled_flow_runs_once(exports: Path, tmp_path: Path) -> None:
    calls = calls_table(tmp_path / "calls.db")
    finished(start(exports, calls, f"sqlite:///{tmp_path / 'dbos.db'}", 4.5, "tick"))
    made = ticks(calls)
    assert (
        len(made) >= 2
    ), made  # a tick a second, once DBOS's scheduler has the schedule
    assert len(set(made)) == len(made)  # no tick ran twice


def test_a_tick_over_its_sla_is_cancelled_recorded_and_retried(
    exports: Path, tmp_path: Path
) -> None:
    calls = calls_table(tmp_path / "calls.db")
    out = finished(
        start(exports, calls, f"sqlite:///{tmp_path / 'dbos.db'}", 0, "slow")
    )
    failure, status, tick = out.split()
    assert (failure, status) == ("TickFailedError", "ERROR")  # recorded as failed
    assert ticks(calls, "slow").count(tick) == 3  # tried three times
    assert ticks(calls, "cancelled").count(tick) == 3  # each cut at the SLA


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with fresh_postgres_database("flowc_schedules") as url:
        yield url


def test_two_processes_on_postgresql_run_each_tick_once(
    exports: Path, tmp_path: Path, postgres_database: str
) -> None:
    calls = calls_table(tmp_path / "calls.db")
    first = start(exports, calls, postgres_database, 5, "tick")
    second = start(exports, calls, postgres_database, 5, "tick")
    finished(first)
    finished(second)
    made = ticks(calls)
    assert len(made) >= 2, made
    assert len(set(made)) == len(made), json.dumps(sorted(made))


def test_a_schedule_in_words_stays_a_warning(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    text = EXPORT.replace(
        "Every second (`* * * * * *`)", "Nightly, after the books close"
    )
    (tmp_path / "specs" / "export.md").write_text(text, encoding="utf-8")
    result = generate(
        [tmp_path / "specs"], tmp_path / "out", tmp_path / "impl", package="exports"
    )
    found = [d for d in result.diagnostics if d.code == "FLW419"]
    assert len(found) == 1 and "cron" in found[0].message
    assert not (tmp_path / "out" / "exports" / "schedules.py").exists()
