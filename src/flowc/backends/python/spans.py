"""A span of a diagram (a route, an operation, a consumer) as Python statements.

Generated entry points run the span for real; where the spec leaves a value
open (a mapping's server-assigned fields, an event payload built from
something else) they call a ``make_*`` hook the person implements. Fakes for
tests fill the same gaps with sample values instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from flowc.backends.python.keywords import keywords
from flowc.checks.analysis import Held, MappingFunction, RouteStep


@dataclass
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


Mode = Literal["run", "fake", "recipe"]


def render_span(
    steps: list[RouteStep],
    owner: str,
    start: Held | None,
    mode: Mode = "run",
    sample: dict[str, str] | None = None,
) -> SpanCode:
    """Statements for ``steps``.

    ``run``: generated code, calling ``make_*`` hooks for open values; ``fake``:
    sample values instead (``sample`` maps an annotation to an expression);
    ``recipe``: ``...`` for open values, for docstrings.
    """
    code = SpanCode()
    if start is not None:
        code.variables[start.var] = start
    for step in steps:
        if step.kind == "map" and step.mapping is not None:
            _map(code, step.mapping, owner, mode)
        elif step.kind == "call":
            argument = (
                step.source_var
                if step.source_var in code.variables or not sample
                else ""
            )
            call = f"await {owner}.{_attr(step.target)}.{step.method}({argument})"
            if step.result is not None:
                code.lines.append(f"{step.result_var} = {call}")
                code.variables[step.result_var] = step.result
            else:
                code.lines.append(call)
        elif step.kind == "publish":
            needed = step.needs
            if needed is None:
                continue
            value = _value(
                code,
                step.source,
                needed,
                owner,
                mode,
                sample if sample is not None else {},
                f"the {needed.name} payload",
            )
            code.lines.append(f"await {owner}.events.{step.method}({value})")
        elif step.kind == "local":
            argument = step.source_var if step.source_var in code.variables else ""
            code.lines.append(f"await {owner}.{step.method}({argument})")
    return code


def _attr(service: str) -> str:
    from flowc import naming

    return naming.snake(service)


def _map(code: SpanCode, mapping: MappingFunction, owner: str, mode: Mode) -> None:
    source = mapping.source.var
    arguments = keywords(mapping)
    if arguments and mode == "run":
        hook = f"make_{mapping.target.var}"
        code.hooks.append(
            Hook(
                hook,
                mapping.source,
                mapping.target,
                f"call mappings.{mapping.name} with {', '.join(k.name for k in arguments)}",
            )
        )
        code.lines.append(f"{mapping.target.var} = await {owner}.{hook}({source})")
    else:
        kwargs = "".join(
            f", {k.name}={k.sample.text if mode == 'fake' else '...'}"
            for k in arguments
        )
        code.lines.append(
            f"{mapping.target.var} = mappings.{mapping.name}({source}{kwargs})"
        )
    code.variables[mapping.target.var] = mapping.target


def _value(
    code: SpanCode,
    held: Held | None,
    needed: Held,
    owner: str,
    mode: Mode,
    sample: dict[str, str],
    what: str,
) -> str:
    if held is not None and held == needed and held.var in code.variables:
        return held.var
    for variable, value in code.variables.items():
        if value == needed:
            return variable
    if mode == "fake":
        return sample[needed.annotation]
    if mode == "recipe":
        return "..."
    source = held or next(iter(code.variables.values()), None)
    if source is None:
        hook = f"make_{needed.var}"
        code.hooks.append(Hook(hook, None, needed, what))
        return f"await {owner}.{hook}()"
    hook = f"make_{needed.var}"
    code.hooks.append(Hook(hook, source, needed, what))
    return f"await {owner}.{hook}({source.var})"


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
