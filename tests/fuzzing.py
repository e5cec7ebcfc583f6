"""Fuzz harness: no input may give flowc an internal error.

Shared by ``tests/test_fuzz.py`` (a short, deterministic run in the suite) and
``scripts/fuzz.py`` (the long run, 100,000 cases; see ``docs/fuzzing.md``).

Inputs come from three places:

- valid documents drawn by ``strategies.documents`` and printed as Markdown
  and YAML by flowc's own writers (``valid_texts``), and valid signup specs
  drawn by ``test_generation_properties.spec`` (they pass every check, so
  they reach the Python backend);
- the example specs (``specs/*.md``, ``specs/yaml/*.yaml``, the seed and the
  fixture spec sets), kept as sets so cross-file references still resolve;
- mutations of either (``mutate``): lines deleted, duplicated, swapped or
  spliced from another text, truncation, and insertions of control
  characters, NUL, zero-width and other awkward Unicode, huge numbers, very
  long names, table pipes, backticks, Mermaid keywords and YAML tokens.

Mutations are written once against ``Chooser``, so the suite draws them with
Hypothesis (which shrinks a failure) and the long run draws them with a seeded
``random.Random`` (which is a hundred times faster than Hypothesis' engine).

``run_case`` is the oracle: whatever the text, ``validate`` returns
diagnostics, every diagnostic formats, and when there is no error ``render``
returns Python that ``compile`` accepts. Anything else raises.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:  # scripts/fuzz.py imports this module directly
    sys.path.insert(0, str(TESTS))

from strategies import documents  # noqa: E402
from test_generation_properties import spec as signup_specs  # noqa: E402

from flowc.api import render, validate  # noqa: E402
from flowc.convert import to_markdown, to_yaml  # noqa: E402
from flowc.diagnostics import format_github, format_text, to_json  # noqa: E402

T = TypeVar("T")

# --- the corpus: example spec sets --------------------------------------------------


@dataclass(frozen=True)
class SpecSet:
    """Files that belong together (one refers to another's models)."""

    name: str
    files: dict[str, str]


def _spec_set(name: str, paths: list[Path]) -> SpecSet | None:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(paths)}
    return SpecSet(name, files) if files else None


def example_sets() -> list[SpecSet]:
    """The example specs first, then the seed and the fixture spec sets."""
    specs = REPO / "specs"
    found = [
        _spec_set("specs", list(specs.glob("*.md"))),
        _spec_set("specs/yaml", list((specs / "yaml").glob("*.yaml"))),
        _spec_set("seed", list((TESTS / "fixtures" / "seed").glob("*.md"))),
    ]
    fixtures = TESTS / "fixtures" / "specs"
    if fixtures.is_dir():
        for folder in sorted(fixtures.iterdir()):
            if folder.is_dir():
                found.append(
                    _spec_set(
                        f"fixtures/{folder.name}",
                        [*folder.glob("*.md"), *folder.glob("*.yaml")],
                    )
                )
    return [s for s in found if s is not None]


EXAMPLES = example_sets()


def suffix_of(name: str) -> str:
    return ".flow.yaml" if name.endswith((".yaml", ".yml")) else ".md"


# --- valid documents ------------------------------------------------------------------


def valid_texts() -> st.SearchStrategy[tuple[str, str]]:
    """(text, suffix) of a document the readers accept: IR documents printed as
    Markdown or YAML, or a signup spec that passes every check."""
    return st.one_of(
        documents(markdown=True).map(lambda d: (to_markdown(d), ".md")),
        documents().map(lambda d: (to_yaml(d), ".flow.yaml")),
        signup_specs().map(lambda drawn: (drawn[0], ".md")),
    )


# --- mutation -----------------------------------------------------------------------


class Chooser(Protocol):
    """Where the mutator's choices come from: Hypothesis or ``random``."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...


class RandomChooser:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def integer(self, low: int, high: int) -> int:
        return self.rnd.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rnd.randrange(len(options))]


class DrawChooser:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return options[self.draw(st.integers(0, len(options) - 1))]


CONTROL = (
    "\x00", "\x01", "\x07", "\x08", "\t", "\x0b", "\x0c", "\r", "\r\n", "\x1b",
    "\x1c", "\x7f", "\x85", "\u2028", "\u2029",
)  # fmt: skip
INVISIBLE = (
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e",
    "\u2066", "\u00a0", "\u3000", "\u180e", "\ufff9",
)  # fmt: skip
UNICODE = (
    "é", "ß", "İ", "ﬁ", "Ⅻ", "١٢٣", "\U0001d7d7\U0001d7d7", "²", "½", "Ǆ", "ꙮ", "𒀱", "🚀",
    "👩\u200d💻", "e\u0301", "Ω", "\u0131", "\u017f", "\u212a", "\u212b", "\ufffd", "\U0010fffd",
    "日本語", "עברית", "ﷺ",
)  # fmt: skip
NUMBERS = (
    "9" * 400, "1" + "0" * 30, "1e999", "1e-999", "-0", "0" * 300 + "1",
    "1." + "9" * 400, "nan", "inf", "-1", "99999999999999999999", "2" * 5000,
    "0.0000001", "18446744073709551616", "1_000", "0x1F", "١٢٣", "\U0001d7d7" * 50,
)  # fmt: skip
LONG_NAMES = (
    "A" * 250, "Service" * 40, "x" * 5000, "a_" * 200, "É" * 300,
    "Ab" * 2000, "S" + "0" * 250, "_" * 100,
)  # fmt: skip
TABLE = (
    "|", "||", "| a | b | c |", "\\|", "|---|---|", "| | |", "|:--|--:|",
    "| Error | Handler | HTTP | Recovery |", "| x | y | 99999999999 | z |",
)  # fmt: skip
BACKTICKS = ("`", "``", "```", "````", "```mermaid\n", "\n```\n", "~~~", "`x`")
MERMAID = (
    "end", "loop x", "alt y", "else z", "par", "and", "critical", "option",
    "opt", "break", "rect rgb(0,0,0)", "participant ", "actor ", "as ",
    "note over A,B: x", "Note right of ", "subgraph ", "flowchart LR",
    "sequenceDiagram", "graph TD", "-->", "-.->", "->>", "-->>", "-x", "--)",
    "|label|", "[", "]", "((", "))", "{", "}", "%%", "#59;", "&", ";",
    "activate ", "deactivate ", "box ", "create participant ", "destroy ",
    "autonumber", "A->>B: ", "A-->>A: ", "@{", "classDef x", ":::", "click ",
)  # fmt: skip
YAML_TOKENS = (
    ": ", "- ", "? ", "&anchor ", "*anchor", "!!python/object:os.system",
    "!!binary", "!tag ", "<<: *a", "---\n", "...\n", "%YAML 1.1\n", "{", "}",
    "[", "]", "~", "null", "yes", "no", ".inf", ".nan", "0o17", "2026-13-45",
    "12:30:00", ">", "|", "|-", "'", '"', "#", "@", ",", "\\", "!!", "&a [*a]",
    "sla: ", "retries: ", "flows:\n", "models:\n  - ", "{a: [b, {c: d}]}",
)  # fmt: skip
MARKDOWN = (
    "#", "# ", "## ", "### ", "#### ", "**", "*", "_", "__", "<!--", "-->",
    "> ", "- ", "1. ", "[x](y)", "[", "](", "<", ">", "\\", "{Flow Name}",
    "(e.g., x)", "**SLA**: ", "**Trigger**: ", "**Outcome**: ", "**Use when**: ",
    "**Error Handling**:\n", "**Implementation**:\n", "<!-- Status: x -->",
    "<!-- flowc: ignore chatty-services -->", "## Key Flows\n",
    "## Shared Concepts\n", "### X (DTO)\n", "- Timeout: ", "- Retries: ",
    "- Circuit breaker: ", "---",
)  # fmt: skip
TOKENS: tuple[tuple[str, ...], ...] = (
    CONTROL, INVISIBLE, UNICODE, NUMBERS, LONG_NAMES, TABLE, BACKTICKS, MERMAID,
    YAML_TOKENS, MARKDOWN,
)  # fmt: skip

_NUMBER = re.compile(r"\d+")
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]{2,}\b")
_WORD = re.compile(r"\b\w+\b")


def _random_text(chooser: Chooser) -> str:
    """Any code points (no surrogates: they cannot be written as UTF-8)."""
    chars = []
    for _ in range(chooser.integer(1, 8)):
        band = chooser.choice(
            ((0, 0x7F), (0x80, 0x7FF), (0x800, 0xFFFF), (0, 0x10FFFF))
        )
        code = chooser.integer(*band)
        chars.append("\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code))
    return "".join(chars)


def _token(chooser: Chooser) -> str:
    if chooser.integer(0, 5) == 0:
        return _random_text(chooser)
    return chooser.choice(chooser.choice(TOKENS))


def _replace_match(
    chooser: Chooser, text: str, pattern: re.Pattern[str], new: str, everywhere: bool
) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    match = chooser.choice(matches)
    if everywhere:  # a consistent rename keeps references intact
        return re.sub(rf"\b{re.escape(match.group())}\b", lambda _: new, text)
    return text[: match.start()] + new + text[match.end() :]


def mutate_once(text: str, chooser: Chooser, donors: Sequence[str] = ()) -> str:
    """One edit of ``text``; ``donors`` are texts to splice lines from."""
    lines = text.splitlines(keepends=True) or [""]
    kind = chooser.choice(
        (
            "delete", "duplicate", "swap", "insert", "insert", "insert", "line",
            "splice", "truncate", "number", "rename", "rename-one", "word",
            "block",
        )
    )  # fmt: skip
    i = chooser.integer(0, len(lines) - 1)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = chooser.integer(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "block":  # delete or repeat a run of lines
        j = chooser.integer(i, min(len(lines), i + 12))
        if chooser.integer(0, 1):
            del lines[i:j]
        else:
            lines[i:i] = lines[i:j] * chooser.integer(2, 5)
    elif kind == "insert":
        at = chooser.integer(0, len(lines[i]))
        lines[i] = lines[i][:at] + _token(chooser) + lines[i][at:]
    elif kind == "line":  # a whole new line of tokens
        lines.insert(
            i, "".join(_token(chooser) for _ in range(chooser.integer(1, 4))) + "\n"
        )
    elif kind == "splice" and donors:
        donor = chooser.choice(donors).splitlines(keepends=True) or [""]
        j = chooser.integer(0, len(donor) - 1)
        lines[i:i] = donor[j : j + chooser.integer(1, 8)]
    elif kind == "truncate":
        joined = "".join(lines)
        return joined[: chooser.integer(0, len(joined))]
    elif kind == "number":
        return _replace_match(chooser, text, _NUMBER, chooser.choice(NUMBERS), False)
    elif kind in ("rename", "rename-one"):
        new = chooser.choice(
            (*LONG_NAMES, *UNICODE, *MERMAID, "EventBus", "Start", "string")
        )
        return _replace_match(chooser, text, _NAME, new, kind == "rename")
    elif kind == "word":  # one word replaced by another word of the text
        words = _WORD.findall(text)
        if words:
            return _replace_match(chooser, text, _WORD, chooser.choice(words), False)
    return "".join(lines)


def mutate(
    text: str, chooser: Chooser, donors: Sequence[str] = (), max_edits: int = 4
) -> str:
    for _ in range(chooser.integer(1, max_edits)):
        text = mutate_once(text, chooser, donors)
    return text


@st.composite
def mutated(
    draw: st.DrawFn, base: st.SearchStrategy[tuple[str, str]]
) -> tuple[str, str]:
    """(text, suffix) of ``base`` after a few edits."""
    text, suffix = draw(base)
    donors = [t for s in EXAMPLES for t in s.files.values()]
    return mutate(text, DrawChooser(draw), donors), suffix


@dataclass(frozen=True)
class ExampleCase:
    """One file of an example set replaced by ``text``; the rest as they are."""

    set_name: str
    file_name: str
    text: str

    @property
    def companions(self) -> dict[str, str]:
        files = next(s for s in EXAMPLES if s.name == self.set_name).files
        return {n: t for n, t in files.items() if n != self.file_name}


@st.composite
def mutated_examples(draw: st.DrawFn) -> ExampleCase:
    spec_set = draw(st.sampled_from(EXAMPLES))
    name = draw(st.sampled_from(sorted(spec_set.files)))
    donors = [t for s in EXAMPLES for t in s.files.values()]
    text = mutate(spec_set.files[name], DrawChooser(draw), donors)
    return ExampleCase(spec_set.name, name, text)


def random_example_case(rnd: random.Random) -> ExampleCase:
    """The long run's counterpart of ``mutated_examples``."""
    chooser = RandomChooser(rnd)
    spec_set = chooser.choice(EXAMPLES)
    name = chooser.choice(sorted(spec_set.files))
    donors = [t for s in EXAMPLES for t in s.files.values()]
    return ExampleCase(
        spec_set.name, name, mutate(spec_set.files[name], chooser, donors)
    )


# --- the oracle ---------------------------------------------------------------------


class GeneratedCodeError(AssertionError):
    """The backend rendered Python that does not compile."""


@dataclass
class Outcome:
    exit_code: int
    errors: int
    rendered: bool = False
    generated_files: int = 0


def run_case(
    text: str,
    suffix: str = ".md",
    *,
    render_valid: bool | Callable[[], bool] = True,
    companions: dict[str, str] | None = None,
    name: str | None = None,
) -> Outcome:
    """Write ``text`` (and ``companions``) to a temporary folder, validate it,
    format every diagnostic, and, when there is no error and ``render_valid``,
    render the package and compile every generated Python file. A callable
    ``render_valid`` is asked only for valid inputs (the long run renders a sample).

    Raises whatever flowc raises; ``GeneratedCodeError`` if generated code does
    not compile. Returns what happened otherwise.
    """
    with tempfile.TemporaryDirectory(prefix="flowc-fuzz-") as scratch:
        folder = Path(scratch) / "specs"
        folder.mkdir()
        for other, content in (companions or {}).items():
            (folder / other).write_text(content, encoding="utf-8")
        path = folder / (name or f"fuzz{suffix}")
        path.write_text(text, encoding="utf-8")
        paths = [folder] if companions else [path]
        result = validate(paths, package="fuzzed", base=Path(scratch))
        assert result.exit_code in (0, 1, 2), result.exit_code
        for diagnostic in result.diagnostics:
            format_text(diagnostic)
            format_github(diagnostic)
        json.dumps([to_json(d) for d in result.diagnostics], ensure_ascii=False)
        outcome = Outcome(result.exit_code, len(result.errors))
        if result.errors:
            return outcome
        if not (render_valid() if callable(render_valid) else render_valid):
            return outcome
        rendered, generation = render(paths, "fuzzed", Path(scratch))
        outcome.rendered = True
        if generation is None:
            assert rendered.errors, "render gave no files and no error"
            return outcome
        for source in [*generation.files, *generation.stubs]:
            if not str(source.path).endswith(".py"):
                continue
            try:
                compile(source.text, str(source.path), "exec")
            except SyntaxError as exc:
                raise GeneratedCodeError(f"{source.path}: {exc}") from exc
            outcome.generated_files += 1
        return outcome


# --- crash signatures (for the long run's report) -------------------------------------


def signature(exc: BaseException) -> str:
    """``Type @ flowc/path.py:function``: the innermost frame inside flowc."""
    frames = traceback.extract_tb(exc.__traceback__)
    cause = exc.__cause__
    if isinstance(exc, GeneratedCodeError):
        path = str(exc).split(":", 1)[0]
        return f"GeneratedCodeError @ {re.sub(r'[0-9]+', 'N', path)}"
    if cause is not None and not frames:
        frames = traceback.extract_tb(cause.__traceback__)
    inner = [f for f in frames if "/flowc/" in f.filename.replace("\\", "/")]
    where = inner[-1] if inner else (frames[-1] if frames else None)
    if where is None:
        return type(exc).__name__
    short = where.filename.replace("\\", "/").split("/src/", 1)[-1]
    return f"{type(exc).__name__} @ {short}:{where.name}"


def innermost_line(exc: BaseException) -> str:
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if "/flowc/" in f.filename
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f"{frame.filename.split('/src/', 1)[-1]}:{frame.lineno} {frame.line or ''}"


__all__ = [
    "EXAMPLES",
    "ExampleCase",
    "GeneratedCodeError",
    "Outcome",
    "RandomChooser",
    "innermost_line",
    "mutate",
    "mutated",
    "mutated_examples",
    "random_example_case",
    "run_case",
    "signature",
    "suffix_of",
    "valid_texts",
]
