"""flowc from 10 to 5,000 flows: wall time and peak memory, against openapi-python-client.

Run: ``.venv/bin/python benchmarks/scale.py --flows 10 100 500 1000 5000 --repeat 3``
(``--write-docs`` puts the section into docs/benchmarks.md between its
markers). Every figure is the median of ``--repeat`` runs, each a fresh process
started through a small wrapper that times it and reads its peak resident
memory from ``getrusage(RUSAGE_CHILDREN)``: exact for that command (and the
processes it waited for), untouched by this script's own memory. The spec sets
come from synthetic.py, the OpenAPI documents from openapi_doc.py; this is a
measurement, not a test, and asserts nothing about the times.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openapi_doc import write_openapi
from synthetic import build_flows, set_outcome, write_spec_set

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks.md"
BEGIN = "<!-- scale:begin -->"
END = "<!-- scale:end -->"
OPC_VENV = REPO / "benchmarks" / ".venv-opc"
PACKAGE = "bench"
SETTLED_SECONDS = 2.5
"""More than the 2 s after which the run record trusts a file's status."""

# Runs one command, then prints its wall time and the peak RSS of it and of
# the processes it waited for. A process of its own per measurement, because
# RUSAGE_CHILDREN only ever grows: this script's would mix all runs together.
# On Linux ru_maxrss is in KiB (macOS says bytes; flowc is measured on Linux).
WRAPPER = """\
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as log:
    start = time.perf_counter()
    rc = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "wall": wall, "peak_kib": peak}))
"""


@dataclass(frozen=True)
class Run:
    """One measured command: wall seconds, peak KiB, exit code."""

    wall: float
    peak_kib: int
    rc: int


@dataclass
class Cell:
    """The runs of one measurement at one size; ``note`` when not measured."""

    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        """Measured, and every run exited 0."""
        return bool(self.runs) and all(r.rc == 0 for r in self.runs)

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(r.wall for r in self.runs)

    @property
    def peak_mb(self) -> float:
        """Median peak memory in MiB."""
        return statistics.median(r.peak_kib for r in self.runs) / 1024

    def text(self) -> str:
        """The table cell: ``wall s / peak MB``, or why there is none."""
        if self.note:
            return self.note
        if not self.ok:
            codes = sorted({r.rc for r in self.runs if r.rc})
            return f"failed (exit {', '.join(map(str, codes))})"
        return f"{_seconds(self.wall)} s / {self.peak_mb:,.0f} MB"


@dataclass
class Size:
    """Everything measured at one number of flows."""

    flows: int
    cells: dict[str, Cell] = field(default_factory=dict)
    files: int | None = None
    largest: tuple[int, str] | None = None
    opc_files: int | None = None
    opc_largest: tuple[int, str] | None = None


ROWS = (
    ("help", "`flowc --help`"),
    ("validate", "`validate` (empty cache)"),
    ("validate_warm", "`validate`, the same specs read before"),
    ("cold", "cold `generate` (fresh output folder, empty cache)"),
    ("noop", "no-op `generate` (output up to date)"),
    ("changed", "`generate` after one flow's Outcome changed"),
    ("check", "`check`, nothing changed"),
    ("app", "`import <package>.app` and `create_app()` (bytecode cached)"),
    ("opc", "openapi-python-client `generate` (same operations and models)"),
)


@dataclass(frozen=True)
class Setup:
    """What every measurement needs: the commands, the work folder, the options."""

    flowc: list[str]
    opc: list[str] | None
    opc_env: dict[str, str]
    work: Path
    repeat: int
    split: bool
    keep: bool


def _seconds(value: float) -> str:
    """Two significant decimals for short runs, one for long ones."""
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def say(message: str) -> None:
    """Progress on stderr, so stdout stays the Markdown table."""
    print(message, file=sys.stderr, flush=True)


def measure(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str]) -> Run:
    """Run ``command`` in ``cwd`` through the wrapper; its output goes to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(log), *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    run = Run(float(data["wall"]), int(data["peak_kib"]), int(data["rc"]))
    if run.rc != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        say(f"  exit {run.rc}: {shlex.join(command)}\n    " + "\n    ".join(tail))
    return run


def repeated(
    setup: Setup,
    label: str,
    size: int,
    command: Callable[[int], list[str]],
    *,
    before: Callable[[int], None] | None = None,
    env: dict[str, str] | None = None,
) -> Cell:
    """``repeat`` runs of ``command(i)``, each after ``before(i)`` (not timed)."""
    cell = Cell()
    folder = setup.work / f"flows-{size}"
    for i in range(setup.repeat):
        if before is not None:
            before(i)
        log = folder / "logs" / f"{label.replace(' ', '-')}-{i}.log"
        run = measure(command(i), folder, log, env or dict(os.environ))
        cell.runs.append(run)
        say(
            f"[{size} flows] {label} {i + 1}/{setup.repeat}: "
            f"{run.wall:.2f} s, {run.peak_kib / 1024:.0f} MB, exit {run.rc}"
        )
    return cell


def cache_env(folder: Path) -> dict[str, str]:
    """flowc's cache (parsed documents, compiled templates) in ``folder``: a cold
    run starts with it empty, the runs after a change find what it kept."""
    return {**os.environ, "FLOWC_CACHE_DIR": str(folder)}


def tree_stats(root: Path) -> tuple[int, tuple[int, str] | None]:
    """How many files a generator wrote, and its largest Python module.

    flowc's manifest folder (.flowc) is bookkeeping, not output.
    """
    files = [p for p in root.rglob("*") if p.is_file() and ".flowc" not in p.parts]
    modules = [(p.stat().st_size, str(p.relative_to(root))) for p in files]
    python = [m for m in modules if m[1].endswith(".py")]
    return len(files), max(python) if python else None


def typical_flow(flows: int) -> int:
    """The flow the one-change runs edit: mid-set, with no saga or choreography."""
    for n in range(flows // 2, flows):
        if n % 5:
            return n
    return flows - 1


def measure_size(setup: Setup, flows: int, max_cold: int | None) -> Size:
    """Every measurement at one size, in its own folder under the work folder."""
    folder = setup.work / f"flows-{flows}"
    specs = write_spec_set(folder / "specs", flows, one_document=not setup.split)
    size = Size(flows)
    gen = [*setup.flowc, "generate", "specs", "--package", PACKAGE]
    size.cells["help"] = repeated(
        setup, "help", flows, lambda i: [*setup.flowc, "--help"]
    )
    validate = [*setup.flowc, "validate", "specs"]
    cache = folder / "cache"
    size.cells["validate"] = repeated(
        setup,
        "validate",
        flows,
        lambda i: validate,
        before=lambda i: shutil.rmtree(cache, ignore_errors=True),
        env=cache_env(cache),
    )
    size.cells["validate_warm"] = repeated(
        setup, "warm validate", flows, lambda i: validate, env=cache_env(cache)
    )
    if max_cold is not None and flows > max_cold:
        for key in ("cold", "noop", "changed", "check", "app"):
            size.cells[key] = Cell(note="skipped")
    else:
        measure_generate(setup, size, folder, specs, gen)
    if setup.opc is not None:
        measure_opc(setup, size, folder)
    if not setup.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return size


def measure_generate(
    setup: Setup, size: Size, folder: Path, specs: Path, gen: list[str]
) -> None:
    """Cold, no-op and one-change ``generate``, and ``check``, in that order.

    The cold runs each get a fresh output and stubs folder; the last one's
    tree is then up to date for the no-op runs and ``check``.
    """
    flows = size.flows

    def cold_dir(i: int) -> Path:
        return folder / f"cold-{i}"

    cache = folder / "cache"

    def fresh(i: int) -> None:
        if i and not setup.keep:
            shutil.rmtree(cold_dir(i - 1), ignore_errors=True)
        shutil.rmtree(cold_dir(i), ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    def out(i: int) -> list[str]:
        return ["-o", f"cold-{i}/out", "--stubs", f"cold-{i}/stubs"]

    last = setup.repeat - 1
    size.cells["cold"] = repeated(
        setup,
        "cold generate",
        flows,
        lambda i: [*gen, *out(i)],
        before=fresh,
        env=cache_env(cache),
    )
    size.files, size.largest = tree_stats(cold_dir(last) / "out")

    def settled(i: int) -> None:
        # The run record trusts a file's status only once the file is older
        # than SETTLED_SECONDS; a later run in CI or an editor finds it so.
        if i == 0:
            time.sleep(SETTLED_SECONDS)

    size.cells["noop"] = repeated(
        setup,
        "no-op generate",
        flows,
        lambda i: [*gen, *out(last)],
        before=settled,
        env=cache_env(cache),
    )
    check = [*setup.flowc, "check", "specs", "--package", PACKAGE, *out(last)]
    size.cells["check"] = repeated(
        setup, "check", flows, lambda i: check, env=cache_env(cache)
    )
    size.cells["app"] = measure_app(setup, size, cold_dir(last))
    edited = typical_flow(flows)
    noun = build_flows(edited + 1)[edited].domain.noun

    def edit(i: int) -> None:
        set_outcome(specs, edited, f"{noun} {edited} is stored (revision {i + 1})")

    size.cells["changed"] = repeated(
        setup,
        "one-change generate",
        flows,
        lambda i: [*gen, *out(last)],
        before=edit,
        env=cache_env(cache),
    )


APP_START = f"import {PACKAGE}.app; {PACKAGE}.app.create_app()"
"""What a process serving the public app does before its first request:
import the package's app, and build it with the person's implementations."""


def measure_app(setup: Setup, size: Size, tree: Path) -> Cell:
    """The public app's start, with the stubs as implementations.

    Python's bytecode is written once before the timed runs (as it is in a
    deployed image), so the runs measure importing, not compiling.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPATH"] = os.pathsep.join(str(tree / part) for part in ("out", "stubs"))
    command = [sys.executable, "-c", APP_START]

    def warm(i: int) -> None:
        if i == 0:
            subprocess.run(command, cwd=tree, env=env, capture_output=True, check=False)

    return repeated(
        setup, "app start", size.flows, lambda i: command, before=warm, env=env
    )


def measure_opc(setup: Setup, size: Size, folder: Path) -> None:
    """openapi-python-client on the set's OpenAPI twin, a fresh folder each run."""
    assert setup.opc is not None
    write_openapi(folder / "openapi.json", size.flows)

    def fresh(i: int) -> None:
        if i and not setup.keep:
            shutil.rmtree(folder / f"opc-{i - 1}", ignore_errors=True)

    command = [*setup.opc, "generate", "--path", "openapi.json", "--meta", "none"]
    size.cells["opc"] = repeated(
        setup,
        "openapi-python-client",
        size.flows,
        lambda i: [*command, "--output-path", f"opc-{i}", "--overwrite"],
        before=fresh,
        env=setup.opc_env,
    )
    size.opc_files, size.opc_largest = tree_stats(folder / f"opc-{setup.repeat - 1}")


def ensure_opc(venv: Path) -> Path:
    """openapi-python-client in a venv of its own, created on first use.

    Its dependencies (another pydantic, typer, ruff) must not touch flowc's.
    """
    exe = venv / "bin" / "openapi-python-client"
    if not exe.exists():
        say(f"creating {venv} with openapi-python-client")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "openapi-python-client"], check=True)
    return exe


def opc_environment(venv: Path) -> dict[str, str]:
    """PATH with the venv's bin first: opc's post-hooks run ``ruff`` from PATH.

    Without it opc skips formatting with a warning, which would flatter it.
    """
    env = dict(os.environ)
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    return env


def output_of(command: Sequence[str]) -> str:
    """A command's first output line, or ``unknown`` when it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def flowc_python(flowc: list[str]) -> str:
    """The interpreter that runs flowc: ours, or the one in its script's shebang."""
    if flowc[0] == sys.executable:
        return sys.executable
    head = Path(flowc[0]).read_bytes()[:200].split(b"\n")[0].decode(errors="replace")
    return head[2:].strip() if head.startswith("#!") else sys.executable


def machine(setup: Setup) -> str:
    """Cores, memory, Python and black versions, load and date, in one line."""
    versions = output_of(
        [
            flowc_python(setup.flowc),
            "-c",
            "import sys, black; print(sys.version.split()[0], black.__version__)",
        ]
    ).split()
    python, black = [*versions, "unknown", "unknown"][:2]
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    flowc = output_of([*setup.flowc, "--version"])
    opc = (
        output_of([*setup.opc, "--version"])
        if setup.opc
        else "no openapi-python-client"
    )
    return (
        f"Machine: {os.cpu_count()} cores, {memory}, {platform.system()} "
        f"{platform.machine()}, Python {python}, black {black}; {flowc}; {opc}; "
        f"load {load:.2f} at start. Measured {datetime.date.today().isoformat()}."
    )


def linearity_pair(sizes: Sequence[Size]) -> tuple[Size, Size] | None:
    """The largest pair of sizes ten times apart (5,000 and 500), if measured."""
    by_flows = {s.flows: s for s in sizes}
    pairs = [(by_flows[f], by_flows[f * 10]) for f in by_flows if f * 10 in by_flows]
    return max(pairs, key=lambda p: p[1].flows) if pairs else None


def ratio(a: float | None, b: float | None) -> str:
    """``b / a`` for the linearity column (10 means linear in flows)."""
    if a is None or b is None or a == 0:
        return ""
    return f"{b / a:.1f}"


def table(sizes: Sequence[Size]) -> str:
    """Rows are measurements, columns sizes, cells ``wall s / peak MB``."""
    pair = linearity_pair(sizes)
    head = ["measurement", *(f"{s.flows:,} flows" for s in sizes)]
    if pair:
        head.append(f"{pair[1].flows:,} / {pair[0].flows:,}")
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for key, label in ROWS:
        cells = [s.cells.get(key, Cell(note="not measured")) for s in sizes]
        if all(c.note == "not measured" for c in cells):
            continue
        row = [label, *(c.text() for c in cells)]
        if pair:
            a, b = (p.cells.get(key, Cell()) for p in pair)
            row.append(ratio(a.wall, b.wall) if a.ok and b.ok else "")
        lines.append("| " + " | ".join(row) + " |")
    lines += count_rows(sizes, pair)
    return "\n".join(lines)


def count_rows(sizes: Sequence[Size], pair: tuple[Size, Size] | None) -> list[str]:
    """Files written and the largest module, after a cold ``generate``."""
    files = ["generated files", *(_count(s.files) for s in sizes)]
    largest = [
        "largest generated module",
        *(f"{s.largest[0] / 1024:,.0f} KB" if s.largest else "" for s in sizes),
    ]
    if pair:
        a, b = pair
        files.append(ratio(a.files, b.files))
        largest.append(
            ratio(a.largest[0], b.largest[0]) if a.largest and b.largest else ""
        )
    return ["| " + " | ".join(r) + " |" for r in (files, largest)]


def _count(value: int | None) -> str:
    """A count with thousands separators, blank when not measured."""
    return "" if value is None else f"{value:,}"


def opc_table(sizes: Sequence[Size]) -> str:
    """flowc's cold ``generate`` next to openapi-python-client's, size by size."""
    lines = [
        "| flows | flowc cold `generate` | openapi-python-client | flowc / opc "
        "| files (flowc / opc) | largest module (flowc / opc) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        cold, opc = s.cells.get("cold", Cell()), s.cells.get("opc", Cell())
        factor = f"{cold.wall / opc.wall:.1f}" if cold.ok and opc.ok else ""
        files = f"{_count(s.files) or '-'} / {_count(s.opc_files) or '-'}"
        big = " / ".join(
            f"{m[0] / 1024:,.0f} KB ({m[1]})" if m else "-"
            for m in (s.largest, s.opc_largest)
        )
        lines.append(
            f"| {s.flows:,} | {cold.text() if cold.runs or cold.note else '-'} "
            f"| {opc.text() if opc.runs else '-'} | {factor} | {files} | {big} |"
        )
    return "\n".join(lines)


def report(sizes: Sequence[Size], setup: Setup, command: str, info: str) -> str:
    """The Markdown section: heading, command, machine, both tables, how to read them."""
    layout = (
        "a document per 25 flows, shared concepts in documents of their own"
        if setup.split
        else "one document"
    )
    runs = f"{setup.repeat} run{'s' if setup.repeat > 1 else ''}"
    pair = linearity_pair(sizes)
    first, last = sizes[0].flows, sizes[-1].flows
    parts = [
        f"## Scale: {first:,} to {last:,} flows",
        f"```sh\n{command}\n```",
        info,
        f"Spec sets from `benchmarks/synthetic.py` ({layout}): per flow a "
        "route, a sync call, an event and its consumer (which publishes a "
        "follow-up event), three error rows from a shared pool of 20 and three "
        "mappings; three models per flow; a saga every tenth flow and an Event "
        f"Choreography over another tenth. Each cell is the median of {runs}: "
        "wall time / peak memory (max RSS of the largest single process; flowc "
        "formats in a process pool, so the pool's total is higher). Every run is "
        "a fresh process with a temporary folder as its working directory. The "
        "one-change run edits one flow's Outcome before each run (a different "
        "text each time). The no-op runs start once the output is "
        f"{SETTLED_SECONDS} s old, as a later run finds it: the run record trusts "
        "a file's status only after 2 s, and reads every younger file. The app "
        "start runs with Python's bytecode written beforehand, as in a deployed "
        "image, and the stubs as implementations.",
    ]
    if pair:
        parts.append(
            f"The last column divides the {pair[1].flows:,}-flow wall time by the "
            f"{pair[0].flows:,}-flow one: 10 is linear in the number of flows."
        )
    parts.append(table(sizes))
    if setup.opc is not None:
        parts += [
            "### Against openapi-python-client",
            "openapi-python-client (in its own venv, `benchmarks/.venv-opc`, with "
            "its ruff post-hooks on PATH) on an OpenAPI 3.1 document of the same "
            "set (`benchmarks/openapi_doc.py`): one POST operation per flow with "
            "the flow's DTO as request body, its entity as the 201 answer and its "
            "error statuses as problem answers, and the same three models per "
            "flow. It writes a client (models and one module per operation), "
            "flowc a whole service package with tests, so the ratio is the price "
            "of the larger output, not of the same work.",
            opc_table(sizes),
        ]
    return "\n\n".join(parts) + "\n"


def write_docs(path: Path, section: str) -> None:
    """Replace the text between the markers; add them before ``## Results`` if absent.

    Before, not after: the section has its own ``##`` heading, so inside the
    Results section it would swallow the earlier results that follow it.
    """
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        anchor = "\n## Results\n"
        at = text.find(anchor)
        block = f"\n{BEGIN}\n{END}\n"
        text = text + block if at < 0 else text[:at] + block + text[at:]
    start = text.index(BEGIN) + len(BEGIN)
    stop = text.index(END)
    path.write_text(text[:start] + "\n" + section + text[stop:], encoding="utf-8")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--flows", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--max-cold-flows",
        type=int,
        default=None,
        help="skip generate and check above this many flows (default: measure all)",
    )
    parser.add_argument(
        "--flowc", help="a flowc executable (default: python -m flowc with this Python)"
    )
    parser.add_argument("--keep", type=Path, help="keep the work folders here")
    parser.add_argument(
        "--one-document",
        action="store_true",
        help="all flows in one document (flowc refuses files over 4 MiB: ~1,600 flows)",
    )
    parser.add_argument("--no-opc", action="store_true", help="skip the comparison")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="also replace the section between the markers in docs/benchmarks.md",
    )
    parser.add_argument("--docs", type=Path, default=DOCS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def compile_checkout() -> None:
    """Write the bytecode of flowc's source, as installing a wheel does.

    With PYTHONDONTWRITEBYTECODE set, or after an edit, every run of an
    editable install would otherwise compile the changed modules again, and
    each figure would include that.
    """
    compileall.compile_dir(str(REPO / "src"), quiet=1)


def flowc_command(flowc: str | None) -> list[str]:
    """The flowc to measure, as an absolute command.

    Absolute because every run's working directory is a temporary folder.
    """
    if flowc is None:
        compile_checkout()
        return [sys.executable, "-m", "flowc"]
    found = shutil.which(flowc)
    if found is None:
        raise SystemExit(f"--flowc {flowc}: no such executable")
    return [str(Path(found).resolve())]


def exact_command() -> str:
    """How this run was started, with paths relative to the repository."""

    def short(arg: str) -> str:
        path = Path(arg)
        if path.is_absolute() and path.is_relative_to(REPO):
            return str(path.relative_to(REPO))
        return arg

    return shlex.join([short(sys.executable), short(sys.argv[0]), *sys.argv[1:]])


def main() -> None:
    """Measure every size, print the section, and write it into the docs if asked."""
    args = parse_args()
    flowc = flowc_command(args.flowc)
    opc = None if args.no_opc else [str(ensure_opc(OPC_VENV))]
    work = args.keep or Path(tempfile.mkdtemp(prefix="flowc-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    setup = Setup(
        flowc,
        opc,
        opc_environment(OPC_VENV),
        work.resolve(),
        args.repeat,
        split=not args.one_document,
        keep=args.keep is not None,
    )
    info = machine(setup)
    say(f"work folder: {setup.work}")
    try:
        sizes = [
            measure_size(setup, n, args.max_cold_flows) for n in sorted(args.flows)
        ]
    finally:
        if not setup.keep:
            shutil.rmtree(setup.work, ignore_errors=True)
    section = report(sizes, setup, exact_command(), info)
    print(section)
    if args.write_docs:
        write_docs(args.docs, section)
        say(f"wrote {args.docs}")


if __name__ == "__main__":
    main()
