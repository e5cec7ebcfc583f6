"""Mermaid `flowchart`/`graph` parser (syntax only) following flow.jison.

The text is preprocessed the way Mermaid does it (front matter, `%%{...}%%`
directives and whole-line `%%` comments are blanked, keeping offsets), split
into statements at newlines and `;` (respecting quotes, brackets, pipes and
`@{...}`), and every statement is read with anchored compiled regexes. There
is no recursion anywhere: subgraphs use an explicit stack, so any input —
binary junk, deep nesting, huge lines — yields diagnostics instead of raising.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from flowc.diagnostics import Diagnostic, Location, error, note, warning
from flowc.frontends.mermaid.flowchart_ast import (
    VALID_DATA_SHAPES,
    Flowchart,
    FlowEdge,
    FlowNode,
    ShapeData,
    Subgraph,
    format_flowchart,
    parse_shape_data,
    same_structure,
    strip_locations,
)
from flowc.frontends.mermaid.flowchart_rules import RULES, SEVERITIES

__all__ = [
    "RULES",
    "SEVERITIES",
    "FlowEdge",
    "FlowNode",
    "Flowchart",
    "Subgraph",
    "format_flowchart",
    "parse_flowchart",
    "same_structure",
    "strip_locations",
]

DIRECTIONS = {"TB": "TB", "TD": "TD", "BT": "BT", "RL": "RL", "LR": "LR"}
SYMBOL_DIRECTIONS = {"<": "RL", ">": "LR", "^": "BT", "v": "TB"}
OTHER_DIAGRAMS = re.compile(
    r"(sequenceDiagram|classDiagram(-v2)?|stateDiagram(-v2)?|erDiagram|gantt|pie"
    r"|journey|gitGraph|mindmap|timeline|quadrantChart|requirementDiagram|C4\w+"
    r"|sankey(-beta)?|xychart(-beta)?|block(-beta)?|packet(-beta)?"
    r"|architecture(-beta)?|kanban|radar(-beta)?|treemap(-beta)?)\b"
)

# -- lexical patterns (possessive quantifiers keep every match linear) -----
_WS = re.compile(r"\s*+")
_ID = re.compile(
    r"(?:[A-Za-z0-9!#$%&'*+.`?\\_/,]|-(?![>\-.])|=(?!=)|:(?!::)|[^\W\d_])++"
)
_VALID_AT = re.compile(r"@(?=[^{\"])")
_BREAK = re.compile(r"[\s\"]")
_AMP = re.compile(r"(\s*+)&(\s*+)")
_NORMAL_CORE = r"[xo<]?(?:--++[xo>]|---++)"
_THICK_CORE = r"[xo<]?(?:==++[xo>]|===++)"
_DOTTED_CORE = r"[xo<]?-?(?<!\.)\.++-[xo>]?"
# Mermaid's link rules in lexer order: the first alternative that matches
# wins, exactly like jison's first-match lexing. `*_open` starts `-- text`.
_LINK_RULES = (
    ("normal", _NORMAL_CORE),
    ("normal_open", r"[xo<]?--"),
    ("thick", _THICK_CORE),
    ("thick_open", r"[xo<]?=="),
    ("dotted", _DOTTED_CORE),
    ("dotted_open", r"[xo<]?-\."),
    ("invisible", r"~~~++"),
)
_LINK = re.compile(
    r"\s*+(?:" + "|".join(f"(?P<{n}>{core})" for n, core in _LINK_RULES) + r")\s*+"
)
_CLOSERS = {
    "normal": re.compile(_NORMAL_CORE),
    "thick": re.compile(_THICK_CORE),
    "dotted": re.compile(_DOTTED_CORE),
}
_CLOSING = {
    family: re.compile(r"\s*+(" + core.pattern + r")\s*+")
    for family, core in _CLOSERS.items()
}
_ACC = re.compile(r"acc(Title|Descr)\s*([:{])")
_TEXT_FORBIDDEN = {"normal": "--", "thick": "==", "dotted": ""}
_SPECIAL = re.compile(r"[\[\](){}|\"]")
_SPLIT = re.compile(r"[\n;\"\[\](){}|@%]")
_HARD = re.compile(r"[;\"@%]")  # lines without these are one statement each
_DIRECTION_TRAP = re.compile(r"direction\s+(TB|BT|RL|LR)")
_KEYWORD = re.compile(
    r"(flowchart-elk|flowchart|graph|subgraph|end|direction|classDef|class|style"
    r"|linkStyle|click|accTitle|accDescr)(?![\w-])"
)
_RESERVED_ID = re.compile(
    r"(style|linkStyle|classDef|class|interpolate|graph|flowchart|subgraph"
    r"|_self|_blank|_parent|_top)(?![A-Za-z0-9_])"
)
_END_ID = re.compile(r"end(?![A-Za-z0-9_])")
_KEYWORD_INITIALS = frozenset("eslcigf_")
_CLICK_REST = re.compile(
    r"""(?:call\s+[^\s(]+(?:\([^)]*\))?(?:\s+"[^"]*")?
    |(?:href\s+)?"[^"]*"(?:\s+"[^"]*")?(?:\s+_(?:self|blank|parent|top))?
    |[\w.$-]+(?:\s+"[^"]*")?)\s*""",
    re.VERBOSE,
)
_LINKSTYLE = re.compile(r"(default|\d+(?:,\d+)*+)(?:\s++(.*))?", re.DOTALL)

# opener -> (closers, shape per closer)
_SHAPES: tuple[tuple[str, dict[str, str]], ...] = (
    ("(((", {")))": "double_circle"}),
    ("((", {"))": "circle"}),
    ("([", {"])": "stadium"}),
    ("(-", {"-)": "ellipse"}),
    ("(", {")": "round"}),
    ("[[", {"]]": "subroutine"}),
    ("[(", {")]": "cylinder"}),
    ("[/", {"/]": "parallelogram", "\\]": "trapezoid"}),
    ("[\\", {"\\]": "parallelogram_alt", "/]": "trapezoid_alt"}),
    ("[", {"]": "rect"}),
    ("{{", {"}}": "hexagon"}),
    ("{", {"}": "rhombus"}),
    (">", {"]": "asymmetric"}),
)
MAX_EDGES = 500  # Mermaid's default `maxEdges`; one statement may not exceed it
_SHAPE_CLOSERS = {opener: (tuple(c), c) for opener, c in _SHAPES}
# How many characters of a closer come before its first bracket (`/]`, `-)`).
_LEAD = {"/]": 1, "\\]": 1, "-)": 1}
_OPENER = re.compile("|".join(re.escape(opener) for opener, _ in _SHAPES))
_PROPS = re.compile(r"\[\|(\w+):(\w+)\|")
_HEAD_NAMES = {"arrow_point": "arrow", "arrow_open": "open"}
_HEAD_NAMES |= {"arrow_circle": "circle", "arrow_cross": "cross"}
_STROKES = {"normal": "solid", "thick": "thick", "dotted": "dotted"}
_STROKES |= {"invisible": "invisible"}


class _Abort(Exception):
    """Raised inside one statement after its diagnostic was recorded."""


@dataclass(slots=True)
class _Ref:
    """A node mention inside one statement, committed only on success."""

    id: str
    offset: int
    label: str | None = None
    shape: str | None = None


@dataclass(slots=True)
class _Link:
    """One arrow between two node groups."""

    style: str
    head: str
    tail: str
    length: int
    label: str | None
    edge_id: str | None


@dataclass(frozen=True, slots=True)
class _Token:
    """An arrow token without its surrounding whitespace."""

    text: str
    at: int
    end: int

    @classmethod
    def of(cls, m: re.Match[str]) -> _Token:
        """The arrow inside a `_LINK` match (its named group)."""
        name = m.lastgroup or 0
        return cls(m.group(name), m.start(name), m.end())


@dataclass(slots=True)
class _Node:
    """Mutable node record; becomes a FlowNode at the end."""

    id: str
    loc: Location
    scope: int | None
    label: str | None = None
    shape: str | None = None
    last_label: str | None = None
    last_shape: str | None = None


@dataclass(slots=True)
class _Sub:
    """Mutable subgraph record; the id of `subgraph` alone is set at `end`."""

    id: str | None
    title: str
    parent: int | None
    loc: Location
    direction: str | None = None
    mentions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Edge:
    """Mutable edge record; becomes a FlowEdge at the end."""

    source: str
    target: str
    link: _Link
    loc: Location
    scope: int | None


class _Source:
    """Offset -> Location mapping for one text."""

    def __init__(self, text: str, file: str, first_line: int, offset: int) -> None:
        self.text = text
        self.file = file
        self.first_line = first_line
        self.column_offset = offset
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, offset: int) -> Location:
        """The 1-based line/column of an offset, shifted into the file."""
        row = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[row] + 1 + self.column_offset
        return Location(file=self.file, line=row + self.first_line, column=column)


def _skip(text: str, pos: int, end: int | None = None) -> int:
    """First non-whitespace offset at or after `pos` (bounded by `end`)."""
    m = _WS.match(text, pos, len(text) if end is None else end)
    return m.end() if m is not None else pos


def _blank(chars: list[str], start: int, end: int) -> None:
    """Replace a span by spaces, keeping newlines so offsets stay valid."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


class _Preprocessor:
    """Blank front matter, directives and comment lines like Mermaid does."""

    def __init__(self, src: _Source, diags: list[Diagnostic]) -> None:
        self.src = src
        self.diags = diags
        self.chars = list(src.text)

    def run(self) -> str:
        """The masked text, same length as the input."""
        self._front_matter()
        self._directives()
        self._comments()
        return "".join(self.chars)

    def _front_matter(self) -> None:
        """A `---` block is front matter only as the first non-blank line."""
        text = self.src.text
        first = re.search(r"\S", text)
        if first is None:
            return
        start = text.rfind("\n", 0, first.start()) + 1
        eol = text.find("\n", first.start())
        eol = len(text) if eol == -1 else eol
        if text[start:eol].strip() != "---":
            return
        close = re.compile(r"^[ \t]*---[ \t\r]*$", re.MULTILINE).search(text, eol)
        if close is None:
            self.diags.append(
                error(
                    "FLW336",
                    "front matter opened with `---` is never closed",
                    self.src.loc(first.start()),
                    "close the front matter with a `---` line",
                )
            )
            _blank(self.chars, start, eol)
            return
        _blank(self.chars, start, close.end())

    def _directives(self) -> None:
        """`%%{...}%%` may sit anywhere and span lines; Mermaid strips them first."""
        text = self.src.text
        pos = text.find("%%{")
        unclosed_after = len(text)
        while pos != -1:
            if self.chars[pos] == "%":
                close = -1 if pos >= unclosed_after else text.find("}%%", pos + 3)
                if close == -1:
                    unclosed_after = min(unclosed_after, pos)
                    eol = text.find("\n", pos)
                    _blank(self.chars, pos, len(text) if eol == -1 else eol)
                    self.diags.append(
                        error(
                            "FLW336",
                            "directive `%%{` is never closed by `}%%`",
                            self.src.loc(pos),
                            "end the directive with `}%%`",
                        )
                    )
                else:
                    _blank(self.chars, pos, close + 3)
            pos = text.find("%%{", pos + 3)

    def _comments(self) -> None:
        """Only whole-line `%%` comments exist in Mermaid."""
        text = "".join(self.chars)
        for m in re.finditer(r"^[ \t\r]*%%[^\n]*", text, re.MULTILINE):
            _blank(self.chars, m.start(), m.end())


class _Splitter:
    """Cut the masked text into statements (start, end) offsets."""

    def __init__(
        self, text: str, src: _Source, diags: list[Diagnostic], braces: _BraceFinder
    ) -> None:
        self.text = text
        self.src = src
        self.diags = diags
        self.braces = braces
        self.no_brace_after = len(text)

    def run(self) -> list[tuple[int, int]]:
        """Statement spans with surrounding whitespace trimmed."""
        out: list[tuple[int, int]] = []
        text, pos, n = self.text, 0, len(self.text)
        while pos < n:
            start = _skip(text, pos)
            if start >= n:
                break
            end, nxt = self._statement_end(start)
            stop = end
            while stop > start and text[stop - 1].isspace():
                stop -= 1
            if stop > start:
                out.append((start, stop))
            pos = max(nxt, start + 1)
        return out

    def _statement_end(self, start: int) -> tuple[int, int]:
        """(end of statement, where scanning resumes)."""
        text = self.text
        acc = _ACC.match(text, start)
        if acc is not None:
            return self._accessibility(start, acc)
        eol = text.find("\n", start)
        eol = len(text) if eol == -1 else eol
        if _HARD.search(text, start, eol) is None:
            return eol, eol + 1
        depth, in_pipe, pos = 0, False, start
        while True:
            m = _SPLIT.search(text, pos)
            if m is None:
                return len(text), len(text)
            pos, ch = m.start(), m.group()
            if ch == "\n" or (ch == ";" and depth == 0 and not in_pipe):
                return pos, pos + 1
            if ch == '"':
                close = text.find('"', pos + 1)
                pos = close + 1 if close != -1 else pos + 1
            elif ch == "@" and text.startswith("@{", pos):
                pos = self._after_shape_data(pos)
            elif text.startswith("%%", pos) and depth == 0 and not in_pipe:
                return self._inline_comment(pos)
            else:
                depth, in_pipe = self._track(ch, depth, in_pipe)
                pos += 1

    @staticmethod
    def _track(ch: str, depth: int, in_pipe: bool) -> tuple[int, bool]:
        """Bracket depth and pipe state, which protect `;` inside labels."""
        if ch in "[({":
            return depth + 1, in_pipe
        if ch in "])}":
            return max(0, depth - 1), in_pipe
        if ch == "|" and depth == 0:
            return depth, not in_pipe
        return depth, in_pipe

    def _after_shape_data(self, pos: int) -> int:
        """Skip a `@{...}` block (may span lines); stay put if unclosed."""
        close = self.braces.find(pos + 2, len(self.text))
        return close + 1 if close != -1 else pos + 1

    def _inline_comment(self, pos: int) -> tuple[int, int]:
        """Mermaid has no trailing comments: `A --> B %% x` fails to parse."""
        eol = self.text.find("\n", pos)
        eol = len(self.text) if eol == -1 else eol
        self.diags.append(
            error(
                "FLW336",
                "a `%%` comment must be on its own line; Mermaid fails on this one",
                self.src.loc(pos),
                "move the comment to a line of its own",
            )
        )
        return pos, eol

    def _accessibility(self, start: int, m: re.Match[str]) -> tuple[int, int]:
        """accTitle/accDescr take the rest of the line, or a `{...}` block."""
        text = self.text
        if m.group(2) == "{":
            close = -1 if m.end() >= self.no_brace_after else text.find("}", m.end())
            if close != -1:
                return close + 1, close + 1
            self.no_brace_after = min(self.no_brace_after, m.end())
            self.diags.append(
                error(
                    "FLW338",
                    "`accDescr {` is never closed by `}`",
                    self.src.loc(start),
                    "close the description with `}`",
                )
            )
        eol = text.find("\n", start)
        eol = len(text) if eol == -1 else eol
        return eol, eol


class _BraceFinder:
    """Where a `@{` block starting anywhere closes, in O(1) after setup.

    Mermaid's shape-data lexer skips `"..."` strings and stops at the first
    other `}`; precomputing that over the `"`/`}` characters keeps many
    unclosed blocks linear instead of quadratic.
    """

    def __init__(self, text: str) -> None:
        self.marks = [(m.start(), m.group()) for m in re.finditer(r'["}]', text)]
        self.positions = [pos for pos, _ in self.marks]
        self.close = [-1] * (len(self.marks) + 1)
        next_quote = len(self.marks)
        for k in range(len(self.marks) - 1, -1, -1):
            pos, ch = self.marks[k]
            if ch == "}":
                self.close[k] = pos
            elif next_quote < len(self.marks):
                self.close[k] = self.close[next_quote + 1]
            if ch == '"':
                next_quote = k

    def find(self, pos: int, end: int) -> int:
        """Offset of the closing `}` for a block whose body starts at `pos`."""
        k = bisect_left(self.positions, pos)
        close = self.close[k]
        return close if close < end else -1


class _LinkIds:
    """Mermaid's LINK_ID rule (`[^\\s"]+@(?=[^{"])`) in O(log n) per query."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.ats: list[int] = []
        self.breaks: list[int] = []
        self.end = end
        if text.find("@", start, end) == -1:
            return
        ahead = min(end + 1, len(text))  # the lookahead may see the newline
        found = _VALID_AT.finditer(text, start, ahead)
        self.ats = [m.start() for m in found if m.start() < end]
        self.breaks = [m.start() for m in _BREAK.finditer(text, start, end)]

    def match(self, pos: int) -> int | None:
        """End of the edge-id token Mermaid's lexer would read at `pos`."""
        if not self.ats:
            return None
        k = bisect_left(self.breaks, pos)
        stop = self.breaks[k] if k < len(self.breaks) else self.end
        i = bisect_left(self.ats, stop) - 1
        if i >= 0 and self.ats[i] > pos:
            return self.ats[i] + 1
        return None


_END_KINDS = {"x": "arrow_cross", ">": "arrow_point", "o": "arrow_circle"}
_MIRRORS = {"x": "x", ">": "<", "o": "o"}


@lru_cache(maxsize=256)
def _destruct_end(link: str) -> tuple[str, str, int, bool]:
    """Mermaid's destructEndLink: (stroke, type, length, start marker lost)."""
    line = link[:-1]
    kind = "arrow_open"
    last = link[-1]
    if last in _END_KINDS:
        kind = _END_KINDS[last]
        if link.startswith(_MIRRORS[last]) and len(link) > 1:
            kind = "double_" + kind
            line = line[1:]
    stroke = "normal"
    length = len(line) - 1
    if line.startswith("="):
        stroke = "thick"
    if line.startswith("~"):
        stroke = "invisible"
    dots = line.count(".")
    if dots:
        stroke, length = "dotted", dots
    lost = link[0] in "<xo" and not kind.startswith("double_")
    return stroke, kind, length, lost


def _start_kind(start: str) -> str:
    """Mermaid's destructStartLink type for the `--`/`==`/`-.` opener."""
    return {"<": "arrow_point", "x": "arrow_cross", "o": "arrow_circle"}.get(
        start[:1], "arrow_open"
    )


def _unquote_text(raw: str) -> str:
    """Mermaid trims labels and strips one pair of surrounding quotes."""
    text = raw.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return text


class _Parser:
    """Statement-by-statement reader building the mutable chart records."""

    def __init__(
        self,
        src: _Source,
        masked: str,
        diags: list[Diagnostic],
        braces: _BraceFinder,
    ) -> None:
        self.src = src
        self.text = masked
        self.diags = diags
        self.braces = braces
        self.link_ids = _LinkIds(masked, 0, 0)
        self.direction = "TB"
        self.header_loc: Location | None = None
        self.nodes: dict[str, _Node] = {}
        self.edges: list[_Edge] = []
        self.subs: list[_Sub] = []
        self.stack: list[int] = []
        self.closed = 0
        self.claimed: dict[str, int] = {}
        self.edge_ids: set[str] = set()
        self.closed_ids: set[str] = set()
        self.styled: list[tuple[str, int]] = []
        self.handlers = {
            "subgraph": self._subgraph,
            "end": self._end,
            "direction": self._direction,
            "classDef": self._class_def,
            "class": self._class,
            "style": self._style,
            "linkStyle": self._link_style,
            "click": self._click,
        }

    # -- diagnostics helpers ------------------------------------------------
    def _error(self, code: str, msg: str, offset: int, hint: str) -> None:
        """Record an error at a text offset."""
        self.diags.append(error(code, msg, self.src.loc(offset), hint))

    def _warn(self, code: str, msg: str, offset: int, hint: str) -> None:
        """Record a warning at a text offset."""
        self.diags.append(warning(code, msg, self.src.loc(offset), hint))

    def _fail(self, code: str, msg: str, offset: int, hint: str) -> _Abort:
        """Record an error and return the exception that abandons the statement."""
        self._error(code, msg, offset, hint)
        return _Abort()

    # -- driver -------------------------------------------------------------
    def run(self, spans: list[tuple[int, int]]) -> None:
        """Read the header, then every statement; close what is left open."""
        if not spans:
            self._error(
                "FLW321",
                "empty diagram: no `flowchart`/`graph` header",
                0,
                "start the diagram with `flowchart TD` (or LR, BT, RL)",
            )
            return
        first = spans[0]
        if self._header(*first):
            spans = spans[1:]
        elif OTHER_DIAGRAMS.match(self.text, first[0]):
            return
        for start, end in spans:
            try:
                self._statement(start, end)
            except _Abort:
                continue
        self._close_open_subgraphs()

    def _header(self, start: int, end: int) -> bool:
        """Read the header; report a missing one (and continue as TB)."""
        m = re.match(r"(flowchart-elk|flowchart|graph)(?![\w-])", self.text[start:end])
        self.header_loc = self.src.loc(start)
        if m is None:
            word = self.text[start:end].split(None, 1)[0][:40]
            other = OTHER_DIAGRAMS.match(self.text, start)
            msg = (
                f"this is a `{other.group()}` diagram, not a flowchart"
                if other
                else f"diagram starts with `{word}` instead of `flowchart`/`graph`"
            )
            self._error(
                "FLW321",
                msg,
                start,
                "start the diagram with `flowchart TD` (or LR, BT, RL)",
            )
            return False
        rest = self.text[start + m.end() : end].strip()
        self.direction = self._header_direction(rest, start + m.end())
        return True

    def _header_direction(self, rest: str, offset: int) -> str:
        """TB TD BT RL LR, or Mermaid's symbolic `<` `>` `^` `v`."""
        if not rest:
            return "TB"
        if rest in DIRECTIONS:
            return DIRECTIONS[rest]
        if rest in SYMBOL_DIRECTIONS:
            return SYMBOL_DIRECTIONS[rest]
        hint = "use one of TB, TD, BT, RL, LR"
        if rest.upper() in DIRECTIONS:
            hint = f"directions are upper-case: write `{rest.upper()}`"
        self._error(
            "FLW322", f"unknown flowchart direction `{rest[:40]}`", offset, hint
        )
        return "TB"

    # -- statements ---------------------------------------------------------
    def _statement(self, start: int, end: int) -> None:
        """Dispatch one statement on its leading keyword."""
        m = _KEYWORD.match(self.text, start, end)
        word = m.group(1) if m else ""
        if word in ("flowchart", "flowchart-elk", "graph"):
            raise self._fail(
                "FLW323",
                f"second `{word}` header inside the diagram",
                start,
                "a diagram has exactly one header line; remove this one",
            )
        handler = self.handlers.get(word)
        if handler is not None and m is not None:
            handler(start, m.end(), end)
        elif not word.startswith("acc") or not _ACC.match(self.text, start, end):
            self._vertex_statement(start, end)

    def _scope(self) -> int | None:
        """Index of the innermost open subgraph (None at top level)."""
        return self.stack[-1] if self.stack else None

    def _subgraph(self, start: int, body: int, end: int) -> None:
        """`subgraph`, `subgraph id`, `subgraph "T"`, `subgraph id [T]`."""
        sub_id, title = self._subgraph_title(body, end)
        parent = self._scope()
        self.subs.append(_Sub(sub_id, title, parent, self.src.loc(start)))
        self.stack.append(len(self.subs) - 1)

    def _subgraph_title(self, pos: int, end: int) -> tuple[str | None, str]:
        """(id, title); id None for a bare `subgraph` (named at `end`)."""
        text = self.text
        pos = _skip(text, pos, end)
        name: str | None
        if pos >= end:
            return None, ""
        if text[pos] == '"':
            name, pos = self._string(pos, end)
        else:
            special = _SPECIAL.search(text, pos, end)
            stop = special.start() if special else end
            name = text[pos:stop].strip() or None
            if special and special.group() != "[":
                raise self._fail(
                    "FLW327",
                    f"`{special.group()}` is not allowed in a subgraph id",
                    stop,
                    'quote the title: subgraph "My title", or use id [Title]',
                )
            pos = stop
        pos = _skip(text, pos, end)
        if pos < end and text[pos] == "[":
            title, pos = self._label(pos + 1, end, ("]",), "[")
            self._expect_end(pos, end)
            return name, title[0]
        self._expect_end(pos, end)
        return name, name or ""

    def _expect_end(self, pos: int, end: int) -> None:
        """Nothing may follow a complete statement on its line."""
        pos = _skip(self.text, pos, end)
        if pos < end:
            raise self._fail(
                "FLW323",
                f"unexpected text `{self.text[pos:end][:40]}`",
                pos,
                "end the statement here, or start a new line",
            )

    def _end(self, start: int, body: int, end: int) -> None:
        """`end` closes the innermost subgraph; `end --> x` is a bad id."""
        rest = _skip(self.text, body, end)
        if rest < end:
            self._vertex_statement(start, end)
            return
        if not self.stack:
            raise self._fail(
                "FLW324",
                "`end` without an open subgraph",
                start,
                "remove this `end`, or add the `subgraph` it should close",
            )
        self._close(self.stack.pop())

    def _close(self, index: int) -> None:
        """Name an anonymous subgraph like Mermaid and claim its nodes."""
        sub = self.subs[index]
        if sub.id is None:
            sub.id = f"subGraph{self.closed}"
        self.closed += 1
        self.closed_ids.add(sub.id)
        for node_id in sub.mentions:
            self.claimed.setdefault(node_id, index)

    def _close_open_subgraphs(self) -> None:
        """At the end of the text every open subgraph is an error."""
        while self.stack:
            index = self.stack.pop()
            sub = self.subs[index]
            self.diags.append(
                error(
                    "FLW325",
                    f"subgraph `{sub.id or sub.title or '(untitled)'}` is never closed",
                    sub.loc,
                    "add `end` after the subgraph's last statement",
                )
            )
            self._close(index)

    def _direction(self, start: int, body: int, end: int) -> None:
        """`direction XY` inside a subgraph; TD is not accepted there."""
        value = self.text[body:end].strip()
        m = re.match(r"(TB|BT|RL|LR)(.*)", value, re.DOTALL)
        if m is None:
            hint = "use TB, BT, RL or LR"
            if value[:2] == "TD":
                hint = "`direction TD` is not accepted inside a flowchart; use TB"
            raise self._fail("FLW322", f"unknown direction `{value[:40]}`", start, hint)
        if m.group(2).strip():
            self._warn(
                "FLW331",
                f"Mermaid ignores `{m.group(2).strip()[:40]}` after the direction",
                start,
                "remove the trailing text",
            )
        self._apply_direction(m.group(1), start)

    def _apply_direction(self, value: str, start: int) -> None:
        """The last direction wins; outside a subgraph it is ignored."""
        scope = self._scope()
        if scope is None:
            self._warn(
                "FLW331",
                "Mermaid ignores `direction` outside a subgraph",
                start,
                "set the chart direction in the header, e.g. `flowchart LR`",
            )
            return
        sub = self.subs[scope]
        if sub.direction is not None and sub.direction != value:
            self._warn(
                "FLW331",
                f"`direction {value}` overrides the earlier `direction {sub.direction}`",
                start,
                "keep a single direction line per subgraph",
            )
        sub.direction = value

    # -- styling (accepted, checked, not kept) -------------------------------
    def _malformed(self, start: int, what: str, example: str) -> _Abort:
        """The common FLW338 failure with a worked example."""
        return self._fail(
            "FLW338", f"malformed `{what}` statement", start, f"write it as `{example}`"
        )

    def _class_def(self, start: int, body: int, end: int) -> None:
        """`classDef name styles` needs both parts."""
        if not re.fullmatch(r"\s+\S+\s+\S.*", self.text[body:end], re.DOTALL):
            raise self._malformed(start, "classDef", "classDef name fill:#f9f")

    def _class(self, start: int, body: int, end: int) -> None:
        """`class ids name`: ids are comma-separated without spaces."""
        m = re.fullmatch(r"\s+(\S+)\s+\S+", self.text[body:end])
        if m is None:
            raise self._malformed(start, "class", "class A,B name")
        for node_id in m.group(1).split(","):
            self._check_target(node_id, start, "class")

    def _click(self, start: int, body: int, end: int) -> None:
        """All `click` forms from flow.jison: callback, call, href, link."""
        m = re.fullmatch(r"\s+(\S+)\s+(.+)", self.text[body:end], re.DOTALL)
        if m is None or not _CLICK_REST.fullmatch(m.group(2)):
            raise self._malformed(start, "click", 'click A "https://example.com"')
        self._check_target(m.group(1), start, "click")

    def _check_target(self, name: str, start: int, what: str) -> None:
        """class/click act only on things that already exist."""
        known = name in self.nodes or name in self.edge_ids or name in self.closed_ids
        if not known:
            self._warn(
                "FLW331",
                f"`{what}` refers to `{name}`, which is not defined yet; "
                "Mermaid ignores it",
                start,
                "move this line after the node's definition (or fix the id)",
            )

    def _style(self, start: int, body: int, end: int) -> None:
        """Checked at the end: a style on an unknown id makes Mermaid draw a node."""
        m = re.fullmatch(r"\s+(\S+)\s+\S.*", self.text[body:end], re.DOTALL)
        if m is None:
            raise self._malformed(start, "style", "style A fill:#f9f")
        self.styled.append((m.group(1), start))

    def _link_style(self, start: int, body: int, end: int) -> None:
        """Mermaid throws for an index at or past the edges defined so far."""
        m = _LINKSTYLE.fullmatch(self.text[body:end].strip())
        if m is None or not (m.group(2) or "").strip():
            raise self._malformed(start, "linkStyle", "linkStyle 0,1 stroke:#f00")
        if m.group(1) == "default":
            return
        for index in (int(i) for i in m.group(1).split(",")):
            if index >= len(self.edges):
                raise self._fail(
                    "FLW338",
                    f"linkStyle index {index} is out of bounds: only "
                    f"{len(self.edges)} edges are defined before this line",
                    start,
                    "edges are numbered from 0 in order of definition",
                )

    # -- vertex statements ----------------------------------------------------
    def _vertex_statement(self, start: int, end: int) -> None:
        """`group (link group)*`, committed only when the whole line parses."""
        if self.text[start:end] == "---":
            raise self._fail(
                "FLW323",
                "`---` in the middle of the diagram",
                start,
                "front matter (`---` ... `---`) must come before the header",
            )
        trap = None
        if self.text.find("direction", start, end) != -1:
            trap = _DIRECTION_TRAP.search(self.text, start, end)
        if trap is not None:
            self._direction_trap(start, trap)
            return
        groups: list[list[_Ref]] = []
        links: list[_Link] = []
        self.link_ids = _LinkIds(self.text, start, end)
        group, pos = self._group(start, end)
        groups.append(group)
        while _skip(self.text, pos, end) < end:
            link, pos = self._link(pos, end)
            target = _skip(self.text, pos, end)
            if target >= end:
                raise self._fail(
                    "FLW328",
                    "edge has no target node",
                    target - 1,
                    "add the node the arrow points to, e.g. `A --> B`",
                )
            group, pos = self._group(target, end)
            groups.append(group)
            links.append(link)
        self._commit(groups, links, start)

    def _direction_trap(self, start: int, trap: re.Match[str]) -> None:
        """Mermaid's lexer turns any line containing `direction XY` into one."""
        self._warn(
            "FLW331",
            f"Mermaid reads this whole line as `direction {trap.group(1)}` "
            "and drops its nodes and edges",
            start,
            f"reword the text so it does not contain `direction {trap.group(1)}`",
        )
        if self.stack:
            self.subs[self.stack[-1]].direction = trap.group(1)

    def _group(self, pos: int, end: int) -> tuple[list[_Ref], int]:
        """`vertex ( & vertex )*` with mandatory spaces around `&`."""
        refs: list[_Ref] = []
        while True:
            ref, pos = self._vertex(pos, end)
            refs.append(ref)
            m = _AMP.match(self.text, pos, end)
            if m is None:
                return refs, pos
            if m.end() >= end:
                raise self._fail(
                    "FLW328", "`&` is not followed by a node", m.start(), "add a node"
                )
            if not m.group(1) or not m.group(2):
                raise self._fail(
                    "FLW323",
                    "`&` must have spaces on both sides",
                    m.start() + len(m.group(1)),
                    "write `A & B`",
                )
            pos = m.end()

    def _vertex(self, pos: int, end: int) -> tuple[_Ref, int]:
        """`id shape? (:::class)? @{...}?`."""
        text = self.text
        if self.link_ids.ats:
            self._no_link_id(pos)
        m = _ID.match(text, pos, end)
        if m is None:
            raise self._no_vertex(pos, end)
        ref = _Ref(m.group(), pos)
        self._check_id(ref)
        pos = m.end()
        if pos < end and text[pos] in "[({>":
            pos = self._shape(ref, pos, end)
            if pos < end and text[pos] in ")]}":
                raise self._fail(
                    "FLW326",
                    f"extra `{text[pos]}` after the node shape",
                    pos,
                    "remove it, or quote text that contains brackets",
                )
        if text.startswith(":::", pos, end):
            cls = _ID.match(text, pos + 3, end)
            if cls is None:
                raise self._fail(
                    "FLW323", "`:::` must be followed by a class name", pos, "A:::name"
                )
            pos = cls.end()
        if text.startswith("@{", pos):
            pos = self._shape_data(ref, pos, end)
        if pos < end and text[pos] in "[({":
            raise self._fail(
                "FLW323",
                "a shape must follow the node id directly",
                pos,
                "write the shape right after the id: `A[Label]`",
            )
        return ref, pos

    def _no_link_id(self, pos: int) -> None:
        """Mermaid's lexer reads `x@y` runs as edge ids where one may start."""
        if self.link_ids.match(pos) is not None:
            raise self._fail(
                "FLW327",
                "Mermaid reads the `@` in this text as an edge id and fails",
                pos,
                'quote label text that contains `@`: A["user@example.com"]',
            )

    def _no_vertex(self, pos: int, end: int) -> _Abort:
        """Explain why no node id starts at `pos`."""
        text = self.text
        if self._match_link(pos, end) is not None:
            return self._fail(
                "FLW328",
                "edge has no source node",
                pos,
                "put a node before the arrow, e.g. `A --> B`",
            )
        ch = text[pos]
        if ch in "[({" or ch == '"':
            return self._fail(
                "FLW323",
                f"unexpected `{ch}`: a node id must come before its shape",
                pos,
                "node ids cannot contain spaces: write `A[Label text]`",
            )
        return self._fail(
            "FLW323",
            f"unexpected `{text[pos:end][:40]}`",
            pos,
            "node ids use letters, digits and _-.; arrows are -->, ---, -.->, ==>",
        )

    def _check_id(self, ref: _Ref) -> None:
        """Keywords the lexer matches before node ids cannot be ids."""
        if ref.id[0] not in _KEYWORD_INITIALS:
            return
        if _END_ID.match(ref.id):
            raise self._fail(
                "FLW329",
                "lowercase `end` cannot be a node id: Mermaid reads it as the end "
                "of a subgraph",
                ref.offset,
                "capitalise it (`End`/`END`) or use another id with a quoted label: "
                'done["end"]',
            )
        m = _RESERVED_ID.match(ref.id)
        if m is not None:
            raise self._fail(
                "FLW335",
                f"`{m.group(1)}` is a Mermaid keyword and cannot start a node id",
                ref.offset,
                f'use another id and put the word in a label: n1["{m.group(1)}"]',
            )

    def _shape(self, ref: _Ref, pos: int, end: int) -> int:
        """The classic bracket shapes (and `[|field:value|text]`)."""
        props = (
            _PROPS.match(self.text, pos, end)
            if self.text[pos + 1 : pos + 2] == "|"
            else None
        )
        if props is not None:
            label, pos = self._label(props.end(), end, ("]",), "[")
            ref.label, ref.shape = label[0], "rect"
            return pos
        m = _OPENER.match(self.text, pos, end)
        if m is None:
            return pos
        closers, shapes = _SHAPE_CLOSERS[m.group()]
        label, pos = self._label(m.end(), end, closers, m.group())
        ref.label, ref.shape = label[0], shapes[label[1]]
        return pos

    def _shape_data(self, ref: _Ref, pos: int, end: int) -> int:
        """`@{ ... }`: shape and label override the bracket ones."""
        close = self.braces.find(pos + 2, end)
        if close == -1:
            raise self._fail(
                "FLW334",
                "`@{` is never closed by `}`",
                pos,
                'close the block: A@{ shape: rect, label: "Text" }',
            )
        data = parse_shape_data(self.text[pos + 2 : close])
        self._report_shape_data(data, pos)
        if data.shape is not None:
            ref.shape = data.shape
        if data.label is not None:
            ref.label = data.label
        return close + 1

    def _report_shape_data(self, data: ShapeData, pos: int) -> None:
        """Errors where Mermaid throws, warnings for ignored keys."""
        if data.error is not None:
            raise self._fail("FLW334", data.error, pos, data.hint)
        shape = data.shape
        if shape is not None and shape not in VALID_DATA_SHAPES:
            lower = shape.lower().replace("_", "-")
            hint = "see https://mermaid.js.org/syntax/flowchart.html for shape names"
            if shape.endswith(","):
                hint = "the multi-line `@{}` form takes one `key: value` per line, no commas"
            elif lower in VALID_DATA_SHAPES:
                hint = f"shape names are lower-case with dashes: `{lower}`"
            raise self._fail("FLW334", f"no such shape: `{shape[:40]}`", pos, hint)
        for key in data.unknown_keys:
            self._warn(
                "FLW331",
                f"Mermaid ignores the unknown `@{{}}` key `{key[:40]}`",
                pos,
                "known keys: shape, label, icon, img, form, pos, w, h, constraint",
            )

    # -- labels ---------------------------------------------------------------
    def _string(self, pos: int, end: int) -> tuple[str, int]:
        """A `"..."` or markdown "`...`" string starting at `pos`."""
        text = self.text
        close = text.find('"', pos + 1, end)
        if close == -1:
            raise self._fail(
                "FLW327", "quoted text is never closed", pos, 'close it with `"`'
            )
        if text.startswith('"`', pos):
            body = text[pos + 2 : close - 1]
            if close - 1 <= pos + 1 or text[close - 1] != "`" or "`" in body:
                body = ""
            if not body.strip("`"):
                raise self._fail(
                    "FLW327",
                    'markdown string must be written "`text`" (no inner backticks)',
                    pos,
                    'close it with `"',
                )
        else:
            body = text[pos + 1 : close]
            if not body:
                raise self._fail(
                    "FLW327", "empty quoted text", pos, "write some text between quotes"
                )
        return _unquote_text(body), close + 1

    def _label(
        self, pos: int, end: int, closers: tuple[str, ...], opener: str
    ) -> tuple[tuple[str, str], int]:
        """Text up to one of `closers`; returns ((text, closer), next pos)."""
        if pos < end and self.text[pos] == '"':
            text, after = self._string(pos, end)
            for closer in closers:
                if self.text.startswith(closer, after):
                    return (text, closer), after + len(closer)
            raise self._fail(
                "FLW327",
                "only the quoted text may appear inside the shape",
                after,
                f"remove the text after the closing quote, then close with "
                f"`{closers[0]}`",
            )
        return self._bare_label(pos, end, closers, opener)

    def _bare_label(
        self, pos: int, end: int, closers: tuple[str, ...], opener: str
    ) -> tuple[tuple[str, str], int]:
        """Unquoted text may not contain brackets, pipes or quotes."""
        text = self.text
        special = _SPECIAL.search(text, pos, end)
        stop = special.start() if special else end
        for closer in closers:
            begin = stop - _LEAD.get(closer, 0)
            if begin >= pos and text.startswith(closer, begin):
                if begin == pos:
                    raise self._fail(
                        "FLW327",
                        "empty label",
                        pos - 1,
                        "write text or drop the brackets",
                    )
                return (_unquote_text(text[pos:begin]), closer), begin + len(closer)
        raise self._label_failure(special, opener, closers, pos)

    def _label_failure(
        self,
        special: re.Match[str] | None,
        opener: str,
        closers: tuple[str, ...],
        pos: int,
    ) -> _Abort:
        """Tell a missing/mismatched closer from a stray special character."""
        want = " or ".join(f"`{c}`" for c in closers)
        if special is None:
            return self._fail(
                "FLW326",
                f"`{opener}` is never closed (expected {want})",
                pos - len(opener),
                f"close the shape with {want}, or quote text containing brackets",
            )
        ch = special.group()
        if ch in "])}":
            return self._fail(
                "FLW326",
                f"`{opener}` is closed by `{ch}` (expected {want})",
                special.start(),
                f"close the shape with {want}, or quote text containing brackets",
            )
        return self._fail(
            "FLW327",
            f"`{ch}` is not allowed in unquoted text",
            special.start(),
            'put the whole text in quotes: A["text with (brackets)"]',
        )

    # -- links ----------------------------------------------------------------
    def _link(self, pos: int, end: int) -> tuple[_Link, int]:
        """An arrow (with optional edge id and label) starting at `pos`."""
        text = self.text
        edge_id: str | None = None
        found = self._match_link(pos, end)
        if found is None:
            q = _skip(text, pos, end)
            lid = self.link_ids.match(q)
            if lid is not None:
                edge_id, pos = text[q : lid - 1], lid
                found = self._match_link(pos, end)
            if found is None:
                raise self._bad_link(q, end)
        m, family, opens = found
        if opens:
            return self._text_link(m, family, edge_id, end)
        token = _Token.of(m)
        stroke, kind, length, lost = _destruct_end(token.text)
        self._link_warnings(token.text, lost, length, token.at)
        pos = m.end()
        label: str | None = None
        if text.startswith("|", pos):
            self._no_link_id(pos)
            (label, _), pos = self._label(pos + 1, end, ("|",), "|")
        return self._make_link(stroke, kind, length, label, edge_id), pos

    def _match_link(self, pos: int, end: int) -> tuple[re.Match[str], str, bool] | None:
        """(match, family, opens-a-text-label); group 1 style via `lastgroup`."""
        m = _LINK.match(self.text, pos, end)
        if m is None or m.lastgroup is None:
            return None
        family, _, opens = m.lastgroup.partition("_")
        return m, family, bool(opens)

    def _bad_link(self, pos: int, end: int) -> _Abort:
        """Nothing usable where an arrow should be."""
        snippet = self.text[pos:end][:40]
        hint = "arrows are -->, ---, -.->, ==>, ~~~; node ids cannot contain spaces"
        if re.match(r"<?-+>?|<?=+>?", snippet):
            hint = "use a Mermaid arrow: --> (or ---, -.->, ==>, <-->)"
        return self._fail("FLW323", f"unexpected `{snippet}`", pos, hint)

    def _text_link(
        self, m: re.Match[str], family: str, edge_id: str | None, end: int
    ) -> tuple[_Link, int]:
        """`A -- text --> B` forms: text until the closing arrow."""
        text, start = self.text, m.end()
        opener = _Token.of(m)
        if start < end and text[start] == '"':
            label, after = self._string(start, end)
            close = self._match_link(after, end)
            if close is None or close[1] != family or close[2]:
                raise self._unterminated(opener.at, family)
            closing = _Token.of(close[0])
        else:
            found = _CLOSERS[family].search(text, start, end)
            if found is None:
                raise self._unterminated(opener.at, family)
            begin = found.start()
            while begin > start and text[begin - 1].isspace():
                begin -= 1
            label = self._check_edge_text(text[start:begin], family, start)
            matched = _CLOSING[family].match(text, begin, end)
            if matched is None:  # pragma: no cover - found.start() always matches
                raise self._unterminated(opener.at, family)
            closing = _Token(matched.group(1), matched.start(1), matched.end())
        return self._close_text_link(opener, closing, label, edge_id)

    def _check_edge_text(self, raw: str, family: str, start: int) -> str:
        """Edge text cannot hold quotes or the family's own `--`/`==`."""
        if not raw.strip():
            raise self._fail(
                "FLW333",
                "edge text is empty",
                start,
                "write the text between the arrow parts, or use `-->`",
            )
        bad = _TEXT_FORBIDDEN[family]
        if '"' in raw or (bad and bad in raw):
            what = '"' if '"' in raw else bad
            raise self._fail(
                "FLW327",
                f"`{what}` is not allowed inside edge text",
                start,
                'use the pipe form with quotes: A -->|"text"| B',
            )
        return raw.strip()

    def _close_text_link(
        self, opener: _Token, closing: _Token, label: str, edge_id: str | None
    ) -> tuple[_Link, int]:
        """Mermaid's destructLink(end, start) for labelled arrows."""
        stroke, kind, length, _ = _destruct_end(closing.text)
        start_kind = _start_kind(opener.text)
        if start_kind != "arrow_open":
            if start_kind != kind:
                self._warn(
                    "FLW332",
                    f"arrow ends `{opener.text}` and `{closing.text}` do not "
                    "match; Mermaid draws an invalid edge",
                    opener.at,
                    "use matching ends, e.g. `<-- text -->`",
                )
            else:
                kind = "double_" + kind
        self._link_warnings(closing.text, False, length, closing.at)
        link = self._make_link(stroke, kind, length, label, edge_id)
        return link, closing.end

    def _unterminated(self, offset: int, family: str) -> _Abort:
        """`A -- text` never reaches its closing arrow."""
        example = {"normal": "-- text -->", "thick": "== text ==>"}
        return self._fail(
            "FLW333",
            "edge text is not closed by an arrow",
            offset,
            f"write `A {example.get(family, '-. text .->')} B`, or `A --- B` "
            "for a plain line",
        )

    def _link_warnings(self, token: str, lost: bool, length: int, pos: int) -> None:
        """Arrow parts Mermaid silently drops or caps."""
        if lost:
            self._warn(
                "FLW332",
                f"Mermaid ignores the leading `{token[0]}` of `{token}` (only "
                "<-->, o--o and x--x have two heads)",
                pos,
                "remove the leading marker, or give both ends the same marker",
            )
        if length > 10:
            self._warn(
                "FLW332",
                f"arrow length {length} is capped at 10 by Mermaid",
                pos,
                "use at most 10 extra dashes/dots/equals",
            )

    @staticmethod
    def _make_link(
        stroke: str, kind: str, length: int, label: str | None, edge_id: str | None
    ) -> _Link:
        """Mermaid's edge type/stroke mapped to the AST vocabulary."""
        double = kind.startswith("double_")
        head = _HEAD_NAMES[kind.removeprefix("double_")]
        return _Link(
            style=_STROKES[stroke],
            head=head,
            tail=head if double else "open",
            length=length,
            label=label or None,
            edge_id=edge_id,
        )

    # -- committing ------------------------------------------------------------
    def _commit(self, groups: list[list[_Ref]], links: list[_Link], start: int) -> None:
        """Create nodes and the cartesian-product edges of a parsed statement."""
        count = sum(len(a) * len(b) for a, b in pairwise(groups))
        if count > MAX_EDGES:
            raise self._fail(
                "FLW323",
                f"this statement expands to {count} edges; Mermaid refuses more "
                f"than {MAX_EDGES} edges by default",
                start,
                "split the `&` groups into several smaller statements",
            )
        loc = self.src.loc(start)
        scope = self._scope()
        for group in groups:
            for ref in group:
                self._touch(ref, scope)
        for i, link in enumerate(links):
            sources, targets = groups[i], groups[i + 1]
            for a in sources:
                for b in targets:
                    keep = a.id == sources[-1].id and b.id == targets[0].id
                    edge_link = link if keep else _drop_id(link)
                    self.edges.append(_Edge(a.id, b.id, edge_link, loc, scope))
            if link.edge_id:
                self.edge_ids.add(link.edge_id)

    def _touch(self, ref: _Ref, scope: int | None) -> None:
        """Create or update a node from one mention (first label wins)."""
        if ref.id in self.edge_ids:
            return
        if scope is not None:
            self.subs[scope].mentions.append(ref.id)
        node = self.nodes.get(ref.id)
        if node is None:
            self.nodes[ref.id] = _Node(
                ref.id,
                self.src.loc(ref.offset),
                scope,
                ref.label,
                ref.shape,
                ref.label,
                ref.shape,
            )
            return
        self._redefine(node, ref)

    def _redefine(self, node: _Node, ref: _Ref) -> None:
        """Keep the first label/shape but warn: Mermaid shows the last one."""
        changed = []
        if ref.label is not None:
            if node.last_label is not None and ref.label != node.last_label:
                changed.append(
                    f"label `{ref.label[:40]}` (was `{node.last_label[:40]}`)"
                )
            node.label = node.label if node.label is not None else ref.label
            node.last_label = ref.label
        if ref.shape is not None:
            if node.last_shape is not None and ref.shape != node.last_shape:
                changed.append(f"shape `{ref.shape}` (was `{node.last_shape}`)")
            node.shape = node.shape or ref.shape
            node.last_shape = ref.shape
        if changed:
            self._warn(
                "FLW330",
                f"node `{node.id}` is redefined with "
                + " and ".join(changed)
                + "; Mermaid keeps the last definition",
                ref.offset,
                "define each node's label and shape once",
            )


def _drop_id(link: _Link) -> _Link:
    """The same link without its user edge id (Mermaid gives it to one edge)."""
    return _Link(link.style, link.head, link.tail, link.length, link.label, None)


class _Builder:
    """Turn the parser's records into the frozen AST plus final checks."""

    def __init__(self, parser: _Parser) -> None:
        self.p = parser

    def build(self) -> Flowchart:
        """The frozen Flowchart; subgraph ids used as nodes become endpoints only."""
        p = self.p
        sub_ids = [s.id or "" for s in p.subs]
        known_subs = set(sub_ids)
        self._check_subgraph_ids(sub_ids)
        self._check_styles(known_subs)
        nodes: list[FlowNode] = []
        for node in p.nodes.values():
            if node.id in known_subs:
                self._clash(node)
                continue
            self._placement(node, sub_ids)
            scope = None if node.scope is None else sub_ids[node.scope]
            nodes.append(
                FlowNode(node.id, node.label, node.shape or "rect", node.loc, scope)
            )
        loc = p.header_loc or p.src.loc(0)
        return Flowchart(
            direction=p.direction,
            nodes=tuple(nodes),
            edges=tuple(self._edge(e, sub_ids) for e in p.edges),
            subgraphs=tuple(self._subgraph(s, sub_ids) for s in p.subs),
            loc=loc,
        )

    @staticmethod
    def _edge(edge: _Edge, sub_ids: list[str]) -> FlowEdge:
        """One FlowEdge from its record."""
        link = edge.link
        return FlowEdge(
            source=edge.source,
            target=edge.target,
            line_style=link.style,
            head=link.head,
            tail=link.tail,
            label=link.label,
            length=link.length,
            loc=edge.loc,
            subgraph=None if edge.scope is None else sub_ids[edge.scope],
            edge_id=link.edge_id,
        )

    @staticmethod
    def _subgraph(sub: _Sub, sub_ids: list[str]) -> Subgraph:
        """One Subgraph from its record."""
        parent = None if sub.parent is None else sub_ids[sub.parent]
        return Subgraph(sub.id or "", sub.title, parent, sub.direction, sub.loc)

    def _check_subgraph_ids(self, sub_ids: list[str]) -> None:
        """Mermaid merges subgraphs that share an id."""
        seen: set[str] = set()
        for sub, sub_id in zip(self.p.subs, sub_ids, strict=True):
            if sub_id in seen:
                self.p.diags.append(
                    warning(
                        "FLW337",
                        f"subgraph id `{sub_id}` is used twice; Mermaid mixes the two",
                        sub.loc,
                        "give every subgraph its own id",
                    )
                )
            seen.add(sub_id)

    def _check_styles(self, known_subs: set[str]) -> None:
        """A `style` for an id that never appears draws an empty node."""
        for name, start in self.p.styled:
            if name not in self.p.nodes and name not in known_subs:
                self.p._warn(
                    "FLW331",
                    f"`style` refers to `{name}`, which is never defined; Mermaid "
                    "draws an extra empty node for it",
                    start,
                    "fix the id, or remove the style line",
                )

    def _clash(self, node: _Node) -> None:
        """A labelled node whose id is a subgraph id loses its label."""
        if node.label is None and node.shape is None:
            return
        self.p.diags.append(
            warning(
                "FLW337",
                f"`{node.id}` is a subgraph id; Mermaid drops this node's label/shape",
                node.loc,
                "use a different id for the node",
            )
        )

    def _placement(self, node: _Node, sub_ids: list[str]) -> None:
        """Note when Mermaid's subgraph membership differs from first use."""
        claimed = self.p.claimed.get(node.id)
        if claimed == node.scope:
            return
        where = "at the top level" if claimed is None else f"in `{sub_ids[claimed]}`"
        first = "the top level" if node.scope is None else f"`{sub_ids[node.scope]}`"
        self.p.diags.append(
            note(
                "FLW339",
                f"node `{node.id}` first appears in {first}, but Mermaid draws "
                f"it {where}",
                node.loc,
                "define the node inside the subgraph it belongs to before using "
                "it elsewhere",
            )
        )


def parse_flowchart(
    text: str, file: str, first_line: int = 1, column_offset: int = 0
) -> tuple[Flowchart, list[Diagnostic]]:
    """Parse the body of a ```mermaid fence holding a flowchart."""
    diags: list[Diagnostic] = []
    src = _Source(text, file, first_line, column_offset)
    masked = _Preprocessor(src, diags).run()
    braces = _BraceFinder(masked)
    spans = _Splitter(masked, src, diags, braces).run()
    parser = _Parser(src, masked, diags, braces)
    parser.run(spans)
    chart = _Builder(parser).build()
    diags.sort(key=Diagnostic.sort_key)
    return chart, diags
