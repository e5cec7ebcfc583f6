"""The long fuzz run: N cases through flowc's validate (and render), no internal errors.

    .venv/bin/python scripts/fuzz.py --cases 100000 [--seed 1] [--render-every 50]

Cases come from the harness in ``tests/fuzzing.py``: first a pool of valid
documents drawn once with Hypothesis (Markdown and YAML, plus signup specs
that pass every check), each run as it is; then, with a seeded
``random.Random`` (no Hypothesis engine, no shrinking: that is what makes
100,000 cases affordable), mutations of those documents and of the example
spec sets. Every case is validated and its diagnostics formatted; every K-th
valid case is also rendered and its Python compiled (rendering is ~0.2 s).

Each exception is a crash. Crashes are grouped by signature (exception type
and innermost flowc frame); the first inputs of each signature and the
smallest one are saved under ``--out`` with their traceback. A case running
longer than ``--timeout`` seconds is reported the same way (``FuzzTimeout``).
Exit status: 0 when nothing was found, 1 otherwise. See docs/fuzzing.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import fuzzing  # type: ignore[import-not-found]  # tests/fuzzing.py, on sys.path above


class FuzzTimeout(Exception):
    """The case ran longer than --timeout seconds."""


def _alarm(signum: int, frame: object) -> None:
    raise FuzzTimeout("case took too long")


@dataclass
class Case:
    text: str
    suffix: str
    origin: str
    companions: dict[str, str] = field(default_factory=dict)
    name: str | None = None


@dataclass
class Finding:
    signature: str
    count: int = 0
    first_case: int = 0
    where: str = ""
    message: str = ""
    saved: list[str] = field(default_factory=list)
    smallest: int = -1


def draw_pool(size: int, seed: int) -> list[Case]:
    """``size`` valid documents from the Hypothesis strategies (no shrinking)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    pool: list[Case] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzing.valid_texts())
    def collect(drawn: tuple[str, str]) -> None:
        pool.append(Case(drawn[0], drawn[1], "valid"))

    collect()
    return pool


def next_case(index: int, pool: list[Case], rnd: random.Random) -> Case:
    if index < len(pool):
        return pool[index]
    chooser = fuzzing.RandomChooser(rnd)
    donors = [t for s in fuzzing.EXAMPLES for t in s.files.values()]
    if rnd.random() < 0.5 and pool:
        base = chooser.choice(pool)
        donors = [*donors, chooser.choice(pool).text]
        return Case(fuzzing.mutate(base.text, chooser, donors), base.suffix, "mutated")
    example = fuzzing.random_example_case(rnd)
    return Case(
        example.text,
        fuzzing.suffix_of(example.file_name),
        f"example:{example.set_name}/{example.file_name}",
        example.companions,
        example.file_name,
    )


def _slug(signature: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", signature).strip("-")[:80]


def save(
    out: Path, finding: Finding, index: int, case: Case, trace: str, kind: str
) -> str:
    folder = out / _slug(finding.signature) / kind
    if kind in ("smallest", "latest") and folder.exists():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in case.companions.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / (case.name or f"fuzz{case.suffix}")).write_text(
        case.text, encoding="utf-8"
    )
    (folder / "traceback.txt").write_text(
        f"case {index} ({case.origin})\n{trace}", encoding="utf-8"
    )
    return str(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--render-every", type=int, default=50, help="render every K-th valid case"
    )
    parser.add_argument(
        "--pool", type=int, default=300, help="valid documents drawn with Hypothesis"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case")
    parser.add_argument("--out", type=Path, default=None, help="where crashes go")
    parser.add_argument("--progress-every", type=int, default=1000)
    args = parser.parse_args(argv)
    render_every: int = args.render_every
    out: Path = args.out or Path(tempfile.gettempdir()) / f"flowc-fuzz-seed{args.seed}"
    out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    pool = draw_pool(min(args.pool, args.cases), args.seed)
    pool_seconds = time.perf_counter() - started
    print(f"pool: {len(pool)} valid documents drawn in {pool_seconds:.0f}s", flush=True)

    rnd = random.Random(args.seed)
    signal.signal(signal.SIGALRM, _alarm)
    findings: dict[str, Finding] = {}
    sizes: dict[str, int] = {}
    counts = {"cases": 0, "valid": 0, "rendered": 0, "crashes": 0, "exit2": 0}
    slowest = (0.0, -1, "")
    loop_started = time.perf_counter()

    def render_now() -> bool:
        counts["valid"] += 1
        return counts["valid"] % render_every == 0

    for index in range(args.cases):
        case = next_case(index, pool, rnd)
        case_started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
        try:
            outcome = fuzzing.run_case(
                case.text,
                case.suffix,
                render_valid=render_now,
                companions=case.companions or None,
                name=case.name,
            )
            signal.setitimer(signal.ITIMER_REAL, 0)
            counts["rendered"] += outcome.rendered
            counts["exit2"] += outcome.exit_code == 2
        except KeyboardInterrupt:
            signal.setitimer(signal.ITIMER_REAL, 0)
            print("interrupted", flush=True)
            break
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            counts["crashes"] += 1
            sig = fuzzing.signature(exc)
            finding = findings.get(sig)
            trace = "".join(traceback.format_exception(exc))
            if finding is None:
                finding = findings[sig] = Finding(
                    sig, first_case=index, where=fuzzing.innermost_line(exc),
                    message=f"{type(exc).__name__}: {str(exc)[:300]}",
                )  # fmt: skip
                print(
                    f"  NEW crash at case {index}: {sig}\n    {finding.message}",
                    flush=True,
                )
            finding.count += 1
            if len(finding.saved) < 3:
                finding.saved.append(
                    save(out, finding, index, case, trace, f"case-{index}")
                )
            size = len(case.text) + sum(len(t) for t in case.companions.values())
            if sig not in sizes or size < sizes[sig]:
                sizes[sig] = size
                finding.smallest = index
                save(out, finding, index, case, trace, "smallest")
        elapsed = time.perf_counter() - case_started
        if elapsed > slowest[0]:
            slowest = (elapsed, index, case.origin)
            if elapsed > 1.0:  # keep the input of the slowest case seen
                slow = Finding("slowest")
                save(out, slow, index, case, f"{elapsed:.2f}s\n", "latest")
        counts["cases"] += 1
        if counts["cases"] % args.progress_every == 0:
            spent = time.perf_counter() - loop_started
            print(
                f"{counts['cases']:>7} cases  {counts['cases'] / spent:6.1f}/s  "
                f"valid {counts['valid']}  rendered {counts['rendered']}  "
                f"crashes {counts['crashes']} ({len(findings)} signatures)  "
                f"{spent:.0f}s",
                flush=True,
            )

    total = time.perf_counter() - started
    loop = time.perf_counter() - loop_started
    summary = {
        **counts,
        "seed": args.seed,
        "render_every": args.render_every,
        "pool": len(pool),
        "pool_seconds": round(pool_seconds, 1),
        "seconds": round(total, 1),
        "cases_per_second": round(counts["cases"] / loop, 1) if loop else 0.0,
        "slowest_case": {"seconds": round(slowest[0], 2), "case": slowest[1], "origin": slowest[2]},
        "signatures": {
            f.signature: {
                "count": f.count, "first_case": f.first_case, "where": f.where,
                "message": f.message, "smallest_case": f.smallest,
                "saved": f.saved,
            }
            for f in findings.values()
        },
    }  # fmt: skip
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(
        f"\n{counts['cases']} cases in {total:.0f}s ({summary['cases_per_second']}/s "
        f"after a {pool_seconds:.0f}s pool); {counts['valid']} valid, "
        f"{counts['rendered']} rendered; {counts['crashes']} crashes, "
        f"{len(findings)} signatures; findings in {out}"
    )
    for f in sorted(findings.values(), key=lambda f: -f.count):
        print(
            f"  {f.count:>6}  {f.signature}\n          {f.where}\n          {f.message}"
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
