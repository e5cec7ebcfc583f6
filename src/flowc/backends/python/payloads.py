"""Schema.org payload classes: which properties, typed how, converted how."""

from __future__ import annotations

from dataclasses import dataclass

from flowc import naming
from flowc.backends.python.layout import split_line
from flowc.backends.python.render import pyrepr
from flowc.checks.mapping import Assignment
from flowc.model import Scalar
from flowc.schemaorg import vocabulary

# A flowc scalar keeps its Python type where the property's range takes it natively.
_NATIVE_RANGES: dict[Scalar, tuple[set[str], str, str | None]] = {
    Scalar.INTEGER: ({"Integer", "Number"}, "int", None),
    Scalar.NUMBER: ({"Number", "Float"}, "float", None),
    Scalar.BOOLEAN: ({"Boolean"}, "bool", None),
    Scalar.DATE: ({"Date"}, "date", "from datetime import date"),
    Scalar.DATETIME: (
        {"DateTime"},
        "AwareDatetime",
        "from pydantic import AwareDatetime",
    ),
    Scalar.URL: ({"URL"}, "AnyUrl", "from pydantic import AnyUrl"),
}
_TEXT_ALREADY = {Scalar.STRING, Scalar.EMAIL}


@dataclass(frozen=True)
class PayloadField:
    attribute: str
    alias: str
    annotation: str
    required: bool
    as_text: bool
    imports: tuple[str, ...]

    @property
    def declaration(self) -> str:
        """``attribute: annotation = Field(...)`` in its class, laid out as black would."""
        optional = "" if self.required else " | None"
        default = "" if self.required else "default=None, "
        aliases = f"{pyrepr(self.alias)}, {pyrepr(self.attribute)}"
        return split_line(
            f"    {self.attribute}: {self.annotation}{optional} = Field({default}"
            f"validation_alias=AliasChoices({aliases}), "
            f"serialization_alias={pyrepr(self.alias)})"
        )


def payload_fields(type_name: str, assignments: list[Assignment]) -> list[PayloadField]:
    vocab = vocabulary()
    result: list[PayloadField] = []
    for assignment in assignments:
        prop = vocab.property(type_name, assignment.target)
        ranges = set(prop.ranges) if prop is not None else {"Text"}
        annotation, imports, as_text = _annotation(assignment, ranges)
        if assignment.target_type.item is not None:
            annotation = f"list[{annotation}]"
        result.append(
            PayloadField(
                attribute=naming.snake(assignment.target),
                alias=assignment.target,
                annotation=annotation,
                required=assignment.required and assignment.source_required,
                as_text=as_text,
                imports=imports,
            )
        )
    return result


def _annotation(
    assignment: Assignment, ranges: set[str]
) -> tuple[str, tuple[str, ...], bool]:
    type_ref = assignment.target_type.item or assignment.target_type
    scalar = type_ref.scalar
    if scalar is None:
        return "str", (), True
    if scalar in _TEXT_ALREADY:
        return "str", (), False
    native = _NATIVE_RANGES.get(scalar)
    if native is not None and native[0] & ranges:
        return native[1], (native[2],) if native[2] else (), False
    return "str", (), True
