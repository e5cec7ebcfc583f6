"""Data Transformations rows: known steps, known models, valid Schema.org payloads."""

from __future__ import annotations

from flowc.checks.mapping import (
    RefProblem,
    Resolved,
    Shape,
    transformation_models,
    value_type,
)
from flowc.diagnostics import Diagnostic
from flowc.model import System, Transformation
from flowc.rules import report
from flowc.schemaorg import vocabulary


def check_transformations(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for flow in system.flows:
        names = {p.name for p in flow.participants} | {system.bus}
        for row in flow.transformations:
            if row.step not in names:
                out.append(
                    report(
                        "FLW606",
                        f"transformation step {row.step!r} is not a participant of flow {flow.name!r}",
                        row.loc,
                        "participants: " + ", ".join(sorted(names)),
                    )
                )
            source, target = transformation_models(system, flow, row)
            for side in (source, target):
                if isinstance(side, RefProblem):
                    out.append(report(side.code, side.message, row.loc, side.hint))
            if isinstance(source, Resolved) and isinstance(target, Resolved):
                _check_row(system, row, source, target, out)
    return out


def _check_row(
    system: System,
    row: Transformation,
    source: Resolved,
    target: Resolved,
    out: list[Diagnostic],
) -> None:
    if target.shape != Shape.SCHEMAORG or source.model is None:
        return
    vocab = vocabulary()
    type_name = target.schema_type or "Thing"
    for in_field in source.model.fields:
        if in_field.schema_org is None:
            continue
        where = in_field.loc if in_field.loc.line else row.loc
        prop = vocab.property(type_name, in_field.schema_org)
        if prop is None:
            suggestion = vocab.suggest_property(type_name, in_field.schema_org)
            out.append(
                report(
                    "FLW602",
                    f"{source.model.name}.{in_field.name} maps to {type_name}.{in_field.schema_org}, which Schema.org {type_name} does not have (row at {row.loc})",
                    where,
                    (
                        f"did you mean {suggestion!r}?"
                        if suggestion
                        else f"see https://schema.org/{type_name}"
                    ),
                )
            )
            continue
        if in_field.secret:
            out.append(
                report(
                    "FLW604",
                    f"secret field {source.model.name}.{in_field.name} names a Schema.org property; it is never published",
                    where,
                    "drop the Schema.org column for secret fields",
                )
            )
            continue
        if prop.superseded_by:
            out.append(
                report(
                    "FLW605",
                    f"{type_name}.{prop.name} is superseded by {prop.superseded_by}",
                    where,
                    f"use {prop.superseded_by}",
                )
            )
        kind = value_type(in_field.type, system)
        if kind is None or not vocab.accepts(prop, kind):
            out.append(
                report(
                    "FLW603",
                    f"{source.model.name}.{in_field.name} ({in_field.type}) cannot fill {type_name}.{prop.name}, whose range is {', '.join(prop.ranges)}",
                    where,
                    "change the field type, or map it to another property",
                )
            )
