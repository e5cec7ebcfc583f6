"""The YAML frontend: every mistake is found in one run, at its line:column."""

from __future__ import annotations

from pathlib import Path

from flowc.api import validate
from flowc.diagnostics import Severity
from flowc.frontends.yaml.reader import read_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"

# (line, column, rule) of each deliberate mistake in twelve-mistakes.flow.yaml
EXPECTED = [
    (2, 1, "FLW102"),  # unknown key flwos
    (4, 5, "FLW405"),  # service ../../x
    (9, 9, "FLW420"),  # field name with a zero-width space
    (11, 9, "FLW404"),  # given_name vs givenName
    (12, 28, "FLW402"),  # unknown model Adress
    (13, 28, "FLW111"),  # list[] is no type
    (16, 10, "FLW110"),  # sla: fast
    (18, 9, "FLW408"),  # REGISTER is no route
    (19, 9, "FLW409"),  # reply to no call
    (22, 9, "FLW401"),  # unknown handler
    (23, 9, "FLW113"),  # error with status 200
    (24, 9, "FLW104"),  # missing handler / http
    (25, 53, "FLW103"),  # http: four hundred
    (32, 9, "FLW407"),  # duplicate route
    (42, 9, "FLW501"),  # compensation cycle
    (48, 20, "FLW112"),  # circuit breaker: always
]


def test_every_mistake_is_reported_at_its_place() -> None:
    result = validate([FIXTURES / "twelve-mistakes.flow.yaml"])
    found = {(d.location.line, d.location.column, d.code) for d in result.diagnostics}
    for expected in EXPECTED:
        assert expected in found, f"missing {expected}; got {sorted(found)}"
    assert len({code for _, _, code in EXPECTED}) >= 12
    assert len(result.errors) >= 12
    assert all(
        d.location.file.endswith("twelve-mistakes.flow.yaml")
        for d in result.diagnostics
    )
    assert all(d.hint for d in result.errors)
    assert result.exit_code == 1


def test_unknown_key_suggests_the_closest_key() -> None:
    _, diagnostics = read_yaml(
        "flowc: 1\nflows:\n  - name: X\n    trigerr: now\n", "a.flow.yaml"
    )
    (problem,) = diagnostics
    assert (problem.code, problem.location.line, problem.location.column) == (
        "FLW102",
        4,
        5,
    )
    assert "trigger" in problem.hint


def test_broken_entries_do_not_hide_the_rest_of_the_file() -> None:
    text = """\
flows:
  - name: Good
    errors:
      - {error: Broken, handler: A, http: nope}
      - {error: Fine, handler: A, http: 409}
models:
  Thing:
    fields:
      - {name: a, type: string, required: maybe}
      - {name: b, type: integer}
"""
    document, diagnostics = read_yaml(text, "b.flow.yaml")
    assert document is not None
    assert [d.code for d in diagnostics] == ["FLW103", "FLW103"]
    (flow,) = document.flows
    assert [e.name for e in flow.errors] == ["Fine"]
    assert [f.name for f in document.models[0].fields] == ["b"]


def test_structured_steps_build_the_same_messages_as_mermaid_lines() -> None:
    text = """\
flows:
  - name: Ping
    steps:
      - {request: GET /ping, from: Client, to: Api}
      - {call: CheckHealth, from: Api, to: Db}
      - {reply: ok, from: Db, to: Api}
      - {publish: PingReceived, from: Api}
      - {consume: PingReceived, by: Audit}
      - {local: Record ping, by: Audit}
      - block: alt
        sections:
          - label: healthy
            steps:
              - {respond: 200 OK, from: Api, to: Client}
          - label: sick
            steps:
              - {respond: 503 Service Unavailable, from: Api, to: Client}
"""
    document, diagnostics = read_yaml(text, "c.flow.yaml")
    assert diagnostics == []
    assert document is not None
    flow = document.flows[0]
    assert [(m.source, m.target, m.arrow, m.text) for m in flow.messages()] == [
        ("Client", "Api", "->>", "GET /ping"),
        ("Api", "Db", "->>", "CheckHealth"),
        ("Db", "Api", "-->>", "ok"),
        ("Api", "EventBus", "->>", "PingReceived"),
        ("EventBus", "Audit", "->>", "PingReceived"),
        ("Audit", "Audit", "->>", "Record ping"),
        ("Api", "Client", "-->>", "200 OK"),
        ("Api", "Client", "-->>", "503 Service Unavailable"),
    ]
    assert [p.name for p in flow.participants] == [
        "Client",
        "Api",
        "Db",
        "EventBus",
        "Audit",
    ]


def test_values_are_typed_and_positions_kept() -> None:
    document, diagnostics = read_yaml(
        'models:\n  Order:\n    kind: entity\n    fields:\n      - {name: lines, type: "list[OrderLine]"}\n'
        "  OrderLine:\n    fields:\n      - {name: sku, type: string}\n",
        "d.flow.yaml",
    )
    assert diagnostics == []
    assert document is not None
    order = document.models[0]
    assert str(order.fields[0].type) == "list[OrderLine]"
    assert (order.fields[0].loc.line, order.fields[0].loc.column) == (5, 9)
    result_errors = [d for d in diagnostics if d.severity == Severity.ERROR]
    assert result_errors == []
