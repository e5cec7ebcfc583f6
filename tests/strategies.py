"""Hypothesis strategies for IR Documents, for round-trip and robustness tests.

``documents()`` draws what the YAML syntax can hold. ``documents(markdown=True)``
narrows every part to what an Integration Patterns Markdown file can say, so
the same draws can go md -> IR -> yaml -> IR -> md -> IR. Each narrowing
names the reader rule that makes it necessary.

What both syntaxes share, and so both strategies respect:

- Sequences are written as Mermaid text, so message, note and block texts are
  one line without ``#`` or ``;`` (Mermaid ends text there) and without
  surrounding blanks; every name a line uses is a participant of the flow; a
  participant's label differs from its name; ``loop``/``opt``/``break``/
  ``rect`` have one section; messages are unresolved (resolve decides kinds).
- Policies are what their bullet text can say: ``backoff`` is exponential,
  linear or fixed, and is the default when there are no retries.
- Model names are unique (YAML keeps models in a mapping by name).
- A flow suppresses known lint rules, each once (both readers drop others).
- Choreography events are not empty (YAML reads ``publishes: ''`` as absent).
"""

from __future__ import annotations

import re
import string
from typing import Any

from hypothesis import strategies as st

from flowc.model import (
    AntiPattern,
    Block,
    Choreography,
    Document,
    ErrorCase,
    EventRoute,
    Flow,
    Link,
    Message,
    Model,
    ModelField,
    ModelKind,
    Note,
    Participant,
    Prose,
    RouteDirection,
    Saga,
    SagaEdge,
    SagaNode,
    Scalar,
    Section,
    SequenceItem,
    Service,
    ServiceKind,
    SyncArrow,
    SyncPolicy,
    Transformation,
    TypeRef,
)
from flowc.rules import LINT_RULES

Draw = Any  # hypothesis' draw callable

BUS = "EventBus"
# Words Mermaid reads as keywords (sequence keywords are case-insensitive).
MERMAID_WORDS = {
    "participant", "actor", "box", "create", "destroy", "loop", "rect", "opt",
    "alt", "else", "par", "and", "critical", "option", "break", "end", "left",
    "right", "over", "note", "activate", "deactivate", "title", "links", "link",
    "properties", "details", "autonumber", "off", "sequencediagram", "graph",
    "flowchart", "subgraph", "style", "class", "classdef", "linkstyle", "click",
    "direction", "interpolate", "compensation",
}  # fmt: skip
# Saga chain ends named or labelled so are read as Start/Complete markers.
MARKER_WORDS = {
    "start", "begin", "complete", "completed", "done", "end", "commit",
    "finish", "finished",
}  # fmt: skip
# A model named like a scalar type would be read back as that scalar.
TYPE_WORDS = {s.value for s in Scalar} | {
    "str", "text", "int", "float", "bool", "date-time", "timestamp", "uri",
    "list", "array", "enum",
}  # fmt: skip
# Section headings the Markdown reader recognises; prose may not use them.
SECTION_WORDS = {
    "key flows", "flows", "shared concepts", "cross-boundary patterns",
    "cross boundary patterns", "integration patterns", "anti-patterns",
    "anti patterns", "antipatterns", "related documents", "related docs",
    "related", "see also",
}  # fmt: skip
ARROWS = ("->>", "-->>", "->", "-->", "-x", "--x", "-)", "--)")
SINGLE_SECTION = ("loop", "opt", "break", "rect")
MULTI_SECTION = ("alt", "par", "par_over", "critical")
TEMPLATE_TEXT = re.compile(r"e\.\s?g\.|YYYY-MM-DD", re.IGNORECASE)


# --- names -------------------------------------------------------------------


def _usable_name(name: str) -> bool:
    lowered = name.lower()
    return not ({lowered} & (MERMAID_WORDS | MARKER_WORDS | TYPE_WORDS)) and (
        lowered != BUS.lower()
    )


def identifiers() -> st.SearchStrategy[str]:
    """PascalCase names Mermaid and the readers take as they are."""
    return st.from_regex(
        r"[A-Z][a-z]{1,6}(?:[A-Z][a-z]{1,6})?[0-9]?", fullmatch=True
    ).filter(_usable_name)


def field_names() -> st.SearchStrategy[str]:
    """snake_case: the Markdown reader strips ``_`` at word edges, so none there."""
    return st.from_regex(r"[a-z][a-z0-9]{0,6}(?:_[a-z0-9]{1,5}){0,2}", fullmatch=True)


def words(suffix: str = "") -> st.SearchStrategy[str]:
    """Names with spaces (``User Registration``), optionally ending in ``suffix``."""
    word = st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True)
    return st.lists(word, min_size=1, max_size=3).map(
        lambda parts: " ".join([*parts, suffix] if suffix else parts)
    )


# --- texts -------------------------------------------------------------------

TRICKY = (
    "yes", "No", "on", "null", "~", "2026-01-01", "12:30:00", "201 Created", "1e3",
    "0x1F", "1_000", "3.0", ".inf", "-", "? x", "a: b", "#hash", "'single'",
    '"double"', "both ' and \"", "a | b", "@at", "`code`", "*star*", "&anchor",
    "!tag", "%percent", "[list]", "{map}", "ünïcödé ✓", "emoji 🚀", "tab\there",
    " leading", "trailing ", "multi\nline", "ends with newline\n", "\n\nblank start",
    "line\n  indented", "",
)  # fmt: skip


def yaml_texts() -> st.SearchStrategy[str]:
    """Any text YAML must carry: reserved words, dates, quotes, breaks, unicode."""
    chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
    return st.sampled_from(TRICKY) | st.text(chars, max_size=24)


def _mermaid_chars() -> st.SearchStrategy[str]:
    return st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="#;"
    )


def mermaid_texts() -> st.SearchStrategy[str]:
    """Message, note and block texts: one line, no ``#``/``;``, no edge blanks."""
    samples = st.sampled_from(
        ("POST /users/{id}", "201 Created", "UserCreated event", "a: b", 'say "hi"',
         "x | y", "naïve café ✓", "100% <ok> & 'fine'", "")
    )  # fmt: skip
    return samples | st.text(_mermaid_chars(), max_size=16).map(str.strip)


def participant_labels(name: str) -> st.SearchStrategy[str]:
    """Labels: one non-blank line. A label with ``#``, ``;`` or edge blanks is
    printed as ``@{"alias": ...}``, which ends at the first ``}``, so no ``}``."""
    chars = st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="}"
    )
    return (
        st.sampled_from(("The Gateway", "a: b; #c", " padded "))
        | st.text(chars, min_size=1, max_size=12)
    ).filter(lambda label: bool(label.strip()) and label != name)


def chart_labels() -> st.SearchStrategy[str]:
    """Flowchart node and edge labels: one line, no ``"`` (Mermaid keeps ``#quot;``
    undecoded) and no backtick (it starts a Markdown string)."""
    chars = st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters='"`'
    )
    samples = st.sampled_from(
        ("Create Order", "Refund: 50%", "a | b", "x [y] (z)", "Ünïcode ✓", "it's")
    )
    return samples | st.text(chars, min_size=1, max_size=14).map(str.strip).filter(bool)


_MD_PUNCTUATION = " '\":/.,!?|-+=@$%()&"


def md_lines(min_size: int = 0) -> st.SearchStrategy[str]:
    """Inline Markdown text the reader takes verbatim: one line, single spaces,
    no markup characters (``*_`` and backticks, ``\\``, ``<>``, ``[]``, ``{}``
    which would be a placeholder) and no template text such as ``(e.g., ...)``."""
    chars = st.sampled_from(
        string.ascii_letters + string.digits + _MD_PUNCTUATION
    ) | st.characters(categories=("L", "Nd"))
    return (
        st.text(chars, min_size=min_size, max_size=28)
        .map(lambda text: " ".join(text.split()))
        .filter(lambda text: len(text) >= min_size and not TEMPLATE_TEXT.search(text))
    )


def md_sentences() -> st.SearchStrategy[str]:
    """A line that starts with a letter, so it never opens a list, quote or table."""
    return st.tuples(
        st.from_regex(r"[A-Za-zÀ-ÖØ-öø-ÿ]", fullmatch=True), md_lines()
    ).map(lambda pair: (pair[0] + " " + pair[1]).strip())


def md_paragraphs(max_paragraphs: int = 2) -> st.SearchStrategy[str]:
    """Paragraphs of sentence lines: the reader keeps their raw source."""
    paragraph = st.lists(md_sentences(), min_size=1, max_size=3).map("\n".join)
    return st.lists(paragraph, min_size=0, max_size=max_paragraphs).map("\n\n".join)


def texts(markdown: bool, min_size: int = 0) -> st.SearchStrategy[str]:
    if markdown:
        return md_lines(min_size)
    return yaml_texts().filter(lambda text: len(text) >= min_size)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def durations() -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=10**7)


# --- sequences ---------------------------------------------------------------


def _messages(names: list[str]) -> st.SearchStrategy[Message]:
    return st.builds(
        Message,
        source=st.sampled_from(names),
        target=st.sampled_from(names),
        arrow=st.sampled_from(ARROWS),
        text=mermaid_texts(),
    )


@st.composite
def _notes(draw: Draw, names: list[str]) -> Note:
    placement = draw(st.sampled_from(("over", "left of", "right of")))
    count = 2 if placement == "over" and len(names) > 1 and draw(st.booleans()) else 1
    who = draw(st.lists(st.sampled_from(names), min_size=count, max_size=count))
    return Note(
        placement=placement, participants=tuple(who), text=draw(mermaid_texts())
    )


@st.composite
def _blocks(draw: Draw, items: st.SearchStrategy[tuple[SequenceItem, ...]]) -> Block:
    kind = draw(st.sampled_from(SINGLE_SECTION + MULTI_SECTION))
    count = 1 if kind in SINGLE_SECTION else draw(st.integers(1, 3))
    sections = tuple(
        Section(label=draw(mermaid_texts()), items=draw(items)) for _ in range(count)
    )
    return Block(kind=kind, sections=sections)


def sequences(names: list[str]) -> st.SearchStrategy[tuple[SequenceItem, ...]]:
    """Messages and notes, nested in blocks a few levels deep."""
    leaf: st.SearchStrategy[SequenceItem] = _messages(names) | _notes(names)
    return st.lists(
        st.recursive(
            leaf,
            lambda inner: _blocks(st.lists(inner, max_size=3).map(tuple)),
            max_leaves=8,
        ),
        max_size=5,
    ).map(tuple)


# --- flows -------------------------------------------------------------------


@st.composite
def policies(draw: Draw) -> SyncPolicy:
    retries = draw(st.integers(0, 10))
    backoff = (
        draw(st.sampled_from(("exponential", "linear", "fixed")))
        if retries
        else "exponential"
    )
    return SyncPolicy(
        timeout_ms=draw(durations()),
        retries=retries,
        backoff=backoff,
        breaker_failures=draw(st.integers(0, 50)),
        breaker_open_ms=draw(durations()),
    )


@st.composite
def flows(draw: Draw, markdown: bool = False) -> Flow:
    """A flow; in Markdown it has no sync policy (only YAML can override one)."""
    names = draw(st.lists(identifiers(), max_size=5, unique=True))
    participants = tuple(
        Participant(
            name=name,
            label=draw(optional(participant_labels(name))),
            actor=draw(st.booleans()),
        )
        for name in names
    )
    handlers = st.sampled_from(names) if names else identifiers()
    # Both readers keep only known lint rule names, once each.
    suppress = st.lists(st.sampled_from(sorted(LINT_RULES)), max_size=3, unique=True)
    return Flow(
        name=draw(words() if markdown else yaml_texts()),
        trigger=draw(texts(markdown)),
        outcome=draw(texts(markdown)),
        sla_ms=draw(optional(durations())),
        participants=participants,
        sequence=draw(sequences(names)) if names else (),
        errors=tuple(
            draw(
                st.lists(
                    st.builds(
                        ErrorCase,
                        name=texts(markdown, min_size=1),
                        handler=handlers,
                        status=st.integers(100, 599),
                        recovery=texts(markdown),
                    ),
                    max_size=3,
                )
            )
        ),
        transformations=tuple(
            draw(
                st.lists(
                    st.builds(
                        Transformation,
                        step=handlers,
                        input=texts(markdown, min_size=1),
                        output=texts(markdown, min_size=1),
                    ),
                    max_size=3,
                )
            )
        ),
        suppress=tuple(draw(suppress)),
        sync_policy=None if markdown else draw(optional(policies())),
        description=draw(md_paragraphs() if markdown else yaml_texts()),
    )


# --- models ------------------------------------------------------------------


def type_refs(model_names: list[str]) -> st.SearchStrategy[TypeRef]:
    """Scalars, enums, model references and lists of them."""
    enum_value = st.from_regex(r"[a-z][a-z0-9_-]{0,7}", fullmatch=True)
    base = (
        st.sampled_from(list(Scalar)).map(lambda s: TypeRef(scalar=s))
        | st.lists(enum_value, min_size=1, max_size=4, unique=True).map(
            lambda values: TypeRef(enum_values=tuple(values))
        )
        | (st.sampled_from(model_names) if model_names else identifiers()).map(
            lambda name: TypeRef(model=name)
        )
    )
    return st.recursive(
        base, lambda inner: inner.map(lambda t: TypeRef(item=t)), max_leaves=3
    )


def json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(10**12), 10**12)
        | st.floats(allow_nan=False, allow_infinity=False)
        | yaml_texts()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(yaml_texts(), inner, max_size=3),
        max_leaves=8,
    )


@st.composite
def models(draw: Draw, name: str, others: list[str], markdown: bool = False) -> Model:
    """A model with fields or a JSON Schema; in Markdown never both (one body)."""
    kind = draw(st.sampled_from(list(ModelKind)))
    fields = tuple(
        draw(
            st.lists(
                st.builds(
                    ModelField,
                    name=field_names(),
                    type=type_refs(others),
                    required=st.booleans(),
                    description=texts(markdown),
                    schema_org=optional(
                        st.from_regex(r"[a-z][A-Za-z]{1,10}", fullmatch=True)
                    ),
                    secret=st.booleans(),
                ),
                max_size=4,
            )
        )
    )
    schema = draw(optional(st.dictionaries(yaml_texts(), json_values(), max_size=4)))
    if markdown and schema is not None:
        fields = ()
    return Model(
        name=name,
        kind=kind,
        description=draw(md_paragraphs() if markdown else yaml_texts()),
        fields=fields,
        json_schema=schema,
        schema_org_type=draw(
            optional(st.from_regex(r"[A-Z][A-Za-z]{2,10}", fullmatch=True))
        ),
    )


# --- sagas and choreography --------------------------------------------------


@st.composite
def sagas(draw: Draw, markdown: bool = False) -> Saga:
    """A well-formed saga: a chain of steps, failure edges into one
    compensation chain (possibly into its middle), retriable steps last.

    Markdown draws it as a flowchart, so there the name says "Saga" (how the
    section is recognised), the happy path is empty or at least two nodes long
    (a lone node has no edge to place it), and compensations are listed in the
    order the diagram first mentions them.
    """
    ids = draw(st.lists(identifiers(), min_size=12, max_size=12, unique=True))
    steps_count = draw(st.integers(0, 4))
    pivot = draw(st.integers(0, steps_count))
    step_ids, comp_ids = ids[:steps_count], ids[4 : 4 + pivot]
    start = draw(st.sampled_from((None, "Start", "Begin", ids[9])))
    end = draw(st.sampled_from((None, "Commit", "Done", ids[10])))
    chain_length = steps_count + (start is not None) + (end is not None)
    if markdown and chain_length == 1:
        if steps_count:
            end = "Commit"
        else:
            start = end = None

    def node(node_id: str) -> SagaNode:
        label = draw(
            chart_labels().filter(lambda text: text.lower() not in MARKER_WORDS)
        )
        return SagaNode(id=node_id, label=node_id if draw(st.booleans()) else label)

    def label(default: str) -> str:
        other = chart_labels() if markdown else yaml_texts()
        text: str = draw(st.sampled_from((default, "")) | other)
        return text

    failures = [
        SagaEdge(
            source=step_ids[i],
            target=comp_ids[draw(st.integers(0, i))],
            label=label("Failed"),
        )
        for i in range(pivot)
    ]
    orders = [
        SagaEdge(
            source=comp_ids[i],
            target=comp_ids[i - 1],
            label=label("") if markdown else "",
        )
        for i in range(1, pivot)
    ]
    failures = draw(st.permutations(failures))
    orders = draw(st.permutations(orders))
    extra = [ids[8]] if draw(st.booleans()) else []
    if markdown:
        mentioned = [n for e in (*failures, *orders) for n in (e.source, e.target)]
        ordered = list(dict.fromkeys(n for n in mentioned if n in comp_ids))
        comp_order = ordered + [n for n in comp_ids if n not in ordered] + extra
    else:
        comp_order = draw(st.permutations(comp_ids + extra))
    return Saga(
        name=draw(words("Saga") if markdown else yaml_texts()),
        use_when=draw(texts(markdown)),
        steps=tuple(node(step) for step in step_ids),
        compensations=tuple(node(comp) for comp in comp_order),
        failure_edges=tuple(failures),
        compensation_edges=tuple(orders),
        start=start,
        end=end,
        orchestrator=draw(optional(identifiers())),
        state_storage=draw(optional(texts(markdown, min_size=1))),
        timeout_ms=draw(optional(durations())),
    )


@st.composite
def choreographies(draw: Draw, bus: str, markdown: bool = False) -> Choreography:
    """Routes to and from the bus; in Markdown the name says "Choreography"."""
    route = st.builds(
        EventRoute,
        service=identifiers().filter(lambda name: name != bus),
        event=chart_labels() if markdown else yaml_texts().filter(bool),
        direction=st.sampled_from(list(RouteDirection)),
    )
    guideline = md_sentences() if markdown else yaml_texts()
    return Choreography(
        name=draw(words("Choreography") if markdown else yaml_texts()),
        use_when=draw(texts(markdown)),
        routes=tuple(draw(st.lists(route, max_size=4))),
        guidelines=tuple(draw(st.lists(guideline, max_size=3))),
    )


# --- documents ---------------------------------------------------------------


def _links(markdown: bool) -> st.SearchStrategy[Link]:
    if not markdown:
        return st.builds(Link, text=yaml_texts(), target=yaml_texts())
    target = st.from_regex(
        r"[a-z][a-z0-9-]{0,10}(?:/[a-z0-9 -]{1,8}){0,2}\.(?:md|yaml)(?:#[a-z-]{1,8})?",
        fullmatch=True,
    ) | st.sampled_from(("https://example.com/a?b=c&d=e", "../other.md", "naïve.md"))
    text = (
        md_lines(1) | st.sampled_from(("*not* em", "[x]", "a_b & c!", "`x`"))
    ).filter(lambda value: value == value.strip())
    return st.builds(Link, text=text, target=target.filter(lambda t: t == t.strip()))


def _prose(markdown: bool) -> st.SearchStrategy[Prose]:
    if not markdown:
        return st.builds(Prose, heading=yaml_texts(), text=yaml_texts())
    heading = words().filter(
        lambda text: text.lower() not in SECTION_WORDS
        and not re.search(r"saga|choreograph|request\s*/\s*response|\bsync", text, re.I)
    )
    return st.builds(Prose, heading=heading, text=md_paragraphs(3))


def _services() -> st.SearchStrategy[Service]:
    return st.builds(
        Service,
        name=identifiers(),
        kind=st.sampled_from(list(ServiceKind)),
        label=optional(yaml_texts()),
        sync_policy=optional(policies()),
    )


@st.composite
def documents(draw: Draw, markdown: bool = False) -> Document:
    """A whole spec file; ``markdown`` keeps to what Markdown can say (no
    services, no per-flow policies, one summary paragraph, metadata values
    that are not empty)."""
    bus = draw(optional(identifiers()))
    model_names = draw(st.lists(identifiers(), max_size=3, unique_by=str.lower))
    summary = (
        st.lists(md_sentences(), max_size=2).map("\n".join)
        if markdown
        else yaml_texts()
    )
    meta = md_lines(1) if markdown else yaml_texts()
    return Document(
        path="spec.md",
        title=draw(texts(markdown)),
        status=draw(optional(meta)),
        last_updated=draw(optional(st.just("2026-01-01") | meta)),
        summary=draw(summary),
        bus=bus,
        services=() if markdown else tuple(draw(st.lists(_services(), max_size=2))),
        models=tuple(draw(models(name, model_names, markdown)) for name in model_names),
        flows=tuple(draw(st.lists(flows(markdown), max_size=2))),
        sagas=tuple(draw(st.lists(sagas(markdown), max_size=2))),
        choreographies=tuple(
            draw(st.lists(choreographies(bus or BUS, markdown), max_size=2))
        ),
        sync_policy=draw(optional(policies())),
        sync_use_when=draw(texts(markdown)),
        sync_arrows=tuple(
            SyncArrow(source=source, target=target)
            for source, target in draw(
                st.lists(st.tuples(identifiers(), identifiers()), max_size=4)
            )
            if source != target
        ),
        anti_patterns=tuple(
            draw(
                st.lists(
                    st.builds(
                        AntiPattern,
                        pattern=texts(markdown, min_size=1),
                        problem=texts(markdown),
                        alternative=texts(markdown),
                    ),
                    max_size=3,
                )
            )
        ),
        related=tuple(draw(st.lists(_links(markdown), max_size=3))),
        prose=tuple(draw(st.lists(_prose(markdown), max_size=2))),
    )
