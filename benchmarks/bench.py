"""flowc's speed on the example and on a synthetic spec set, as a Markdown table.

Run: ``.venv/bin/python benchmarks/bench.py [--flows N] [--repeat R]``.
Each figure is the median wall time of R runs in this process (imports warm),
plus a cold ``flowc --help`` and ``flowc validate`` in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flowc.api import generate, validate

REPO = Path(__file__).resolve().parents[1]

FLOW = """
### Order Step {n}

**Trigger**: A client calls `POST /orders/{n}`
**Outcome**: Order {n} is stored
**SLA**: 800ms

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant OrderService{n}
    participant EventBus
    participant AuditService{n}
    Client->>Gateway: POST /orders/{n}
    Gateway->>OrderService{n}: PlaceOrder{n}
    OrderService{n}->>EventBus: OrderPlaced{n} event
    OrderService{n}-->>Gateway: Order stored
    Gateway-->>Client: 201 Created
    EventBus->>AuditService{n}: OrderPlaced{n}
    AuditService{n}->>AuditService{n}: Record order
```

**Error Handling**:

| Error | Handler | HTTP | Recovery |
|-------|---------|------|----------|
| Out of stock {n} | OrderService{n} | 409 | Suggest another item |
| Invalid order {n} | Gateway | 400 | Return field errors |
| Store timeout {n} | OrderService{n} | 503 | Retry with backoff |

**Data Transformations**:

| Step | Input | Output |
|------|-------|--------|
| Gateway | HTTP JSON | `OrderStep{n}DTO` |
| OrderService{n} | `OrderStep{n}DTO` | Order{n} entity |
| EventBus | Order{n} entity | Schema.org/Order event |
"""

MODELS = """
### OrderStep{n}DTO (DTO)

| Field | Type | Required | Description | Schema.org |
|-------|------|----------|-------------|------------|
| order_number | string | yes | Number | orderNumber |
| customer_email | email | yes | Buyer | |

### Order{n} (entity)

| Field | Type | Required | Description | Schema.org |
|-------|------|----------|-------------|------------|
| id | uuid | yes | Id | identifier |
| order_number | string | yes | Number | orderNumber |
| customer_email | email | yes | Buyer | |
| placed_at | datetime | yes | When | orderDate |
"""


def synthetic(folder: Path, flows: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "# Integration Patterns\n\n## Key Flows\n" + "".join(
        FLOW.format(n=n) for n in range(flows)
    )
    text += "\n## Shared Concepts\n" + "".join(MODELS.format(n=n) for n in range(flows))
    (folder / "integration-patterns.md").write_text(text, encoding="utf-8")
    return folder


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_ms(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "flowc", *args],
            capture_output=True,
            check=False,
            cwd=REPO,
        )
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    rows.append(("cold `flowc --help`", cold_ms(["--help"], args.repeat)))
    rows.append(
        ("cold `flowc validate specs`", cold_ms(["validate", "specs"], args.repeat))
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        example = REPO / "specs"
        rows.append(
            (
                "validate example (warm)",
                median_ms(lambda: validate([example]), args.repeat),
            )
        )
        rows.append(
            (
                "generate example (warm, fresh tree)",
                median_ms(lambda: _fresh_generate([example], root / "ex"), args.repeat),
            )
        )
        rows.append(
            (
                "generate example (warm, unchanged tree)",
                median_ms(
                    lambda: generate(
                        [example], root / "ex" / "out", None, package="signup"
                    ),
                    args.repeat,
                ),
            )
        )
        big = synthetic(root / "big", args.flows)
        rows.append(
            (
                f"validate {args.flows} flows (warm)",
                median_ms(lambda: validate([big]), args.repeat),
            )
        )
        rows.append(
            (
                f"generate {args.flows} flows (warm, fresh tree)",
                median_ms(lambda: _fresh_generate([big], root / "bg"), args.repeat),
            )
        )
    print("| measurement | median ms |")
    print("|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.0f} |")


def _fresh_generate(paths: list[Path], root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    result = generate(paths, root / "out", None, package="bench")
    if result.exit_code != 0:
        raise SystemExit("\n".join(str(d) for d in result.errors[:10]))


if __name__ == "__main__":
    main()
