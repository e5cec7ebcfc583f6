"""What a Data Transformations row means: which models, which field from which.

Checks use this to report bad rows; the Python backend uses the same plan to
write the mapping functions, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flowc import naming
from flowc.model import (
    Flow,
    Model,
    ModelField,
    ModelKind,
    Scalar,
    System,
    Transformation,
    TypeRef,
)
from flowc.model.refs import ModelRef, RefKind, parse_model_ref
from flowc.schemaorg import vocabulary


class Shape(StrEnum):
    MODEL = "model"
    SCHEMAORG = "schemaorg"
    REQUEST_BODY = "request_body"


@dataclass(frozen=True)
class Resolved:
    """A row's Input or Output: a declared model, a Schema.org type, or the request body."""

    shape: Shape
    model: Model | None = None
    schema_type: str | None = None
    text: str = ""

    @property
    def name(self) -> str:
        if self.model is not None:
            return self.model.name
        return self.schema_type or "RequestBody"


@dataclass(frozen=True)
class RefProblem:
    code: str
    message: str
    hint: str


@dataclass(frozen=True)
class Assignment:
    """``target`` takes its value from input field ``source`` (or a keyword argument)."""

    target: str
    target_type: TypeRef
    required: bool
    source: str | None
    source_required: bool = True


@dataclass
class MappingPlan:
    source: Resolved
    target: Resolved
    assignments: list[Assignment] = field(default_factory=list)
    dropped_secrets: list[str] = field(default_factory=list)

    @property
    def keyword_arguments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.source is None]


def flow_model_name(flow: Flow, suffix: str) -> str:
    return naming.pascal(flow.name) + suffix


def resolve_ref(system: System, flow: Flow, text: str) -> Resolved | RefProblem:
    """Read an Input/Output cell as spec-language.md's table of model texts says."""
    ref = parse_model_ref(text)
    if ref is None:
        return RefProblem(
            "FLW412",
            f"{text!r} names no model",
            "write HTTP JSON, DTO, <Name> DTO, <Name> entity, Schema.org/<Type> event or `ModelName`",
        )
    return _resolve(system, flow, ref, text)


def _resolve(
    system: System, flow: Flow, ref: ModelRef, text: str
) -> Resolved | RefProblem:
    if ref.kind == RefKind.HTTP_JSON:
        request = system.model(flow_model_name(flow, "Request"))
        if request is not None:
            return Resolved(Shape.MODEL, model=request, text=text)
        return Resolved(Shape.REQUEST_BODY, text=text)
    if ref.kind == RefKind.DTO:
        return _flow_dto(system, flow, text)
    if ref.kind == RefKind.SCHEMAORG:
        vocab = vocabulary()
        if not vocab.has_type(ref.name) or vocab.is_datatype(ref.name):
            suggestion = vocab.suggest_type(ref.name)
            return RefProblem(
                "FLW601",
                f"Schema.org has no type {ref.name!r}",
                (
                    f"did you mean {suggestion!r}?"
                    if suggestion
                    else "see https://schema.org/docs/full.html"
                ),
            )
        return Resolved(Shape.SCHEMAORG, schema_type=ref.name, text=text)
    candidates = [ref.name]
    if ref.kind == RefKind.NAMED_DTO:
        candidates.append(ref.name + "DTO")
    if ref.kind == RefKind.EVENT:
        candidates.append(ref.name + "Event")
    for name in candidates:
        model = system.model(name)
        if model is not None:
            return Resolved(Shape.MODEL, model=model, text=text)
    return RefProblem(
        "FLW402",
        f"{text!r}: no model named {' or '.join(repr(c) for c in candidates)}",
        "declare it under Shared Concepts (### "
        + candidates[0]
        + f" ({ref.kind.value if ref.kind != RefKind.NAMED_DTO else 'DTO'}))",
    )


def _flow_dto(system: System, flow: Flow, text: str) -> Resolved | RefProblem:
    for suffix in ("DTO", "Dto", "Request"):
        model = system.model(flow_model_name(flow, suffix))
        if model is not None:
            return Resolved(Shape.MODEL, model=model, text=text)
    same_document = [
        m
        for m in system.models
        if m.kind == ModelKind.DTO and m.loc.file == flow.loc.file
    ]
    if len(same_document) == 1:
        return Resolved(Shape.MODEL, model=same_document[0], text=text)
    if len(same_document) > 1:
        return RefProblem(
            "FLW411",
            f"'DTO' could mean {', '.join(m.name for m in same_document)}",
            f"name it in the table (`{same_document[0].name}`) or call one {flow_model_name(flow, 'DTO')}",
        )
    return RefProblem(
        "FLW402",
        f"flow {flow.name!r} has no DTO to map",
        f"declare {flow_model_name(flow, 'DTO')} (or {flow_model_name(flow, 'Request')}) under Shared Concepts",
    )


# --- field plans ---------------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    return naming.snake(a) == naming.snake(b)


def _source_for(
    target: str, inputs: tuple[ModelField, ...], input_model: Model | None
) -> ModelField | None:
    for candidate in inputs:
        if candidate.name == target:
            return candidate
    for candidate in inputs:
        if candidate.schema_org and candidate.schema_org == target:
            return candidate
    for candidate in inputs:
        if _same(candidate.name, target):
            return candidate
    if (
        input_model is not None
        and naming.snake(target) == naming.snake(input_model.name) + "_id"
    ):
        return next((c for c in inputs if c.name == "id"), None)
    return None


_TEXT_LIKE = {Scalar.STRING, Scalar.EMAIL}
"""An email is text, and text that is an email is validated when the model is built."""


def _fills(source: TypeRef, target: TypeRef) -> bool:
    """A value of ``source`` can fill ``target``: the same type, or an enum whose
    values the target's enum all has."""
    if source == target or {source.scalar, target.scalar} == _TEXT_LIKE:
        return True
    return bool(source.enum_values and target.enum_values) and set(
        source.enum_values
    ) <= set(target.enum_values)


def plan_mapping(source: Resolved, target: Resolved) -> MappingPlan:
    """Decide every output field's origin; nothing is invented."""
    plan = MappingPlan(source=source, target=target)
    inputs = source.model.fields if source.model is not None else ()
    if target.shape == Shape.SCHEMAORG:
        return _plan_schemaorg(plan, inputs)
    outputs = target.model.fields if target.model is not None else ()
    for out_field in outputs:
        origin = _source_for(out_field.name, inputs, source.model)
        if origin is not None and origin.secret and not out_field.secret:
            plan.dropped_secrets.append(origin.name)
            origin = None
        if origin is not None and not _fills(origin.type, out_field.type):
            origin = None  # same name, other type: the caller hands the value over
        plan.assignments.append(
            Assignment(
                target=out_field.name,
                target_type=out_field.type,
                required=out_field.required,
                source=origin.name if origin is not None else None,
                source_required=origin.required if origin is not None else True,
            )
        )
    return plan


def _plan_schemaorg(plan: MappingPlan, inputs: tuple[ModelField, ...]) -> MappingPlan:
    """A Schema.org payload carries each input field that names or pairs with a property."""
    vocab = vocabulary()
    type_name = plan.target.schema_type or "Thing"
    properties = vocab.properties(type_name)
    by_snake = {naming.snake(name): name for name in properties}
    for in_field in inputs:
        prop = in_field.schema_org or by_snake.get(naming.snake(in_field.name))
        if prop is None:
            continue
        if in_field.secret:
            plan.dropped_secrets.append(in_field.name)
            continue
        plan.assignments.append(
            Assignment(
                target=prop,
                target_type=in_field.type,
                required=in_field.required,
                source=in_field.name,
                source_required=in_field.required,
            )
        )
    return plan


def value_type(type_ref: TypeRef, system: System) -> str | None:
    """The vocabulary's name for a field type: a scalar, or a model's Schema.org type."""
    if type_ref.item is not None:
        return value_type(type_ref.item, system)
    if type_ref.scalar is not None:
        return type_ref.scalar.value
    if type_ref.enum_values:
        return Scalar.STRING.value
    model = system.model(type_ref.model or "")
    return model.schema_org_type if model is not None else None


def transformation_models(
    system: System, flow: Flow, row: Transformation
) -> tuple[Resolved | RefProblem, Resolved | RefProblem]:
    return resolve_ref(system, flow, row.input), resolve_ref(system, flow, row.output)
