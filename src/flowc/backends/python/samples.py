"""Sample values for generated tests and fakes: valid, deterministic, readable."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowc import naming
from flowc.backends.python.payloads import PayloadField
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
_ANNOTATION_SAMPLES: dict[str, str] = {
    "str": '"sample"',
    "int": "1",
    "float": "1.5",
    "bool": "True",
    "date": "date(2026, 1, 2)",
    "AwareDatetime": "datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)",
    "UUID": 'UUID("00000000-0000-4000-8000-000000000001")',
    "EmailStr": '"someone@example.com"',
    "AnyUrl": 'AnyUrl("https://example.com/")',
    "Decimal": 'Decimal("9.99")',
}


@dataclass
class SampleFunction:
    name: str
    annotation: str
    arguments: list[tuple[str, str]] = field(default_factory=list)


def scalar_sample(type_ref: TypeRef, name: str, index: int, owner: str) -> str:
    if type_ref.scalar is not None:
        if type_ref.scalar == Scalar.URL:
            return f'AnyUrl("https://example.com/{naming.snake(name) or "x"}")'
        return _SCALAR_SAMPLES[type_ref.scalar].format(
            name=(naming.snake(name) or "value").replace("_", "-"), index=index
        )
    if type_ref.item is not None:
        return f"[{scalar_sample(type_ref.item, name, index, owner)}]"
    if type_ref.enum_values:
        from flowc.checks.analysis.pytypes import enum_class_name

        return f"models.{enum_class_name(owner, name)}({type_ref.enum_values[0]!r})".replace(
            "'", '"'
        )
    return f"sample_{naming.snake(type_ref.model or '')}()"


def model_samples(models: list[Model]) -> list[SampleFunction]:
    functions: list[SampleFunction] = []
    for model in models:
        function = SampleFunction(
            name=f"sample_{naming.snake(model.name)}", annotation=f"models.{model.name}"
        )
        if model.json_schema is None:
            for index, field_ in enumerate(model.fields, start=1):
                if field_.required or field_.type.model is None:
                    function.arguments.append(
                        (
                            field_attribute(field_.name),
                            scalar_sample(field_.type, field_.name, index, model.name),
                        )
                    )
        functions.append(function)
    return functions


def payload_sample(type_name: str, fields: list[PayloadField]) -> SampleFunction:
    function = SampleFunction(
        name=f"sample_schemaorg_{naming.snake(type_name)}",
        annotation=f"schemaorg.{type_name}",
    )
    for payload_field in fields:
        annotation = payload_field.annotation.removeprefix("list[").removesuffix("]")
        value = _ANNOTATION_SAMPLES.get(annotation, '"sample"')
        if payload_field.annotation.startswith("list["):
            value = f"[{value}]"
        function.arguments.append((payload_field.attribute, value))
    return function


def annotation_sample(annotation: str) -> str:
    if annotation.startswith("list["):
        return "[]"
    if annotation.startswith("models."):
        return f"sample_{naming.snake(annotation.removeprefix('models.'))}()"
    if annotation.startswith("schemaorg."):
        return (
            f"sample_schemaorg_{naming.snake(annotation.removeprefix('schemaorg.'))}()"
        )
    if annotation == "dict[str, Any]":
        return '{"sample": True}'
    return _ANNOTATION_SAMPLES.get(annotation, '"sample"')
