"""The Mermaid sequenceDiagram parser: corpus, structure, printer, robustness."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends.mermaid.sequence import (
    RULES,
    SEVERITIES,
    Block,
    Item,
    Message,
    Note,
    Participant,
    SequenceDiagram,
    format_sequence,
    parse_sequence,
    strip_locations,
    walk,
)

CORPUS = Path(__file__).parent / "mermaid" / "sequence"
VALID = sorted((CORPUS / "valid").glob("*.mmd"))
INVALID = sorted((CORPUS / "invalid").glob("*.mmd"))
EXPECT = re.compile(r"%% expect: (FLW3\d\d) line (\d+)")


def parse_file(name: str) -> tuple[SequenceDiagram, list[Diagnostic]]:
    path = CORPUS / "valid" / f"{name}.mmd"
    return parse_sequence(path.read_text(encoding="utf-8"), path.name)


def diagram(name: str) -> SequenceDiagram:
    result, diagnostics = parse_file(name)
    assert not [d for d in diagnostics if d.severity is Severity.ERROR]
    return result


def parse_text(text: str) -> tuple[SequenceDiagram, list[Diagnostic]]:
    return parse_sequence(text, "inline.md")


def people(d: SequenceDiagram) -> dict[str, Participant]:
    return {p.id: p for p in d.participants}


def arrows(d: SequenceDiagram) -> list[str]:
    return [m.arrow for m in d.messages()]


def triples(d: SequenceDiagram) -> list[tuple[str, str, str]]:
    return [(m.source, m.target, m.text) for m in d.messages()]


def blocks(d: SequenceDiagram) -> list[Block]:
    return [item for item in walk(d.items) if isinstance(item, Block)]


def notes(d: SequenceDiagram) -> list[Note]:
    return [item for item in walk(d.items) if isinstance(item, Note)]


def depth(items: tuple[Item, ...]) -> int:
    """Deepest block nesting, without recursion."""
    deepest = 0
    stack = [(item, 1) for item in items if isinstance(item, Block)]
    while stack:
        block, level = stack.pop()
        deepest = max(deepest, level)
        for section in block.sections:
            stack += [(i, level + 1) for i in section.items if isinstance(i, Block)]
    return deepest


def codes(diagnostics: list[Diagnostic], severity: Severity) -> list[str]:
    return [d.code for d in diagnostics if d.severity is severity]


# --- the corpus ------------------------------------------------------------


def test_corpus_is_big_enough() -> None:
    assert len(VALID) >= 85
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_corpus_parses_without_errors(path: Path) -> None:
    result, diagnostics = parse_sequence(path.read_text(encoding="utf-8"), path.name)
    assert codes(diagnostics, Severity.ERROR) == []
    warnings = codes(diagnostics, Severity.WARNING)
    if path.name.startswith("warn_"):
        assert warnings, "warn_ files exist to show a warning"
    else:
        assert warnings == []
    assert result.participants, "every corpus diagram has participants"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_corpus_reports_the_expected_rule(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = EXPECT.match(text)
    assert expected, "first line must be `%% expect: FLW3xx line N`"
    code, line = expected.group(1), int(expected.group(2))
    _, diagnostics = parse_sequence(text, path.name)
    assert diagnostics
    line_count = len(text.splitlines())
    assert all(1 <= d.location.line <= line_count for d in diagnostics)
    assert all(d.hint for d in diagnostics)
    found = [(d.code, d.location.line) for d in diagnostics]
    assert (code, line) in found
    assert any(d.severity is Severity.ERROR for d in diagnostics)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_printing_round_trips(path: Path) -> None:
    first, _ = parse_sequence(path.read_text(encoding="utf-8"), path.name)
    printed = format_sequence(first)
    assert printed.startswith("sequenceDiagram\n")
    second, diagnostics = parse_sequence(printed, "printed.mmd")
    assert codes(diagnostics, Severity.ERROR) == []
    assert strip_locations(second) == strip_locations(first)
    assert format_sequence(second) == printed, "printing is idempotent"


def test_every_code_used_is_documented() -> None:
    seen: set[str] = set()
    for path in VALID + INVALID:
        _, diagnostics = parse_sequence(path.read_text(encoding="utf-8"), path.name)
        seen |= {d.code for d in diagnostics}
        assert all(d.severity is SEVERITIES[d.code] for d in diagnostics)
    assert seen <= set(RULES)
    assert set(RULES) == {f"FLW3{n:02d}" for n in range(1, 20)} == set(SEVERITIES)
    for name, description in RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name)
        assert description


# --- participants -------------------------------------------------------------


def test_implicit_participants_in_order_of_first_use() -> None:
    d = diagram("basic_hello")
    assert [p.id for p in d.participants] == ["Alice", "John"]
    assert not any(p.explicit for p in d.participants)
    assert d.participants[0].loc.line == 2
    assert d.participants[0].kind == "participant"


def test_declarations_fix_the_order() -> None:
    d = diagram("participants_order")
    assert [p.id for p in d.participants] == ["Alice", "Bob"]
    assert all(p.explicit for p in d.participants)
    assert triples(d)[0] == ("Bob", "Alice", "Hi Alice")


def test_actors_and_aliases() -> None:
    assert {p.kind for p in diagram("actors").participants} == {"actor"}
    a = people(diagram("aliases"))
    assert (a["A"].label, a["J"].label) == ("Alice", "John")
    b = people(diagram("actor_aliases"))
    assert (b["C"].kind, b["C"].label) == ("actor", "Customer")


@pytest.mark.parametrize(
    "kind", ["boundary", "control", "entity", "database", "collections", "queue"]
)
def test_metadata_type(kind: str) -> None:
    alice = people(diagram(f"type_{kind}"))["Alice"]
    assert (alice.kind, alice.label) == (kind, None)


def test_metadata_alias_and_precedence() -> None:
    inline = people(diagram("metadata_inline_alias"))
    assert (inline["API"].kind, inline["API"].label) == ("boundary", "Public API")
    external = people(diagram("metadata_external_alias"))
    assert (external["DB"].kind, external["DB"].label) == ("database", "User Database")
    both = people(diagram("metadata_alias_precedence"))
    assert both["API"].label == "External Name"
    yaml_style = people(diagram("metadata_yaml_style"))
    assert (yaml_style["Q"].kind, yaml_style["Q"].label) == ("queue", "Order events")
    assert (yaml_style["W"].kind, yaml_style["W"].label) == ("control", "Worker")


def test_create_and_destroy() -> None:
    p = people(diagram("create_destroy"))
    assert (p["Carl"].created, p["Carl"].destroyed) == (True, True)
    assert (p["D"].created, p["D"].kind, p["D"].label) == (True, "actor", "Donald")
    assert (p["Bob"].created, p["Bob"].destroyed) == (False, True)
    assert not p["Alice"].destroyed


def test_boxes() -> None:
    p = people(diagram("box_groups"))
    assert (p["A"].box, p["A"].box_color) == ("Alice & John", "Purple")
    assert (p["C"].box, p["C"].box_color) == ("Another Group", "transparent")
    rgb = people(diagram("box_rgb_colors"))
    assert (rgb["U"].box, rgb["U"].box_color) == ("Frontend", "rgb(33,66,99)")
    assert rgb["DB"].box_color == "rgba(33,66,99,0.5)"
    plain = people(diagram("box_transparent_and_plain"))
    assert (plain["A"].box, plain["A"].box_color) == ("Aqua", "transparent")
    assert plain["B"].box == "Group without description"
    assert (plain["C"].box, plain["C"].box_color) == ("", "LightGreen")


def test_ids_with_dashes_dots_and_unicode() -> None:
    d = diagram("ids_with_dashes_and_dots")
    assert [p.id for p in d.participants] == [
        "order-service",
        "api.v2",
        "user_1",
        "web-app",
    ]
    assert triples(d)[4][:2] == ("web-app", "order-service")
    assert (triples(d)[5][:2], arrows(d)[5]) == (("order-service", "web-app"), "--)")
    u = diagram("ids_unicode")
    assert [p.id for p in u.participants] == ["Zürich", "用户", "Ωmega"]
    assert people(u)["用户"].label == "用户 (user)"


def test_keyword_prefixed_ids_are_participants() -> None:
    d = diagram("keyword_like_ids")
    assert triples(d)[0] == ("A", "Link", "message")
    assert triples(d)[1][:2] == ("Link", "A")
    assert {"Loopback", "Ender", "Notes"} <= set(people(d))


def test_redeclaration_warns_and_later_label_wins() -> None:
    d, diagnostics = parse_file("warn_redeclared_label")
    assert people(d)["A"].label == "Alicia"
    assert codes(diagnostics, Severity.WARNING) == ["FLW311"]
    d, diagnostics = parse_file("warn_declared_after_use")
    assert people(d)["A"].kind == "participant", "Mermaid keeps the first kind"
    assert people(d)["A"].explicit


# --- messages -----------------------------------------------------------------


def test_every_standard_arrow() -> None:
    d = diagram("arrows_standard")
    assert arrows(d) == [
        "->",
        "-->",
        "->>",
        "-->>",
        "<<->>",
        "<<-->>",
        "-x",
        "--x",
        "-)",
        "--)",
    ]
    messages = list(d.messages())
    assert [m.is_reply for m in messages] == [False, True] * 5
    assert [m.arrow for m in messages if m.is_lost] == ["-x", "--x"]
    assert [m.arrow for m in messages if m.is_async] == ["-)", "--)"]
    assert [m.arrow for m in messages if m.is_bidirectional] == ["<<->>", "<<-->>"]
    assert {(m.source, m.target) for m in messages} == {("A", "B")}


def test_every_half_arrow() -> None:
    d = diagram("arrows_half")
    assert arrows(d) == [
        "-|\\",
        "--|\\",
        "-|/",
        "--|/",
        "/|-",
        "/|--",
        "\\|-",
        "\\|--",
        "-\\\\",
        "--\\\\",
        "-//",
        "--//",
        "//-",
        "//--",
        "\\\\-",
        "\\\\--",
    ]
    assert {(m.source, m.target) for m in d.messages()} == {("A", "B")}


def test_central_connections() -> None:
    messages = list(diagram("central_connections").messages())
    flags = [(m.central_source, m.central_target) for m in messages]
    assert flags == [(False, True), (True, False), (True, True)]
    assert [m.arrow for m in messages] == ["->>"] * 3


def test_activation_suffixes() -> None:
    d = diagram("activation_stacked")
    assert [m.activation for m in d.messages()] == ["+", "+", "-", "-"]
    assert triples(d)[0] == ("Alice", "John", "Hello John, how are you?")
    spaced = list(diagram("rect_highlight").messages())[-2:]
    assert [(m.source, m.target, m.activation) for m in spaced] == [
        ("Alice", "John", "+"),
        ("John", "Alice", "-"),
    ]


def test_message_text_is_verbatim_and_trimmed() -> None:
    d = diagram("whitespace_variety")
    assert triples(d) == [
        ("A", "B", "lots of spaces"),
        ("B", "A", "tight"),
        ("A", "B", "plus with spaces"),
        ("B", "A", "minus with spaces"),
    ]
    assert [m.text for m in diagram("empty_message_text").messages()] == ["", ""]
    breaks = diagram("line_breaks")
    assert people(breaks)["Alice"].label == "Alice<br/>Johnson"
    assert triples(breaks)[0][2] == "Hello John,<br/>how are you?"
    assert notes(breaks)[0].text == "A typical interaction<br>But now in two lines"


def test_entity_codes_are_kept_and_do_not_split() -> None:
    d = diagram("entity_codes")
    assert triples(d)[0][2] == "I #9829; you!"
    assert triples(d)[2][2] == "a semicolon #59; inside and a hash #35; too"
    assert notes(d)[0].text == "quote #quot;yes#quot;"


def test_end_inside_text_is_text() -> None:
    d = diagram("end_inside_text")
    texts = [m.text for m in d.messages()]
    assert texts[:3] == ["end", "the end", "end of story"]
    assert notes(d)[0].text == "end"
    loop, alt = blocks(d)
    assert loop.sections[0].label == "until the end"
    assert [s.label for s in alt.sections] == ["end reached", "end not reached"]
    assert d.items[-1] is alt


def test_semicolons_split_statements() -> None:
    d = diagram("semicolon_statements")
    first, second = list(d.messages())[:2]
    assert (first.source, first.target, first.text) == ("A", "B", "hi")
    assert (second.source, second.target, second.text) == ("B", "A", "ok")
    assert first.loc.line == second.loc.line == 3
    assert (first.loc.column, second.loc.column) == (5, 16)
    (loop,) = blocks(d)
    assert (loop.sections[0].label, triples(d)[2][2]) == ("twice", "again")
    assert notes(d)[0].text == "done"
    compact = diagram("flow_multiline_statements_compact")
    assert [m.text for m in compact.messages()] == ["one", "two", "three", "four"]


def test_text_column_points_at_the_text() -> None:
    d, _ = parse_sequence("sequenceDiagram\n  A->>B:   hello\n", "f.md", 10, 4)
    (message,) = d.messages()
    assert (message.loc.line, message.loc.column) == (11, 7)
    assert message.text_column == 16


# --- notes, blocks, diagram-level lines ---------------------------------------------


def test_notes() -> None:
    d = diagram("notes_placements")
    assert [(n.placement, n.participants, n.text) for n in notes(d)] == [
        ("right of", ("John",), "Text in note"),
        ("left of", ("John",), "Another note"),
        ("over", ("Alice", "John"), "A typical interaction"),
        ("over", ("John",), "Only John"),
    ]
    cased = notes(diagram("notes_keyword_case"))
    assert [n.placement for n in cased] == ["right of", "left of", "over", "right of"]
    assert cased[2].participants == ("A", "B")
    assert cased[2].text == "mixed case with spaces"


def test_alt_else_and_opt() -> None:
    alt, opt = blocks(diagram("alt_else"))
    assert alt.kind == "alt"
    assert [(s.keyword, s.label) for s in alt.sections] == [
        ("alt", "is sick"),
        ("else", "is well"),
    ]
    assert (opt.kind, opt.sections[0].label) == ("opt", "Extra response")
    many = blocks(diagram("alt_many_else"))[0]
    assert [s.label for s in many.sections] == [
        "200 OK",
        "304 Not Modified",
        "404 Not Found",
        "",
    ]


def test_par_critical_break_rect() -> None:
    nested = diagram("par_nested")
    assert depth(nested.items) == 2
    outer = blocks(nested)[0]
    assert [s.keyword for s in outer.sections] == ["par", "and"]
    over = blocks(diagram("par_over"))[0]
    assert (over.kind, [s.label for s in over.sections]) == (
        "par_over",
        ["Overlapping requests", ""],
    )
    critical = blocks(diagram("critical_options"))[0]
    assert [s.keyword for s in critical.sections] == ["critical", "option", "option"]
    assert len(blocks(diagram("critical_no_option"))[0].sections) == 1
    assert blocks(diagram("break_booking"))[0].kind == "break"
    rects = blocks(diagram("rect_highlight"))
    assert [r.sections[0].label for r in rects] == [
        "rgb(191, 223, 255)",
        "rgb(200, 150, 255)",
    ]
    assert depth(diagram("rect_highlight").items) == 2


def test_deep_nesting_and_keyword_case() -> None:
    assert depth(diagram("deep_nesting").items) == 6
    d = diagram("keywords_any_case")
    assert [b.kind for b in blocks(d)] == [
        "loop",
        "alt",
        "par",
        "critical",
        "opt",
        "break",
        "rect",
    ]
    assert people(d)["A"].label == "Alice"
    assert (d.title, d.autonumber) == ("Case insensitive", True)


def test_titles_accessibility_and_autonumber() -> None:
    assert diagram("title_plain").title == "Checkout happy path"
    assert diagram("title_legacy_colon").title == "Password reset"
    assert diagram("front_matter_title").title == "Subscription renewal"
    acc = diagram("accessibility")
    assert acc.acc_title == "Login sequence"
    assert acc.acc_descr == (
        "The user logs in; the server answers with a session #cookie"
    )
    multi = diagram("accessibility_multiline")
    assert multi.acc_descr is not None and "\n" in multi.acc_descr
    numbered = diagram("autonumber_start_step")
    assert (numbered.autonumber, numbered.autonumber_start) == (True, 10)
    assert numbered.autonumber_step == 5
    decimal = diagram("autonumber_decimal_and_off")
    assert (decimal.autonumber_start, decimal.autonumber_step) == (1.5, 0.25)
    assert not diagram("basic_hello").autonumber


def test_comments_directives_and_front_matter_are_skipped() -> None:
    assert len(list(diagram("comments").messages())) == 3
    assert len(list(diagram("directive_init").messages())) == 1
    lead = diagram("leading_blank_lines")
    assert triples(lead) == [("A", "B", "after blank lines and comments")]
    assert lead.loc.line == 8
    assert len(list(diagram("header_with_trailing_comment").messages())) == 1


def test_real_world_flows() -> None:
    checkout = diagram("flow_checkout_order")
    assert checkout.title == "Place an order"
    assert people(checkout)["Shopper"].kind == "actor"
    assert len(list(checkout.messages())) == 11
    saga = diagram("flow_inventory_saga")
    assert [s.label for s in blocks(saga)[0].sections] == [
        "payment failed",
        "payment ok",
    ]
    events = people(diagram("flow_event_publish_queue"))
    assert (events["Bus"].kind, events["Bus"].label) == ("queue", "Kafka orders topic")
    booking = people(diagram("flow_booking_with_create"))
    assert (booking["Hold"].created, booking["Hold"].destroyed) == (True, True)
    sink = diagram("flow_everything_mixed")
    assert (sink.title, sink.acc_title, sink.autonumber) == (
        "Kitchen sink",
        "Kitchen sink",
        True,
    )
    assert [p.id for p in sink.participants] == ["U", "M", "API", "Q", "Audit"]


def test_messages_walks_depth_first_in_source_order() -> None:
    d = diagram("deep_nesting")
    texts = [m.text for m in d.messages()]
    assert texts[:3] == ["request", "forward", "check cache"]
    assert texts[-2:] == ["response", "401"]


# --- Mermaid's quirks, reported --------------------------------------------------


def test_hash_truncates_and_percent_is_kept() -> None:
    d, diagnostics = parse_file("warn_hash_in_text")
    assert triples(d)[0][2] == "fix issue"
    assert blocks(d)[0].sections[0].label == "every"
    assert codes(diagnostics, Severity.WARNING) == ["FLW314", "FLW314"]
    d, _ = parse_file("warn_percent_in_text")
    assert triples(d)[0][2] == "upload %% progress shown to users"


def test_keyword_as_sender_opens_a_block() -> None:
    d, diagnostics = parse_file("warn_keyword_sender")
    (loop,) = blocks(d)
    assert loop.sections[0].label == "->>B: this opens a loop labelled with the arrow"
    assert "FLW316" in codes(diagnostics, Severity.WARNING)


def test_message_needs_text() -> None:
    _, diagnostics = parse_text("sequenceDiagram\n    A->>B\n")
    assert [(d.code, d.location.line) for d in diagnostics] == [("FLW307", 2)]


def test_statement_after_end_on_the_same_line() -> None:
    d, diagnostics = parse_file("warn_text_after_end")
    assert triples(d)[-1] == ("B", "A", "y")
    assert d.items[-1] == list(d.messages())[-1]
    assert codes(diagnostics, Severity.WARNING) == ["FLW317"]


def test_recovery_keeps_later_statements() -> None:
    text = "sequenceDiagram\n    box Team\n    A->>B: inside\n    end\n    B->>A: out\n"
    d, diagnostics = parse_text(text)
    assert [x.code for x in diagnostics] == ["FLW315"]
    assert [m.text for m in d.messages()] == ["inside", "out"]


def test_locations_follow_first_line_and_column_offset() -> None:
    text = "\n%% note\nsequenceDiagram\n  loop x\n    A->>B: hi\n"
    d, diagnostics = parse_sequence(text, "doc.md", first_line=40, column_offset=3)
    assert (d.loc.line, d.loc.column) == (42, 4)
    (loop,) = blocks(d)
    assert (loop.loc.line, loop.loc.column) == (43, 6)
    (problem,) = diagnostics
    assert (problem.code, problem.location.line, problem.location.column) == (
        "FLW304",
        43,
        6,
    )
    assert problem.location.file == "doc.md"


def test_missing_and_misspelled_headers() -> None:
    _, diagnostics = parse_text("")
    assert [d.code for d in diagnostics] == ["FLW301"]
    d, diagnostics = parse_text("sequencediagram\n  A->>B: hi\n")
    assert [x.code for x in diagnostics] == ["FLW301"]
    assert triples(d) == [("A", "B", "hi")]


# --- printer ----------------------------------------------------------------------


def test_printer_is_canonical() -> None:
    d = diagram("create_destroy")
    assert format_sequence(d) == (
        "sequenceDiagram\n"
        "    participant Alice\n"
        "    participant Bob\n"
        "    Alice->>Bob: Hello Bob, how are you ?\n"
        "    Bob->>Alice: Fine, thank you. And you?\n"
        "    create participant Carl\n"
        "    Alice->>Carl: Hi Carl!\n"
        "    create actor D as Donald\n"
        "    Carl->>D: Hi!\n"
        "    destroy Carl\n"
        "    Alice-xCarl: We are too many\n"
        "    destroy Bob\n"
        "    Bob->>Alice: I agree\n"
    )
    nested = format_sequence(diagram("alt_else"))
    assert (
        "    alt is sick\n        Bob->>Alice: Not so good :(\n    else is well\n"
        in (nested)
    )


def test_printer_keeps_metadata_boxes_and_unsafe_labels() -> None:
    text = format_sequence(diagram("box_rgb_colors"))
    assert "    box rgb(33,66,99) Frontend\n        actor U as User\n" in text
    assert '        participant DB@{"type": "database"}\n' in text
    d, _ = parse_text('sequenceDiagram\n  participant A@{ "alias": "x; #y" }\n')
    printed = format_sequence(d)
    assert '@{"alias": "x; #y"}' in printed
    assert people(parse_text(printed)[0])["A"].label == "x; #y"


# --- robustness -------------------------------------------------------------------


def test_ten_thousand_nested_loops() -> None:
    text = "sequenceDiagram\n" + "loop x\n" * 10_000 + "A->>B: hi\n" + "end\n" * 10_000
    d, diagnostics = parse_text(text)
    assert diagnostics == []
    assert depth(d.items) == 10_000
    assert len(list(d.messages())) == 1
    assert strip_locations(d).participants[0].loc.line == 0


def test_ten_thousand_unclosed_blocks() -> None:
    d, diagnostics = parse_text("sequenceDiagram\n" + "alt x\n" * 10_000)
    assert {x.code for x in diagnostics} == {"FLW304"}
    assert len(diagnostics) == 10_000
    assert depth(d.items) == 10_000


def test_ten_thousand_lines_parse_fast() -> None:
    lines = [f"    P{i % 9}->>+Q{i % 7}: message {i}" for i in range(5_000)]
    lines += [f"    Q{i % 7}-->>-P{i % 9}: reply {i}" for i in range(5_000)]
    text = "sequenceDiagram\n" + "\n".join(lines) + "\n"
    d, diagnostics = parse_text(text)
    assert diagnostics == []
    assert len(list(d.messages())) == 10_000


@pytest.mark.parametrize(
    "line",
    [
        "A->>B: " + "x" * 1_000_000,
        "A" + "-" * 500_000 + ">>B: x",
        "participant " + " " * 500_000 + "x:",
        "participant " + "a#" * 200_000 + ":",
        "1" * 500_000 + " ->> B: x",
        "Note over " + "A," * 200_000 + ": x",
        "%%{" + "{" * 100_000,
        "participant X@{ " + "[" * 50_000 + " }",
    ],
    ids=["text", "dashes", "spaces", "hashes", "digits", "commas", "brace", "nest"],
)
def test_extreme_lines_return_quickly(line: str) -> None:
    diagram, _ = parse_text("sequenceDiagram\n" + line + "\n")
    assert isinstance(diagram, SequenceDiagram)


@pytest.mark.parametrize(
    "line",
    [
        "%%{ init",
        "%%* never closed",
        "participant A@{ type: database",
        "accDescr {",
        "Note over A,B",
        "---",
        "loop",
        "end",
    ],
)
def test_ten_thousand_unclosed_openers_stay_linear(line: str) -> None:
    d, _ = parse_text("sequenceDiagram\n" + (line + "\n") * 10_000)
    assert isinstance(d, SequenceDiagram)


def test_huge_front_matter_and_metadata_stay_fast() -> None:
    front = "---\ntitle: Big\nconfig:\n" + "  k: v\n" * 20_000 + "---\n"
    d, diagnostics = parse_text(front + "sequenceDiagram\n  A->>B: hi\n")
    assert (d.title, diagnostics) == ("Big", [])
    _, diagnostics = parse_text(
        'sequenceDiagram\n  participant X@{ "alias": "' + "x" * 10_000 + '" }\n'
    )
    assert [x.code for x in diagnostics] == ["FLW313"]


def test_binary_junk_never_raises() -> None:
    rng = random.Random(7)
    for _ in range(20):
        junk = bytes(rng.randrange(256) for _ in range(2_000)).decode("latin-1")
        for text in (junk, "sequenceDiagram\n" + junk):
            d, diagnostics = parse_text(text)
            assert isinstance(d, SequenceDiagram)
            assert diagnostics


TOKENS = [
    "A",
    "B",
    "->>",
    "-->>",
    "-x",
    "--)",
    "<<->>",
    "-|\\",
    "+",
    "-",
    "()",
    ":",
    ";",
    "#",
    "%%",
    " ",
    "end",
    "loop",
    "alt",
    "else",
    "par",
    "and",
    "box",
    "Note over",
    "participant",
    "actor",
    "as",
    "@{",
    "}",
    "create",
    "destroy",
    "activate",
    "deactivate",
    "title",
    "accDescr {",
    "autonumber",
    "#35;",
    ",",
    "\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    for body in (text, "sequenceDiagram\n" + text):
        d, diagnostics = parse_text(body)
        assert isinstance(d, SequenceDiagram)
        assert all(d.location.line >= 1 for d in diagnostics)
        format_sequence(d)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_random_token_soup_never_raises(tokens: list[str]) -> None:
    d, diagnostics = parse_text("sequenceDiagram\n" + "".join(tokens))
    assert isinstance(d, SequenceDiagram)
    assert all(x.severity is SEVERITIES[x.code] for x in diagnostics)
    format_sequence(d)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "insert", "cut", "splice"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(TOKENS),
    ),
    min_size=1,
    max_size=6,
)


def mutate(lines: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    out = list(lines)
    for action, where, token in edits:
        if not out:
            out = [token]
            continue
        i = where % len(out)
        if action == "delete":
            del out[i]
        elif action == "duplicate":
            out.insert(i, out[i])
        elif action == "swap":
            j = (where // 7) % len(out)
            out[i], out[j] = out[j], out[i]
        elif action == "insert":
            out.insert(i, token)
        elif action == "cut":
            out[i] = out[i][: where % (len(out[i]) + 1)]
        else:
            at = where % (len(out[i]) + 1)
            out[i] = out[i][:at] + token + out[i][at:]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALID + INVALID), MUTATIONS)
def test_mutated_corpus_never_raises(
    path: Path, edits: list[tuple[str, int, str]]
) -> None:
    lines = mutate(path.read_text(encoding="utf-8").split("\n"), edits)
    text = "\n".join(lines)
    d, diagnostics = parse_sequence(text, path.name, first_line=5, column_offset=2)
    assert isinstance(d, SequenceDiagram)
    assert all(5 <= x.location.line < 5 + text.count("\n") + 1 for x in diagnostics)
    assert all(x.location.column >= 3 for x in diagnostics)
    assert all(x.severity is SEVERITIES[x.code] and x.hint for x in diagnostics)
    printed = format_sequence(d)
    assert printed.startswith("sequenceDiagram\n")
    parse_sequence(printed, "printed.mmd")


IDS = ["A", "B", "C", "my-svc", "x y", "DB", "title", "a@b", "Foo as Bar", "Z#35;"]
ARROWS = ["->>", "-->>", "-x", "--)", "<<->>", "-|/", "/|-", "\\\\-"]


@st.composite
def statements(draw: st.DrawFn) -> str:
    """One random but well-formed-looking statement line."""
    a, b = draw(st.sampled_from(IDS)), draw(st.sampled_from(IDS))
    choice = st.sampled_from
    forms = [
        f"{a}{draw(choice(ARROWS))}{draw(choice(['', '+', '-', ' -']))}{b}: "
        + draw(choice(["hi", "", "x; y", "end", "a #35; b"])),
        f"create {draw(choice(['participant', 'actor']))} {a}"
        + draw(choice(["", " as Label", '@{ "type": "database" }'])),
        f"destroy {a}",
        f"participant {a}"
        + draw(choice(["", " as L", '@{ "alias": "p;q" }', '@{ "type": "queue" }'])),
        draw(choice(["box Aqua Team", "box", "box rgb(1,2,3) X", "end"])),
        f"Note {draw(choice(['over', 'left of', 'right of']))} {a}: n",
        f"Note over {a},{b}: n",
        draw(choice(["loop l", "alt a", "else e", "par p", "and q", "end", "end"])),
        f"{draw(choice(['activate', 'deactivate']))} {a}",
        draw(choice(["autonumber 5 2", "title T", "accTitle: t", "accDescr: d"])),
        f"properties {a}: {{}}",
        f"actor {a}",
    ]
    return draw(st.sampled_from(forms))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(statements(), min_size=1, max_size=14))
def test_error_free_diagrams_round_trip(lines: list[str]) -> None:
    first, diagnostics = parse_text("sequenceDiagram\n    " + "\n    ".join(lines))
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return
    printed = format_sequence(first)
    second, again = parse_text(printed)
    assert codes(again, Severity.ERROR) == [], printed
    assert strip_locations(second) == strip_locations(first), printed


def test_printer_restores_activation_needed_by_a_reply() -> None:
    d, _ = parse_text("sequenceDiagram\n  activate A\n  A-->>-B: done\n")
    printed = format_sequence(d)
    assert "    activate A\n    A-->>-B: done\n" in printed
    assert parse_text(printed)[1] == []


def test_printer_spells_awkward_ids() -> None:
    d, _ = parse_text("sequenceDiagram\n  link a@b: x @ http://e\n  A->>B: hi\n")
    printed = format_sequence(d)
    assert "    properties a@b: {}\n" in printed
    again = parse_text(printed)[0]
    assert [p.id for p in again.participants] == ["a@b", "A", "B"]
    d, _ = parse_text("sequenceDiagram\n  John- ->>Alice: hi\n")
    assert "    John- ->>Alice: hi\n" in format_sequence(d)


def test_printer_titles_keep_entities_and_escape_cuts() -> None:
    d, _ = parse_text("sequenceDiagram\n  title Issue #35;42\n")
    assert "    title Issue #35;42\n" in format_sequence(d)
    d, _ = parse_text('---\ntitle: "a; #b"\n---\nsequenceDiagram\n  A->>B: x\n')
    assert d.title == "a; #b"
    assert "    title a#59; #35;b\n" in format_sequence(d)


def test_item_types_are_frozen() -> None:
    message = next(diagram("basic_hello").messages())
    assert isinstance(message, Message)
    with pytest.raises(AttributeError):
        message.text = "changed"  # type: ignore[misc]
