"""A span of a diagram (a route, an operation, a consumer) as Python statements.

Generated entry points run the span for real; where the spec leaves a value
open (a mapping's server-assigned fields, an event payload built from
something else) they call a ``make_*`` hook the person implements. Fakes for
tests fill the same gaps with sample values instead. Every span records what
its statements need imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from flowc import naming
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.keywords import keywords
from flowc.backends.python.mapping_views import mapping_module
from flowc.backends.python.samples import annotation_expression
from flowc.checks.analysis import Held, MappingFunction, RouteStep


@dataclass(frozen=True)
class Hook:
    """An abstract ``make_<target>`` method: build ``target`` from ``source``."""

    name: str
    source: Held | None
    target: Held
    doc: str


@dataclass
class SpanCode:
    lines: list[str] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    variables: dict[str, Held] = field(default_factory=dict)
    imports: ModuleImports = field(default_factory=ModuleImports)


Mode = Literal["run", "fake", "recipe"]


def render_span(
    steps: list[RouteStep], owner: str, start: Held | None, mode: Mode = "run"
) -> SpanCode:
    """Statements for ``steps``.

    ``run``: generated code, calling ``make_*`` hooks for open values; ``fake``:
    sample values instead; ``recipe``: ``...`` for open values, for docstrings.
    """
    code = SpanCode()
    if start is not None:
        code.variables[start.var] = start
    for step in steps:
        if step.kind == "map" and step.mapping is not None:
            _map(code, step.mapping, owner, mode)
        elif step.kind == "call":
            _call(code, step, owner, mode)
        elif step.kind == "publish" and step.needs is not None:
            value = _value(code, step.source, step.needs, owner, mode)
            code.lines.append(f"await {owner}.events.{step.method}({value})")
        elif step.kind == "local":
            argument = step.source_var if step.source_var in code.variables else ""
            code.lines.append(f"await {owner}.{step.method}({argument})")
    return code


def _call(code: SpanCode, step: RouteStep, owner: str, mode: Mode) -> None:
    argument = (
        step.source_var if step.source_var in code.variables or mode != "fake" else ""
    )
    call = f"await {owner}.{naming.snake(step.target)}.{step.method}({argument})"
    if step.result is not None:
        code.lines.append(f"{step.result_var} = {call}")
        code.variables[step.result_var] = step.result
    else:
        code.lines.append(call)


def _map(code: SpanCode, mapping: MappingFunction, owner: str, mode: Mode) -> None:
    source = mapping.source.var
    arguments = keywords(mapping)
    if arguments and mode == "run":
        hook = f"make_{mapping.target.var}"
        names = ", ".join(k.name for k in arguments)
        code.hooks.append(
            Hook(
                hook,
                mapping.source,
                mapping.target,
                f"call {mapping.name} ({mapping_module(mapping)}) with {names}",
            )
        )
        code.lines.append(f"{mapping.target.var} = await {owner}.{hook}({source})")
    else:
        values = []
        for keyword in arguments:
            if mode == "fake":
                code.imports.add(keyword.sample)
            values.append(
                f", {keyword.name}={keyword.sample.text if mode == 'fake' else '...'}"
            )
        code.imports.names.add((mapping_module(mapping), mapping.name))
        # A recipe is read in a docstring: it names the module the function is in.
        function = (
            f"{mapping_module(mapping)}.{mapping.name}"
            if mode == "recipe"
            else mapping.name
        )
        code.lines.append(
            f"{mapping.target.var} = {function}({source}{''.join(values)})"
        )
    code.variables[mapping.target.var] = mapping.target


def _value(
    code: SpanCode, held: Held | None, needed: Held, owner: str, mode: Mode
) -> str:
    """The expression that gives ``needed``: a variable, a sample, or a hook's result."""
    if held is not None and held == needed and held.var in code.variables:
        return held.var
    for variable, value in code.variables.items():
        if value == needed:
            return variable
    if mode == "fake":
        sample = annotation_expression(needed.annotation)
        code.imports.add(sample)
        return sample.text
    if mode == "recipe":
        return "..."
    source = held or next(iter(code.variables.values()), None)
    hook = f"make_{needed.var}"
    what = f"the {needed.name} payload"
    code.hooks.append(Hook(hook, source, needed, what))
    return f"await {owner}.{hook}({source.var if source else ''})"


def with_return(lines: list[str], value: str) -> list[str]:
    """Append ``return value``, folding ``value = expr`` right before it into ``return expr``."""
    if lines and lines[-1].startswith(f"{value} = "):
        return [*lines[:-1], "return " + lines[-1].removeprefix(f"{value} = ")]
    return [*lines, f"return {value}"]


def without_unused(lines: list[str], keep: str | None = None) -> list[str]:
    """Drop ``name = `` from assignments no later line reads (ruff F841), keeping calls."""
    result = list(lines)
    for index, line in enumerate(result):
        target, separator, value = line.partition(" = ")
        if not separator or not target.isidentifier() or target == keep:
            continue
        used = re.compile(rf"\b{re.escape(target)}\b")
        if not any(used.search(later) for later in result[index + 1 :]):
            result[index] = value
    return result
