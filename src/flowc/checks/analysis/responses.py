"""What a route answers: the public form of the model its entry holds.

A model with secret fields (a password hash) is answered in a derived
``<Model>Public`` form without them, so no secret can leave the public app and
the OpenAPI document never lists one.
"""

from __future__ import annotations

from flowc.checks.analysis.model import Analysis, Held
from flowc.model import Model, ModelKind


def public_form(analysis: Analysis, value: Held | None) -> Held | None:
    """``value`` itself, or its derived public model when it has secret fields."""
    if value is None or value.kind != "model":
        return value
    model = analysis.model(value.name)
    if model is None or not any(f.secret for f in model.fields):
        return value
    name = _free_name(analysis, f"{model.name}Public")
    if analysis.model(name) is None:
        analysis.add_derived(
            Model(
                name=name,
                kind=ModelKind.DTO,
                description=f"{model.name} as the public app answers it: without its secret fields.",
                fields=tuple(f for f in model.fields if not f.secret),
                loc=model.loc,
            )
        )
    return Held("model", name)


def _free_name(analysis: Analysis, name: str) -> str:
    """``UserPublic``, unless the spec set declares that name for something else."""
    declared = analysis.system.model(name)
    return name if declared is None else f"{name}Form"
