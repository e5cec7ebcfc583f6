"""Field types of the spec language and their one textual form."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field

from flowc.model.base import Node


class Scalar(StrEnum):
    """The built-in field types of spec-language.md."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    EMAIL = "email"
    URL = "url"
    DECIMAL = "decimal"


class TypeRef(Node):
    """A field type: a scalar, a list of a type, a named model, or an enum."""

    scalar: Scalar | None = None
    item: TypeRef | None = None
    model: str | None = None
    enum_values: tuple[str, ...] = Field(default=())

    def __str__(self) -> str:
        if self.scalar is not None:
            return self.scalar.value
        if self.item is not None:
            return f"list[{self.item}]"
        if self.enum_values:
            return "enum(" + ", ".join(self.enum_values) + ")"
        return self.model or ""

    def referenced_models(self) -> tuple[str, ...]:
        """Model names this type needs resolved."""
        if self.model is not None:
            return (self.model,)
        if self.item is not None:
            return self.item.referenced_models()
        return ()


_SCALAR_ALIASES = {
    "str": Scalar.STRING,
    "text": Scalar.STRING,
    "int": Scalar.INTEGER,
    "float": Scalar.NUMBER,
    "bool": Scalar.BOOLEAN,
    "date-time": Scalar.DATETIME,
    "timestamp": Scalar.DATETIME,
    "uri": Scalar.URL,
}
_LIST = re.compile(r"^(?:list|array)\s*\[\s*(?P<item>.+?)\s*\]$", re.IGNORECASE)
_ENUM = re.compile(r"^enum\s*\((?P<values>.*)\)$", re.IGNORECASE | re.DOTALL)
_MODEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_TYPE_LENGTH = 2000


class TypeSyntaxError(ValueError):
    """The text is not a type of the spec language."""


def parse_type(text: str) -> TypeRef:
    """Parse ``string``, ``list[Address]``, ``enum(a, b)`` or a model name.

    Scalars are matched case-insensitively; model names keep their case.
    Nested lists are handled iteratively so no input can exhaust the stack.
    """
    source = text.strip().strip("`").strip()
    if not source:
        raise TypeSyntaxError("empty type")
    if len(source) > _MAX_TYPE_LENGTH:
        raise TypeSyntaxError("type text is too long")
    depth = 0
    while (match := _LIST.match(source)) is not None:
        depth += 1
        source = match.group("item")
    ref = _parse_simple(source)
    for _ in range(depth):
        ref = TypeRef(item=ref)
    return ref


def _parse_simple(source: str) -> TypeRef:
    enum_match = _ENUM.match(source)
    if enum_match is not None:
        values = tuple(
            value.strip().strip("'\"")
            for value in enum_match.group("values").split(",")
        )
        if not values or any(not value for value in values):
            raise TypeSyntaxError(f"enum needs non-empty values: {source!r}")
        if len(set(values)) != len(values):
            raise TypeSyntaxError(f"enum repeats a value: {source!r}")
        return TypeRef(enum_values=values)
    lowered = source.lower()
    if lowered in Scalar._value2member_map_:
        return TypeRef(scalar=Scalar(lowered))
    if lowered in _SCALAR_ALIASES:
        return TypeRef(scalar=_SCALAR_ALIASES[lowered])
    if _MODEL_NAME.match(source):
        return TypeRef(model=source)
    raise TypeSyntaxError(f"not a type: {source!r}")
