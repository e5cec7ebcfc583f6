"""A method as fakes and stubs print it: signature, statements, docstring."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowc.backends.python.imports import ModuleImports
from flowc.checks.analysis import Argument, Held


@dataclass(frozen=True)
class Method:
    name: str
    params: str
    returns: str
    lines: list[str]
    doc: str = ""


def argument_params(argument: Argument | None, imports: ModuleImports) -> str:
    """``, name: Annotation`` for a method's one argument (or nothing)."""
    if argument is None:
        return ""
    imports.add_value(argument.value)
    return f", {argument.declaration}"


def value_params(value: Held | None, imports: ModuleImports) -> str:
    if value is None:
        return ""
    imports.add_value(value)
    return f", {value.var}: {value.annotation}"


def returns(value: Held | None, imports: ModuleImports) -> str:
    if value is None:
        return "None"
    imports.add_value(value)
    return value.annotation


def event_params(payload: Held, imports: ModuleImports) -> str:
    """A consumer's parameters: the event, and the transaction its inbox row commits in."""
    imports.add_value(payload)
    return f", event: Envelope[{payload.annotation}], tx: InboxTransaction"


LINE_LENGTH = 88
_ASSIGNMENT = re.compile(r"(return |[A-Za-z_][A-Za-z0-9_.]* = )")


def statement(indent: str, line: str) -> str:
    """A line that ends in brackets (a call, a list, a dict; an element of an
    exploded bracket ends in a comma too), at ``indent``, as black prints it.

    Whole when it fits in 88 columns; else split at its last brackets: a
    call's arguments hugged on one line when they fit, else one a line with a
    trailing comma; a list or dict always one item a line, unless it has just
    one; a ``return`` or an assignment whose first line would still be too
    long puts its value in parentheses, if all then fits. Other lines come
    back as they are (if too long, black formats their file).
    """
    tail = "," if line.endswith(",") else ""
    return "\n".join(_split(indent, line.removesuffix(tail), tail, top=True))


def _split(indent: str, line: str, tail: str, top: bool = False) -> list[str]:
    whole = indent + line + tail
    opening = _last_opening(line)
    if _fits(whole) or opening is None:
        return [whole]
    head, closing = line[: opening + 1], line[-1]
    items = _items(line[opening + 1 : -1])
    inner = indent + "    "
    if len(items) == 1:
        body = _split(inner, items[0], "")
    elif _fits(inner + ", ".join(items)) and not _is_display(line, opening):
        body = [inner + ", ".join(items)]
    else:
        body = [text for item in items for text in _split(inner, item, ",")]
    split = [indent + head, *body, indent + closing + tail]
    prefix = _ASSIGNMENT.match(line)
    if _fits(split[0]) or not top or prefix is None or tail:
        return split
    parenthesized = [
        f"{indent}{prefix.group().rstrip()} (",
        *_split(inner, line[prefix.end() :], ""),
        f"{indent})",
    ]
    return parenthesized if all(map(_fits, parenthesized)) else split


def _fits(line: str) -> bool:
    return len(line) <= LINE_LENGTH


def _is_display(line: str, opening: int) -> bool:
    """A list, dict, set or tuple of its own (not a call or a subscript)."""
    return opening == 0 or line[opening - 1] in " =:([{,"


def _last_opening(line: str) -> int | None:
    """Where the bracket closed at the line's end opens (None: no bracket at
    the end, or empty brackets, which black cannot split)."""
    if not line.endswith((")", "]", "}")) or line[-2:] in ("()", "[]", "{}"):
        return None
    depth = 0
    quote = ""
    for index in range(len(line) - 1, -1, -1):
        char = line[index]
        if quote:
            if char == quote and line[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in ")]}":
            depth += 1
        elif char in "([{":
            depth -= 1
            if depth == 0:
                return index
    return None


def _items(text: str) -> list[str]:
    """What brackets hold, split at the commas outside brackets and strings."""
    items, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def signature(indent: str, head: str, parameters: list[str], returns: str) -> str:
    """``{head}({parameters}) -> {returns}:`` at ``indent``, as black prints it.

    Whole when it fits; else the parameters hugged on one line (when there are
    several and they fit), else one a line with a trailing comma: a union too
    long for its line in parentheses (one member a line if need be), other
    parameters split at their brackets.
    """
    close = f"{indent}) -> {returns}:"
    whole = f"{indent}{head}({', '.join(parameters)}) -> {returns}:"
    inner = indent + "    "
    if _fits(whole):
        return whole
    if len(parameters) > 1 and _fits(inner + ", ".join(parameters)):
        return "\n".join([f"{indent}{head}(", inner + ", ".join(parameters), close])
    lines = [f"{indent}{head}("]
    for parameter in parameters:
        name, _, typed = parameter.partition(": ")
        annotation, equals, default = typed.partition(" = ")
        if _fits(f"{inner}{parameter},") or " | " not in annotation.split("[")[0]:
            lines.extend(_split(inner, parameter, ","))
            continue
        lines.append(f"{inner}{name}: (")
        if _fits(f"{inner}    {annotation}") or "[" in annotation:
            lines.append(f"{inner}    {annotation}")
        else:
            lines.append(f"{inner}    " + annotation.replace(" | ", f"\n{inner}    | "))
        lines.append(f"{inner}){equals}{default},")
    return "\n".join([*lines, close])
