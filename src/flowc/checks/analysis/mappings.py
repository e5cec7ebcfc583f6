"""Data Transformations rows as mapping functions, named and typed once per pair."""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.model import Analysis, Held, MappingFunction
from flowc.checks.analysis.requests import request_model
from flowc.checks.mapping import Resolved, Shape, plan_mapping
from flowc.model import Flow, Transformation


def held(analysis: Analysis, flow: Flow, resolved: Resolved) -> Held:
    """The value a resolved Input/Output cell stands for."""
    if resolved.shape == Shape.SCHEMAORG:
        return Held("schemaorg", resolved.schema_type or "Thing")
    if resolved.shape == Shape.REQUEST_BODY:
        return Held("model", request_model(analysis, flow).name)
    assert resolved.model is not None
    return Held("model", resolved.model.name)


def mapping_function(
    analysis: Analysis,
    flow: Flow,
    row: Transformation,
    source: Resolved,
    target: Resolved,
) -> MappingFunction:
    """``<source>_to_<target>``; the same pair in another flow reuses the function."""
    if source.shape == Shape.REQUEST_BODY:
        source = Resolved(
            Shape.MODEL, model=request_model(analysis, flow), text=source.text
        )
    held_source, held_target = held(analysis, flow, source), held(
        analysis, flow, target
    )
    prefix = "schemaorg_" if held_target.kind == "schemaorg" else ""
    name = (
        f"{naming.snake(held_source.name)}_to_{prefix}{naming.snake(held_target.name)}"
    )
    existing = analysis.mappings.get(name)
    if existing is not None:
        return existing
    plan = plan_mapping(source, target)
    mapping = MappingFunction(
        name=name,
        source=held_source,
        target=held_target,
        target_model=target.model,
        assignments=plan.assignments,
        dropped_secrets=plan.dropped_secrets,
        text=f"{row.input} -> {row.output}",
        loc=row.loc,
        flow=flow.name,
    )
    analysis.mappings[name] = mapping
    if held_target.kind == "schemaorg":
        analysis.schemaorg_types.setdefault(held_target.name, plan.assignments)
    return mapping


def fields_needed(model: str, mappings: list[MappingFunction]) -> set[str]:
    """Optional fields of ``model`` that the flow's mappings need a value for.

    A field is needed when a mapping puts it into a required output field, or
    into an optional one that is needed in turn (followed through the chain
    of models, each model once).
    """
    by_source: dict[str, list[MappingFunction]] = {}
    for mapping in mappings:
        if mapping.source.kind == "model":
            by_source.setdefault(mapping.source.name, []).append(mapping)
    needed: dict[str, set[str]] = {}

    def needed_of(name: str) -> set[str]:
        if name in needed:
            return needed[name]
        needed[name] = set()  # a cycle of mappings needs nothing more
        found: set[str] = set()
        for mapping in by_source.get(name, []):
            onward = (
                needed_of(mapping.target.name)
                if mapping.target.kind == "model"
                else set()
            )
            for assignment in mapping.assignments:
                if assignment.source is None or assignment.source_required:
                    continue
                if assignment.required or assignment.target in onward:
                    found.add(assignment.source)
        needed[name] = found
        return found

    return needed_of(model)
