"""Mermaid flowchart parser: corpus, structure, diagnostics, printer, fuzzing."""

from __future__ import annotations

import re
import time
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends.mermaid.flowchart import (
    RULES,
    SEVERITIES,
    Flowchart,
    FlowEdge,
    format_flowchart,
    parse_flowchart,
    same_structure,
    strip_locations,
)

CORPUS = Path(__file__).parent / "mermaid" / "flowchart"
VALID = sorted((CORPUS / "valid").glob("*.mmd"))
INVALID = sorted((CORPUS / "invalid").glob("*.mmd"))
EXPECT = re.compile(r"%% expect: (FLW3\d\d) line (\d+)$")

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def parse(text: str) -> tuple[Flowchart, list[Diagnostic]]:
    return parse_flowchart(text, "chart.md")


def load(name: str) -> tuple[Flowchart, list[Diagnostic]]:
    path = CORPUS / "valid" / name
    return parse_flowchart(path.read_text(encoding="utf-8"), str(path))


def errors(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.ERROR]


def warnings(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.WARNING]


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def clean(text: str) -> Flowchart:
    """Parse text that must not produce any error or warning."""
    chart, diags = parse(text)
    assert not errors(diags) and not warnings(diags), diags
    return chart


def pairs(chart: Flowchart) -> list[tuple[str, str]]:
    return [(e.source, e.target) for e in chart.edges]


def kind(edge: FlowEdge) -> tuple[str, str, str, int]:
    return (edge.line_style, edge.head, edge.tail, edge.length)


def labels(chart: Flowchart) -> dict[str, str | None]:
    return {n.id: n.label for n in chart.nodes}


def shapes(chart: Flowchart) -> dict[str, str]:
    return {n.id: n.shape for n in chart.nodes}


def edge(chart: Flowchart, source: str, target: str) -> FlowEdge:
    found = [e for e in chart.edges if (e.source, e.target) == (source, target)]
    assert len(found) == 1, (source, target, chart.edges)
    return found[0]


def round_trip(chart: Flowchart) -> Flowchart:
    printed = format_flowchart(chart)
    again, diags = parse(printed)
    assert not errors(diags), (printed, diags)
    assert same_structure(chart, again), printed
    return again


# --------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------


def test_corpus_is_large_enough() -> None:
    assert len(VALID) >= 65
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_corpus_has_no_errors(path: Path) -> None:
    chart, diags = parse_flowchart(path.read_text(encoding="utf-8"), str(path))
    assert not errors(diags), diags
    if path.name.startswith("warn_"):
        assert warnings(diags), "warn_* files exist to show a warning"
    else:
        assert not warnings(diags), diags
    assert chart.direction in {"TB", "TD", "BT", "RL", "LR"}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_corpus_reports_the_expected_rule(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expect = EXPECT.match(text.splitlines()[0])
    assert expect is not None, "first line must be `%% expect: FLW3xx line N`"
    code, line = expect.group(1), int(expect.group(2))
    _, diags = parse_flowchart(text, str(path))
    assert diags
    total = len(text.splitlines())
    assert all(1 <= d.location.line <= max(1, total) for d in diags), diags
    assert all(d.location.file == str(path) for d in diags)
    hits = [d for d in diags if (d.code, d.location.line) == (code, line)]
    assert hits, diags
    assert hits[0].severity is Severity.ERROR
    assert hits[0].hint


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_printer_round_trips(path: Path) -> None:
    chart, _ = parse_flowchart(path.read_text(encoding="utf-8"), str(path))
    printed = format_flowchart(chart)
    assert printed.startswith(f"flowchart {chart.direction}\n")
    again = round_trip(chart)
    assert format_flowchart(again) == printed


def test_every_emitted_code_is_documented() -> None:
    seen: set[str] = set()
    for path in VALID + INVALID:
        _, diags = parse_flowchart(path.read_text(encoding="utf-8"), str(path))
        for d in diags:
            assert d.code in RULES
            assert d.severity.value == SEVERITIES[d.code]
            seen.add(d.code)
    assert set(RULES) == set(SEVERITIES) == seen
    for code, (name, description) in RULES.items():
        assert re.fullmatch(r"FLW3(2[1-9]|3\d)", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name)
        assert description


# --------------------------------------------------------------------------
# the main real use: saga and choreography
# --------------------------------------------------------------------------


def test_saga_diagram() -> None:
    chart, diags = load("saga.mmd")
    assert not errors(diags) and not warnings(diags)
    assert chart.direction == "LR"
    assert [s.id for s in chart.subgraphs] == ["Happy Path", "Compensation"]
    assert all(s.title == s.id and s.parent is None for s in chart.subgraphs)
    happy = chart.edges_in("Happy Path")
    assert [(e.source, e.target) for e in happy] == [
        ("Start", "Step1"),
        ("Step1", "Step2"),
        ("Step2", "Step3"),
        ("Step3", "Commit"),
    ]
    assert all(kind(e) == ("solid", "arrow", "open", 1) for e in happy)
    assert all(e.label is None for e in happy)
    comp = chart.edges_in("Compensation")
    assert all(e.line_style == "dotted" and e.head == "arrow" for e in comp)
    failed = [(e.source, e.target) for e in comp if e.label == "Failed"]
    assert failed == [("Step3", "Comp3"), ("Step2", "Comp2"), ("Step1", "Comp1")]
    unlabelled = [(e.source, e.target) for e in comp if e.label is None]
    assert unlabelled == [("Comp3", "Comp2"), ("Comp2", "Comp1")]
    assert labels(chart) == {
        "Start": None,
        "Step1": "Create Order",
        "Step2": "Reserve Inventory",
        "Step3": "Process Payment",
        "Commit": "Complete",
        "Comp3": "Refund Payment",
        "Comp2": "Release Inventory",
        "Comp1": "Cancel Order",
    }
    assert {n.id: n.subgraph for n in chart.nodes} == {
        "Start": "Happy Path",
        "Step1": "Happy Path",
        "Step2": "Happy Path",
        "Step3": "Happy Path",
        "Commit": "Happy Path",
        "Comp3": "Compensation",
        "Comp2": "Compensation",
        "Comp1": "Compensation",
    }
    step1 = chart.node("Step1")
    assert step1 is not None and step1.shape == "rect"
    assert (step1.loc.line, step1.loc.column) == (3, 19)
    assert [e.target for e in chart.edges_from("Step3")] == ["Commit", "Comp3"]
    assert chart.edges[4].loc.line == 10


def test_choreography_diagram() -> None:
    chart, diags = load("choreography.mmd")
    assert not diags
    assert edge(chart, "OrderService", "EventBus").label == "OrderCreated"
    to_inventory = [e for e in chart.edges if e.target == "InventoryService"]
    assert [(e.label, e.line_style) for e in to_inventory] == [
        ("OrderCreated", "solid"),
        ("PaymentFailed", "dotted"),
    ]
    assert [e.label for e in chart.edges_from("EventBus")] == [
        "OrderCreated",
        "InventoryReserved",
        "PaymentProcessed",
        "PaymentFailed",
    ]
    assert shapes(chart)["EventBus"] == "hexagon"
    assert [e.line_style for e in chart.edges_from("PaymentService")] == [
        "solid",
        "dotted",
    ]
    failed = [e for e in chart.edges if e.label == "PaymentFailed"]
    assert [e.line_style for e in failed] == ["dotted", "dotted"]


# --------------------------------------------------------------------------
# header, directions, preamble
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("basic_lr.mmd", "LR"),
        ("graph_td.mmd", "TD"),
        ("no_direction.mmd", "TB"),
        ("graph_no_direction.mmd", "TB"),
        ("direction_bt.mmd", "BT"),
        ("direction_rl.mmd", "RL"),
        ("direction_tb.mmd", "TB"),
        ("flowchart_elk.mmd", "TD"),
        ("symbol_direction.mmd", "LR"),
        ("front_matter.mmd", "LR"),
        ("init_directive.mmd", "LR"),
        ("init_directive_multiline.mmd", "TD"),
        ("comments.mmd", "LR"),
        ("blank_lines.mmd", "LR"),
    ],
)
def test_header_direction(name: str, direction: str) -> None:
    chart, _ = load(name)
    assert chart.direction == direction
    assert chart.nodes


def test_preamble_is_skipped_and_lines_are_kept() -> None:
    chart, _ = load("front_matter.mmd")
    assert labels(chart) == {"id1": "This is the text in the box"}
    assert chart.nodes[0].loc.line == 7
    assert chart.loc.line == 6
    chart, _ = load("comments.mmd")
    assert pairs(chart) == [("A", "B"), ("B", "C"), ("C", "D")]
    assert [e.label for e in chart.edges] == ["text", "text2", None]


def test_semicolons_split_statements() -> None:
    chart, _ = load("semicolons.mmd")
    assert pairs(chart) == [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]
    chart, _ = load("header_semicolon.mmd")
    assert chart.direction == "TD"
    assert pairs(chart) == [("A", "B"), ("B", "C")]
    chart, _ = load("semicolon_in_label.mmd")
    assert labels(chart) == {"A": "one; two", "B": "three; four"}


def test_empty_body_is_a_valid_chart() -> None:
    chart, diags = load("empty_body.mmd")
    assert not diags
    assert chart.nodes == () and chart.edges == () and chart.subgraphs == ()


# --------------------------------------------------------------------------
# nodes, shapes, labels
# --------------------------------------------------------------------------


def test_every_classic_shape() -> None:
    chart, _ = load("shapes_classic.mmd")
    assert shapes(chart) == {
        "r": "rect",
        "ro": "round",
        "st": "stadium",
        "su": "subroutine",
        "cy": "cylinder",
        "ci": "circle",
        "as": "asymmetric",
        "rh": "rhombus",
        "he": "hexagon",
        "pa": "parallelogram",
        "pb": "parallelogram_alt",
        "tr": "trapezoid",
        "tb": "trapezoid_alt",
        "dc": "double_circle",
    }
    assert labels(chart)["pb"] == "alt"
    assert labels(chart)["dc"] == "double"


def test_shape_data_forms() -> None:
    chart, _ = load("shape_data_single.mmd")
    assert shapes(chart) == {"A": "rounded", "B": "diamond", "C": "cyl"}
    assert labels(chart) == {"A": "Rounded node", "B": "Decide", "C": "Database"}
    assert pairs(chart) == [("A", "B"), ("B", "C")]
    chart, _ = load("shape_data_multiline.mmd")
    assert shapes(chart) == {"A": "doc", "B": "lean-r"}
    assert labels(chart) == {"A": "A document", "B": 'Input: "data"'}
    assert pairs(chart) == [("A", "B")]
    chart, _ = load("shape_data_many.mmd")
    assert len(chart.nodes) == 25
    assert shapes(chart)["n13"] == "text" and labels(chart)["n13"] == "just text"
    assert labels(chart)["n1"] is None
    chart, _ = load("shape_data_inline_edges.mmd")
    assert shapes(chart) == {"start": "sm-circ", "work": "rounded", "stop": "fr-circ"}
    assert pairs(chart) == [("start", "work"), ("work", "stop")]


def test_quoted_markdown_unicode_and_entities() -> None:
    chart, _ = load("quoted_labels.mmd")
    assert labels(chart)["A"] == "text with (parens) and [brackets]"
    assert labels(chart)["B"] == "braces {x} and pipes |y|"
    assert shapes(chart)["D"] == "rhombus"
    chart, _ = load("markdown_strings.mmd")
    assert labels(chart)["A"] == "**bold** and _italic_"
    assert edge(chart, "B", "C").label == "edge *md*"
    chart, _ = load("markdown_multiline.mmd")
    assert labels(chart)["A"] == "The **cat**\n    in the hat"
    assert chart.subgraphs[0].title == "**Bold** title"
    chart, _ = load("unicode.mmd")
    assert labels(chart)["開始"] == "開始する"
    assert shapes(chart)["Конец"] == "rhombus"
    assert labels(chart)["naïve"] == "Ünïcödé"
    chart, _ = load("entity_codes.mmd")
    assert labels(chart) == {
        "A": "A double quote:#quot;",
        "B": "A dec char:#9829;",
        "C": "Tom &amp; Jerry",
    }


def test_nodes_keep_first_appearance_order_and_first_label() -> None:
    chart, _ = load("inline_defs.mmd")
    assert [n.id for n in chart.nodes] == ["A", "B", "C", "D", "E"]
    assert labels(chart)["B"] == "Is it?"
    chart = clean("flowchart LR\n  A --> B\n  B[Later label]\n  A[First]\n")
    assert [n.id for n in chart.nodes] == ["A", "B"]
    assert labels(chart) == {"A": "First", "B": "Later label"}
    node_a = chart.node("A")
    assert node_a is not None and node_a.loc.line == 2
    chart, diags = load("warn_duplicate_label.mmd")
    assert labels(chart)["A"] == "First label"
    assert codes(diags) == ["FLW330"] and diags[0].location.line == 3


def test_special_ids_and_end_words() -> None:
    chart, _ = load("node_ids_special.mmd")
    assert pairs(chart) == [
        ("my-node", "other.node"),
        ("under_score", "node1"),
        ("node1", "42"),
        ("a-b-c", "x.y.z"),
        ("default", "v"),
    ]
    chart, _ = load("end_capitalised.mmd")
    ids = [n.id for n in chart.nodes]
    assert ids == ["Start", "End", "END", "done", "endpoint", "ending", "x", "y"]
    assert labels(chart)["done"] == "end"
    assert edge(chart, "x", "y").label == "end"


def test_styling_is_accepted_and_ignored() -> None:
    for name in ("classdef_class.mmd", "style_linkstyle.mmd", "click_variants.mmd"):
        chart, diags = load(name)
        assert not diags, (name, diags)
    chart, _ = load("class_shorthand.mmd")
    assert pairs(chart) == [("A", "B"), ("C", "E"), ("D", "E")]
    assert labels(chart) == {
        "A": None,
        "B": "Label",
        "C": "Round",
        "D": None,
        "E": None,
    }
    chart, _ = load("acc_title_descr.mmd")
    assert pairs(chart) == [("A", "B")]


def test_misc_shapes_and_props() -> None:
    chart, _ = load("vertex_props.mmd")
    assert labels(chart)["A"] == "Left top borders"
    chart, _ = load("ellipse.mmd")
    assert shapes(chart)["A"] == "ellipse"
    chart, _ = load("trapezoids.mmd")
    assert shapes(chart) == {
        "A": "trapezoid",
        "B": "trapezoid_alt",
        "C": "parallelogram",
        "D": "parallelogram_alt",
    }


# --------------------------------------------------------------------------
# edges
# --------------------------------------------------------------------------


def test_edge_line_styles_and_lengths() -> None:
    chart, _ = load("edges_solid.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("solid", "open", "open", 1),
        ("solid", "arrow", "open", 1),
        ("solid", "arrow", "open", 2),
        ("solid", "arrow", "open", 3),
    ]
    chart, _ = load("edges_dotted.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("dotted", "open", "open", 1),
        ("dotted", "arrow", "open", 1),
        ("dotted", "arrow", "open", 2),
        ("dotted", "arrow", "open", 3),
    ]
    chart, _ = load("edges_thick.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("thick", "open", "open", 1),
        ("thick", "arrow", "open", 1),
        ("thick", "arrow", "open", 2),
        ("thick", "arrow", "open", 3),
    ]
    chart, _ = load("edges_invisible.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("invisible", "open", "open", 1),
        ("invisible", "open", "open", 2),
    ]


def test_edge_heads_and_tails() -> None:
    chart, _ = load("edges_heads.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("solid", "circle", "open", 1),
        ("solid", "cross", "open", 1),
        ("solid", "arrow", "arrow", 1),
        ("solid", "circle", "circle", 1),
        ("solid", "cross", "cross", 1),
        ("thick", "arrow", "arrow", 1),
        ("dotted", "arrow", "arrow", 1),
        ("thick", "circle", "open", 1),
        ("dotted", "cross", "open", 1),
    ]
    chart, _ = load("circle_cross_targets.mmd")
    assert pairs(chart) == [("A", "oB"), ("C", "D"), ("E", "F")]
    assert [e.head for e in chart.edges] == ["open", "circle", "cross"]


def test_edge_labels_in_all_forms() -> None:
    chart, _ = load("edge_labels_pipe.mmd")
    assert [e.label for e in chart.edges] == [
        "yes",
        "plain line",
        "dotted",
        "thick",
        "hidden",
        "quoted (text)",
    ]
    assert [e.line_style for e in chart.edges] == [
        "solid",
        "solid",
        "dotted",
        "thick",
        "invisible",
        "solid",
    ]
    chart, _ = load("edge_labels_inline.mmd")
    assert [(e.label, kind(e)) for e in chart.edges] == [
        ("text", ("solid", "arrow", "open", 1)),
        ("dotted text", ("dotted", "arrow", "open", 1)),
        ("thick text", ("thick", "arrow", "open", 1)),
        ("open text", ("solid", "open", "open", 1)),
        ("quoted text", ("solid", "arrow", "open", 1)),
    ]
    chart, _ = load("edge_labels_double.mmd")
    assert [(e.label, e.head, e.tail) for e in chart.edges] == [
        ("both ways", "arrow", "arrow"),
        ("crossed", "cross", "cross"),
    ]
    chart, _ = load("edge_label_quoted.mmd")
    assert [e.label for e in chart.edges] == ["a (b) [c]", "x {y} z", "semi;colon"]
    chart, _ = load("edge_text_brackets.mmd")
    assert [e.label for e in chart.edges] == ["call f(x)", "list [1]"]
    chart, _ = load("long_arrows_labels.mmd")
    assert [(e.label, e.length) for e in chart.edges] == [
        ("a label", 4),
        ("dots", 3),
        ("eq", 4),
    ]


def test_chains_keep_per_link_labels() -> None:
    chart, _ = load("chains.mmd")
    assert pairs(chart) == [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "F")]
    assert [e.line_style for e in chart.edges][-2:] == ["dotted", "thick"]
    chart, _ = load("chain_labels.mmd")
    assert [(e.source, e.target, e.label) for e in chart.edges] == [
        ("A", "B", "first"),
        ("B", "C", "second"),
        ("C", "D", "third"),
    ]
    chart, _ = load("long_chain.mmd")
    assert len(chart.edges) == 10 and len(chart.nodes) == 11


def test_ampersand_is_a_cartesian_product() -> None:
    chart, _ = load("ampersand.mmd")
    assert pairs(chart) == [("A", "C"), ("A", "D"), ("B", "C"), ("B", "D")]
    assert [n.id for n in chart.nodes] == ["A", "B", "C", "D"]
    assert len({e.loc for e in chart.edges}) == 1
    chart, _ = load("ampersand_chain.mmd")
    assert pairs(chart) == [
        ("a", "b"),
        ("a", "c"),
        ("b", "d"),
        ("c", "d"),
        ("e", "g"),
        ("f", "g"),
    ]
    assert [e.label for e in chart.edges][-2:] == ["label", "label"]


def test_edge_ids_and_edge_metadata() -> None:
    chart, diags = load("edge_ids.mmd")
    assert not diags
    assert [(e.source, e.target, e.edge_id) for e in chart.edges] == [
        ("A", "B", "e1"),
        ("B", "C", "e2"),
    ]
    assert [n.id for n in chart.nodes] == ["A", "B", "C"]
    chart = clean("flowchart LR\n  A & B e1@--> C & D\n")
    assert [e.edge_id for e in chart.edges] == [None, None, "e1", None]


def test_self_loops() -> None:
    chart, _ = load("self_loop.mmd")
    assert pairs(chart) == [("A", "A"), ("B", "B")]
    assert chart.edges[1].label == "retry"


# --------------------------------------------------------------------------
# subgraphs
# --------------------------------------------------------------------------


def test_subgraph_title_forms() -> None:
    chart, _ = load("subgraph_title_bracket.mmd")
    assert [(s.id, s.title) for s in chart.subgraphs] == [
        ("ide1", "one"),
        ("ide2", "Two with (parens)"),
    ]
    chart, _ = load("subgraph_quoted.mmd")
    assert [(s.id, s.title) for s in chart.subgraphs] == [("Happy Path", "Happy Path")]
    chart, _ = load("subgraph_anonymous.mmd")
    assert [(s.id, s.title) for s in chart.subgraphs] == [
        ("subGraph0", ""),
        ("subGraph1", ""),
    ]
    assert {n.id: n.subgraph for n in chart.nodes} == {
        "a": "subGraph0",
        "b": "subGraph0",
        "c": "subGraph1",
        "d": "subGraph1",
    }


def test_nested_subgraphs() -> None:
    chart, diags = load("subgraph_nested.mmd")
    assert not diags
    assert [(s.id, s.title, s.parent) for s in chart.subgraphs] == [
        ("outer", "Outer", None),
        ("middle", "Middle", "outer"),
        ("inner", "Inner", "middle"),
    ]
    assert {n.id: n.subgraph for n in chart.nodes} == {
        "o1": "outer",
        "o2": "outer",
        "m1": "middle",
        "m2": "middle",
        "i1": "inner",
        "i2": "inner",
        "start": None,
    }
    assert [e.subgraph for e in chart.edges] == [
        "outer",
        "middle",
        "inner",
        "middle",
        "outer",
        None,
    ]
    assert chart.edges_in("middle") == (
        edge(chart, "m1", "m2"),
        edge(chart, "m2", "i1"),
    )


def test_subgraph_directions() -> None:
    chart, _ = load("subgraph_direction.mmd")
    assert [(s.id, s.parent, s.direction) for s in chart.subgraphs] == [
        ("TOP", None, "TB"),
        ("B1", "TOP", "RL"),
        ("B2", "TOP", "BT"),
    ]
    assert pairs(chart)[2:] == [("A", "TOP"), ("TOP", "B"), ("B1", "B2")]
    assert [n.id for n in chart.nodes] == ["i1", "f1", "i2", "f2", "A", "B"]


def test_subgraph_ids_as_edge_endpoints() -> None:
    chart, _ = load("subgraph_endpoints.mmd")
    assert ("one", "two") in pairs(chart)
    assert chart.node("one") is None and chart.node("two") is None
    assert chart.subgraph("two") is not None
    assert {n.id for n in chart.nodes} == {"c1", "a2", "a1", "b1", "b2", "c2"}
    chart, _ = load("edge_to_subgraph_inside.mmd")
    assert edge(chart, "y", "inner").subgraph == "outer"
    assert edge(chart, "z", "outer").subgraph is None
    assert chart.node("inner") is None


def test_membership_follows_first_appearance() -> None:
    chart, diags = load("subgraph_edge_membership.mmd")
    assert {n.id: n.subgraph for n in chart.nodes} == {
        "top1": None,
        "top2": None,
        "n1": "sg1",
        "n2": "sg1",
    }
    assert edge(chart, "top1", "n1").subgraph == "sg1"
    assert edge(chart, "n2", "top2").subgraph is None
    assert [(d.code, d.severity) for d in diags] == [("FLW339", Severity.NOTE)]
    chart, _ = load("subgraph_basic.mmd")
    assert {n.id: n.subgraph for n in chart.nodes}["c1"] is None
    assert chart.nodes_in("one") == (chart.node("a1"),)


def test_end_closes_only_the_innermost_subgraph() -> None:
    chart = clean(
        "flowchart LR\n subgraph a\n  subgraph b\n   x\n  end\n  y\n end\n z\n"
    )
    assert {n.id: n.subgraph for n in chart.nodes} == {"x": "b", "y": "a", "z": None}


# --------------------------------------------------------------------------
# diagnostics
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("A --> end", "FLW329"),
        ("end --> B", "FLW329"),
        ("A[x] --> end.z", "FLW329"),
        ("A --> class", "FLW335"),
        ("A --> _blank", "FLW335"),
        ("A[x", "FLW326"),
        ("A((x)", "FLW326"),
        ("A{x]", "FLW326"),
        ("A[x]] --> B", "FLW326"),
        ("A[x (y)]", "FLW327"),
        ('A["x"', "FLW327"),
        ('A[""]', "FLW327"),
        ('A["`md"]', "FLW327"),
        ("A -->|x| ", "FLW328"),
        ("A &", "FLW328"),
        ("A -- x", "FLW333"),
        ("A == x", "FLW333"),
        ("A -- -->B", "FLW333"),
        ('A -- say "hi" --> B', "FLW327"),
        ("A@{ shape: rect", "FLW334"),
        ("A@{ shape: lean_right }", "FLW334"),
        ("A@{ shape: rect, shape: doc }", "FLW334"),
        ("A@{ label: @x }", "FLW334"),
        ("linkStyle 0 stroke:red", "FLW338"),
        ("linkStyle 0", "FLW338"),
        ("style A", "FLW338"),
        ("class A", "FLW338"),
        ("accDescr { never closed", "FLW338"),
        ("A -->|a@b| B", "FLW327"),
        ("A ==> B == x --> C", "FLW333"),
        ("subgraph a(b)\nend", "FLW327"),
        ("subgraph a [b] c\nend", "FLW323"),
        ("A :::", "FLW323"),
        ("A:::", "FLW323"),
        ("A & B &", "FLW328"),
        ("A & " * 30 + "B --> " + "C & " * 30 + "D", "FLW323"),
        ("A --> B --> ", "FLW328"),
        ("A --> B C", "FLW323"),
        ("A -- text -->|more| B", "FLW323"),
        ("\x00\x01\x02", "FLW323"),
    ],
)
def test_single_statement_errors(body: str, code: str) -> None:
    _, diags = parse(f"flowchart LR\n{body}\n")
    assert code in codes(errors(diags)), diags
    assert all(d.location.line >= 2 for d in diags if d.code == code)


@pytest.mark.parametrize(
    ("text", "code", "severity"),
    [
        ("flowchart LR\n A <--- B\n", "FLW332", Severity.WARNING),
        ("flowchart LR\n A o--> B\n", "FLW332", Severity.WARNING),
        ("flowchart LR\n A -----------------> B\n", "FLW332", Severity.WARNING),
        ("flowchart LR\n direction TB\n", "FLW331", Severity.WARNING),
        (
            "flowchart LR\n subgraph s\n direction LR extra\n end\n",
            "FLW331",
            Severity.WARNING,
        ),
        ("flowchart LR\n A[x] --> B\n A[y]\n", "FLW330", Severity.WARNING),
        ("flowchart LR\n A@{ shape: doc }\n A[x]\n", "FLW330", Severity.WARNING),
        ("flowchart LR\n class Q c\n", "FLW331", Severity.WARNING),
        ("flowchart LR\n style Q fill:red\n", "FLW331", Severity.WARNING),
        ("flowchart LR\n A@{ shape: rect, foo: 1 }\n", "FLW331", Severity.WARNING),
        ("flowchart LR\n A -->|direction TB| B\n", "FLW331", Severity.WARNING),
        (
            "flowchart LR\n subgraph s\n end\n subgraph s\n end\n",
            "FLW337",
            Severity.WARNING,
        ),
        ("flowchart LR\n A --> B\n subgraph g\n A\n end\n", "FLW339", Severity.NOTE),
    ],
)
def test_warnings_and_notes(text: str, code: str, severity: Severity) -> None:
    _, diags = parse(text)
    assert not errors(diags), diags
    assert [(d.code, d.severity) for d in diags] == [(code, severity)]
    assert diags[0].hint


def test_direction_trap_drops_the_line() -> None:
    chart, diags = load("warn_direction_in_label.mmd")
    assert pairs(chart) == [("A", "B")]
    assert codes(diags) == ["FLW331"] and diags[0].location.line == 3
    chart, _ = parse("flowchart LR\n subgraph s\n A[go direction RL]\n end\n")
    assert chart.subgraphs[0].direction == "RL"
    assert chart.nodes == ()


def test_mismatched_ends_and_lost_markers_keep_the_head() -> None:
    chart, _ = load("warn_mismatched_text_arrow.mmd")
    assert kind(chart.edges[0]) == ("solid", "cross", "open", 1)
    chart, _ = load("warn_arrow_start_marker.mmd")
    assert [kind(e) for e in chart.edges] == [
        ("solid", "open", "open", 2),
        ("solid", "arrow", "open", 2),
    ]


def test_error_recovery_continues_after_a_bad_statement() -> None:
    chart, diags = parse("flowchart LR\n A[oops --> B\n C --> D\n end\n E --> F\n")
    assert codes(diags) == ["FLW326", "FLW324"]
    assert [d.location.line for d in diags] == [2, 4]
    assert pairs(chart) == [("C", "D"), ("E", "F")]


def test_unclosed_subgraphs_are_reported_at_their_opening_line() -> None:
    chart, diags = parse("flowchart LR\n subgraph a\n  subgraph b\n   x --> y\n")
    assert [(d.code, d.location.line) for d in diags] == [
        ("FLW325", 2),
        ("FLW325", 3),
    ]
    assert [(s.id, s.parent) for s in chart.subgraphs] == [("a", None), ("b", "a")]
    assert chart.nodes[0].subgraph == "b"


def test_missing_header_still_parses_the_body() -> None:
    chart, diags = parse("A --> B\n")
    assert codes(diags) == ["FLW321"]
    assert pairs(chart) == [("A", "B")] and chart.direction == "TB"
    chart, diags = parse('pie title Pets\n "Dogs" : 3\n')
    assert codes(diags) == ["FLW321"] and chart.nodes == ()


def test_locations_honour_first_line_and_column_offset() -> None:
    text = "flowchart LR\n  A --> B[x\n"
    chart, diags = parse_flowchart(text, "doc.md", first_line=10, column_offset=4)
    assert [(d.location.file, d.location.line, d.location.column) for d in diags] == [
        ("doc.md", 11, 14)
    ]
    chart, _ = parse_flowchart("flowchart LR\n  A --> B\n", "doc.md", 10, 4)
    assert [(n.loc.line, n.loc.column) for n in chart.nodes] == [(11, 7), (11, 13)]
    assert (chart.loc.line, chart.loc.column) == (10, 5)
    assert chart.edges[0].loc == chart.nodes[0].loc


def test_crlf_line_endings() -> None:
    chart = clean("flowchart LR\r\n  A[One] --> B\r\n  subgraph s\r\n  C\r\n  end\r\n")
    assert labels(chart) == {"A": "One", "B": None, "C": None}
    assert chart.subgraphs[0].id == "s"


# --------------------------------------------------------------------------
# AST and printer details
# --------------------------------------------------------------------------


def test_ast_is_frozen_and_uses_tuples() -> None:
    chart, _ = load("saga.mmd")
    assert isinstance(chart.nodes, tuple) and isinstance(chart.edges, tuple)
    with pytest.raises(FrozenInstanceError):
        chart.nodes[0].label = "x"  # type: ignore[misc]
    assert strip_locations(chart) == strip_locations(load("saga.mmd")[0])
    assert strip_locations(chart).nodes[0].loc.line == 0
    assert hash(strip_locations(chart)) == hash(strip_locations(chart))


def test_printer_output_shape() -> None:
    chart, _ = load("saga.mmd")
    printed = format_flowchart(chart)
    assert printed.splitlines()[:3] == [
        "flowchart LR",
        '    subgraph "Happy Path"',
        "        Start",
    ]
    assert "        Step3 -.->|Failed| Comp3" in printed
    assert "    end" in printed.splitlines()
    chart, _ = load("style_linkstyle.mmd")
    assert "style" not in format_flowchart(chart)


@pytest.mark.parametrize(
    "text",
    [
        'flowchart LR\n A[" "] --> B\n',
        "flowchart LR\n A[ ] --> B\n",
        'flowchart LR\n A["multi\nline"] -->|"two\nlines"| B\n',
        "flowchart LR\n A@{ shape: doc } --> B@{ shape: circle }\n",
        'flowchart LR\n A@{ shape: circle, label: "c" }\n',
        'flowchart LR\n subgraph x [" "]\n a\n end\n',
        'flowchart LR\n A[a -- b] --> B["x--y"]\n',
        'flowchart LR\n A["\'single\' #quot;"] -.-x|"p|q"| B\n',
    ],
)
def test_printer_round_trips_tricky_text(text: str) -> None:
    chart, diags = parse(text)
    assert not errors(diags)
    round_trip(chart)


# --------------------------------------------------------------------------
# robustness and performance
# --------------------------------------------------------------------------


def test_deep_nesting_without_recursion() -> None:
    depth = 10_000
    opening = "".join(f"subgraph s{i}\n" for i in range(depth))
    text = "flowchart LR\n" + opening + "x\n" + "end\n" * depth
    chart, diags = parse(text)
    assert not diags
    assert len(chart.subgraphs) == depth
    assert chart.subgraphs[-1].parent == f"s{depth - 2}"
    assert chart.nodes[0].subgraph == f"s{depth - 1}"
    _, diags = parse("flowchart LR\n" + opening)
    assert len(diags) == depth and set(codes(diags)) == {"FLW325"}
    # Printed indentation grows with depth (O(depth^2) text): check 1,000.
    shallow = 1_000
    text = "flowchart LR\n" + opening.split("subgraph s1000\n")[0] + "x\n"
    chart, diags = parse(text + "end\n" * shallow)
    assert not diags and len(chart.subgraphs) == shallow
    printed = format_flowchart(chart)
    assert printed.count("\n") == 2 * shallow + 2
    round_trip(chart)


def test_large_chart_parses_fast() -> None:
    lines = ["flowchart LR"]
    for i in range(10_000):
        lines.append(f"    n{i}[Step {i}] -->|go {i}| n{i + 1}")
    text = "\n".join(lines) + "\n"
    chart, diags = parse(text)
    assert not diags
    assert len(chart.edges) == 10_000 and len(chart.nodes) == 10_001


@pytest.mark.parametrize(
    "line",
    [
        "A" * 200_000,
        "A --> " + "B & " * 5_000 + "C",
        "A -- " + " " * 100_000 + "x",
        "A -. " + "." * 100_000,
        "A -- " + "-" * 100_000 + " x",
        "A[" + " " * 100_000,
        "A@{" + '"' * 50_001,
        "%" * 100_000,
        '"' * 100_001,
        "A-->" * 20_000 + "B",
        "A@{ " * 20_000,
        "A -- " + "-x" * 50_000,
        "A -. " + ".x" * 50_000,
        "A@" * 50_000,
        "A & " * 3_000 + "--> " + "B & " * 3_000 + "C",
        "accDescr {\n" * 20_000,
        "%%{\n" * 20_000,
    ],
)
def test_long_lines_are_fast(line: str) -> None:
    started = time.process_time()
    parse(f"flowchart LR\n{line}\n")
    assert time.process_time() - started < 1.0


def test_binary_junk_never_raises() -> None:
    junk = bytes(range(256)).decode("latin-1") * 20
    _, diags = parse(junk)
    assert diags
    _, diags = parse("flowchart LR\n" + junk)
    assert errors(diags)


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "insert", "cut"]))
        if not lines:
            lines = [""]
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            pos = data.draw(st.integers(0, len(lines[i])))
            chunk = data.draw(
                st.text(alphabet='[](){}<>|"`@&;:%-.=~ox \n\tAend', max_size=6)
            )
            lines[i] = lines[i][:pos] + chunk + lines[i][pos:]
        else:
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos]
    return "\n".join(lines)


def _check_never_raises(text: str) -> None:
    chart, diags = parse_flowchart(text, "fuzz.md", first_line=5, column_offset=2)
    last = 5 + text.count("\n")
    for d in diags:
        assert d.code in RULES
        assert 5 <= d.location.line <= last, (d, text)
        assert d.location.column >= 3
    # Duplicate subgraph ids (FLW337) are ambiguous by design; skip those.
    if not errors(diags) and "FLW337" not in codes(diags):
        printed = format_flowchart(chart)
        again, again_diags = parse(printed)
        assert not errors(again_diags), (text, printed, again_diags)
        assert same_structure(chart, again), (text, printed)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    _check_never_raises(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *'AB1 \n\t[](){}<>|"`@&;:%-.=~ox/\\#,',
                "flowchart LR\n",
                "subgraph ",
                "end",
                "-->",
                "-.->",
                "==>",
                "@{",
            ]
        ),
        max_size=80,
    ).map("".join)
)
def test_grammar_shaped_text_never_raises(text: str) -> None:
    _check_never_raises(text)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(VALID), st.data())
def test_mutated_corpus_never_raises(path: Path, data: st.DataObject) -> None:
    _check_never_raises(_mutate(path.read_text(encoding="utf-8"), data))
