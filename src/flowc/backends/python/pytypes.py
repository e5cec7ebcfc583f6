"""Spec field types -> Python annotations, imports and sample values."""

from __future__ import annotations

from dataclasses import dataclass

from flowc import naming
from flowc.model import Scalar, TypeRef

_SCALARS: dict[Scalar, tuple[str, str | None]] = {
    Scalar.STRING: ("str", None),
    Scalar.INTEGER: ("int", None),
    Scalar.NUMBER: ("float", None),
    Scalar.BOOLEAN: ("bool", None),
    Scalar.DATE: ("date", "from datetime import date"),
    Scalar.DATETIME: ("AwareDatetime", "from pydantic import AwareDatetime"),
    Scalar.UUID: ("UUID", "from uuid import UUID"),
    Scalar.EMAIL: ("EmailStr", "from pydantic import EmailStr"),
    Scalar.URL: ("AnyUrl", "from pydantic import AnyUrl"),
    Scalar.DECIMAL: ("Decimal", "from decimal import Decimal"),
}

_SAMPLES: dict[Scalar, str] = {
    Scalar.STRING: '"{name}-sample"',
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

_SAMPLE_IMPORTS: dict[Scalar, str] = {
    Scalar.DATE: "from datetime import date",
    Scalar.DATETIME: "from datetime import UTC, datetime",
    Scalar.UUID: "from uuid import UUID",
    Scalar.DECIMAL: "from decimal import Decimal",
}


@dataclass(frozen=True)
class Annotation:
    """A Python annotation and the imports it needs."""

    text: str
    imports: tuple[str, ...] = ()


def enum_class_name(model: str, field: str) -> str:
    return naming.pascal(model) + naming.pascal(field)


def annotation(
    type_ref: TypeRef, model: str, field: str, models_module: str = ""
) -> Annotation:
    """The annotation for a field of ``model`` (enums are named <Model><Field>)."""
    prefix = f"{models_module}." if models_module else ""
    if type_ref.scalar is not None:
        text, imported = _SCALARS[type_ref.scalar]
        return Annotation(text, (imported,) if imported else ())
    if type_ref.item is not None:
        inner = annotation(type_ref.item, model, field, models_module)
        return Annotation(f"list[{inner.text}]", inner.imports)
    if type_ref.enum_values:
        return Annotation(prefix + enum_class_name(model, field))
    return Annotation(prefix + (type_ref.model or "object"))


def sample(
    type_ref: TypeRef, name: str, index: int, models_module: str, enum_owner: str
) -> tuple[str, tuple[str, ...]]:
    """A Python expression of a valid sample value (for generated tests and fakes)."""
    if type_ref.scalar is not None:
        text = _SAMPLES[type_ref.scalar].format(
            name=naming.snake(name) or "value", index=index
        )
        imported = _SAMPLE_IMPORTS.get(type_ref.scalar)
        return text, (imported,) if imported else ()
    if type_ref.item is not None:
        inner, imports = sample(type_ref.item, name, index, models_module, enum_owner)
        return f"[{inner}]", imports
    if type_ref.enum_values:
        value = type_ref.enum_values[0]
        return f"{models_module}.{enum_class_name(enum_owner, name)}({value!r})", ()
    return f"sample_{naming.snake(type_ref.model or '')}()", ()
