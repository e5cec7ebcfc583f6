"""Declared models -> JSON Schemas -> pydantic classes via datamodel-code-generator.

flowc derives the JSON Schema (it knows the spec language's types); turning
a schema into pydantic v2 code is datamodel-code-generator's job, called
once per group of models that reference each other (``model_groups``). Each
group is a module of the package ``models/``, whose ``__init__`` re-exports
every class, so the rest of the generated code writes ``models.<Name>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import metadata
from typing import Any

from flowc.backends.python.imports import import_block
from flowc.backends.python.model_batches import UnsplittableBatch, split_batch
from flowc.backends.python.model_groups import enum_classes, model_groups, module_names
from flowc.backends.python.versions import formatter_versions
from flowc.checks.analysis.attributes import field_attribute
from flowc.checks.analysis.pytypes import enum_class_name
from flowc.model import Model, Scalar, TypeRef
from flowc.workers import pool, worker_count

# pydantic documents a Decimal as a number or *any* string, yet accepts only
# decimal numerals. The pattern carried under this key ends up as the field's
# ``json_schema_extra`` "pattern" (``_decimal_patterns``), so the OpenAPI
# document says which strings pass (JSON Schema applies it to strings only).
_DECIMAL_TEXT = "x-decimal-text"

_SCALAR_SCHEMA: dict[Scalar, dict[str, str]] = {
    Scalar.STRING: {"type": "string"},
    Scalar.INTEGER: {"type": "integer"},
    Scalar.NUMBER: {"type": "number"},
    Scalar.BOOLEAN: {"type": "boolean"},
    Scalar.DATE: {"type": "string", "format": "date"},
    Scalar.DATETIME: {"type": "string", "format": "date-time"},
    Scalar.UUID: {"type": "string", "format": "uuid"},
    Scalar.EMAIL: {"type": "string", "format": "email"},
    Scalar.URL: {"type": "string", "format": "uri"},
    Scalar.DECIMAL: {
        "type": "string",
        "format": "decimal",
        _DECIMAL_TEXT: r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?$",
    },
}


def json_schema(models: list[Model]) -> dict[str, Any]:
    """One schema whose $defs hold every model (and enum), sorted by name."""
    definitions: dict[str, Any] = {}
    for model in models:
        if model.json_schema is not None:
            schema = dict(model.json_schema)
            schema.setdefault("title", model.name)
            definitions[model.name] = schema
            continue
        properties: dict[str, Any] = {}
        for field in model.fields:
            prop = _type_schema(field.type, model.name, field.name, definitions)
            if field.description:
                prop = {**prop, "description": field.description}
            properties[field.name] = prop
        definitions[model.name] = {
            "type": "object",
            "title": model.name,
            **({"description": model.description} if model.description else {}),
            "properties": properties,
            "required": [f.name for f in model.fields if f.required],
            "additionalProperties": False,
        }
    return {"$defs": dict(sorted(definitions.items()))}


def _type_schema(
    type_ref: TypeRef, model: str, field: str, definitions: dict[str, Any]
) -> dict[str, Any]:
    if type_ref.scalar is not None:
        return dict(_SCALAR_SCHEMA[type_ref.scalar])
    if type_ref.item is not None:
        return {
            "type": "array",
            "items": _type_schema(type_ref.item, model, field, definitions),
        }
    if type_ref.enum_values:
        name = enum_class_name(model, field)
        definitions[name] = {
            "type": "string",
            "title": name,
            "enum": list(type_ref.enum_values),
        }
        return {"$ref": f"#/$defs/{name}"}
    return {"$ref": f"#/$defs/{type_ref.model}"}


def _aliases(models: list[Model]) -> dict[str, str]:
    """Wire name -> attribute, for every field whose wire name is not its attribute."""
    return {
        field.name: attribute
        for model in models
        for field in model.fields
        if (attribute := field_attribute(field.name)) != field.name
    }


@dataclass(frozen=True)
class ModelModule:
    """One module of ``models/``: its source, and the key of what decided it.

    ``reused`` modules carry the final (formatted) text of an earlier run whose
    key was the same, so they skip datamodel-code-generator and black.
    """

    path: str
    text: str
    unit_key: str = ""
    reused: bool = False
    stable: bool = False
    """Laid out as black and isort print it (the index), so it skips them."""


_TOP_LEVEL_CLASS = re.compile(r"^class (\w+)", re.MULTILINE)
"""A class statement at column 0. In a module datamodel-code-generator prints,
nothing else starts a line with ``class``: descriptions are one-line string
literals or docstrings indented in their class. Parsing 2,000 modules on every
run to find the same names cost more than the rest of an unchanged group's work."""


def group_key(group: list[Model], header: str) -> str:
    """Everything a group's module depends on: its schema, aliases, the header,
    datamodel-code-generator's version and flowc's own code."""
    from flowc.resources import code_digest

    decided_by = json.dumps(
        [
            json_schema(group),
            _aliases(group),
            header,
            _generator_version(),
            formatter_versions(),
        ],
        sort_keys=True,
    )
    return hashlib.sha256(f"{code_digest()}\n{decided_by}".encode()).hexdigest()


@cache
def _generator_version() -> str:
    return metadata.version("datamodel-code-generator")


def generate_model_modules(
    models: list[Model],
    header: str,
    package: str,
    previous: Mapping[str, str] | None = None,
) -> list[ModelModule]:
    """``models/<group>.py`` per group and the index ``models/__init__.py``, sorted.

    ``previous`` maps group keys of an earlier run to the module it wrote;
    a group whose key is there is not generated again. The index re-exports
    every class. A class name defined by several modules (only
    datamodel-code-generator's classes for objects nested in a verbatim JSON
    Schema can repeat) is re-exported from the module that declares it as a
    model or enum class, and from none when no single module does.
    """
    groups = model_groups(models)
    keys = [group_key(group, header) for group in groups]
    earlier = previous or {}
    sources = {i: earlier[key] for i, key in enumerate(keys) if key in earlier}
    sources.update(
        generate_groups(
            {i: group for i, group in enumerate(groups) if i not in sources}, header
        )
    )
    files: list[ModelModule] = []
    defined: dict[str, list[str]] = {}
    declared: dict[str, list[str]] = {}
    for i, (module, group) in enumerate(zip(module_names(groups), groups, strict=True)):
        source = sources[i]
        files.append(
            ModelModule(f"models/{module}.py", source, keys[i], keys[i] in earlier)
        )
        for name in _TOP_LEVEL_CLASS.findall(source):
            defined.setdefault(name, []).append(module)
        for model in group:
            for name in (model.name, *enum_classes(model)):
                declared.setdefault(name, []).append(module)
    exports: dict[str, list[str]] = {}
    for name, modules in sorted(defined.items()):
        owners = set(modules)
        if len(owners) > 1:
            owners &= set(declared.get(name, ()))
        if len(owners) == 1:
            exports.setdefault(owners.pop(), []).append(name)
    files.append(
        ModelModule("models/__init__.py", _index(exports, header, package), stable=True)
    )
    return sorted(files, key=lambda module: module.path)


PARALLEL_GROUPS = 400
"""From this many changed groups on, the batch is split across the cores:
below it, a worker's start-up costs more than it takes off the run."""


def generate_groups(
    groups: dict[int, list[Model]], header: str, *, batch: bool = True
) -> dict[int, str]:
    """The source of each group: one datamodel-code-generator run for the groups
    that can share it (``model_batches``), a run per core for a large batch,
    one run each for the rest. A group's module is the same however the
    groups are batched (``tests/test_model_batches.py``)."""
    sources: dict[int, str] = {}
    batchable = {
        i: group
        for i, group in groups.items()
        if batch and all(model.json_schema is None for model in group)
    }
    if len(batchable) > 1:
        parts = _parts(batchable)
        if len(parts) == 1:
            sources.update(batch_sources(parts[0], header))
        else:
            with pool(len(parts)) as generators:
                for found in generators.map(
                    batch_sources, parts, [header] * len(parts)
                ):
                    sources.update(found)
    for i, group in groups.items():
        if i not in sources:
            sources[i] = generate_models(group, header)
    return sources


def _parts(batchable: dict[int, list[Model]]) -> list[dict[int, list[Model]]]:
    """The batch as one part, or as one part per core when it is large."""
    workers = worker_count()
    if len(batchable) < PARALLEL_GROUPS or workers < 2:
        return [batchable]
    keys = sorted(batchable)
    size = -(-len(keys) // workers)
    return [
        {i: batchable[i] for i in keys[start : start + size]}
        for start in range(0, len(keys), size)
    ]


def batch_sources(part: dict[int, list[Model]], header: str) -> dict[int, str]:
    """Each group's module from one datamodel-code-generator run over ``part``;
    none when the run's source cannot be split back per group."""
    owners = {
        name: str(i)
        for i, group in part.items()
        for model in group
        for name in (model.name, *enum_classes(model))
    }
    source = generate_models(
        [model for group in part.values() for model in group], header
    )
    try:
        split = split_batch(source, owners, header)
    except UnsplittableBatch:
        return {}
    if split.keys() != {str(i) for i in part}:
        return {}
    return {i: split[str(i)] for i in part}


def _index(exports: dict[str, list[str]], header: str, package: str) -> str:
    """Re-exports every class, laid out as isort and black print it: at 500
    flows the index has 4,000 lines, which black would take seconds over."""
    imports = import_block(
        (
            f"from {package}.models.{module} import {', '.join(names)}"
            for module, names in sorted(exports.items())
        ),
        (package,),
    )
    names = sorted((n for group in exports.values() for n in group), key=export_order)
    listed = "".join(f'    "{name}",\n' for name in names)
    exported = f"[\n{listed}]" if names else "[]"
    docstring = '"""Every model class, from one module per group of related models."""'
    parts = [header.rstrip("\n"), docstring]
    if imports:
        parts.append(imports)
    parts.append(f"__all__: list[str] = {exported}")
    return "\n\n".join(parts) + "\n"


def export_order(name: str) -> tuple[int, list[tuple[int, Decimal | str]], str]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, Classes, others;
    natural within each (2 < 10, while 02 < 1 as a fraction)."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    parts = re.findall(r"[0-9]+|[^0-9]+", name)
    return (
        kind,
        [
            (
                (0, Decimal(f"0.{p}" if p[0] == "0" else p))
                if p[0] in "0123456789"
                else (1, p)
            )
            for p in parts
        ],
        name,
    )


def generate_models(models: list[Model], header: str) -> str:
    """pydantic v2 source for ``models``; empty module when there are none."""
    if not models:
        return header + '\n"""No models are declared in the spec set."""\n'
    from datamodel_code_generator import (
        InputFileType,
        PythonVersion,
        generate,
    )
    from datamodel_code_generator.enums import DataModelType

    schema = json_schema(models)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(
            json.dumps(schema),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            use_standard_collections=True,
            use_union_operator=True,
            disable_timestamp=True,
            use_schema_description=True,
            use_field_description=False,
            field_constraints=True,
            use_double_quotes=True,
            skip_root_model=True,
            capitalise_enum_members=True,
            use_subclass_enum=True,
            formatters=[],  # flowc formats every file itself, once
            custom_file_header=header,
            aliases=_aliases(models),
            allow_population_by_field_name=True,
            field_extra_keys={_DECIMAL_TEXT},
            # Annotations as objects, not strings: pydantic would otherwise
            # compile each one again when the class is made, at every import.
            disable_future_imports=True,
        )
    assert isinstance(source, str)
    return _model_config(_decimal_patterns(_split_aliases(source)))


def _decimal_patterns(source: str) -> str:
    """Give each decimal field's documented pattern its JSON Schema name."""
    for quote in "'\"":
        source = source.replace(f"{quote}{_DECIMAL_TEXT}{quote}:", '"pattern":')
    return source


_ALIAS = re.compile(r"""(?<=[\s,(])alias=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def _split_aliases(source: str) -> str:
    """``alias=`` -> validation and serialization aliases, serialized by alias.

    Type checkers read ``alias`` as the constructor's keyword (PEP 681), so a
    field ``given-name`` could not be passed from Python at all. With the two
    separate aliases the wire keeps ``given-name`` both ways, while Python
    code and mypy use the attribute ``given_name``.
    """
    source = _ALIAS.sub(r"validation_alias=\1, serialization_alias=\1", source)
    # PEP 681 reads only ``default=`` as a default: a positional None would make
    # type checkers demand the optional field in every constructor call.
    return re.sub(r"\bField\(\s*None,", "Field(default=None,", source)


_CONFIG_ANCHOR = "populate_by_name=True,"
_CONFIG_ADDED = (
    # Each validator is built when its model is first used, not at import: a
    # process imports every model of its package but validates only those of
    # the flows it serves, and building them all doubled the time to start.
    "defer_build=True,",
    # The wire keeps the aliases ``_split_aliases`` gives both ways.
    "serialize_by_alias=True,",
)


def _model_config(source: str) -> str:
    """Each model's ``ConfigDict`` with the settings datamodel-code-generator
    has no option for (``_CONFIG_ADDED``)."""
    added = "".join(f"\n        {setting}" for setting in _CONFIG_ADDED)
    return source.replace(_CONFIG_ANCHOR, _CONFIG_ANCHOR + added)
