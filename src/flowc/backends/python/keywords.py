"""A mapping function's Python names: its keyword arguments (the output fields its
input cannot supply) and the attributes it reads and writes."""

from __future__ import annotations

from dataclasses import dataclass

from flowc import naming
from flowc.backends.python.imports import Expression
from flowc.backends.python.samples import sample_expression
from flowc.checks.analysis import MappingFunction
from flowc.checks.analysis.attributes import field_attribute
from flowc.checks.analysis.pytypes import Annotation, annotation
from flowc.checks.mapping import Assignment


@dataclass(frozen=True)
class Keyword:
    """``name: annotation`` in the signature, and a valid sample value for fakes and tests."""

    name: str
    annotation: Annotation
    sample: Expression
    optional: bool
    """The output field is optional: the argument defaults to None, never forced."""


def keywords(mapping: MappingFunction) -> list[Keyword]:
    owner = (
        mapping.target_model.name
        if mapping.target_model is not None
        else mapping.target.name
    )
    return [
        Keyword(
            name=field_attribute(assignment.target),
            annotation=annotation(
                assignment.target_type, owner, assignment.target, "models"
            ),
            sample=sample_expression(
                assignment.target_type, assignment.target, index, owner
            ),
            optional=not assignment.required,
        )
        for index, assignment in enumerate(mapping.keyword_arguments, start=1)
    ]


def target_attribute(mapping: MappingFunction, assignment: Assignment) -> str:
    """The output's attribute: Schema.org payloads name theirs in snake_case."""
    if mapping.target.kind == "schemaorg":
        return naming.snake(assignment.target)
    return field_attribute(assignment.target)


def source_attribute(assignment: Assignment) -> str:
    """The input attribute a value is read from."""
    return field_attribute(assignment.source or "")
