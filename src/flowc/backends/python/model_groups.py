"""Models -> groups of models that reference each other, one generated module each.

A group is a connected component of the graph whose edges are field types
naming another model (also inside lists), a verbatim JSON Schema's
``$ref: "#/$defs/<Model>"``, and enum classes: an enum field becomes the
class ``<Model><Field>``, which belongs to its model's group. Enum classes
are nodes of the graph too, so two models whose enum classes share a name
(or an enum class named like a model) end up in one module, as they did when
every model shared one module. So no module grows with the number of flows:
the per-flow ``<Flow>Request`` models form groups of their own.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator
from typing import Any

from flowc import naming
from flowc.checks.analysis.pytypes import enum_class_name
from flowc.model import Model, TypeRef

_REF_PREFIX = "#/$defs/"


def model_groups(models: list[Model]) -> list[list[Model]]:
    """The groups, each sorted by model name, sorted by their first model's name."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def union(a: str, b: str) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)

    edges = {model.name: set(_neighbours(model)) for model in models}
    nodes = set(edges) | {enum for model in models for enum in enum_classes(model)}
    for model in models:
        find(model.name)
        for other in sorted(edges[model.name] & nodes):
            union(model.name, other)
    groups: dict[str, list[Model]] = {}
    for model in models:
        groups.setdefault(find(model.name), []).append(model)
    return sorted(
        (sorted(group, key=lambda m: m.name) for group in groups.values()),
        key=lambda group: group[0].name,
    )


def module_names(groups: list[list[Model]]) -> list[str]:
    """A distinct module name per group: snake_case of its first model's name."""
    taken = {"__init__"}
    names: list[str] = []
    for group in groups:
        base = naming.snake(group[0].name) or "model"
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base += "_"
        if not base.isidentifier():
            base = f"model_{base}"
        name, counter = base, 1
        while name in taken:
            counter += 1
            name = f"{base}_{counter}"
        taken.add(name)
        names.append(name)
    return names


def enum_classes(model: Model) -> list[str]:
    """The enum classes ``model``'s fields declare, as named in the generated code."""
    return [
        enum_class_name(model.name, field.name)
        for field in model.fields
        if _enum(field.type)
    ]


def _enum(type_ref: TypeRef) -> bool:
    while type_ref.item is not None:
        type_ref = type_ref.item
    return bool(type_ref.enum_values)


def _neighbours(model: Model) -> Iterator[str]:
    for field in model.fields:
        yield from field.type.referenced_models()
    yield from enum_classes(model)
    if model.json_schema is not None:
        yield from _refs(model.json_schema)


def _refs(node: Any) -> Iterator[str]:
    """Names of the ``#/$defs/<name>`` references anywhere in a JSON Schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith(_REF_PREFIX):
                    name = value.removeprefix(_REF_PREFIX).split("/")[0]
                    yield name.replace("~1", "/").replace("~0", "~")
                continue
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
