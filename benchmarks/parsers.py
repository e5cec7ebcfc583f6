"""How fast the readers are on large and pathological inputs, as a Markdown table.

These used to be timing assertions in the test suite; timings belong here (a
loaded CI machine makes a timed test fail for nothing). The tests keep the
same inputs and check the results; this script reports the time.

Run: ``.venv/bin/python benchmarks/parsers.py [--repeat R]`` (median of R runs).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from flowc.frontends.markdown import read_markdown
from flowc.frontends.mermaid.flowchart import parse_flowchart
from flowc.frontends.mermaid.sequence import parse_sequence
from flowc.schemaorg import Vocabulary
from flowc.schemaorg.vocabulary import load_table

REPO = Path(__file__).resolve().parents[1]
FILLED = (REPO / "tests" / "fixtures" / "markdown" / "user-registration.md").read_text(
    encoding="utf-8"
)


def _sequence_10k_lines() -> str:
    lines = [f"    P{i % 9}->>+Q{i % 7}: message {i}" for i in range(5_000)]
    lines += [f"    Q{i % 7}-->>-P{i % 9}: reply {i}" for i in range(5_000)]
    return "sequenceDiagram\n" + "\n".join(lines) + "\n"


def _flowchart_10k_edges() -> str:
    lines = ["flowchart LR"]
    lines += [f"    n{i}[Step {i}] -->|go {i}| n{i + 1}" for i in range(10_000)]
    return "\n".join(lines) + "\n"


def _markdown_5k_lines() -> str:
    head, rest = FILLED.split("## Key Flows", 1)
    flow, tail = rest.split("## Shared Concepts", 1)
    copies = [
        flow.replace("User Registration", f"User Registration {i}") for i in range(120)
    ]
    return head + "## Key Flows" + "".join(copies) + "## Shared Concepts" + tail


SEQUENCE = _sequence_10k_lines()
LONG_LINE = "sequenceDiagram\nA->>B: " + "x" * 1_000_000 + "\n"
FLOWCHART = _flowchart_10k_edges()
MARKDOWN = _markdown_5k_lines()


CASES: list[tuple[str, Callable[[], object]]] = [
    (
        "sequence diagram, 10,000 messages",
        lambda: parse_sequence(SEQUENCE, "bench.mmd"),
    ),
    (
        "sequence diagram, 1 MB message text",
        lambda: parse_sequence(LONG_LINE, "bench.mmd"),
    ),
    (
        "sequence diagram, 10,000 unclosed `alt`",
        lambda: parse_sequence("sequenceDiagram\n" + "alt x\n" * 10_000, "bench.mmd"),
    ),
    ("flowchart, 10,000 edges", lambda: parse_flowchart(FLOWCHART, "bench.mmd")),
    ("Markdown document, ~5,000 lines", lambda: read_markdown(MARKDOWN, "big.md")),
    ("schema.org table load", lambda: Vocabulary(load_table()).properties("Person")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| input | median |")
    print("|---|---:|")
    for name, run in CASES:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        print(f"| {name} | {statistics.median(times) * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
