"""Code laid out as black and isort print it, for black-stable templates.

A black-stable template (``render.black_stable``) skips the formatter, so
where the length of a line depends on names from the spec, it is laid out here
the way black would: whole if it fits in 88 columns, else split at a bracket,
the items on one indented line if they fit ("hugged"), else one per line with
a trailing comma. ``split_line`` knows the shapes generated code uses (calls,
assignments, returns and asserts ending in a call or a literal, elements of a
bracketed list, signatures, class lines); any other line it leaves as it is,
and a line that stays too long sends its file through black after all
(``render.fits_black``). Templates call it as ``{% call wrap() %}``, and sort
a block of imports as isort would with ``{% call isort() %}`` (``helpers``).
``tests/test_black_stable.py`` holds both to black and isort on every spec set
of the suite.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from black.strings import str_width

from flowc.backends.python.imports import import_block
from flowc.backends.python.render import LINE_LENGTH

INDENT = "    "


def fits(line: str) -> bool:
    """Within black's line length (wide characters count double, as for black)."""
    return str_width(line) <= LINE_LENGTH


# --- what templates and views call -------------------------------------------


def helpers(first_party: Sequence[str]) -> dict[str, Callable[..., str]]:
    """What black-stable templates call: ``{% call wrap() %}`` lays out each line
    of its block as black would, ``{% call isort() %}`` sorts the imports of its
    block as isort would (``first_party``: the generated packages)."""

    def isort(caller: Callable[[], str]) -> str:
        statements, exploded = _import_statements(caller())
        block = import_block(statements, first_party)
        return "\n".join(_explode(line, exploded) for line in block.split("\n")) + "\n"

    return {"wrap": wrap, "isort": isort}


def _import_statements(text: str) -> tuple[list[str], set[str]]:
    """The block's import statements, each on one line, and the modules whose
    names it lists in parentheses with a trailing comma: isort (black profile,
    ``split_on_trailing_comma``) keeps those one name a line."""
    statements: list[str] = []
    exploded: set[str] = set()
    pending: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if pending is not None:
            if line == ")":
                head = pending[0]
                if pending[-1].endswith(","):
                    exploded.add(head.removeprefix("from ").partition(" import")[0])
                names = ", ".join(name.rstrip(",") for name in pending[1:])
                statements.append(f"{head} {names}")
                pending = None
            else:
                pending.append(line)
        elif line.endswith("import ("):
            pending = [line.removesuffix(" (")]
        elif line:
            statements.append(line)
    return statements, exploded


def _explode(line: str, modules: set[str]) -> str:
    module, _, names = line.removeprefix("from ").partition(" import ")
    if not line.startswith("from ") or module not in modules or names == "(":
        return line
    listed = "".join(f"{INDENT}{name},\n" for name in names.split(", "))
    return f"from {module} import (\n{listed})"


def wrap(caller: Callable[[], str]) -> str:
    """``{% call wrap() %}...{% endcall %}`` in a template: each line of the
    block laid out as black would (``split_line``), but for the lines of
    multi-line strings."""
    result = []
    in_string = False
    for line in caller().splitlines(keepends=True):
        quotes = line.count('"""') % 2 == 1
        if in_string or quotes:
            result.append(line)
        else:
            text = line.removesuffix("\n")
            result.append(split_line(text) + line[len(text) :])
        in_string ^= quotes
    return "".join(result)


def split_line(line: str) -> str:
    """``line`` (one logical line, with its indentation) as black lays it out.

    Lines of shapes black would treat otherwise come back unchanged: if too
    long, they send their file through black.
    """
    if "\n" in line or fits(line):
        return line
    text = line.lstrip(" ")
    indent = line[: len(line) - len(text)]
    tokens = _tokens(text)
    pairs = None if tokens is None else _matching(tokens)
    if tokens is None or pairs is None or _has_magic_comma(tokens, pairs):
        return line
    words = [t.text for t in tokens[:2]]
    if words[:1] == ["class"]:
        lines = _split_class(indent, text, tokens, pairs)
        return "\n".join(lines) if lines is not None else line
    if words[:1] == ["def"] or words == ["async", "def"]:
        lines = _split_def(indent, text, tokens, pairs)
    elif tokens[-1].text == ",":
        lines = _split_element(indent, text, tokens, pairs)
    else:
        lines = _split_statement(indent, text, tokens, pairs)
    return "\n".join(lines) if lines is not None else line


# --- one line's tokens -------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: Literal["name", "atom", "op"]
    text: str
    start: int
    end: int


_OPENING = {"(": ")", "[": "]", "{": "}"}

_CLOSING = frozenset(_OPENING.values())

_KEYWORDS_BEFORE_ATOM = frozenset(
    {"return", "await", "in", "not", "and", "or", "if", "else", "yield", "raise"}
)

_NOT_PLAIN = _KEYWORDS_BEFORE_ATOM | {"lambda", "for", "is"}

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "is"})


def _tokens(text: str) -> list[_Token] | None:
    """The tokens of one logical line; None when it has comments or does not tokenize."""
    result: list[_Token] = []
    nested = 0  # inside an f-string (Python 3.12+ tokenizes its parts)
    start = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            name = tokenize.tok_name[token.type]
            if name == "FSTRING_START":
                if nested == 0:
                    start = token.start[1]
                nested += 1
            elif name == "FSTRING_END":
                nested -= 1
                if nested == 0:
                    end = token.end[1]
                    result.append(_Token("atom", text[start:end], start, end))
            elif nested:
                continue
            elif name == "COMMENT":
                return None
            elif name in ("NAME", "NUMBER", "STRING", "OP"):
                kind: Literal["name", "atom", "op"] = (
                    "name" if name == "NAME" else "op" if name == "OP" else "atom"
                )
                result.append(_Token(kind, token.string, token.start[1], token.end[1]))
    except (tokenize.TokenError, SyntaxError):
        return None
    return result


def _matching(tokens: list[_Token]) -> dict[int, int] | None:
    """Index of each bracket -> index of its partner; None when unbalanced."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in _OPENING:
            stack.append(index)
        elif token.text in _CLOSING:
            if not stack or _OPENING[tokens[stack[-1]].text] != token.text:
                return None
            opening = stack.pop()
            pairs[opening] = index
            pairs[index] = opening
    return None if stack else pairs


def _depth0(
    tokens: list[_Token], pairs: dict[int, int], first: int, end: int
) -> list[int]:
    """Indexes of the tokens between ``first`` and ``end`` outside any bracket."""
    result = []
    index = first
    while index < end:
        result.append(index)
        if tokens[index].kind == "op" and tokens[index].text in _OPENING:
            index = pairs[index]
        index += 1
    return result


def _items(
    text: str, tokens: list[_Token], pairs: dict[int, int], first: int, last: int
) -> list[str]:
    """The comma-separated items between tokens ``first`` and ``last`` (exclusive)."""
    items: list[str] = []
    start = tokens[first].end
    index = first + 1
    while index < last:
        token = tokens[index]
        if token.kind == "op" and token.text in _OPENING:
            index = pairs[index]
        elif token.text == ",":
            items.append(text[start : token.start].strip())
            start = token.end
        index += 1
    rest = text[start : tokens[last].start].strip()
    if rest:
        items.append(rest)
    return items


def _is_trailer(tokens: list[_Token], opening: int) -> bool:
    """A call's or subscript's bracket (rather than a tuple, list, dict or set)."""
    if opening == 0:
        return False
    before = tokens[opening - 1]
    if before.kind == "name":
        return before.text not in _KEYWORDS_BEFORE_ATOM
    return before.kind == "atom" or (before.kind == "op" and before.text in _CLOSING)


def _has_magic_comma(tokens: list[_Token], pairs: dict[int, int]) -> bool:
    """A comma right before a closing bracket, which black keeps exploded (but
    not the one of a one-element tuple or of a subscript with one element)."""
    for index, token in enumerate(tokens[:-1]):
        closing = tokens[index + 1]
        if token.text != "," or closing.text not in _CLOSING:
            continue
        opening = pairs[index + 1]
        commas = [
            i
            for i in _depth0(tokens, pairs, opening + 1, index + 1)
            if tokens[i].text == ","
        ]
        lone = commas == [index]
        if closing.text == ")" and lone and not _is_trailer(tokens, opening):
            continue  # ("a",)
        if closing.text == "]" and lone and _is_trailer(tokens, opening):
            continue  # x[a,]
        return True
    return False


def _plain_expression(
    tokens: list[_Token], pairs: dict[int, int], first: int, end: int
) -> bool:
    """Names, attributes, calls and literals only: no operator black splits at,
    and at most one attribute of a call's result (black splits at the dots of a
    longer chain)."""
    index = first
    previous: _Token | None = None
    chained = 0
    while index < end:
        token = tokens[index]
        if token.kind == "op":
            if token.text in _OPENING:
                if previous is not None and not _is_trailer(tokens, index):
                    return False
                previous = tokens[pairs[index]]
                index = pairs[index] + 1
                continue
            if token.text != "." or previous is None:
                return False
            if previous.text in _CLOSING:
                chained += 1
                if chained > 1:
                    return False
        elif token.kind == "name" and token.text in _NOT_PLAIN:
            return False
        elif previous is not None and previous.kind != "op":
            return False  # two names in a row: a keyword expression
        previous = token
        index += 1
    return True


def _is_conditional(
    tokens: list[_Token], pairs: dict[int, int], first: int, end: int
) -> bool:
    """``a if b else c``: black puts it in parentheses of its own to split it."""
    words = {
        tokens[i].text
        for i in _depth0(tokens, pairs, first, end)
        if tokens[i].kind == "name"
    }
    return {"if", "else"} <= words and not words & {"lambda", "for"}


# --- black's splits ----------------------------------------------------------


def _split_statement(
    indent: str, text: str, tokens: list[_Token], pairs: dict[int, int]
) -> list[str] | None:
    """``[target = |return |raise ][await ]expression``: black wraps a returned
    or assigned expression in invisible parentheses, and prefers splitting at
    its last bracket when it is a plain call; a lone string or name, and a
    conditional expression, go in real parentheses."""
    if tokens[0].text == "assert":
        return _split_assert(indent, text, tokens, pairs)
    first = 0
    wrapped = False  # black's invisible parentheses around the expression
    if tokens[0].text in ("return", "raise", "@"):
        first = 1
        wrapped = tokens[0].text == "return"
    else:
        target = _target_end(tokens, pairs)
        if target is not None:
            first = target + 1
            wrapped = True
    if first >= len(tokens):
        return None
    if _is_conditional(tokens, pairs, first, len(tokens)):
        return _parenthesized(indent, text, tokens, first, len(tokens) - 1)
    expression = first + 1 if tokens[first].text == "await" else first
    if expression >= len(tokens):
        return None
    if tokens[expression].kind == "op" and tokens[expression].text not in _OPENING:
        return None
    if not _plain_expression(tokens, pairs, expression, len(tokens)):
        return None
    last = tokens[-1]
    if last.kind == "op" and last.text in _CLOSING:
        lines = _split_at_last_bracket(indent, text, tokens, pairs, len(tokens) - 1)
        chained = any(a.text in _CLOSING and b.text == "." for a, b in pairwise(tokens))
        if lines is None and wrapped and not chained:
            # The first line would stay too long: black tries the expression in
            # parentheses of its own, split in turn, and keeps that if all fits.
            value = split_line(indent + INDENT + text[tokens[first].start :]).split(
                "\n"
            )
            head = text[: tokens[first].start] + "("
            lines = [indent + head, *value, indent + ")"]
            if not all(map(fits, lines)):
                return None
        return lines
    if wrapped and first == expression == len(tokens) - 1:
        return _parenthesized(indent, text, tokens, first, first)
    return None


def _target_end(tokens: list[_Token], pairs: dict[int, int]) -> int | None:
    """The ``=`` after an assignment's one target (``name``, ``a.b``, ``a["k"]``,
    ``name: annotation``)."""
    if tokens[0].kind != "name":
        return None
    if len(tokens) > 2 and tokens[1].text == ":":
        return next(
            (
                i
                for i in _depth0(tokens, pairs, 2, len(tokens))
                if tokens[i].text == "="
            ),
            None,
        )
    index = 1
    while index < len(tokens):
        token = tokens[index]
        if (
            token.text == "."
            and index + 1 < len(tokens)
            and tokens[index + 1].kind == "name"
        ):
            index += 2
        elif token.text == "[":
            index = pairs[index] + 1
        elif token.text == "=":
            return index
        else:
            return None
    return None


def _split_assert(
    indent: str, text: str, tokens: list[_Token], pairs: dict[int, int]
) -> list[str] | None:
    """``assert a == (b)``: black splits at the last bracket when the condition
    compares two plain expressions, the second ending with that bracket."""
    if tokens[-1].text not in _CLOSING:
        return None
    comparisons = [
        i
        for i in _depth0(tokens, pairs, 1, len(tokens))
        if tokens[i].text in _COMPARISONS
    ]
    if len(comparisons) > 1:
        return None
    sides = (
        [(1, comparisons[0]), (comparisons[0] + 1, len(tokens))]
        if comparisons
        else [(1, len(tokens))]
    )
    if not all(
        first < end and _plain_expression(tokens, pairs, first, end)
        for first, end in sides
    ):
        return None
    return _split_at_last_bracket(
        indent, text, tokens, pairs, len(tokens) - 1, parenthesized=True
    )


def _split_element(
    indent: str, text: str, tokens: list[_Token], pairs: dict[int, int]
) -> list[str] | None:
    """``value,`` inside brackets, or ``name=value,`` or ``key: value,``: split
    at the value's last bracket pair (a conditional value in parentheses)."""
    end = len(tokens) - 1
    value = 0
    if len(tokens) > 2 and tokens[0].kind == "name" and tokens[1].text == "=":
        value = 2
    else:
        colons = [i for i in _depth0(tokens, pairs, 0, end) if tokens[i].text == ":"]
        if colons:
            value = colons[0] + 1
    if value >= end:
        return None
    if _is_conditional(tokens, pairs, value, end):
        return _parenthesized(indent, text, tokens, value, end - 1)
    if any(
        tokens[i].text in ("lambda", "if", "for", ":=")
        for i in _depth0(tokens, pairs, value, end)
    ):
        return None
    return _split_at_last_bracket(indent, text, tokens, pairs, end - 1, subscript=True)


def _split_class(
    indent: str, text: str, tokens: list[_Token], pairs: dict[int, int]
) -> list[str] | None:
    """``class Name(Base, Other):``: split at the bases' parentheses."""
    if len(tokens) < 5 or tokens[-1].text != ":" or tokens[-2].text != ")":
        return None
    return _split_at_last_bracket(indent, text, tokens, pairs, len(tokens) - 2)


def _split_def(
    indent: str, text: str, tokens: list[_Token], pairs: dict[int, int]
) -> list[str] | None:
    """A signature: split at its parameters' parentheses (black's left-hand
    split); a lone parameter gets a trailing comma, so it stands on its own line."""
    opening = next(i for i, t in enumerate(tokens) if t.text == "(")
    closing = pairs[opening]
    head = text[: tokens[opening].end]
    tail = text[tokens[closing].start :]
    items = _items(text, tokens, pairs, opening, closing)
    if not items:
        return _split_return_annotation(indent, text, tokens, closing)
    if len(items) == 1 and "," in items[0].partition("=")[2]:
        return None  # black adds no trailing comma to this one
    return _bracketed(
        indent, head, items, tail, explode=len(items) == 1, parameters=True
    )


def _split_return_annotation(
    indent: str, text: str, tokens: list[_Token], closing: int
) -> list[str] | None:
    """``def name() -> None:`` too long: black splits in the return annotation's
    (once invisible) parentheses."""
    arrow = closing + 1
    if arrow + 2 >= len(tokens) or tokens[arrow].text != "->" or tokens[-1].text != ":":
        return None
    if any(
        token.kind == "op" and token.text != "." for token in tokens[arrow + 1 : -1]
    ):
        return None
    head = text[: tokens[arrow + 1].start] + "("
    body = indent + INDENT + text[tokens[arrow + 1].start : tokens[-2].end]
    # black splits here even when the head stays too long (no better split)
    return [indent + head, body, indent + "):"] if fits(body) else None


def _split_parameter(indent: str, text: str) -> list[str] | None:
    """``name: annotation[ = default]`` too long for its line: black splits in
    the annotation, in parentheses of its own around a union (one member a
    line if need be), else at the bracket that ends it."""
    tokens = _tokens(text)
    pairs = None if tokens is None else _matching(tokens)
    if tokens is None or pairs is None or len(tokens) < 3 or tokens[1].text != ":":
        return None
    level = _depth0(tokens, pairs, 2, len(tokens))
    equals = [i for i in level if tokens[i].text == "="]
    end = equals[0] if equals else len(tokens)
    default = f" {text[tokens[end].start :].strip()}" if equals else ""
    if any(token.text in _OPENING for token in tokens[end:]):
        return None  # black splits at the default's brackets
    bars = [i for i in level if i < end and tokens[i].text == "|"]
    if bars:
        members = [
            text[tokens[a].start : tokens[b - 1].end]
            for a, b in zip([2, *(i + 1 for i in bars)], [*bars, end], strict=True)
        ]
        inner = indent + INDENT
        union = " | ".join(members)
        body = (
            [inner + union]
            if fits(inner + union)
            else [inner + ("| " if n else "") + m for n, m in enumerate(members)]
        )
        lines = [indent + text[: tokens[2].start] + "(", *body, f"{indent}){default},"]
        return lines if all(map(fits, lines)) else None
    closing = end - 1
    if tokens[closing].text not in _CLOSING or not _plain_expression(
        tokens, pairs, 2, end
    ):
        return None
    opening = pairs[closing]
    items = _items(text, tokens, pairs, opening, closing)
    if not items:
        return None
    head = text[: tokens[opening].end]
    tail = text[tokens[closing].start : tokens[closing].end] + default + ","
    return _bracketed(indent, head, items, tail, explode=False)


def _split_at_last_bracket(
    indent: str,
    text: str,
    tokens: list[_Token],
    pairs: dict[int, int],
    closing: int,
    *,
    parenthesized: bool = False,
    subscript: bool = False,
) -> list[str] | None:
    """Split at the bracket pair that ``closing`` ends (black's right-hand split).
    ``parenthesized``: parentheses around one expression stay (in ``assert``)."""
    if tokens[closing].text not in _CLOSING:
        return None
    opening = pairs[closing]
    if tokens[opening].text == "[" and _is_trailer(tokens, opening) and not subscript:
        return None  # a statement ending with a subscript: black's rules differ
    head = text[: tokens[opening].end]
    tail = text[tokens[closing].start :]
    items = _items(text, tokens, pairs, opening, closing)
    if not items:
        return None
    collection = not _is_trailer(tokens, opening)
    lone = collection and tokens[opening].text == "(" and len(items) == 1
    if lone and not (parenthesized and tokens[closing - 1].text != ","):
        return None  # parentheses black may treat as redundant
    return _bracketed(
        indent, head, items, tail, explode=collection and not lone and len(items) > 1
    )


def _bracketed(
    indent: str,
    head: str,
    items: list[str],
    tail: str,
    *,
    explode: bool,
    parameters: bool = False,
) -> list[str] | None:
    """``head`` + items + ``tail``, split after ``head``'s opening bracket:
    items hugged on one line if they fit (and need not explode), else one per
    line with a trailing comma (items too long split in turn)."""
    inner = indent + INDENT
    if not fits(indent + head) or not fits(indent + tail):
        return None
    hugged = inner + ", ".join(items)
    if not explode and fits(hugged):
        return [indent + head, hugged, indent + tail]
    if len(items) == 1 and not explode:
        nested = _split_inner(inner, items[0])
        return None if nested is None else [indent + head, *nested, indent + tail]
    lines = [indent + head]
    for item in items:
        line = f"{inner}{item},"
        split = _split_parameter(inner, item) if parameters and not fits(line) else None
        lines.extend(split if split is not None else split_line(line).split("\n"))
    lines.append(indent + tail)
    return lines


def _split_inner(indent: str, text: str) -> list[str] | None:
    """The one item of a split bracket, too long for its line: black splits it
    at its own last bracket when it has no operators (else: not handled)."""
    tokens = _tokens(text)
    pairs = None if tokens is None else _matching(tokens)
    if tokens is None or pairs is None:
        return None
    if len(tokens) == 1 and _is_string(tokens[0]):
        return [indent + text]  # black cannot split a string: it stays too long
    first = (
        2
        if len(tokens) > 2 and tokens[0].kind == "name" and tokens[1].text == "="
        else 0
    )
    if not _plain_expression(tokens, pairs, first, len(tokens)):
        return None
    return _split_at_last_bracket(indent, text, tokens, pairs, len(tokens) - 1)


def _is_string(token: _Token) -> bool:
    return token.kind == "atom" and token.text[-1] in "\"'"


def _parenthesized(
    indent: str, text: str, tokens: list[_Token], first: int, last: int
) -> list[str] | None:
    """Tokens ``first`` to ``last`` in (black's once invisible) parentheses of their own."""
    head = text[: tokens[first].start] + "("
    body = indent + INDENT + text[tokens[first].start : tokens[last].end]
    tail = ")" + text[tokens[last].end :]
    if fits(indent + head) and fits(body):
        return [indent + head, body, indent + tail]
    return None
