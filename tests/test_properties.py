"""Property tests: whatever the input, flowc answers with diagnostics, never a traceback.

1. Random YAML documents, built from the syntax's real key names, through
   ``read_yaml`` and ``flowc.api.validate``.
2. Random edits of the example YAML spec (delete, duplicate and swap lines,
   insert characters, truncate).
3. The same edits of the Markdown example.
4. Validation is deterministic: the same input twice gives the same findings.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from flowc.api import Result, validate
from flowc.diagnostics import Diagnostic
from flowc.frontends import display_path
from flowc.frontends.yaml import syntax
from flowc.frontends.yaml.reader import read_yaml

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
YAML_EXAMPLES = {
    path.name: path.read_text(encoding="utf-8")
    for path in sorted((SPECS / "yaml").glob("*.flow.yaml"))
}
MARKDOWN_EXAMPLES = {
    path.name: path.read_text(encoding="utf-8") for path in sorted(SPECS.glob("*.md"))
}

# Enough examples to find the usual crashes while the whole file stays well under
# a minute; FLOWC_PROPERTY_SCALE=20 runs twenty times as many for a bug hunt.
SCALE = max(1, int(os.environ.get("FLOWC_PROPERTY_SCALE", "1")))
FAST = settings(
    max_examples=300 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOWER = settings(
    max_examples=150 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _syntax_keys() -> list[str]:
    """Every key the YAML syntax has, as written in files (aliases such as 'from')."""
    keys: set[str] = set(syntax.STEP_KEYS)
    for value in vars(syntax).values():
        if (
            isinstance(value, type)
            and issubclass(value, BaseModel)
            and value is not BaseModel
        ):
            for name, info in value.model_fields.items():
                keys.add(info.alias or name)
    return sorted(keys)


KEYS = _syntax_keys()
TOP_KEYS = sorted(
    (info.alias or name) for name, info in syntax.SpecFile.model_fields.items()
)

# Values that reach deeper into the reader than random text does.
PLAUSIBLE = [
    "2s",
    "500ms",
    "<500ms",
    "0",
    "-1s",
    "3, exponential backoff",
    "5 failures, 30s open",
    "POST /register",
    "GET /orders/{id}",
    "201 Created",
    "Client",
    "Gateway",
    "EventBus",
    "entity",
    "dto",
    "event",
    "external",
    "bus",
    "loop",
    "alt",
    "string",
    "list[User]",
    "list[]",
    "enum(a, b)",
    "User",
    "Schema.org/Person event",
    "HTTP JSON",
    "DTO",
    "chatty-services",
    "class",
    "../../x",
    "sequenceDiagram\n    Client->>Gateway: POST /x\n    Gateway-->>Client: 200 OK\n",
    "Client->>Api: GET /a\nApi->>Db: Read\nDb-->>Api: Row\nApi-->>Client: 200 OK\n",
    "flowchart LR\n  subgraph Happy Path\n  Start --> S1[Do]\n  end\n"
    "  subgraph Compensation\n  S1 -.->|Failed| C1[Undo]\n  end\n",
    "flowchart LR\n  A -->|Thing| EventBus\n  EventBus -->|Thing| B\n",
    "flowchart LR\n  A --> B -.-> A\n  subgraph x\n",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(PLAUSIBLE),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12))


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    )


values = st.recursive(scalars, _containers, max_leaves=40)
documents = st.one_of(
    # Mostly mappings of real sections, so the reader gets past "not a spec".
    st.dictionaries(st.sampled_from(TOP_KEYS), values, max_size=8),
    st.dictionaries(keys, values, max_size=6),
    values,
)


# --- diagrams inside YAML (a crash the random documents once found) ----------------

SAGA_DIAGRAM = """\
sagas:
  - name: Tiny Saga
    diagram: |
      flowchart LR
        subgraph "Happy Path"
          Start --> S1[Reserve]
        end
        subgraph "Compensation"
          S1 -.->|Failed| C1[Release]
        end
"""
CHOREOGRAPHY_DIAGRAM = """\
choreographies:
  - diagram: |
      flowchart LR
        A -->|ThingHappened| EventBus
        EventBus -->|ThingHappened| B
"""


@pytest.mark.parametrize(
    "text", [SAGA_DIAGRAM, CHOREOGRAPHY_DIAGRAM], ids=["saga", "choreography"]
)
def test_yaml_diagrams_are_read(text: str) -> None:
    """Regression: reader.py once lacked the flowchart imports (NameError) for
    {'choreographies': [{'diagram': ''}]}."""
    document, diagnostics = read_yaml(text, "diagram.flow.yaml")
    assert document is not None
    assert [d for d in diagnostics if d.severity.value == "error"] == []
    assert len(document.sagas) + len(document.choreographies) == 1


def _dump(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _check_diagnostics(diagnostics: object, files: set[str]) -> None:
    assert isinstance(diagnostics, list)
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic), diagnostic
        assert diagnostic.location.line >= 1, diagnostic
        assert diagnostic.location.column >= 1, diagnostic
        assert diagnostic.location.file in files, diagnostic
        assert diagnostic.code.startswith("FLW") and diagnostic.message


def _check_result(result: Result, paths: list[Path]) -> None:
    assert isinstance(result, Result)
    assert result.exit_code in (0, 1, 2)
    files = {display_path(path) for path in result.files} | {str(p) for p in paths}
    _check_diagnostics(result.diagnostics, files)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


# --- 1. random YAML documents -----------------------------------------------------------------


@FAST
@given(document=documents)
@example(document={"choreographies": [{"diagram": ""}]})
@example(document={"sagas": [{"name": "S", "diagram": "flowchart LR\n  A --> B\n"}]})
def test_random_yaml_documents_give_diagnostics(workdir: Path, document: Any) -> None:
    text = _dump(document)
    parsed, diagnostics = read_yaml(text, "random.flow.yaml")
    _check_diagnostics(diagnostics, {"random.flow.yaml"})
    assert parsed is not None or diagnostics, "no document and no reason why"

    path = workdir / "random.flow.yaml"
    path.write_text(text, encoding="utf-8")
    _check_result(validate([path]), [path])


@FAST
@given(text=st.text(max_size=300))
def test_random_text_as_yaml_gives_diagnostics(text: str) -> None:
    _, diagnostics = read_yaml(text, "text.yaml")
    _check_diagnostics(diagnostics, {"text.yaml"})


# --- 2./3. random edits of the examples ------------------------------------------------------


@st.composite
def edited(draw: st.DrawFn, original: str) -> str:
    """The original text after a few random line and character edits."""
    lines = original.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"])
        )
        if kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(min_value=0, max_value=len(text)))
            lines = text[:cut].splitlines(keepends=True)
            continue
        if not lines:
            lines = [""]
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            at = draw(st.integers(min_value=0, max_value=len(lines[i])))
            chars = draw(
                st.one_of(
                    st.text(min_size=1, max_size=5),
                    st.sampled_from(
                        [
                            ":",
                            "- ",
                            "|",
                            "{",
                            "}",
                            "[",
                            "]",
                            "\t",
                            "#",
                            "&a",
                            "*a",
                            "`",
                            "```",
                            "---",
                            "\n",
                            "  ",
                            "->>",
                            "-->>",
                            "end",
                            "<!--",
                            "|",
                            "### ",
                            "## ",
                            "{Flow Name}",
                            "\x00",
                            "\ufeff",
                        ]
                    ),
                )
            )
            lines[i] = lines[i][:at] + chars + lines[i][at:]
    return "".join(lines)


def _edited_example(examples: dict[str, str]) -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from(sorted(examples)).flatmap(
        lambda name: st.tuples(st.just(name), edited(examples[name]))
    )


def _spec_set(workdir: Path, examples: dict[str, str], name: str, text: str) -> Path:
    """A fresh copy of the example set with ``name`` replaced by ``text``."""
    folder = workdir / "set"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for other, content in examples.items():
        (folder / other).write_text(
            text if other == name else content, encoding="utf-8"
        )
    return folder


@SLOWER
@given(case=_edited_example(YAML_EXAMPLES))
def test_edited_yaml_example_gives_diagnostics(
    workdir: Path, case: tuple[str, str]
) -> None:
    name, text = case
    _, diagnostics = read_yaml(text, name)
    _check_diagnostics(diagnostics, {name})
    folder = _spec_set(workdir, YAML_EXAMPLES, name, text)
    _check_result(validate([folder]), [folder])


@SLOWER
@given(case=_edited_example(MARKDOWN_EXAMPLES))
def test_edited_markdown_example_gives_diagnostics(
    workdir: Path, case: tuple[str, str]
) -> None:
    name, text = case
    folder = _spec_set(workdir, MARKDOWN_EXAMPLES, name, text)
    _check_result(validate([folder]), [folder])


def test_the_examples_are_what_the_edits_start_from() -> None:
    """Guard: the edit tests really start from the example spec set."""
    assert {"integration-patterns.flow.yaml", "shared-concepts.flow.yaml"} <= set(
        YAML_EXAMPLES
    )
    assert {"integration-patterns.md", "shared-concepts.md"} <= set(MARKDOWN_EXAMPLES)
    assert "sequenceDiagram" in MARKDOWN_EXAMPLES["integration-patterns.md"]


# --- 4. determinism -----------------------------------------------------------------------------


def _twice(run: Callable[[], list[Diagnostic]]) -> None:
    first, second = run(), run()
    assert first == second
    assert [d.model_dump() for d in first] == [d.model_dump() for d in second]


@SLOWER
@given(document=documents)
def test_validation_of_random_yaml_is_deterministic(
    workdir: Path, document: Any
) -> None:
    text = _dump(document)
    _twice(lambda: read_yaml(text, "same.flow.yaml")[1])
    path = workdir / "same.flow.yaml"
    path.write_text(text, encoding="utf-8")
    _twice(lambda: validate([path]).diagnostics)


@SLOWER
@given(
    case=st.one_of(_edited_example(YAML_EXAMPLES), _edited_example(MARKDOWN_EXAMPLES))
)
def test_validation_of_edited_examples_is_deterministic(
    workdir: Path, case: tuple[str, str]
) -> None:
    name, text = case
    examples = YAML_EXAMPLES if name.endswith(".yaml") else MARKDOWN_EXAMPLES
    folder = _spec_set(workdir, examples, name, text)
    _twice(lambda: validate([folder]).diagnostics)


def test_determinism_check_can_tell_results_apart(workdir: Path) -> None:
    """Guard: different inputs do give different diagnostics, so equality means something."""
    a = workdir / "a.flow.yaml"
    a.write_text("flowc: 1\nbogus: 1\n", encoding="utf-8")
    b = workdir / "b.flow.yaml"
    b.write_text("flowc: 1\n\nbogus: 1\n", encoding="utf-8")
    assert validate([a]).diagnostics != validate([b]).diagnostics
