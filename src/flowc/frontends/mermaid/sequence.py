"""Mermaid ``sequenceDiagram`` parser: syntax only, judged the way Mermaid judges it.

Mermaid's grammar is a jison lexer whose rules depend on a state (INITIAL,
ID after ``participant``, LINE after ``loop``...) and on rule order (keywords
win over participant names, ``#`` and ``;`` end most text).  This module
replays those rules one statement at a time, so what it accepts, splits and
truncates is what Mermaid accepts, splits and truncates; where Mermaid would
throw it reports an error, where it would silently drop text a warning.
Blocks are tracked on an explicit stack: nesting depth is never a limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from flowc.diagnostics import Diagnostic, Location, Severity, error, note, warning
from flowc.frontends.mermaid.sequence_ast import (
    Block,
    Item,
    Message,
    Note,
    Participant,
    Section,
    SequenceDiagram,
    format_sequence,
    strip_locations,
    walk,
)
from flowc.frontends.mermaid.sequence_rules import RULES, SEVERITIES

__all__ = [
    "RULES",
    "SEVERITIES",
    "Block",
    "Item",
    "Message",
    "Note",
    "Participant",
    "Section",
    "SequenceDiagram",
    "format_sequence",
    "parse_sequence",
    "strip_locations",
    "walk",
]

# --- lexer: Mermaid's INITIAL-state rules, in Mermaid's order --------------

_B = r"(?![A-Za-z0-9_])"  # JavaScript's ASCII-only \b after a keyword
_MENU = r"(?=[ \t]+[^\s\-<>:+,;])"  # link/links/... only start a statement
_KEYWORDS = (
    ("box", "box" + _B),
    ("participant", "participant" + _B),
    ("actor", "actor" + _B),
    ("create", "create" + _B),
    ("destroy", "destroy" + _B),
    ("loop", "loop" + _B),
    ("rect", "rect" + _B),
    ("opt", "opt" + _B),
    ("alt", "alt" + _B),
    ("else", "else" + _B),
    ("par", "par" + _B),
    ("par_over", "par_over" + _B),
    ("and", "and" + _B),
    ("critical", "critical" + _B),
    ("option", "option" + _B),
    ("break", "break" + _B),
    ("end", "end" + _B),
    ("left_of", "left of" + _B),
    ("right_of", "right of" + _B),
    ("links", "links" + _B + _MENU),
    ("link", "link" + _B + _MENU),
    ("properties", "properties" + _B + _MENU),
    ("details", "details" + _B + _MENU),
    ("over", "over" + _B),
    ("note", "note" + _B),
    ("activate", "activate" + _B),
    ("deactivate", "deactivate" + _B),
    ("title", r"title\s[^#;]+"),
    ("legacy_title", r"title:\s[^#;]+"),
    ("acc_title", r"accTitle\s*:\s*"),
    ("acc_descr", r"accDescr\s*:\s*"),
    ("acc_descr_multi", r"accDescr\s*\{\s*"),
    ("sd", "sequenceDiagram" + _B),
    ("autonumber", "autonumber" + _B),
    ("off", "off" + _B),
)
_KEYWORD = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in _KEYWORDS), re.IGNORECASE
)
_NUM = re.compile(r"(?:[0-9]+(?:\.[0-9]{1,2})?|\.[0-9]{1,2})(?= |\Z)")
_ACTOR_STOP = (
    r"-x|--x|-\)|--\)|-\|\\|-\\|-/|-//|-\|/|/\|-|\\\|-|//-|\\\\-|--\|\\|--|\(\)"
)
_ACTOR = re.compile(
    rf"[^/\\+()<>\-:,;]+(?:(?!{_ACTOR_STOP})-*[^+<>\-:,;]+)*", re.IGNORECASE
)
_ARROWS = (
    "->>", "<<->>", "-->>", "<<-->>", "->", "-->", "-x", "--x", "-)", "--)",
    "--|\\", "--|/", "--\\\\", "--//", "/|--", "\\|--", "//--", "\\\\--",
    "-|\\", "-|/", "-\\\\", "-//", "/|-", "\\|-", "//-", "\\\\-",
)  # fmt: skip
_ARROW = re.compile("|".join(map(re.escape, _ARROWS)), re.IGNORECASE)  # in order
_TEXT = re.compile(r"[^#;]*")
_WS = re.compile(r"\s*")
_LINE_WS = re.compile(r"[^\S\n]*")
_ENTITY = re.compile(r"#[A-Za-z0-9_]+;")
_MASK = "\ue000"  # stands in for an entity code, as Mermaid's placeholder does

# ID state (after participant/actor/destroy/activate/deactivate)
_ID_CONFIG = re.compile(r"[^<=>\-:,;@\s]+(?=@\{)")
_ID_WORD = re.compile(r"[^<>:,;@\s]+")
_ID_RUN = re.compile(r"[^<>:,;@]*")
_AS_FOLLOWS = re.compile(r"\s+as(?=\s|\Z)", re.IGNORECASE)

_BLOCKS = ("loop", "rect", "opt", "alt", "par", "par_over", "critical", "break")
_SECTION_OWNERS = {
    "else": ("alt",),
    "and": ("par", "par_over"),
    "option": ("critical",),
}
_PLACEMENTS = {"left_of": "left of", "right_of": "right of", "over": "over"}
_KNOWN_TYPES = frozenset(
    (
        *("participant", "actor", "boundary", "control"),
        *("entity", "database", "collections", "queue"),
    )
)
_BOX_COLOR = re.compile(r"^((?:rgba?|hsla?)\s*\(.*\)|\w*)(.*)$", re.ASCII)
_CSS_FUNCTION = re.compile(r"(?:rgba?|hsla?)\([^()]*\)", re.ASCII)
# fmt: off
_CSS_COLORS = frozenset((
     "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque",
     "black", "blanchedalmond", "blue", "blueviolet", "brown", "burlywood",
     "cadetblue", "chartreuse", "chocolate", "coral", "cornflowerblue", "cornsilk",
     "crimson", "cyan", "darkblue", "darkcyan", "darkgoldenrod", "darkgray",
     "darkgreen", "darkgrey", "darkkhaki", "darkmagenta", "darkolivegreen",
     "darkorange", "darkorchid", "darkred", "darksalmon", "darkseagreen",
     "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise",
     "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey", "dodgerblue",
     "firebrick", "floralwhite", "forestgreen", "fuchsia", "gainsboro", "ghostwhite",
     "gold", "goldenrod", "gray", "green", "greenyellow", "grey", "honeydew",
     "hotpink", "indianred", "indigo", "ivory", "khaki", "lavender", "lavenderblush",
     "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan",
     "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey", "lightpink",
     "lightsalmon", "lightseagreen", "lightskyblue", "lightslategray",
     "lightslategrey", "lightsteelblue", "lightyellow", "lime", "limegreen", "linen",
     "magenta", "maroon", "mediumaquamarine", "mediumblue", "mediumorchid",
     "mediumpurple", "mediumseagreen", "mediumslateblue", "mediumspringgreen",
     "mediumturquoise", "mediumvioletred", "midnightblue", "mintcream", "mistyrose",
     "moccasin", "navajowhite", "navy", "oldlace", "olive", "olivedrab", "orange",
     "orangered", "orchid", "palegoldenrod", "palegreen", "paleturquoise",
     "palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum",
     "powderblue", "purple", "rebeccapurple", "red", "rosybrown", "royalblue",
     "saddlebrown", "salmon", "sandybrown", "seagreen", "seashell", "sienna",
     "silver", "skyblue", "slateblue", "slategray", "slategrey", "snow",
     "springgreen", "steelblue", "tan", "teal", "thistle", "tomato", "turquoise",
     "violet", "wheat", "white", "whitesmoke", "yellow", "yellowgreen",
     "transparent", "currentcolor", "inherit", "initial", "unset", "revert",
))
# fmt: on


@dataclass(frozen=True, slots=True)
class _Tok:
    """One lexer token; offsets index the (entity-masked) line."""

    kind: str
    start: int
    end: int
    value: str = ""


def _end(pattern: re.Pattern[str], s: str, i: int) -> int:
    """Where ``pattern`` stops matching at ``i`` (``i`` itself if it does not)."""
    m = pattern.match(s, i)
    return m.end() if m else i


def _lex(s: str, i: int) -> _Tok:
    """The next INITIAL-state token at ``i``: first matching rule wins."""
    i = _end(_WS, s, i)
    n = len(s)
    if i >= n:
        return _Tok("EOL", n, n)
    c = s[i]
    comment = c == "#" or (c == "%" and not s.startswith("{", i + 1))
    if comment or (c != "}" and s.startswith("%%", i + 1)):
        return _Tok("EOL", i, n, "comment")
    if (c.isdigit() or c == ".") and (m := _NUM.match(s, i)):
        return _Tok("NUM", i, m.end(), m.group())
    if c.isalpha() and (m := _KEYWORD.match(s, i)):
        return _Tok("KW", i, m.end(), m.lastgroup or "")
    if c in ",;":
        return _Tok("COMMA" if c == "," else "SEMI", i, i + 1)
    if m := _ACTOR.match(s, i):
        return _Tok("ACTOR", i, m.end())
    if m := _ARROW.match(s, i):
        return _Tok("ARROW", i, m.end())
    if c == ":":
        return _Tok("TXT", i, _end(_TEXT, s, i + 1))
    if s.startswith("()", i):
        return _Tok("CENTRAL", i, i + 2)
    kind = {"+": "PLUS", "-": "MINUS"}.get(c, "BAD")
    return _Tok(kind, i, i + 1)


def _lex_id(s: str, i: int) -> _Tok:
    """The participant id after participant/actor/destroy/activate (ID state)."""
    i = _end(_LINE_WS, s, i)
    n = len(s)
    if i >= n or s[i] == "#":
        return _Tok("EOL", i, n)
    if s.startswith("@{", i):
        return _Tok("BAD", i, i + 2)
    if m := _ID_CONFIG.match(s, i):
        return _Tok("ID_CONFIG", i, m.end())
    if (m := _ID_WORD.match(s, i)) and _AS_FOLLOWS.match(s, m.end()):
        return _Tok("ID_ALIAS", i, m.end())
    j = _end(_ID_RUN, s, i)
    if j > i and (j == n or s[j] == ";"):
        return _Tok("ID", i, j)
    hash_at = s.rfind("#", i + 1, j)
    if hash_at > i:
        return _Tok("ID", i, hash_at)
    return _Tok("BAD", i, n)


def _number(text: str) -> int | float:
    """Mermaid's NUM token: an integer, or a decimal with up to two places."""
    return float(text) if "." in text else int(text)


def _box_data(text: str) -> tuple[str, str]:
    """Mermaid's parseBoxData: a leading CSS colour, else transparent."""
    m = _BOX_COLOR.match(text)
    color = m.group(1).strip() if m and m.group(1) else "transparent"
    label = m.group(2).strip() if m else ""
    valid = color.lower() in _CSS_COLORS or _CSS_FUNCTION.fullmatch(color)
    if not valid:
        return "transparent", text.strip()
    return color, label


_METADATA_LIMIT = 4096
_FRONT_MATTER_LIMIT = 65536
_NESTING_LIMIT = 32
_TITLE_LINE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


def _nesting(text: str) -> int:
    """Deepest ``[``/``{`` nesting, to keep absurd input away from PyYAML."""
    depth = deepest = 0
    for c in re.sub(r"[^\[\]{}]", "", text):
        depth = depth + 1 if c in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _yaml(text: str, limit: int) -> tuple[Any, str | None]:
    """Parse metadata or front matter; never raises, returns the error instead.

    PyYAML is slow and recursive, so oversized or deeply nested text is refused
    up front: Mermaid only ever reads a title, a type and an alias from it.
    """
    if len(text) > limit:
        return None, f"longer than {limit} characters"
    if _nesting(text) > _NESTING_LIMIT:
        return None, f"nested more than {_NESTING_LIMIT} levels deep"
    try:
        return yaml.safe_load(text), None
    except Exception as exc:  # any YAML failure, including absurd nesting
        return None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- parser state ------------------------------------------------------------


@dataclass(slots=True)
class _Box:
    """A ``box`` group: every participant declared inside shares it."""

    label: str
    color: str


@dataclass(slots=True)
class _Lifeline:
    """A participant while parsing; frozen into ``Participant`` at the end."""

    id: str
    label: str | None
    kind: str
    loc: Location
    explicit: bool
    created: bool = False
    destroyed: bool = False
    box: _Box | None = None


@dataclass(slots=True)
class _Open:
    """An open block (or box, or the root) with its sections so far."""

    kind: str
    loc: Location
    sections: list[tuple[str, str, Location, list[Item]]] = field(default_factory=list)
    box: _Box | None = None
    reported: bool = False


class _Parser:
    """One parse: a cursor (line, column) walking statements left to right."""

    def __init__(self, text: str, file: str, first_line: int, column_offset: int):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.masked = [
            _ENTITY.sub(lambda m: _MASK * len(m.group()), line) for line in self.lines
        ]
        self.skip = [False] * len(self.lines)
        self.file, self.first_line, self.column_offset = file, first_line, column_offset
        self.diagnostics: list[Diagnostic] = []
        self.li = 0
        self.pos = 0
        self.header = self.loc(0, 0)
        self.stack = [_Open("root", self.header, [("", "", self.header, [])])]
        self.lifelines: dict[str, _Lifeline] = {}
        self.title: str | None = None
        self.acc_title: str | None = None
        self.acc_descr: str | None = None
        self.autonumber = False
        self.numbering: tuple[int | float | None, int | float | None] = (None, None)
        self.numbering_on = False
        self.active: dict[str, int] = {}
        self.pending_create: tuple[str, Location] | None = None
        self.pending_destroy: tuple[str, Location] | None = None
        self.mentioned: list[tuple[str, Location, str]] = []
        self.next_tables: dict[tuple[str, bool], list[int | None]] = {}
        self.handlers: dict[str, Callable[[_Tok], None]] = {
            "box": self.box,
            "participant": self.participant,
            "actor": self.participant,
            "create": self.create,
            "destroy": self.destroy,
            "else": self.section,
            "and": self.section,
            "option": self.section,
            "end": self.end,
            "note": self.note,
            "links": self.menu,
            "link": self.menu,
            "properties": self.menu,
            "details": self.menu,
            "activate": self.activation,
            "deactivate": self.activation,
            "title": self.title_line,
            "legacy_title": self.title_line,
            "acc_title": self.acc_line,
            "acc_descr": self.acc_line,
            "acc_descr_multi": self.acc_block,
            "autonumber": self.numbering_line,
        }

    # -- helpers ---------------------------------------------------------

    def loc(self, col: int, li: int | None = None) -> Location:
        line = self.li if li is None else li
        return Location(
            file=self.file,
            line=self.first_line + line,
            column=col + 1 + self.column_offset,
        )

    def report(
        self, severity: Severity, code: str, message: str, col: int, hint: str
    ) -> None:
        make = {Severity.ERROR: error, Severity.WARNING: warning}.get(severity, note)
        self.diagnostics.append(make(code, message, self.loc(col), hint))

    def fail(self, code: str, message: str, col: int, hint: str) -> None:
        """Report an error and give up on the rest of the line, as Mermaid would."""
        self.report(Severity.ERROR, code, message, col, hint)
        self.pos = len(self.masked[self.li])

    def raw(self, start: int, end: int) -> str:
        return self.lines[self.li][start:end].strip()

    def snippet(self, tok: _Tok) -> str:
        text = self.lines[self.li][tok.start : tok.end].strip() or "end of line"
        return text if len(text) <= 40 else text[:37] + "..."

    def items(self) -> list[Item]:
        """Where the next item goes: boxes hold declarations, never items."""
        frame = next(f for f in reversed(self.stack) if f.kind != "box")
        return frame.sections[-1][3]

    def finish(self, pos: int) -> bool:
        """Expect the end of a statement: ``;``, a comment or the end of the line."""
        tok = _lex(self.masked[self.li], pos)
        if tok.kind == "EOL":
            self.pos = len(self.masked[self.li])
            return True
        if tok.kind == "SEMI":
            self.pos = tok.end
            return True
        return False

    def check_cut(self, end: int, text: str) -> None:
        """Warn when ``#`` ends text early, or ``%%`` is about to be shown."""
        s = self.masked[self.li]
        if end < len(s) and s[end] == "#" and self.lines[self.li][end + 1 :].strip():
            self.report(
                Severity.WARNING,
                "FLW314",
                "`#` starts a comment here: Mermaid drops the rest of the line",
                end,
                "write #35; for a literal #, or move the comment to its own %% line",
            )
        if "%%" in text:
            self.report(
                Severity.WARNING,
                "FLW314",
                "`%%` inside text is not a comment: Mermaid shows it",
                end - len(text),
                "put the comment on its own line starting with %%",
            )

    def rest_of_line(self, pos: int) -> tuple[str, int]:
        """LINE state: the label after loop/alt/box/as..., up to ``#`` or ``;``."""
        s = self.masked[self.li]
        start = _end(_LINE_WS, s, pos)
        end = start if s.startswith("#", start) else _end(_TEXT, s, start)
        label = self.raw(start, end)
        self.check_cut(end, label)
        return label, end

    # -- driver ----------------------------------------------------------

    def run(self) -> SequenceDiagram:
        """Statements left to right, line by line, until the text ends."""
        if self.preprocess():
            while self.li < len(self.lines):
                s = self.masked[self.li]
                if self.pos == 0 and self.skip[self.li]:
                    self.next_line()
                    continue
                tok = _lex(s, self.pos)
                if tok.kind == "EOL":
                    self.next_line()
                elif tok.kind == "SEMI":
                    self.pos = tok.end
                else:
                    self.statement(tok)
        return self.build()

    def next_line(self) -> None:
        self.li += 1
        self.pos = 0

    def preprocess(self) -> bool:
        """Front matter, directives and comment lines, then the header line."""
        first = next((i for i, t in enumerate(self.lines) if t.strip()), None)
        is_front_matter = first is not None and self.lines[first].rstrip() == "---"
        if first is not None and is_front_matter and not self.front_matter(first):
            return False
        self.mark_comments()
        return self.find_header()

    def front_matter(self, first: int) -> bool:
        """A leading ``---`` block: only its ``title`` matters to a sequence diagram."""
        close = next(
            (
                i
                for i in range(first + 1, len(self.lines))
                if self.lines[i].rstrip() == "---"
            ),
            None,
        )
        if close is None:
            self.li = first
            self.report(
                Severity.ERROR,
                "FLW301",
                "front matter opened with `---` is never closed",
                0,
                "end the front matter with a `---` line before `sequenceDiagram`",
            )
            return False
        text = "\n".join(self.lines[first + 1 : close])
        if len(text) > _FRONT_MATTER_LIMIT:
            found = _TITLE_LINE.search(text)
            data, problem = {"title": found.group(1) if found else None}, None
        else:
            data, problem = _yaml(text, _FRONT_MATTER_LIMIT)
        if problem is not None:
            self.li = first
            self.report(
                Severity.ERROR,
                "FLW301",
                f"front matter is not valid YAML: {problem}",
                0,
                "fix the YAML between the `---` lines",
            )
        elif isinstance(data, dict) and data.get("title"):
            title = data["title"]
            self.title = str(title).lower() if isinstance(title, bool) else str(title)
        for i in range(first, close + 1):
            self.skip[i] = True
        return True

    def mark_comments(self) -> None:
        """Lines Mermaid removes before parsing: ``%%`` comments and directives."""
        i = 0
        while i < len(self.lines):
            text = self.lines[i].lstrip()
            if self.skip[i] or not text.startswith("%%"):
                i += 1
                continue
            closer = {"%%{": "}%%", "%%*": "*%%"}.get(text[:3])
            end = i
            if closer is not None:
                found = self.find_closer(i, closer)
                if found is None and closer == "}%%":
                    self.li = i
                    self.report(
                        Severity.WARNING,
                        "FLW317",
                        "directive `%%{` is never closed with `}%%`",
                        len(self.lines[i]) - len(text),
                        "close the directive on the same line: %%{init: {...}}%%",
                    )
                end = i if found is None else found
            for j in range(i, end + 1):
                self.skip[j] = True
            i = end + 1

    def find_closer(self, start: int, closer: str) -> int | None:
        """The line that ends a ``%%{`` directive or ``%%*`` block comment."""
        opener_at = self.lines[start].find("%%") + 3
        if closer in self.lines[start][opener_at:]:
            return start
        return self.next_with(closer, start + 1, honour_skip=False)

    def next_with(self, needle: str, start: int, honour_skip: bool) -> int | None:
        """First line at or after ``start`` containing ``needle``.

        Built once per needle, so unclosed openers on every line stay linear.
        """
        table = self.next_tables.get((needle, honour_skip))
        if table is None:
            table = [None] * (len(self.lines) + 1)
            for i in range(len(self.lines) - 1, -1, -1):
                hit = needle in self.lines[i] and not (honour_skip and self.skip[i])
                table[i] = i if hit else table[i + 1]
            self.next_tables[(needle, honour_skip)] = table
        return table[min(start, len(self.lines))]

    def find_header(self) -> bool:
        """Find ``sequenceDiagram`` (case-sensitive, as Mermaid detects it)."""
        first = next(
            (i for i, t in enumerate(self.lines) if not self.skip[i] and t.strip()),
            None,
        )
        if first is None:
            self.report(
                Severity.ERROR,
                "FLW301",
                "the diagram is empty: no `sequenceDiagram` header",
                0,
                "start the diagram with a `sequenceDiagram` line",
            )
            return False
        self.li = first
        s = self.masked[first]
        col = len(s) - len(s.lstrip())
        word = re.match(r"[A-Za-z0-9_-]*", s[col:])
        end = col + (len(word.group()) if word else 0)
        self.header = self.loc(col)
        self.stack[0].loc = self.header
        if s[col:end] == "sequenceDiagram":
            self.pos = end
            return True
        bare = s[end:].strip() == "" and end > col
        if s[col:end].lower().startswith("sequencediagram") or bare:
            self.report(
                Severity.ERROR,
                "FLW301",
                f"`{s[col:end]}` is not the header `sequenceDiagram`",
                col,
                "Mermaid detects the diagram type case-sensitively: "
                "write exactly `sequenceDiagram`",
            )
            self.pos = end
            return True
        self.report(
            Severity.ERROR,
            "FLW301",
            "missing `sequenceDiagram` header",
            col,
            "start the diagram with a `sequenceDiagram` line",
        )
        return True

    # -- statements -----------------------------------------------------

    def statement(self, tok: _Tok) -> None:
        """Dispatch on the first token, as Mermaid's grammar does."""
        top = self.stack[-1]
        allowed_in_box = ("participant", "actor", "destroy", "end", "box")
        in_box = top.kind == "box" and not top.reported
        if in_box and not (tok.kind == "KW" and tok.value in allowed_in_box):
            top.reported = True
            self.report(
                Severity.ERROR,
                "FLW315",
                "a box may only contain participant, actor and destroy lines",
                tok.start,
                "close the box with `end` before this line",
            )
        if tok.kind == "KW":
            self.keyword(tok)
        elif tok.kind == "ACTOR":
            self.message(tok)
        elif tok.kind == "ARROW":
            self.fail(
                "FLW306",
                "message has no source participant",
                tok.start,
                "write the sender before the arrow: `A->>B: text`",
            )
        elif tok.kind == "NUM" and _lex(self.masked[self.li], tok.end).kind == "ARROW":
            self.fail(
                "FLW306",
                f"Mermaid reads `{tok.value}` followed by a space as a number, "
                "not a participant",
                tok.start,
                "remove the space before the arrow, or use an id that starts "
                "with a letter",
            )
        else:
            self.unknown(tok)

    def unknown(self, tok: _Tok) -> None:
        """The catch-all error: Mermaid has no rule for this statement."""
        self.fail(
            "FLW302",
            f"`{self.snippet(tok)}` is not a sequence-diagram statement",
            tok.start,
            "statements are messages (`A->>B: text`), notes, participant "
            "declarations or blocks; `;` also ends a statement (use #59;)",
        )

    def keyword(self, tok: _Tok) -> None:
        """Route a statement that starts with a keyword to its handler."""
        handlers = self.handlers
        if tok.value == "sd":
            self.fail(
                "FLW302",
                "`sequenceDiagram` appears again inside the diagram",
                tok.start,
                "keep a single header line; start a new ```mermaid fence for a "
                "second diagram",
            )
        elif tok.value in _BLOCKS:
            self.open_block(tok)
        elif tok.value in handlers:
            handlers[tok.value](tok)
        else:
            self.unknown(tok)

    def keyword_collision(self, tok: _Tok) -> None:
        """``Loop->>B`` opens a loop in Mermaid: say so instead of staying silent."""
        s = self.masked[self.li]
        if tok.end < len(s) and s[tok.end] in "-<>/\\(":
            word = self.lines[self.li][tok.start : tok.end]
            self.report(
                Severity.WARNING,
                "FLW316",
                f"`{word}` is the keyword `{tok.value}` here, not a participant",
                tok.start,
                f"rename the participant (e.g. `participant {word}1 as {word}`)",
            )

    # messages ------------------------------------------------------------

    def message(self, first: _Tok) -> None:
        """``A->>B: text`` with optional ``+``/``-`` and ``()`` markers."""
        s = self.masked[self.li]
        tok = _lex(s, first.end)
        central_source = tok.kind == "CENTRAL"
        if central_source:
            tok = _lex(s, tok.end)
        if tok.kind != "ARROW":
            self.not_a_message(first, tok)
            return
        arrow = self.lines[self.li][tok.start : tok.end]
        arrow_col = tok.start
        tok = _lex(s, tok.end)
        activation: str | None = None
        central_target = False
        if tok.kind in ("PLUS", "MINUS") and not central_source:
            activation = "+" if tok.kind == "PLUS" else "-"
            tok = _lex(s, tok.end)
        elif tok.kind == "CENTRAL":
            central_target = True
            tok = _lex(s, tok.end)
        if tok.kind != "ACTOR":
            self.bad_target(tok, arrow_col)
            return
        target = self.raw(tok.start, tok.end)
        tok = _lex(s, tok.end)
        if tok.kind != "TXT":
            self.missing_text(tok, target)
            return
        text = self.raw(tok.start + 1, tok.end)
        self.check_cut(tok.end, text)
        text_at = _end(_WS, s, tok.start + 1)
        loc = self.loc(first.start)
        source = self.raw(first.start, first.end)
        self.finish(tok.end)
        self.add_message(
            Message(
                source=source,
                target=target,
                arrow=arrow,
                text=text,
                loc=loc,
                text_column=min(text_at, tok.end) + 1 + self.column_offset,
                activation=activation,
                central_source=central_source,
                central_target=central_target,
            )
        )

    def not_a_message(self, first: _Tok, tok: _Tok) -> None:
        """A participant-like start with no arrow after it."""
        word = self.raw(first.start, first.end)
        if word.lower() == "title" and tok.kind in ("EOL", "SEMI"):
            self.report(
                Severity.WARNING,
                "FLW317",
                "`title` without text: Mermaid would take the next line as the title",
                first.start,
                "write the title on the same line: `title Checkout flow`",
            )
            self.finish(tok.start)
            return
        if tok.kind == "TXT":
            hint = "put an arrow between the participants: `A->>B: text`"
            if word.lower() == "title":
                hint = "write `title: Text` with a space after the colon"
            self.fail("FLW302", f"`{word}:` has no arrow", first.start, hint)
            return
        if tok.kind in ("EOL", "SEMI"):
            self.unknown(first)
            return
        self.fail(
            "FLW302",
            f"expected an arrow after `{word}`, found `{self.snippet(tok)}`",
            tok.start,
            "messages look like `A->>B: text`; see the arrow list in the "
            "Mermaid docs",
        )

    def bad_target(self, tok: _Tok, arrow_col: int) -> None:
        """Explain why the token after the arrow is not a participant."""
        if tok.kind == "KW":
            word = self.snippet(tok).split()[0]
            self.fail(
                "FLW306",
                f"`{word}` is a Mermaid keyword and cannot be a message target",
                tok.start,
                f"use another id and show the name as a label: "
                f"`participant {word}1 as {word}`",
            )
        elif tok.kind == "NUM":
            self.fail(
                "FLW306",
                f"Mermaid reads `{tok.value}` followed by a space as a number, "
                "not a participant",
                tok.start,
                "remove the space before `:`, or use an id that starts with a letter",
            )
        elif tok.kind in ("EOL", "SEMI", "TXT"):
            self.fail(
                "FLW306",
                "message has no target participant",
                arrow_col,
                "name the receiver after the arrow: `A->>B: text`",
            )
        else:
            self.fail(
                "FLW306",
                f"unexpected `{self.snippet(tok)}` after the arrow",
                tok.start,
                "write `A->>B: text`; `+`/`-` may directly follow the arrow",
            )

    def missing_text(self, tok: _Tok, target: str) -> None:
        """The target is not followed by ``: text``."""
        if tok.kind in ("EOL", "SEMI"):
            self.fail(
                "FLW307",
                f"message to `{target}` has no `: text`",
                tok.start,
                "Mermaid requires a colon after the target; the text may be "
                "empty: `A->>B:`",
            )
        else:
            self.fail(
                "FLW306",
                f"unexpected `{self.snippet(tok)}` after the target `{target}`",
                tok.start,
                "a message has one source and one target: `A->>B: text`",
            )

    def add_message(self, msg: Message) -> None:
        """Record a message with Mermaid's side effects, in Mermaid's order."""
        self.touch(msg.source, msg.loc)
        self.touch(msg.target, msg.loc)
        self.lifecycle(msg)
        if msg.activation == "+":
            self.active[msg.target] = self.active.get(msg.target, 0) + 1
        elif msg.activation == "-":
            self.deactivate(msg.source, msg.loc.column - 1 - self.column_offset)
        self.items().append(msg)

    def lifecycle(self, msg: Message) -> None:
        """Mermaid checks the message right after ``create``/``destroy``."""
        col = msg.loc.column - 1 - self.column_offset
        if self.pending_create is not None:
            pid = self.pending_create[0]
            self.pending_create = None
            if msg.target != pid:
                self.report(
                    Severity.ERROR,
                    "FLW312",
                    f"`{pid}` was created, but the next message goes to "
                    f"`{msg.target}`",
                    col,
                    f"put `create participant {pid}` right before the message "
                    f"that is sent to {pid}",
                )
        elif self.pending_destroy is not None:
            pid = self.pending_destroy[0]
            self.pending_destroy = None
            if pid not in (msg.source, msg.target):
                self.report(
                    Severity.ERROR,
                    "FLW312",
                    f"`{pid}` was destroyed, but the next message does not involve "
                    "it",
                    col,
                    f"put `destroy {pid}` right before the last message to or "
                    f"from {pid}",
                )

    def deactivate(self, pid: str, col: int) -> None:
        """Mermaid throws when deactivating a participant that is not active."""
        if self.active.get(pid, 0) < 1:
            self.report(
                Severity.ERROR,
                "FLW309",
                f"`{pid}` is deactivated but is not active",
                col,
                f"activate {pid} first (`activate {pid}` or `->>+{pid}`), "
                "or drop the `-`/deactivate",
            )
        else:
            self.active[pid] -= 1

    # notes and actor menus ----------------------------------------------

    def note(self, kw: _Tok) -> None:
        """``Note left of|right of|over A[,B]: text``."""
        s = self.masked[self.li]
        tok = _lex(s, kw.end)
        if tok.kind != "KW" or tok.value not in _PLACEMENTS:
            self.fail(
                "FLW308",
                "a note needs `left of`, `right of` or `over`",
                tok.start,
                "write `Note right of A: text` or `Note over A,B: text`",
            )
            return
        placement = _PLACEMENTS[tok.value]
        names: list[str] = []
        tok = _lex(s, tok.end)
        while tok.kind == "ACTOR":
            names.append(self.raw(tok.start, tok.end))
            tok = _lex(s, tok.end)
            if tok.kind != "COMMA" or placement != "over" or len(names) == 2:
                break
            tok = _lex(s, tok.end)
        if tok.kind == "TXT" and names:
            self.add_note(kw, placement, names, tok)
        elif not names or tok.kind in ("COMMA", "KW"):
            self.note_without_participant(tok, placement, names)
        else:
            self.fail(
                "FLW308",
                "a note needs `: text` after its participants",
                tok.start,
                "write `Note over A: text`",
            )

    def note_without_participant(
        self, tok: _Tok, placement: str, names: list[str]
    ) -> None:
        """Explain a note whose participant list is wrong."""
        if tok.kind == "COMMA" and names:
            limit = "two participants" if placement == "over" else "one participant"
            self.fail(
                "FLW308",
                f"a note {placement} names at most {limit}",
                tok.start,
                "use `Note over A,B: text` to span two participants",
            )
        elif tok.kind == "KW":
            self.fail(
                "FLW308",
                f"`{self.snippet(tok).split()[0]}` is a Mermaid keyword, not a "
                "participant",
                tok.start,
                "give the participant another id and a label with `as`",
            )
        else:
            self.fail(
                "FLW308",
                "note names no participant",
                tok.start,
                f"name who the note is about: `Note {placement} A: text`",
            )

    def add_note(self, kw: _Tok, placement: str, names: list[str], txt: _Tok) -> None:
        """Record a note; its participants count as used."""
        s = self.masked[self.li]
        loc = self.loc(kw.start)
        text = self.raw(txt.start + 1, txt.end)
        self.check_cut(txt.end, text)
        text_at = min(_end(_WS, s, txt.start + 1), txt.end)
        for name in names:
            self.touch(name, loc)
        self.finish(txt.end)
        self.items().append(
            Note(
                placement=placement,
                participants=tuple(names),
                text=text,
                loc=loc,
                text_column=text_at + 1 + self.column_offset,
            )
        )

    def menu(self, kw: _Tok) -> None:
        """``link``/``links``/``properties``/``details``: checked, not kept."""
        s = self.masked[self.li]
        tok = _lex(s, kw.end)
        txt = _lex(s, tok.end)
        if tok.kind != "ACTOR" or txt.kind != "TXT":
            self.fail(
                "FLW302",
                f"`{kw.value}` needs a participant and `: text`",
                kw.start,
                "write e.g. `link A: Dashboard @ https://example.com`",
            )
            return
        pid = self.raw(tok.start, tok.end)
        text = self.raw(txt.start + 1, txt.end)
        self.check_cut(txt.end, text)
        self.touch(pid, self.loc(kw.start))
        if not self.menu_ok(kw.value, text):
            self.report(
                Severity.WARNING,
                "FLW317",
                f"Mermaid ignores this `{kw.value}` line: its text is not valid",
                txt.start,
                "links/properties take a JSON object; link takes `label @ url`",
            )
        self.finish(txt.end)

    @staticmethod
    def menu_ok(kind: str, text: str) -> bool:
        """Whether Mermaid can use the menu text (it logs and ignores otherwise)."""
        if kind == "link":
            return "@" in text
        if kind == "details":
            return bool(text)
        try:
            data = json.loads(text.replace("&equals;", "=").replace("&amp;", "&"))
        except (ValueError, RecursionError):
            return False
        return isinstance(data, dict)

    # participants --------------------------------------------------------

    def participant(self, kw: _Tok) -> None:
        """``participant``/``actor`` declarations."""
        self.declaration(kw, kw.start, created=False)

    def declaration(self, kw: _Tok, start: int, created: bool) -> None:
        """participant/actor, optionally after ``create``: id, metadata, alias."""
        s = self.masked[self.li]
        tok = _lex_id(s, kw.end)
        if tok.kind not in ("ID", "ID_ALIAS", "ID_CONFIG"):
            self.bad_declaration(kw, tok)
            return
        pid = self.raw(tok.start, tok.end)
        loc = self.loc(start)
        meta: dict[str, Any] = {}
        label: str | None = None
        end = tok.end
        if tok.kind == "ID_CONFIG":
            got = self.config(tok.end)
            if got is None:
                return
            meta, end = got
            s = self.masked[self.li]
        if tok.kind == "ID_ALIAS" or _AS_FOLLOWS.match(s, end):
            as_end = _end(_AS_FOLLOWS, s, end)
            label, end = self.rest_of_line(as_end)
        if not self.finish(end):
            self.fail(
                "FLW313",
                f"unexpected `{self.snippet(_lex(s, end))}` after participant "
                f"`{pid}`",
                end,
                "declare one participant per line: `participant A as Label`",
            )
            return
        kind = "actor" if kw.value == "actor" else "participant"
        self.declare(pid, label, kind, meta, loc, created)

    def bad_declaration(self, kw: _Tok, tok: _Tok) -> None:
        """The id after participant/actor is missing or unusable."""
        if tok.kind == "EOL":
            message = f"`{kw.value}` names no participant"
        else:
            message = f"`{self.snippet(tok)}` is not a valid participant id"
        self.fail(
            "FLW313",
            message,
            tok.start if tok.kind != "EOL" else kw.start,
            "ids cannot contain `<>:,;@`; use `participant A as Any label` "
            "for display text",
        )

    def config(self, at: int) -> tuple[dict[str, Any], int] | None:
        """``@{ ... }`` metadata, possibly over several lines, read as YAML.

        Mermaid trims the content and loads it as YAML (wrapped in braces when
        it is one line), so indented multi-line content fails there too.
        """
        close, li, content = self.config_text(at)
        problem: str | None = None
        data: Any = None
        if close < 0 or not content:
            problem = "is never closed with `}`" if close < 0 else "is empty"
        else:
            source = content + "\n" if "\n" in content else "{\n" + content + "\n}"
            data, why = _yaml(source, _METADATA_LIMIT)
            if why is not None or not isinstance(data, dict):
                problem = f"is not a YAML/JSON mapping: {why or data}"
        if problem is not None:
            self.report(
                Severity.ERROR,
                "FLW313",
                f"participant metadata `@{{` {problem}",
                at,
                'write e.g. `participant DB@{ "type": "database", "alias": "DB" }`',
            )
            if close >= 0:
                self.li = li
            self.pos = len(self.masked[self.li])
            return None
        self.check_metadata(data, at)
        self.li, self.pos = li, 0
        return data, close + 1

    def config_text(self, at: int) -> tuple[int, int, str]:
        """The text between ``@{`` and the first ``}``: (close column, line, text)."""
        line = self.lines[self.li]
        close = line.find("}", at + 2)
        if close >= 0:
            return close, self.li, line[at + 2 : close].strip()
        end = self.next_with("}", self.li + 1, honour_skip=True)
        if end is None:
            return -1, self.li, ""
        middle = range(self.li + 1, end)
        parts = [line[at + 2 :], *(self.lines[i] for i in middle if not self.skip[i])]
        close = self.lines[end].find("}")
        parts.append(self.lines[end][:close])
        return close, end, "\n".join(parts).strip()

    def check_metadata(self, data: dict[str, Any], col: int) -> None:
        """Mermaid reads only ``type`` and ``alias``; say what it ignores."""
        kind = data.get("type")
        unknown = sorted(str(k) for k in data if k not in ("type", "alias"))
        if kind is not None and (not isinstance(kind, str) or kind not in _KNOWN_TYPES):
            self.report(
                Severity.WARNING,
                "FLW317",
                f"unknown participant type `{kind}`: Mermaid draws a plain box",
                col,
                "use one of: " + ", ".join(sorted(_KNOWN_TYPES)),
            )
        if unknown:
            self.report(
                Severity.WARNING,
                "FLW317",
                f"Mermaid ignores metadata key(s) {', '.join(unknown)}",
                col,
                "only `type` and `alias` are read",
            )

    def declare(
        self,
        pid: str,
        label: str | None,
        kind: str,
        meta: dict[str, Any],
        loc: Location,
        created: bool,
    ) -> None:
        """Mermaid's addActor: later declarations with a label win."""
        col = loc.column - 1 - self.column_offset
        if isinstance(meta.get("type"), str):
            kind = meta["type"]
        alias = meta.get("alias")
        if alias and (label is None or label == pid):
            label = str(alias)
        old = self.lifelines.get(pid)
        box = self.stack[-1].box if self.stack[-1].kind == "box" else None
        if created:
            self.pending_create = (pid, loc)
            if old is not None:
                self.report(
                    Severity.ERROR,
                    "FLW312",
                    f"`{pid}` already exists, so it cannot be created here",
                    col,
                    "give the created participant a new id and the same label "
                    "with `as`",
                )
        if old is None:
            self.lifelines[pid] = _Lifeline(
                pid, label, kind, loc, True, created, box=box
            )
            self.check_id(pid, loc)
            return
        if self.assign_box(old, box, col) and not created:
            self.redeclare(old, label, kind, col)
        if not old.explicit:
            old.explicit, old.loc = True, loc
        old.created = old.created or created

    def assign_box(self, old: _Lifeline, box: _Box | None, col: int) -> bool:
        """Mermaid throws when one participant is put in two boxes."""
        if box is not None and old.box is not None and old.box is not box:
            self.report(
                Severity.ERROR,
                "FLW315",
                f"`{old.id}` is already in box `{old.box.label}`",
                col,
                "a participant can belong to one box only",
            )
            return False
        if old.box is None:
            old.box = box
        return True

    def redeclare(self, old: _Lifeline, label: str | None, kind: str, col: int) -> None:
        """A second declaration of one id: Mermaid keeps or overwrites parts."""
        if label is None:
            if kind != old.kind:
                where = "declared" if old.explicit else "first used"
                self.report(
                    Severity.WARNING,
                    "FLW311",
                    f"`{old.id}` was {where} as a {old.kind}; Mermaid ignores "
                    f"this {kind} declaration",
                    col,
                    "declare each participant once, before it is first used",
                )
            elif old.explicit:
                self.report(
                    Severity.NOTE,
                    "FLW318",
                    f"`{old.id}` is declared again with nothing new",
                    col,
                    "remove the repeated declaration",
                )
            return
        if old.explicit and (old.kind != kind or old.label not in (None, label)):
            self.report(
                Severity.WARNING,
                "FLW311",
                f"`{old.id}` is declared again differently; Mermaid uses this "
                f"later declaration ({kind} `{label}`)",
                col,
                "declare each participant once",
            )
        old.label, old.kind = label, kind

    def touch(self, pid: str, loc: Location) -> None:
        """A participant used before (or without) any declaration."""
        if pid not in self.lifelines:
            self.lifelines[pid] = _Lifeline(pid, None, "participant", loc, False)
            self.check_id(pid, loc)

    def check_id(self, pid: str, loc: Location) -> None:
        """Whitespace in ids is legal Mermaid but fragile (``as`` stops working)."""
        if re.search(r"\s", pid):
            spaced = re.sub(r"\s+", "", pid) or "A"
            self.diagnostics.append(
                warning(
                    "FLW319",
                    f"participant id `{pid}` contains whitespace",
                    loc,
                    f"use a compact id with a label: `participant {spaced} as {pid}`",
                )
            )

    def create(self, kw: _Tok) -> None:
        """``create participant|actor X``: X must be the next message's target."""
        tok = _lex(self.masked[self.li], kw.end)
        if tok.kind == "KW" and tok.value in ("participant", "actor"):
            self.declaration(tok, kw.start, created=True)
            return
        self.fail(
            "FLW313",
            "`create` must be followed by `participant` or `actor`",
            tok.start,
            "write `create participant B` right before the message to B",
        )

    def destroy(self, kw: _Tok) -> None:
        """``destroy X``: the next message must involve X."""
        pid = self.single_id(kw)
        if pid is not None:
            loc = self.loc(kw.start)
            self.pending_destroy = (pid, loc)
            self.mentioned.append((pid, loc, "destroy"))

    def activation(self, kw: _Tok) -> None:
        """``activate``/``deactivate`` are checked but not kept in the tree."""
        pid = self.single_id(kw)
        if pid is None:
            return
        if kw.value == "activate":
            self.active[pid] = self.active.get(pid, 0) + 1
            self.mentioned.append((pid, self.loc(kw.start), "activate"))
        else:
            self.deactivate(pid, kw.start)

    def single_id(self, kw: _Tok) -> str | None:
        """The one participant id after destroy/activate/deactivate."""
        s = self.masked[self.li]
        tok = _lex_id(s, kw.end)
        if tok.kind != "ID":
            self.fail(
                "FLW313",
                f"`{kw.value}` takes exactly one participant id",
                kw.start,
                f"write `{kw.value} A` on its own line",
            )
            return None
        pid = self.raw(tok.start, tok.end)
        self.finish(tok.end)
        return pid

    # blocks and boxes ------------------------------------------------------

    def open_block(self, kw: _Tok) -> None:
        """loop/alt/opt/par/par_over/critical/break/rect, closed by ``end``."""
        self.keyword_collision(kw)
        label, end = self.rest_of_line(kw.end)
        loc = self.loc(kw.start)
        self.stack.append(_Open(kw.value, loc, [(kw.value, label, loc, [])]))
        self.pos = end

    def section(self, kw: _Tok) -> None:
        """``else``/``and``/``option`` start a section of the innermost block."""
        self.keyword_collision(kw)
        label, end = self.rest_of_line(kw.end)
        top = self.stack[-1]
        owners = _SECTION_OWNERS[kw.value]
        if top.kind not in owners:
            inside = f"inside `{top.kind}`" if top.kind != "root" else "outside a block"
            self.fail(
                "FLW305",
                f"`{kw.value}` {inside}: it belongs directly in "
                f"`{owners[0]} ... end`",
                kw.start,
                f"close the inner blocks with `end` first, or open `{owners[0]}`",
            )
            return
        top.sections.append((kw.value, label, self.loc(kw.start), []))
        self.pos = end

    def end(self, kw: _Tok) -> None:
        """``end`` closes the innermost block or box."""
        self.keyword_collision(kw)
        if self.stack[-1].kind == "root":
            self.fail(
                "FLW303",
                "`end` with no open block",
                kw.start,
                "remove it, or open the block it should close",
            )
            return
        self.close(empty_note=True)
        after = _lex(self.masked[self.li], kw.end)
        if after.kind not in ("EOL", "SEMI"):
            self.report(
                Severity.WARNING,
                "FLW317",
                f"`{self.snippet(after)}` after `end` is read as a new statement",
                after.start,
                "put each statement on its own line",
            )
        self.pos = kw.end

    def close(self, empty_note: bool) -> None:
        """Pop the innermost frame and turn it into a ``Block`` (boxes vanish)."""
        frame = self.stack.pop()
        if frame.kind == "box":
            return
        sections = tuple(
            Section(keyword, label, tuple(items), loc)
            for keyword, label, loc, items in frame.sections
        )
        if empty_note and not any(section.items for section in sections):
            self.diagnostics.append(
                note(
                    "FLW318",
                    f"`{frame.kind}` block is empty",
                    frame.loc,
                    "remove it, or add the messages it should group",
                )
            )
        self.items().append(Block(frame.kind, sections, frame.loc))

    def box(self, kw: _Tok) -> None:
        """``box [colour] [label]``: groups the participants declared inside."""
        if any(frame.kind == "box" for frame in self.stack):
            self.report(
                Severity.ERROR,
                "FLW315",
                "boxes cannot be nested",
                kw.start,
                "close the previous box with `end` first",
            )
        text, end = self.rest_of_line(kw.end)
        color, label = _box_data(text)
        loc = self.loc(kw.start)
        frame = _Open("box", loc, [("box", label, loc, [])], _Box(label, color))
        self.stack.append(frame)
        self.pos = end

    # diagram-level lines ------------------------------------------------------

    def title_line(self, kw: _Tok) -> None:
        """``title Text`` or ``title: Text``; both stop at ``#`` and ``;``."""
        skip = 6 if kw.value == "title" else 7
        value = self.raw(kw.start + skip, kw.end)
        self.check_cut(kw.end, value)
        if value:
            self.title = value
        else:
            self.report(
                Severity.WARNING,
                "FLW317",
                "`title` without text is ignored",
                kw.start,
                "write the title on the same line: `title Checkout flow`",
            )
        self.pos = kw.end

    def acc_line(self, kw: _Tok) -> None:
        """``accTitle:``/``accDescr:`` take the whole rest of the line."""
        value = self.raw(kw.end, len(self.lines[self.li]))
        if kw.value == "acc_title":
            self.acc_title = value
        else:
            self.acc_descr = value
        self.pos = len(self.masked[self.li])

    def acc_block(self, kw: _Tok) -> None:
        """``accDescr { ... }``: everything up to the first ``}``."""
        parts: list[str] = []
        li, start = self.li, kw.end
        while li < len(self.lines):
            if self.skip[li] and li != self.li:
                li += 1
                continue
            line = self.lines[li]
            close = line.find("}", start)
            parts.append(line[start : close if close >= 0 else None])
            if close >= 0:
                self.acc_descr = "\n".join(parts).strip()
                self.li, self.pos = li, close + 1
                return
            li, start = li + 1, 0
        self.report(
            Severity.WARNING,
            "FLW317",
            "`accDescr {` is never closed: Mermaid swallows the rest of the diagram",
            kw.start,
            "close the description with `}`",
        )
        self.acc_descr = "\n".join(parts).strip()
        self.li, self.pos = len(self.lines), 0

    def numbering_line(self, kw: _Tok) -> None:
        """``autonumber [start [step]]`` or ``autonumber off``."""
        s = self.masked[self.li]
        tok = _lex(s, kw.end)
        numbers: list[int | float] = []
        while tok.kind == "NUM" and len(numbers) < 2:
            numbers.append(_number(tok.value))
            tok = _lex(s, tok.end)
        off = not numbers and tok.kind == "KW" and tok.value == "off"
        if off:
            tok = _lex(s, tok.end)
        if tok.kind not in ("EOL", "SEMI"):
            self.fail(
                "FLW302",
                f"unexpected `{self.snippet(tok)}` after `autonumber`",
                tok.start,
                "write `autonumber`, `autonumber 10`, `autonumber 10 5` or "
                "`autonumber off` (numbers need a space or line end after them)",
            )
            return
        if off and not self.numbering_on:
            self.report(
                Severity.NOTE,
                "FLW318",
                "`autonumber off` while numbering is already off",
                kw.start,
                "remove the line",
            )
        elif not off and not self.autonumber:
            self.autonumber = True
            self.numbering = (
                numbers[0] if numbers else None,
                numbers[1] if len(numbers) > 1 else None,
            )
        self.numbering_on = not off
        self.finish(tok.start)

    # -- result --------------------------------------------------------------

    def build(self) -> SequenceDiagram:
        """Close what is still open and freeze the result."""
        while len(self.stack) > 1:
            frame = self.stack[-1]
            what = "box" if frame.kind == "box" else f"`{frame.kind}` block"
            self.diagnostics.append(
                error(
                    "FLW304",
                    f"{what} opened here is never closed with `end`",
                    frame.loc,
                    "add `end` where the block finishes",
                )
            )
            self.close(empty_note=False)
        self.check_pending()
        participants = tuple(
            Participant(
                id=p.id,
                label=p.label,
                kind=p.kind,
                loc=p.loc,
                created=p.created,
                destroyed=p.destroyed,
                box=p.box.label if p.box is not None else None,
                explicit=p.explicit,
                box_color=p.box.color if p.box is not None else None,
            )
            for p in self.lifelines.values()
        )
        return SequenceDiagram(
            participants=participants,
            items=tuple(self.stack[0].sections[0][3]),
            title=self.title,
            autonumber=self.autonumber,
            loc=self.header,
            acc_title=self.acc_title,
            acc_descr=self.acc_descr,
            autonumber_start=self.numbering[0],
            autonumber_step=self.numbering[1],
        )

    def check_pending(self) -> None:
        """Whole-diagram checks: names that never appear, dangling create/destroy."""
        for pending, verb in (
            (self.pending_create, "created"),
            (self.pending_destroy, "destroyed"),
        ):
            if pending is not None:
                self.diagnostics.append(
                    warning(
                        "FLW317",
                        f"`{pending[0]}` is {verb} but no message follows",
                        pending[1],
                        f"follow it with the message that {verb[:-1]}s {pending[0]}",
                    )
                )
        for pid, loc, verb in self.mentioned:
            lifeline = self.lifelines.get(pid)
            if lifeline is None:
                self.diagnostics.append(
                    error(
                        "FLW310",
                        f"`{verb} {pid}` names a participant that never appears",
                        loc,
                        "check the spelling against the declared participants",
                    )
                )
            elif verb == "destroy":
                lifeline.destroyed = True


def parse_sequence(
    text: str, file: str, first_line: int = 1, column_offset: int = 0
) -> tuple[SequenceDiagram, list[Diagnostic]]:
    """Parse the body of a ```mermaid fence; never raises, reports instead."""
    parser = _Parser(text, file, first_line, column_offset)
    diagram = parser.run()
    diagnostics = sorted(
        parser.diagnostics, key=lambda d: (d.location.line, d.location.column)
    )
    return diagram, diagnostics
