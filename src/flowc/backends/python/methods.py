"""A method as fakes and stubs print it: signature, statements, docstring."""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.layout import split_line
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


def statement(indent: str, line: str) -> str:
    """A line that ends in brackets, at ``indent``, as black prints it
    (``layout.split_line`` owns the rules)."""
    return split_line(indent + line)


def signature(indent: str, head: str, parameters: list[str], returns: str) -> str:
    """``{head}({parameters}) -> {returns}:`` at ``indent``, as black prints it."""
    return split_line(f"{indent}{head}({', '.join(parameters)}) -> {returns}:")
