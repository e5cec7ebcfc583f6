"""The Mermaid flowchart AST and its canonical printer.

Kept apart from the parser so consumers can import the data model without the
lexer; `flowchart.py` re-exports everything here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from flowc.diagnostics import Location

NO_LOCATION = Location(file="", line=0, column=0)


@dataclass(frozen=True, slots=True)
class FlowNode:
    """A node, located where it first appears."""

    id: str
    label: str | None
    shape: str
    loc: Location
    subgraph: str | None


@dataclass(frozen=True, slots=True)
class FlowEdge:
    """One source->target link; `A & B --> C` yields one FlowEdge per pair."""

    source: str
    target: str
    line_style: str
    head: str
    tail: str
    label: str | None
    length: int
    loc: Location
    subgraph: str | None
    edge_id: str | None


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A `subgraph ... end` block; `parent` is the enclosing subgraph id."""

    id: str
    title: str
    parent: str | None
    direction: str | None
    loc: Location


@dataclass(frozen=True, slots=True)
class Flowchart:
    """A whole chart; the index fields only speed up the lookup helpers."""

    direction: str
    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    subgraphs: tuple[Subgraph, ...]
    loc: Location
    _node_index: dict[str, FlowNode] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        """Index nodes by id once; the dataclass stays frozen."""
        index: dict[str, FlowNode] = {}
        for node in self.nodes:
            index.setdefault(node.id, node)
        object.__setattr__(self, "_node_index", index)

    def node(self, node_id: str) -> FlowNode | None:
        """The node with this id, or None (subgraph ids are not nodes)."""
        return self._node_index.get(node_id)

    def subgraph(self, subgraph_id: str) -> Subgraph | None:
        """The first subgraph with this id, or None."""
        return next((s for s in self.subgraphs if s.id == subgraph_id), None)

    def edges_from(self, node_id: str) -> tuple[FlowEdge, ...]:
        """Edges whose source is `node_id`, in declaration order."""
        return tuple(e for e in self.edges if e.source == node_id)

    def edges_to(self, node_id: str) -> tuple[FlowEdge, ...]:
        """Edges whose target is `node_id`, in declaration order."""
        return tuple(e for e in self.edges if e.target == node_id)

    def edges_in(self, subgraph_id: str | None) -> tuple[FlowEdge, ...]:
        """Edges declared directly inside that subgraph (None: top level)."""
        return tuple(e for e in self.edges if e.subgraph == subgraph_id)

    def nodes_in(self, subgraph_id: str | None) -> tuple[FlowNode, ...]:
        """Nodes that first appeared directly inside that subgraph."""
        return tuple(n for n in self.nodes if n.subgraph == subgraph_id)


def strip_locations(chart: Flowchart) -> Flowchart:
    """A copy with every location blanked, for structural equality."""
    return replace(
        chart,
        loc=NO_LOCATION,
        nodes=tuple(replace(n, loc=NO_LOCATION) for n in chart.nodes),
        edges=tuple(replace(e, loc=NO_LOCATION) for e in chart.edges),
        subgraphs=tuple(replace(s, loc=NO_LOCATION) for s in chart.subgraphs),
    )


def same_structure(left: Flowchart, right: Flowchart) -> bool:
    """True when two charts are equal once locations are ignored."""
    return strip_locations(left) == strip_locations(right)


# --------------------------------------------------------------------------
# Printer
# --------------------------------------------------------------------------

INDENT = "    "

CLASSIC_SHAPES: dict[str, tuple[str, str]] = {
    "rect": ("[", "]"),
    "round": ("(", ")"),
    "stadium": ("([", "])"),
    "subroutine": ("[[", "]]"),
    "cylinder": ("[(", ")]"),
    "circle": ("((", "))"),
    "double_circle": ("(((", ")))"),
    "asymmetric": (">", "]"),
    "rhombus": ("{", "}"),
    "hexagon": ("{{", "}}"),
    "parallelogram": ("[/", "/]"),
    "parallelogram_alt": ("[\\", "\\]"),
    "trapezoid": ("[/", "\\]"),
    "trapezoid_alt": ("[\\", "/]"),
    "ellipse": ("(-", "-)"),
}

# Classic names that are also valid `@{ shape: ... }` values with the same
# meaning, so a label-less node of that shape can be printed with `@{}`.
_DATA_SHAPE_SYNONYMS = frozenset(
    {"rect", "stadium", "subroutine", "cylinder", "circle", "hexagon", "trapezoid"}
)

_SAFE_LABEL = re.compile(r"[^\W_](?:[\w ,.!?'+-]*[\w.!?'])?")
_SIMPLE_ID = re.compile(r"[A-Za-z_][\w.-]*")
_HEADS = {"arrow": ">", "circle": "o", "cross": "x"}
_TAILS = {"arrow": "<", "circle": "o", "cross": "x"}


def _text(label: str) -> str:
    """A label as Mermaid text: bare when safe, else a quoted string."""
    if _SAFE_LABEL.fullmatch(label) and "--" not in label:
        return label
    body = label.replace('"', "#quot;") or " "
    if body.startswith("`"):
        # `"`` would open a markdown string; the space is trimmed on reading.
        body = " " + body
    return f'"{body}"'


def _node_lines(node: FlowNode) -> tuple[str, ...]:
    """One node definition (two when shape and label need separate lines)."""
    brackets = CLASSIC_SHAPES.get(node.shape)
    if node.label is None:
        if node.shape == "rect":
            return (node.id,)
        if brackets is None or node.shape in _DATA_SHAPE_SYNONYMS:
            return (f"{node.id}@{{ shape: {node.shape} }}",)
        return (f"{node.id}{brackets[0]}{_text(node.id)}{brackets[1]}",)
    if brackets is not None and not _needs_yaml_quotes(node):
        return (f"{node.id}{brackets[0]}{_text(node.label)}{brackets[1]}",)
    if "\n" in node.label:
        # Shape data turns newlines into <br/>: set the shape, then the label.
        return (
            f"{node.id}@{{ shape: {node.shape} }}",
            f"{node.id}[{_text(node.label)}]",
        )
    return (f"{node.id}@{{ shape: {node.shape}, label: {_yaml_label(node.label)} }}",)


def _needs_yaml_quotes(node: FlowNode) -> bool:
    """A `"` fits only in a single-quoted `@{}` label, not in a bracket shape."""
    return (
        node.label is not None
        and '"' in node.label
        and node.shape in VALID_DATA_SHAPES
        and _yaml_label(node.label).startswith("'")
    )


def _yaml_label(label: str) -> str:
    """A `label:` value Mermaid's shape-data lexer reads back unchanged."""
    if '"' in label and label.count('"') % 2 == 0 and not set("}^\n") & set(label):
        return "'" + label.replace("'", "''") + "'"
    body = label.replace('"', "#quot;").replace("\n", "<br/>") or " "
    return f'"{body}"'


def _arrow(edge: FlowEdge) -> str:
    """The arrow token for an edge, inverse of Mermaid's destructLink."""
    length = max(1, edge.length)
    head = _HEADS.get(edge.head, "")
    tail = _TAILS.get(edge.tail, "") if edge.tail == edge.head else ""
    if edge.line_style == "invisible":
        return "~" * (length + 2)
    if edge.line_style == "thick":
        return tail + "=" * (length + 1) + (head or "=")
    if edge.line_style == "dotted":
        return tail + "-" + "." * length + "-" + head
    return tail + "-" * (length + 1) + (head or "-")


def _edge_text(edge: FlowEdge) -> str:
    """One edge statement; labels always use the `|text|` form."""
    edge_id = f"{edge.edge_id}@" if edge.edge_id else ""
    label = f"|{_text(edge.label)}|" if edge.label else ""
    return f"{edge.source} {edge_id}{_arrow(edge)}{label} {edge.target}"


def _subgraph_text(sub: Subgraph) -> str:
    """The opening line of a subgraph block."""
    if sub.title == "" and re.fullmatch(r"subGraph\d+", sub.id):
        return "subgraph"
    title = sub.title.replace('"', "#quot;") or " "
    if title.startswith("`"):
        title = " " + title  # not a markdown string; trimmed on reading
    if sub.id == sub.title and not _SIMPLE_ID.fullmatch(sub.id):
        return f'subgraph "{title}"'
    return f'subgraph {sub.id} ["{title}"]'


@dataclass(slots=True)
class _Item:
    """One printable thing placed in a scope, ordered by source position."""

    key: tuple[int, int, int, int]
    kind: str
    index: int


def _scoped_items(chart: Flowchart) -> dict[int, list[_Item]]:
    """Items grouped by scope (-1: top level), each list in source order."""
    by_id: dict[str, list[int]] = {}
    for i, sub in enumerate(chart.subgraphs):
        by_id.setdefault(sub.id, []).append(i)

    def scope(sub_id: str | None, loc: Location, before: int) -> int:
        """The latest subgraph with that id opened before `loc` (ids may repeat)."""
        found = -1
        for i in by_id.get(sub_id, []) if sub_id is not None else []:
            opened = chart.subgraphs[i].loc
            if i < before and (opened.line, opened.column) <= (loc.line, loc.column):
                found = i
            elif found < 0 and i < before:
                found = i
        return found

    everything = len(chart.subgraphs)
    scopes: dict[int, list[_Item]] = {-1: []}
    groups = (
        (
            "subgraph",
            [(s.loc, scope(s.parent, s.loc, i)) for i, s in enumerate(chart.subgraphs)],
        ),
        ("node", [(n.loc, scope(n.subgraph, n.loc, everything)) for n in chart.nodes]),
        ("edge", [(e.loc, scope(e.subgraph, e.loc, everything)) for e in chart.edges]),
    )
    for rank, (kind, entries) in enumerate(groups):
        for i, (loc, where) in enumerate(entries):
            key = (loc.line, loc.column, rank, i)
            scopes.setdefault(where, []).append(_Item(key, kind, i))
    for where, items in scopes.items():
        items.sort(key=lambda item: item.key)
        scopes[where] = _nodes_first(items)
    return scopes


def _nodes_first(items: list[_Item]) -> list[_Item]:
    """Between subgraph blocks, print node definitions before the edges.

    Node order is unchanged and every edge endpoint of a parsed chart is
    defined in the same run or earlier, so re-parsing gives the same AST.
    """
    out: list[_Item] = []
    run: list[_Item] = []
    for item in [*items, _Item((0, 0, 0, 0), "subgraph", -1)]:
        if item.kind == "subgraph":
            out.extend(i for i in run if i.kind == "node")
            out.extend(i for i in run if i.kind == "edge")
            run = []
            if item.index >= 0:
                out.append(item)
        else:
            run.append(item)
    return out


def _walk(chart: Flowchart) -> Iterator[tuple[int, str]]:
    """Depth-first (iterative) walk yielding (depth, line) pairs."""
    scopes = _scoped_items(chart)
    printed: set[int] = set()
    stack: list[tuple[Iterator[_Item], bool]] = [(iter(scopes[-1]), False)]
    while stack:
        items, closes = stack[-1]
        item = next(items, None)
        depth = len(stack)
        if item is None:
            stack.pop()
            if closes:
                yield depth - 1, "end"
            continue
        if item.kind == "node":
            for text in _node_lines(chart.nodes[item.index]):
                yield depth, text
        elif item.kind == "edge":
            yield depth, _edge_text(chart.edges[item.index])
        elif item.index not in printed:
            printed.add(item.index)
            sub = chart.subgraphs[item.index]
            yield depth, _subgraph_text(sub)
            if sub.direction:
                yield depth + 1, f"direction {sub.direction}"
            stack.append((iter(scopes.get(item.index, [])), True))


def format_flowchart(chart: Flowchart) -> str:
    """Canonical Mermaid text for a chart; styling is dropped by design."""
    lines = [f"flowchart {chart.direction}"]
    lines.extend(INDENT * depth + text for depth, text in _walk(chart))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# `@{ ... }` shape data: the small YAML subset Mermaid documents
# --------------------------------------------------------------------------

# Every name Mermaid's isValidShape accepts that also passes its lower-case,
# no-underscore check (short names, aliases and the undocumented ones).
VALID_DATA_SHAPES = frozenset(
    [
        "rect",
        "proc",
        "process",
        "rectangle",
        "rounded",
        "event",
        "stadium",
        "terminal",
        "pill",
        "fr-rect",
        "subprocess",
        "subproc",
        "framed-rectangle",
        "subroutine",
        "cyl",
        "db",
        "database",
        "cylinder",
        "circle",
        "circ",
        "diam",
        "decision",
        "diamond",
        "question",
        "hex",
        "hexagon",
        "prepare",
        "lean-r",
        "lean-right",
        "in-out",
        "lean-l",
        "lean-left",
        "out-in",
        "trap-b",
        "priority",
        "trapezoid-bottom",
        "trapezoid",
        "trap-t",
        "manual",
        "trapezoid-top",
        "inv-trapezoid",
        "dbl-circ",
        "double-circle",
        "doublecircle",
        "text",
        "notch-rect",
        "card",
        "notched-rectangle",
        "lin-rect",
        "lined-rectangle",
        "lined-process",
        "lin-proc",
        "shaded-process",
        "sm-circ",
        "start",
        "small-circle",
        "fr-circ",
        "stop",
        "framed-circle",
        "fork",
        "join",
        "hourglass",
        "collate",
        "brace",
        "comment",
        "brace-l",
        "brace-r",
        "braces",
        "bolt",
        "com-link",
        "lightning-bolt",
        "doc",
        "document",
        "delay",
        "half-rounded-rectangle",
        "h-cyl",
        "das",
        "horizontal-cylinder",
        "lin-cyl",
        "disk",
        "lined-cylinder",
        "curv-trap",
        "curved-trapezoid",
        "display",
        "div-rect",
        "div-proc",
        "divided-rectangle",
        "divided-process",
        "tri",
        "extract",
        "triangle",
        "win-pane",
        "internal-storage",
        "window-pane",
        "f-circ",
        "junction",
        "filled-circle",
        "notch-pent",
        "loop-limit",
        "notched-pentagon",
        "flip-tri",
        "manual-file",
        "flipped-triangle",
        "sl-rect",
        "manual-input",
        "sloped-rectangle",
        "docs",
        "documents",
        "st-doc",
        "stacked-document",
        "st-rect",
        "procs",
        "processes",
        "stacked-rectangle",
        "bow-rect",
        "stored-data",
        "bow-tie-rectangle",
        "cross-circ",
        "summary",
        "crossed-circle",
        "tag-doc",
        "tagged-document",
        "tag-rect",
        "tagged-rectangle",
        "tag-proc",
        "tagged-process",
        "flag",
        "paper-tape",
        "odd",
        "lin-doc",
        "lined-document",
        "state",
        "choice",
        "note",
        "icon",
        "anchor",
    ]
)

KNOWN_DATA_KEYS = frozenset(
    [
        "shape",
        "label",
        "labelType",
        "icon",
        "img",
        "form",
        "pos",
        "w",
        "h",
        "constraint",
        "animate",
        "animation",
        "curve",
    ]
)

_QUOTED = re.compile(r'"[^"]*"')
_KEY_LINE = re.compile(
    r"([ \t]*)([^\s:#'\"][^:]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?:[ \t]+(.*))?"
)
_FALSY = re.compile(r"|null|false|-?0+(?:\.0*)?")


@dataclass(frozen=True, slots=True)
class ShapeData:
    """What a `@{ ... }` block says; `error` is set when Mermaid would throw."""

    shape: str | None = None
    label: str | None = None
    unknown_keys: tuple[str, ...] = ()
    error: str | None = None
    hint: str = ""


class _YamlError(Exception):
    """A construct js-yaml would reject."""


def _scalar(raw: str) -> str | None:
    """One YAML scalar as Mermaid sees it; None for null/false/empty."""
    value = raw.strip()
    if value[:1] == '"':
        if len(value) < 2 or not value.endswith('"'):
            raise _YamlError("unclosed double-quoted value")
        return value[1:-1]
    if value[:1] == "'":
        if len(value) < 2 or not value.endswith("'"):
            raise _YamlError("unclosed single-quoted value")
        return value[1:-1].replace("''", "'")
    value = re.split(r"\s#", value, maxsplit=1)[0].strip()
    if value[:1] in ("@", "`"):
        raise _YamlError(f"a plain value cannot start with `{value[0]}`")
    if ": " in value or value.endswith(":"):
        raise _YamlError(f"unexpected `:` in `{value[:40]}` (missing comma?)")
    return None if _FALSY.fullmatch(value) else value


def _split_flow(content: str) -> list[str]:
    """Top-level comma-separated items of a flow mapping."""
    items: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(content):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(content[start:i])
            start = i + 1
    if quote:
        raise _YamlError("unclosed quoted value")
    items.append(content[start:])
    return [item for item in items if item.strip()]


def _flow_pairs(content: str) -> list[tuple[str, str]]:
    """`key: value, key: value` (Mermaid wraps one-line data in braces)."""
    pairs: list[tuple[str, str]] = []
    for item in _split_flow(content):
        m = _KEY_LINE.fullmatch(item.rstrip())
        if m is None:
            pairs.append((item.strip(), ""))
        else:
            pairs.append((m.group(2), m.group(3) or ""))
    return pairs


def _block_pairs(content: str) -> list[tuple[str, str]]:
    """`key: value` lines; deeper-indented lines continue the value."""
    pairs: list[tuple[str, str]] = []
    indent = -1
    for line in content.split("\n"):
        if not line.strip() or line.strip().startswith("#"):
            continue
        m = _KEY_LINE.fullmatch(line.rstrip())
        width = len(line) - len(line.lstrip())
        if m is not None and (indent < 0 or width == indent):
            indent = width
            pairs.append((m.group(2), m.group(3) or ""))
        elif pairs and width > indent:
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value} {line.strip()}".strip())
        else:
            raise _YamlError(f"`{line.strip()[:40]}` is not a `key: value` line")
    return pairs


def _pairs(content: str) -> dict[str, str | None]:
    """The flat key -> scalar mapping of one `@{}` block."""
    content = _QUOTED.sub(lambda m: re.sub(r"\n\s*", "<br/>", m.group()), content)
    pairs = _block_pairs(content) if "\n" in content else _flow_pairs(content)
    doc: dict[str, str | None] = {}
    for key, value in pairs:
        name = key.strip().strip("\"'")
        if name in doc:
            raise _YamlError(f"duplicated key `{name[:40]}`")
        doc[name] = _scalar(value)
    return doc


def parse_shape_data(content: str) -> ShapeData:
    """Read the text between `@{` and `}`; never raises."""
    try:
        if "^" in _QUOTED.sub("", content):
            raise _YamlError("`^` is only allowed inside double quotes")
        doc = _pairs(content)
    except _YamlError as exc:
        return ShapeData(
            error=f"invalid `@{{}}` data: {exc}",
            hint='write `A@{ shape: rect, label: "Text" }` (one key per line '
            "without commas in the multi-line form)",
        )
    unknown = tuple(k for k in doc if k not in KNOWN_DATA_KEYS)
    label = doc.get("label")
    # Mermaid ignores an empty label; like every other label it is trimmed.
    label = label.strip() if label else None
    return ShapeData(shape=doc.get("shape"), label=label, unknown_keys=unknown)
