"""Sample values for generated tests and fakes: valid, deterministic, readable."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowc import naming
from flowc.backends.python.imports import Expression
from flowc.backends.python.payloads import PayloadField
from flowc.backends.python.render import pyrepr
from flowc.checks.analysis.attributes import field_attribute
from flowc.model import Model, Scalar, TypeRef

_SCALAR_SAMPLES: dict[Scalar, str] = {
    Scalar.STRING: '"{name}"',
    Scalar.INTEGER: "1",
    Scalar.NUMBER: "1.5",
    Scalar.BOOLEAN: "True",
    Scalar.DATE: "date(2026, 1, 2)",
    Scalar.DATETIME: "datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)",
    Scalar.UUID: 'UUID("00000000-0000-4000-8000-{index:012d}")',
    Scalar.EMAIL: '"{name}@example.com"',
    Scalar.URL: '"https://example.com/{name}"',
    Scalar.DECIMAL: 'Decimal("9.99")',
}
_ANNOTATION_SAMPLES: dict[str, tuple[str, str | None]] = {
    "str": ('"sample"', None),
    "int": ("1", None),
    "float": ("1.5", None),
    "bool": ("True", None),
    "date": ("date(2026, 1, 2)", "from datetime import date"),
    "AwareDatetime": (
        "datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)",
        "from datetime import UTC, datetime",
    ),
    "UUID": ('UUID("00000000-0000-4000-8000-000000000001")', "from uuid import UUID"),
    "EmailStr": ('"someone@example.com"', None),
    "AnyUrl": ('AnyUrl("https://example.com/")', "from pydantic import AnyUrl"),
    "Decimal": ('Decimal("9.99")', "from decimal import Decimal"),
}


@dataclass
class SampleFunction:
    """``sample_<model>()``: a valid instance, built from one sample per field."""

    name: str
    annotation: str
    module: str
    """The package module its class lives in."""
    arguments: list[tuple[str, Expression]] = field(default_factory=list)
    construct: bool = False
    """A verbatim JSON Schema model: built with ``model_construct``."""


_SCALAR_IMPORTS: dict[Scalar, str] = {
    Scalar.DATE: "from datetime import date",
    Scalar.DATETIME: "from datetime import UTC, datetime",
    Scalar.UUID: "from uuid import UUID",
    Scalar.URL: "from pydantic import AnyUrl",
    Scalar.DECIMAL: "from decimal import Decimal",
}


def sample_name(type_name: str, *, schemaorg: bool = False) -> str:
    """``sample_<model>``, or ``sample_schemaorg_<type>`` for a Schema.org payload."""
    prefix = "sample_schemaorg_" if schemaorg else "sample_"
    return prefix + naming.snake(type_name)


def sample_expression(
    type_ref: TypeRef, name: str, index: int, owner: str
) -> Expression:
    """A valid, deterministic value of ``type_ref`` for field ``name`` of ``owner``."""
    if type_ref.scalar is not None:
        imported = _SCALAR_IMPORTS.get(type_ref.scalar)
        imports = frozenset({imported}) if imported else frozenset()
        if type_ref.scalar == Scalar.URL:
            text = f'AnyUrl("https://example.com/{naming.snake(name) or "x"}")'
        else:
            text = _SCALAR_SAMPLES[type_ref.scalar].format(
                name=(naming.snake(name) or "value").replace("_", "-"), index=index
            )
        return Expression(text, imports)
    if type_ref.item is not None:
        inner = sample_expression(type_ref.item, name, index, owner)
        return Expression(
            f"[{inner.text}]", inner.imports, inner.samples, inner.modules
        )
    if type_ref.enum_values:
        from flowc.checks.analysis.pytypes import enum_class_name

        value = pyrepr(type_ref.enum_values[0])
        return Expression(
            f"models.{enum_class_name(owner, name)}({value})",
            modules=frozenset({"models"}),
        )
    function = sample_name(type_ref.model or "")
    return Expression(f"{function}()", samples=frozenset({function}))


def model_samples(models: list[Model]) -> list[SampleFunction]:
    functions: list[SampleFunction] = []
    for model in models:
        function = SampleFunction(
            name=sample_name(model.name),
            annotation=f"models.{model.name}",
            module="models",
            construct=model.json_schema is not None,
        )
        if model.json_schema is None:
            for index, field_ in enumerate(model.fields, start=1):
                if field_.required or field_.type.model is None:
                    function.arguments.append(
                        (
                            field_attribute(field_.name),
                            sample_expression(
                                field_.type, field_.name, index, model.name
                            ),
                        )
                    )
        functions.append(function)
    return functions


def payload_sample(type_name: str, fields: list[PayloadField]) -> SampleFunction:
    function = SampleFunction(
        name=sample_name(type_name, schemaorg=True),
        annotation=f"schemaorg.{type_name}",
        module="schemaorg",
    )
    for payload_field in fields:
        inner = payload_field.annotation.removeprefix("list[").removesuffix("]")
        value = annotation_expression(inner)
        if payload_field.annotation.startswith("list["):
            value = Expression(f"[{value.text}]", value.imports)
        function.arguments.append((payload_field.attribute, value))
    return function


def annotation_expression(annotation: str) -> Expression:
    """A sample for a value known only by its annotation (a return, a payload)."""
    annotation = annotation.split(" | ")[0]  # any member of a union will do
    if annotation.startswith("list["):
        return Expression("[]")
    if annotation.startswith("models."):
        function = sample_name(annotation.removeprefix("models."))
        return Expression(f"{function}()", samples=frozenset({function}))
    if annotation.startswith("schemaorg."):
        function = sample_name(annotation.removeprefix("schemaorg."), schemaorg=True)
        return Expression(f"{function}()", samples=frozenset({function}))
    if annotation == "dict[str, Any]":
        return Expression('{"sample": True}')
    text, imported = _ANNOTATION_SAMPLES.get(annotation, ('"sample"', None))
    return Expression(text, frozenset({imported}) if imported else frozenset())


_INVALID: dict[Scalar, str] = {
    Scalar.INTEGER: "not-a-number",
    Scalar.NUMBER: "not-a-number",
    Scalar.DECIMAL: "not-a-number",
    Scalar.BOOLEAN: "not-a-boolean",
    Scalar.DATE: "not-a-date",
    Scalar.DATETIME: "not-a-date",
    Scalar.UUID: "not-a-uuid",
    Scalar.EMAIL: "not-an-email",
    Scalar.URL: "not a url",
}


@dataclass(frozen=True)
class InvalidRequest:
    """A request the validation row must refuse, and the fields it must name."""

    payload: dict[str, str]
    fields: frozenset[str]


def invalid_request(model: Model) -> InvalidRequest | None:
    """An empty request when fields are required; else one value of the wrong type.

    None when nothing can be wrong (every field optional text): that
    validation row cannot be reached by a request.
    """
    required = frozenset(f.name for f in model.fields if f.required)
    if required:
        return InvalidRequest({}, required)
    for model_field in model.fields:
        type_ref = model_field.type
        if type_ref.enum_values:
            return InvalidRequest(
                {model_field.name: "not-a-valid-choice"}, frozenset({model_field.name})
            )
        if type_ref.scalar in _INVALID:
            return InvalidRequest(
                {model_field.name: _INVALID[type_ref.scalar]},
                frozenset({model_field.name}),
            )
    return None
