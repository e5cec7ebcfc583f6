"""Saga start-to-finish latency on DBOS, as a Markdown table.

Run: ``.venv/bin/python benchmarks/sagas.py [--sagas N] [--postgres URL]``.
Uses the committed example's package (``generated/signup``) and its fake
saga (three steps, each a durable DBOS step). Each row starts N sagas one
after another and times each from ``start`` to its outcome: the workflow's
recorded start, three recorded steps, the status events, and the wait for
the result (polled every 20 ms, as a route waiting within its SLA does). The
PostgreSQL row uses a database of its own, dropped afterwards; a row whose
server does not answer is printed as skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "generated"))
# The example's package is loaded at run time: it is not on mypy's path for flowc.
app_module: Any = importlib.import_module("signup.app")
runtime_module: Any = importlib.import_module("signup.runtime")
testing_module: Any = importlib.import_module("signup.testing")


async def latencies(database_url: str, count: int) -> list[float]:
    """Seconds from start to outcome, one saga at a time, after one warm-up saga."""
    runtime = app_module.build_runtime(
        testing_module.fake_implementations(),
        runtime_module.Settings(saga_database_url=database_url),
    )
    try:
        await runtime.sagas.launch()
        found = []
        for index in range(count + 1):
            began = time.perf_counter()
            saga_id = await runtime.sagas.start("OrderFulfillmentSaga", {})
            outcome = await runtime.sagas.wait(saga_id)
            assert outcome is not None and outcome.status.value == "completed"
            if index:  # the first pays for connections and caches
                found.append(time.perf_counter() - began)
        return found
    finally:
        await runtime.aclose()


def postgres_database(server: str) -> tuple[str, str] | None:
    """A fresh database on ``server`` (its URL and name), or None when it does not answer."""
    name = f"flowc_bench_{uuid4().hex[:8]}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=2) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return None
    return f"{server.rsplit('/', 1)[0]}/{name}", name


def drop(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def row(label: str, found: list[float]) -> str:
    milliseconds = sorted(1000 * value for value in found)
    p95 = milliseconds[max(0, round(0.95 * len(milliseconds)) - 1)]
    return (
        f"| {label} | {len(found)} | {statistics.median(milliseconds):.1f} "
        f"| {p95:.1f} | {max(milliseconds):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sagas", type=int, default=50)
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    options = parser.parse_args()
    print("| saga state | sagas | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'sagas.db'}"
        print(row("SQLite file", asyncio.run(latencies(sqlite, options.sagas))))
    created = postgres_database(options.postgres)
    if created is None:
        print(f"| PostgreSQL | skipped: no server at {options.postgres} | | | |")
        return
    url, name = created
    try:
        print(row("PostgreSQL", asyncio.run(latencies(url, options.sagas))))
    finally:
        drop(options.postgres, name)


if __name__ == "__main__":
    main()
