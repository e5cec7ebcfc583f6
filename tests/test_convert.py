"""``flowc convert``: Markdown <-> YAML without loss, deterministic, readable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from strategies import documents

from flowc.convert import convert_document, convert_file, to_markdown, to_yaml
from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends import sequence_ir
from flowc.frontends.markdown import read_markdown
from flowc.frontends.mermaid.sequence import parse_sequence
from flowc.frontends.yaml.reader import read_yaml
from flowc.model import (
    Document,
    Flow,
    Model,
    ModelField,
    ModelKind,
    Saga,
    SagaEdge,
    SagaNode,
    Scalar,
    TypeRef,
)

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
SEQUENCE_CORPUS = sorted((REPO / "tests" / "mermaid" / "sequence" / "valid").glob("*"))
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


def from_yaml(text: str, name: str = "spec.md") -> Document:
    document, diagnostics = read_yaml(text, name)
    assert not errors(diagnostics), [str(d) for d in diagnostics] + [text]
    assert document is not None
    return document


def from_markdown(text: str, name: str = "spec.md") -> Document:
    document, diagnostics = read_markdown(text, name)
    assert not errors(diagnostics), [str(d) for d in diagnostics] + [text]
    assert document is not None
    return document


def assert_round_trips(document: Document) -> None:
    """md -> IR -> yaml -> IR -> md -> IR gives the IR it started from.

    Every step reads under the document's own path, so the path (and the
    Markdown reader's shared-concepts rule, which looks at it) stays the same.
    """
    name = document.path
    first = from_markdown(to_markdown(document), name)
    assert first == document
    second = from_yaml(to_yaml(first), name)
    assert second == document
    third = from_markdown(to_markdown(second), name)
    assert third == document


def read_seed() -> Document:
    return from_markdown(SEED.read_text(encoding="utf-8"), SEED.name)


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
    assert from_yaml(text, SEED.name) == read_seed()


def test_convert_file_turns_yaml_back_into_markdown(tmp_path: Path) -> None:
    yaml_text, _ = convert_file(SEED, "yaml")
    assert yaml_text is not None
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml_text, encoding="utf-8")
    markdown, diagnostics = convert_file(spec, "md")
    assert not errors(diagnostics)
    assert markdown is not None
    assert markdown.startswith("# Integration Patterns\n")
    assert from_markdown(markdown, SEED.name) == read_seed()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_specs_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        document = from_markdown(text, path.name)
    else:
        document = from_yaml(text, path.name)
    assert document.flows or document.models or document.sagas
    assert from_yaml(to_yaml(document), path.name) == document
    assert_round_trips(document)


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


def test_markdown_tables_escape_pipes_and_drop_unused_columns() -> None:
    document = Document(
        path="spec.md",
        models=(
            Model(
                name="User",
                fields=(
                    ModelField(
                        name="id", type=TypeRef(scalar=Scalar.UUID), description="a | b"
                    ),
                ),
            ),
            Model(name="Payload", kind=ModelKind.EVENT, json_schema={"type": "object"}),
        ),
    )
    text = to_markdown(document)
    assert "| Field | Type | Required | Description |\n" in text
    assert "| id | uuid | yes | a \\| b |" in text
    assert '### Payload (event)\n\n```json\n{\n  "type": "object"\n}\n```' in text
    assert_round_trips(document)


def test_a_saga_with_labelled_order_edges_is_a_diagram_in_yaml() -> None:
    saga = Saga(
        name="Order Saga",
        steps=(
            SagaNode(id="Step1", label="Create Order"),
            SagaNode(id="Step2", label="Pay"),
        ),
        compensations=(
            SagaNode(id="Comp2", label="Refund"),
            SagaNode(id="Comp1", label="Cancel Order"),
        ),
        failure_edges=(
            SagaEdge(source="Step2", target="Comp2", label="Failed"),
            SagaEdge(source="Step1", target="Comp1", label="Failed"),
        ),
        compensation_edges=(SagaEdge(source="Comp2", target="Comp1", label="then"),),
        start="Start",
        end="Commit",
    )
    document = Document(path="spec.md", sagas=(saga,))
    text = to_yaml(document)
    assert "    diagram: |\n      flowchart LR\n" in text
    assert "Comp2 -.->|then| Comp1" in text
    assert_round_trips(document)


@pytest.mark.parametrize("path", SEQUENCE_CORPUS, ids=lambda path: path.name)
def test_valid_mermaid_sequences_survive_both_writers(path: Path) -> None:
    diagram, problems = parse_sequence(path.read_text(encoding="utf-8"), path.name)
    if errors(problems):
        pytest.skip("the corpus file reads with errors")
    items, _ = sequence_ir.items_of(diagram)
    participants = sequence_ir.participants_of(diagram)
    flow = Flow(name="Corpus Flow", participants=participants, sequence=items)
    assert_round_trips(Document(path="spec.md", flows=(flow,)))


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


def test_converting_yaml_services_to_markdown_says_what_is_dropped(
    tmp_path: Path,
) -> None:
    from flowc.convert import convert_file

    path = tmp_path / "svc.flow.yaml"
    path.write_text(
        "services:\n  - {name: Api, kind: gateway}\nflows:\n  - name: Ping\n    sync: {timeout: 1s}\n"
        "    steps:\n      - {request: GET /ping, from: Client, to: Api}\n      - {respond: 200 OK, from: Api, to: Client}\n",
        encoding="utf-8",
    )
    text, diagnostics = convert_file(path, "md")
    assert text is not None
    assert [(d.code, d.location.line) for d in diagnostics] == [
        ("FLW213", 2),
        ("FLW213", 5),
    ]
