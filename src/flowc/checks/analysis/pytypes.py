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


@dataclass(frozen=True)
class Annotation:
    """A Python annotation and the imports it needs."""

    text: str
    imports: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    """The generated package's own modules it names (``models``)."""


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
        return Annotation(f"list[{inner.text}]", inner.imports, inner.modules)
    modules = (models_module,) if models_module else ()
    if type_ref.enum_values:
        return Annotation(prefix + enum_class_name(model, field), modules=modules)
    return Annotation(prefix + (type_ref.model or "object"), modules=modules)
