"""Events per second through the generated bus, as a Markdown table.

Run: ``.venv/bin/python benchmarks/events.py [--events N]
[--postgres URL] [--nats URL]``. Uses the committed example's package
(``generated/signup``). Each row publishes N events, outside any request, to
one consumer that writes one row through its inbox transaction, and times the
last one's handling. Per event that is: the outbox write, the delivery (in
process, or a JetStream publish and a pull), the consumer's transaction (inbox
claim and its row) and the outbox row's removal. A row whose server does not
answer is printed as skipped. PostgreSQL rows use a schema of their own,
dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
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
bus_module: Any = importlib.import_module("signup.bus")
events_module: Any = importlib.import_module("signup.events")
inbox_module: Any = importlib.import_module("signup.inbox")


async def measure(inbox_url: str, broker_url: str | None, count: int) -> float:
    """Events per second, publish of the first to handling of the last."""
    namespace = f"bench{uuid4().hex[:8]}"
    bus = bus_module.EventBus(
        inbox_module.Inbox(inbox_url), broker_url=broker_url, namespace=namespace
    )
    handled = asyncio.Event()
    seen = 0

    async def consumer(event: Any, tx: Any) -> None:
        nonlocal seen
        await tx.execute(
            "INSERT INTO bench_effects (event_id) VALUES (?)", (str(event.event_id),)
        )
        seen += 1
        if seen == count:
            handled.set()

    bus.subscribe("BenchmarkRan", "BenchConsumer", consumer)
    async with bus.inbox.transaction() as tx:
        await tx.execute(
            "CREATE TABLE IF NOT EXISTS bench_effects (event_id TEXT NOT NULL)"
        )
    await bus.start()
    started = time.perf_counter()
    for number in range(count):
        event = events_module.envelope("BenchmarkRan", "bench", {"number": number})
        await bus.publish(event)
    await asyncio.wait_for(handled.wait(), timeout=300)
    elapsed = time.perf_counter() - started
    await bus.aclose()
    if broker_url is not None:
        await drop_stream(broker_url, f"{namespace}_events")
    return float(count / elapsed)


async def drop_stream(url: str, name: str) -> None:
    """Leave nothing behind on the NATS server."""
    import nats

    connection = await nats.connect(url)
    await connection.jetstream().delete_stream(name)
    await connection.close()


def reachable_postgres(url: str) -> str | None:
    """A fresh schema's URL on the server, or None."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as connection:
            schema = f"bench_{uuid4().hex[:10]}"
            connection.execute(f"CREATE SCHEMA {schema}")
    except psycopg.Error:
        return None
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema_url: str) -> None:
    schema = schema_url.rsplit("%3D", 1)[-1]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


async def reachable_nats(url: str) -> bool:
    import nats

    try:
        connection = await nats.connect(
            url, connect_timeout=2, max_reconnect_attempts=0
        )
    except Exception:  # any failure to connect means: skip the row
        return False
    await connection.close()
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    args = parser.parse_args()

    nats_up = asyncio.run(reachable_nats(args.nats))
    print(f"{args.events} events, one consumer writing one row per event\n")
    print("| bus | inbox | events/s |")
    print("|---|---|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for bus_name, broker in (("in process", None), ("NATS JetStream", args.nats)):
            for inbox_name in ("SQLite file", "PostgreSQL"):
                if broker is not None and not nats_up:
                    print(
                        f"| {bus_name} | {inbox_name} | skipped: no NATS at {args.nats} |"
                    )
                    continue
                if inbox_name == "PostgreSQL":
                    schema_url = reachable_postgres(args.postgres)
                    if schema_url is None:
                        print(
                            f"| {bus_name} | {inbox_name} | skipped: no PostgreSQL at {args.postgres} |"
                        )
                        continue
                    try:
                        rate = asyncio.run(measure(schema_url, broker, args.events))
                    finally:
                        drop_schema(args.postgres, schema_url)
                else:
                    inbox = Path(folder) / f"{uuid4().hex}.db"
                    rate = asyncio.run(
                        measure(f"sqlite:///{inbox}", broker, args.events)
                    )
                print(f"| {bus_name} | {inbox_name} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
