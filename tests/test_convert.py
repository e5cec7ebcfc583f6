"""``flowc convert``: Markdown <-> YAML without loss, deterministic, readable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from strategies import documents

from flowc.convert import convert_document, convert_file, to_markdown, to_yaml
from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends.markdown import read_markdown
from flowc.frontends.yaml.reader import read_yaml
from flowc.model import Document, Model

REPO = Path(__file__).resolve().parents[1]
SEED_CANDIDATES = (
    REPO / "tests" / "fixtures" / "seed" / "integration-patterns.md",
    REPO.parent / "shared" / "seed" / "integration-patterns.md",
)
SEED = next((path for path in SEED_CANDIDATES if path.is_file()), SEED_CANDIDATES[-1])
EXAMPLES = sorted(
    path
    for path in (REPO / "specs").rglob("*")
    if path.suffix in {".md", ".yaml", ".yml"} and path.is_file()
)
SCHEMA_LINE = (
    "# yaml-language-server: $schema=https://flowc.dev/schemas/flow-spec.schema.json"
)
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == Severity.ERROR]


def from_yaml(text: str) -> Document:
    document, diagnostics = read_yaml(text, "spec.md")
    assert not errors(diagnostics), [str(d) for d in diagnostics] + [text]
    assert document is not None
    return document


def from_markdown(text: str) -> Document:
    document, diagnostics = read_markdown(text, "spec.md")
    assert not errors(diagnostics), [str(d) for d in diagnostics] + [text]
    assert document is not None
    return document


def assert_round_trips(document: Document) -> None:
    """md -> IR -> yaml -> IR -> md -> IR gives the IR it started from."""
    first = from_markdown(to_markdown(document))
    assert first == document
    second = from_yaml(to_yaml(first))
    assert second == document
    third = from_markdown(to_markdown(second))
    assert third == document


def read_seed() -> Document:
    document, diagnostics = read_markdown(SEED.read_text(encoding="utf-8"), "spec.md")
    assert not errors(diagnostics)
    assert document is not None
    return document


# --- the seed and the example specs -------------------------------------------


def test_the_seed_round_trips() -> None:
    seed = read_seed()
    assert seed.sagas and seed.choreographies and seed.anti_patterns
    assert_round_trips(seed)


def test_convert_file_turns_the_seed_into_yaml_the_reader_accepts() -> None:
    text, diagnostics = convert_file(SEED, "yaml")
    assert not errors(diagnostics)
    assert text is not None
    assert text.splitlines()[:2] == [SCHEMA_LINE, "flowc: 1"]
    assert from_yaml(text) == read_seed()


def test_convert_file_turns_yaml_back_into_markdown(tmp_path: Path) -> None:
    yaml_text, _ = convert_file(SEED, "yaml")
    assert yaml_text is not None
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml_text, encoding="utf-8")
    markdown, diagnostics = convert_file(spec, "md")
    assert not errors(diagnostics)
    assert markdown is not None
    assert markdown.startswith("# Integration Patterns\n")
    assert from_markdown(markdown) == read_seed()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_specs_round_trip(path: Path) -> None:
    document, diagnostics = (
        read_yaml(path.read_text(encoding="utf-8"), "spec.md")
        if path.suffix != ".md"
        else read_markdown(path.read_text(encoding="utf-8"), "spec.md")
    )
    if document is None or errors(diagnostics):
        pytest.skip(f"{path.name} does not read cleanly")
    assert from_yaml(to_yaml(document)) == document
    assert from_markdown(to_markdown(document)) == document


def test_convert_file_refuses_a_file_with_errors(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("flows:\n  - name: X\n    sla: fast\n", encoding="utf-8")
    text, diagnostics = convert_file(spec, "md")
    assert text is None
    assert any(d.code == "FLW110" for d in diagnostics)


def test_convert_file_reports_a_missing_file(tmp_path: Path) -> None:
    text, diagnostics = convert_file(tmp_path / "nope.md", "yaml")
    assert text is None
    assert [d.code for d in diagnostics] == ["FLW002"]


def test_two_models_with_one_name_cannot_become_yaml() -> None:
    document = Document(path="spec.md", models=(Model(name="User"), Model(name="User")))
    text, diagnostics = convert_document(document, "yaml")
    assert text is None
    assert [d.code for d in diagnostics] == ["FLW406"]


# --- YAML form ------------------------------------------------------------------


def test_yaml_is_human_friendly() -> None:
    text = to_yaml(read_seed())
    assert "- name: Saga Pattern" in text  # block style, sequences indented
    assert "{" not in text and "[" not in text  # no flow style
    assert "compensation_order:" in text  # sagas in the structured form
    assert "label: Failed" not in text  # defaults left out
    assert "name: Event Choreography" not in text


def test_yaml_quotes_what_would_load_as_another_type() -> None:
    document = Document(
        path="spec.md",
        title="yes",
        status="2026-01-01",
        last_updated="1.5",
        summary="line one\nline two: with a colon\n",
    )
    text = to_yaml(document)
    assert "title: 'yes'" in text
    assert "status: '2026-01-01'" in text
    assert "summary: |\n  line one\n  line two: with a colon\n" in text
    assert from_yaml(text) == document
    loaded = yaml.safe_load(text)
    assert loaded["status"] == "2026-01-01"


def test_flow_sequence_is_mermaid_text() -> None:
    markdown = """# Spec

## Key Flows

### User Registration

**Trigger**: Client->>Gateway: POST /register
**SLA**: <500ms

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    Client->>Gateway: POST /register
    alt valid
        Gateway-->>Client: 201 Created
    else invalid
        Gateway-->>Client: 400 Bad Request
    end
```
"""
    document = from_markdown(markdown)
    text = to_yaml(document)
    assert "    sla: 500ms\n" in text
    assert "    sequence: |\n      participant Client\n" in text
    assert "      alt valid\n          Gateway-->>Client: 201 Created\n" in text
    assert_round_trips(document)


# --- properties -----------------------------------------------------------------


@HYPOTHESIS
@given(documents())
def test_any_document_survives_yaml(document: Document) -> None:
    text = to_yaml(document)
    assert text.startswith(SCHEMA_LINE + "\nflowc: 1\n")
    assert from_yaml(text) == document


@HYPOTHESIS
@given(documents(markdown=True))
def test_markdown_documents_round_trip(document: Document) -> None:
    assert_round_trips(document)


@HYPOTHESIS
@given(documents(markdown=True))
def test_output_is_deterministic(document: Document) -> None:
    copy = Document.model_validate(document.model_dump())
    assert to_yaml(document).encode() == to_yaml(copy).encode()
    assert to_markdown(document).encode() == to_markdown(copy).encode()
