"""Mapping functions and their tests as typed views, each with the imports it needs."""

from __future__ import annotations

from dataclasses import dataclass

from flowc import naming
from flowc.backends.python.imports import Expression, ModuleImports
from flowc.backends.python.keywords import (
    Keyword,
    keywords,
    source_attribute,
    target_attribute,
)
from flowc.backends.python.layout import split_line
from flowc.backends.python.payloads import PayloadField
from flowc.backends.python.render import pyrepr
from flowc.checks.analysis import Analysis, Held, MappingFunction
from flowc.checks.analysis.attributes import field_attribute
from flowc.checks.analysis.pytypes import enum_class_name
from flowc.checks.mapping import Assignment
from flowc.diagnostics import Location


@dataclass(frozen=True)
class Guard:
    """An optional input that feeds a required output: checked when the mapping runs."""

    source: str
    field: str
    message: str

    @property
    def raise_statement(self) -> str:
        """``raise MappingError(...)`` in the mapping's ``if``, laid out as black would."""
        return split_line(
            f"        raise MappingError({pyrepr(self.field)}, {pyrepr(self.message)})"
        )


@dataclass(frozen=True)
class MappingView:
    name: str
    source: Held
    target: Held
    keywords: list[Keyword]
    text: str
    loc: Location
    flow: str
    dropped_secrets: list[str]
    arguments: list[str]
    guards: list[Guard]

    @property
    def argument_lines(self) -> list[str]:
        """``name=value,`` in the returned constructor call, laid out as black would."""
        return [split_line(f"        {argument},") for argument in self.arguments]


@dataclass(frozen=True)
class FieldCheck:
    """``result.<attribute> == (<expected>)``, guarded when the input may be empty."""

    attribute: str
    expected: str
    guard: str | None


@dataclass(frozen=True)
class MappingCase:
    name: str
    source: Held
    target: Held
    checks: list[FieldCheck]
    keywords: list[tuple[str, str]]
    secrets: list[str]
    text: str


def value_expression(
    mapping: MappingFunction, assignment: Assignment, payload: list[PayloadField]
) -> Expression:
    """How a mapping reads one output field from its input, converting where types differ."""
    value = f"source.{source_attribute(assignment)}"
    by_alias = {f.alias: f for f in payload}
    payload_field = by_alias.get(assignment.target)
    modules: frozenset[str] = frozenset()
    convert = None
    if payload_field is not None and payload_field.as_text:
        convert = "str"
    elif assignment.target_type.enum_values and mapping.target.kind == "model":
        # Each model has its own enum class; the values are the same strings.
        convert = f"models.{enum_class_name(mapping.target.name, assignment.target)}"
        modules = frozenset({"models"})
    if convert is None:
        return Expression(value)
    if assignment.source_required or assignment.required:
        return Expression(f"{convert}({value})", modules=modules)
    return Expression(
        f"None if {value} is None else {convert}({value})", modules=modules
    )


def mapping_view(
    mapping: MappingFunction, payload: list[PayloadField], imports: ModuleImports
) -> MappingView:
    arguments: list[str] = []
    guards: list[Guard] = []
    imports.add_value(mapping.source)
    imports.add_value(mapping.target)
    for keyword in keywords(mapping):
        imports.add_annotation(keyword.annotation)
    for assignment in mapping.assignments:
        attribute = target_attribute(mapping, assignment)
        if assignment.source is None:
            arguments.append(f"{attribute}={field_attribute(assignment.target)}")
            continue
        value = value_expression(mapping, assignment, payload)
        imports.add(value)
        if not assignment.source_required and assignment.required:
            guards.append(
                Guard(
                    source=source_attribute(assignment),
                    field=assignment.source or "",
                    message=f"{mapping.source.name}.{assignment.source} is empty, but {mapping.target.name}.{assignment.target} requires a value",
                )
            )
        arguments.append(f"{attribute}={value.text}")
    return MappingView(
        name=mapping.name,
        source=mapping.source,
        target=mapping.target,
        keywords=keywords(mapping),
        text=mapping.text,
        loc=mapping.loc,
        flow=mapping.flow,
        dropped_secrets=sorted(set(mapping.dropped_secrets)),
        arguments=arguments,
        guards=guards,
    )


def mapping_case(
    mapping: MappingFunction, payload: list[PayloadField], imports: ModuleImports
) -> MappingCase:
    """The generated test of one mapping: every copied field and every handed-over one."""
    checks: list[FieldCheck] = []
    for assignment in mapping.assignments:
        if assignment.source is None:
            continue
        expected = value_expression(mapping, assignment, payload)
        imports.add(expected)
        guard = (
            source_attribute(assignment)
            if not assignment.source_required and assignment.required
            else None
        )
        checks.append(
            FieldCheck(target_attribute(mapping, assignment), expected.text, guard)
        )
    sample_of_source = (
        "sample_schemaorg_" if mapping.source.kind == "schemaorg" else "sample_"
    ) + naming.snake(mapping.source.name)
    imports.samples.add(sample_of_source)
    for keyword in keywords(mapping):
        imports.add(keyword.sample)
    return MappingCase(
        name=mapping.name,
        source=mapping.source,
        target=mapping.target,
        checks=checks,
        keywords=[(k.name, k.sample.text) for k in keywords(mapping)],
        secrets=[field_attribute(s) for s in sorted(set(mapping.dropped_secrets))],
        text=mapping.text,
    )


def mapping_module(mapping: MappingFunction) -> str:
    """``mappings.<flow>``: the module of the flow whose table declared the
    mapping first, so that no module grows with the number of flows."""
    return f"mappings.{naming.snake(mapping.flow)}"


def sorted_mappings(analysis: Analysis) -> list[MappingFunction]:
    return [analysis.mappings[name] for name in sorted(analysis.mappings)]
