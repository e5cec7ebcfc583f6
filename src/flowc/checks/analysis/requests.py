"""A flow's HTTP request: its route line, its body model and its typed path parameters."""

from __future__ import annotations

from flowc.checks.analysis.model import Analysis, PathParameter
from flowc.checks.mapping import Resolved, flow_model_name, resolve_ref
from flowc.checks.resolve import parse_route
from flowc.model import Flow, MessageKind, Model, ModelField, ModelKind, Scalar, TypeRef
from flowc.model.refs import ModelRef, RefKind, parse_model_ref

_TEXT = TypeRef(scalar=Scalar.STRING)


def route_line(flow: Flow) -> tuple[str, str]:
    """The method and path of the flow's first request line (POST / when none)."""
    for message in flow.messages():
        if message.kind == MessageKind.REQUEST:
            route = parse_route(message.text)
            if route is not None:
                return route
    return "POST", "/"


def path_names(path: str) -> list[str]:
    return [
        part[1:-1]
        for part in path.split("/")
        if part.startswith("{") and part.endswith("}") and len(part) > 2
    ]


def request_model(analysis: Analysis, flow: Flow) -> Model:
    """``<Flow>Request``: declared, or derived from the DTO the body maps to.

    A request without a body (GET, DELETE) is its path parameters, each typed
    as the DTO field of the same name, else as text.
    """
    name = flow_model_name(flow, "Request")
    declared = analysis.model(name)
    if declared is not None:
        return declared
    method, path = route_line(flow)
    has_body = method in ("POST", "PUT", "PATCH")
    dto_model = _body_target(analysis, flow)
    if has_body:
        fields = dto_model.fields if dto_model is not None else ()
    else:
        fields = tuple(
            _path_field(param, dto_model, path, flow) for param in path_names(path)
        )
    derived = Model(
        name=name,
        kind=ModelKind.DTO,
        description=f"The {'JSON body' if has_body else 'parameters'} of the {flow.name} request.",
        fields=fields,
        loc=flow.loc,
    )
    analysis.add_derived(derived)
    return derived


def _body_target(analysis: Analysis, flow: Flow) -> Model | None:
    """The DTO the request body maps to: the Output of the row whose Input is
    HTTP JSON, else the flow's DTO."""
    for row in flow.transformations:
        if parse_model_ref(row.input) == ModelRef(RefKind.HTTP_JSON):
            target = resolve_ref(analysis.system, flow, row.output)
            if isinstance(target, Resolved) and target.model is not None:
                return target.model
    dto = resolve_ref(analysis.system, flow, "DTO")
    return dto.model if isinstance(dto, Resolved) else None


def _path_field(param: str, dto: Model | None, path: str, flow: Flow) -> ModelField:
    typed = dto.field(param) if dto is not None else None
    return ModelField(
        name=param,
        type=typed.type if typed is not None and _is_simple(typed.type) else _TEXT,
        description=f"From the path {path}.",
        loc=flow.loc,
    )


def _is_simple(type_ref: TypeRef) -> bool:
    """A path segment holds one scalar or enum value, never a list or a model."""
    return type_ref.scalar is not None or bool(type_ref.enum_values)


def path_parameters(path: str, request: Model, has_body: bool) -> list[PathParameter]:
    """Each ``{name}`` of the path, typed as the request's field of that name."""
    found: list[PathParameter] = []
    for param in path_names(path):
        field = request.field(param)
        typed = field is not None and _is_simple(field.type)
        found.append(
            PathParameter(
                name=param,
                type=field.type if field is not None and typed else _TEXT,
                owner=request.name,
                in_body=has_body and field is not None,
            )
        )
    return found


def body_model(
    analysis: Analysis,
    flow: Flow,
    request: Model,
    params: list[PathParameter],
    needed: set[str],
) -> Model | None:
    """``<Flow>Body``: what the client sends, when it differs from the request.

    The fields its path gives are left out, so that a client never sends an id
    twice (and the path's value always wins). Optional fields the flow's
    mappings need (``needed``) are required here, so a request without one is
    refused at the boundary, as the OpenAPI document says, instead of failing
    half-way through the flow.
    """
    in_path = {p.name for p in params if p.in_body}
    required = {f.name for f in request.fields if not f.required} & needed
    if not in_path and not required:
        return None
    name = flow_model_name(flow, "Body")
    existing = analysis.model(name)
    if existing is not None:
        return existing
    notes = []
    if in_path:
        notes.append(f"{', '.join(sorted(in_path))} come from the path")
    if required:
        notes.append(f"{', '.join(sorted(required))} the flow needs")
    derived = Model(
        name=name,
        kind=ModelKind.DTO,
        description=f"The JSON body of the {flow.name} request; {'; '.join(notes)}.",
        fields=tuple(
            f.model_copy(update={"required": True}) if f.name in required else f
            for f in request.fields
            if f.name not in in_path
        ),
        loc=flow.loc,
    )
    analysis.add_derived(derived)
    return derived
