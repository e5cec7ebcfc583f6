"""A model field's Python attribute: snake_case of its wire name, never a clash.

Field names are wire names that real APIs choose (``given-name``, ``@id``,
``class``, ``givenName``). The attribute is their snake_case form; the wire
name stays the alias, so JSON in and out is unchanged. This is the one place
that decides it: models, mappings, samples and routes all ask here.
"""

from __future__ import annotations

import keyword
from functools import cache

from pydantic import BaseModel

from flowc import naming


@cache
def _taken() -> frozenset[str]:
    """Names a pydantic model's own attributes hold, plus Python's keywords."""
    public = {name for name in dir(BaseModel) if not name.startswith("_")}
    return frozenset(public | set(keyword.kwlist) | set(keyword.softkwlist))


def field_attribute(wire: str) -> str:
    """``given-name`` -> ``given_name``; ``class`` -> ``class_``; ``1st`` -> ``field_1st``."""
    attribute = naming.snake(wire) or "field"
    if attribute[0].isdigit():
        attribute = f"field_{attribute}"
    if attribute in _taken() or attribute.startswith("model_"):
        attribute += "_"
    return attribute
