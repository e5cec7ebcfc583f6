"""Shared Concepts: model headings with a field table or a JSON Schema block.

``### User (entity, schema.org Person)`` names a model, its kind and its
Schema.org type. A heading with neither table nor schema but with headings
under it (``## Entities``) groups models, and its word sets their default kind.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flowc.diagnostics import Location
from flowc.frontends.markdown import placeholders, unread
from flowc.frontends.markdown.diagrams import Fence, fence_of
from flowc.frontends.markdown.document import Block, Part, plain, split_parenthetical
from flowc.frontends.markdown.source import Context
from flowc.frontends.markdown.tables import (
    Column,
    Table,
    cell,
    match_columns,
    read_table,
)
from flowc.frontends.yaml.loader import MAX_DEPTH, load_yaml
from flowc.model import Model, ModelField, ModelKind, TypeSyntaxError, parse_type

FIELD_COLUMNS = (
    Column("field", ("Field", "Name", "Field name", "Property")),
    Column("type", ("Type",)),
    Column("required", ("Required",), required=False),
    Column("description", ("Description",), required=False),
    Column(
        "schema_org",
        ("Schema.org", "Schemaorg", "Schema.org property", "Schema"),
        required=False,
    ),
    Column("secret", ("Secret",), required=False),
)
SCHEMA_LANGUAGES = ("yaml", "yml", "json", "jsonschema", "json-schema")
_KINDS = {"entity": ModelKind.ENTITY, "dto": ModelKind.DTO, "event": ModelKind.EVENT}
_GROUP_KINDS = (
    (re.compile(r"\bentit(?:y|ies)\b", re.I), ModelKind.ENTITY),
    (re.compile(r"\bdtos?\b|data transfer", re.I), ModelKind.DTO),
    (re.compile(r"\bevents?\b", re.I), ModelKind.EVENT),
)
_SCHEMA_ORG = re.compile(
    r"^(?:https?://)?schema(?:\.org)?(?:\s*[/:]\s*|\s+)(?P<type>[A-Za-z][\w.]*)$", re.I
)
_TRUE = {"yes", "y", "true", "required", "✓", "✔", "☑", "✅"}
_DASHES = {"-", "\u2014", "\u2013"}
_FALSE = {"no", "n", "false", "optional", "x", "✗", "✘", "", *_DASHES}


def read_models(
    ctx: Context, parts: list[Part], kind: ModelKind, *, lenient: bool
) -> tuple[list[Model], list[Part]]:
    """Models under ``parts``; parts that are plainly prose come back as such.

    ``lenient`` is for the top level of a shared-concepts file, where a
    heading such as ``## Overview`` without a table is prose, not a mistake.
    """
    models: list[Model] = []
    prose: list[Part] = []
    stack: list[tuple[Part, ModelKind, bool]] = [
        (p, kind, lenient) for p in reversed(parts)
    ]
    while stack:
        part, default, loose = stack.pop()
        if part.heading is None:
            continue
        name, meta = split_parenthetical(plain(part.heading.text))
        has_body = any(b.kind == "table" or _schema_fence(ctx, b) for b in part.blocks)
        if has_body:
            model = _model(ctx, part, default)
            if model is not None:
                models.append(model)
            for child in part.children:
                if child.heading is not None:
                    unread.report(
                        ctx,
                        child.heading.loc,
                        f"the subsection {plain(child.heading.text)!r}",
                        f"model {name!r}",
                        "a model is its table or JSON Schema and the text above "
                        "it; this subsection is not turned into code",
                    )
        elif part.children:
            group = next(
                (k for pattern, k in _GROUP_KINDS if pattern.search(name)), default
            )
            for block in part.blocks:
                unread.report_block(ctx, block, f"model group {name!r}")
            stack.extend((child, group, False) for child in reversed(part.children))
        elif loose and not meta:
            prose.append(part)
        elif placeholders.is_unfilled(part.heading.text):
            _skip(ctx, part)
        else:
            ctx.report(
                "FLW209",
                f"model {name!r} has neither a field table nor a JSON Schema block",
                part.heading.loc,
                "add a table with columns Field, Type, Required, Description, "
                "or a ```json block holding its JSON Schema",
            )
    return models, prose


def _skip(ctx: Context, part: Part) -> None:
    assert part.heading is not None
    ctx.report(
        "FLW202",
        f"model {plain(part.heading.text)!r} still has a placeholder name; it is skipped",
        part.heading.loc,
        "give the model its real name, e.g. '### User (entity)'",
    )


def _schema_fence(ctx: Context, block: Block) -> Fence | None:
    fence = fence_of(ctx.source, block)
    return fence if fence is not None and fence.language in SCHEMA_LANGUAGES else None


def _model(ctx: Context, part: Part, default: ModelKind) -> Model | None:
    heading = part.heading
    assert heading is not None
    if placeholders.is_unfilled(heading.text):
        _skip(ctx, part)
        return None
    name, meta = split_parenthetical(plain(placeholders.without_examples(heading.text)))
    kind, schema_org_type = _meta(meta, default)
    table: Table | None = None
    schema: Fence | None = None
    description: list[str] = []
    for block in part.blocks:
        fence = _schema_fence(ctx, block)
        if block.kind == "table" or fence is not None:
            if table is not None or schema is not None:
                ctx.report(
                    "FLW208",
                    f"model {name!r} has a second table or schema; the first is used",
                    ctx.source.loc(block.start, ctx.source.indent(block.start) + 1),
                    "keep one definition per model",
                )
            elif fence is not None:
                schema = fence
            else:
                table = read_table(ctx.source, block)
        elif block.kind == "paragraph":
            text = ctx.source.text_of(block.start, block.end)
            if not placeholders.only_placeholders(text):
                description.append(text)
        else:
            unread.report_block(ctx, block, f"model {name!r}")
    fields: tuple[ModelField, ...] = ()
    json_schema: dict[str, Any] | None = None
    if table is not None:
        fields = _fields(ctx, table, name)
    elif schema is not None:
        json_schema = _json_schema(ctx, schema, name)
    return Model(
        name=name,
        kind=kind,
        description="\n\n".join(description),
        fields=fields,
        json_schema=json_schema,
        schema_org_type=schema_org_type,
        loc=heading.loc,
    )


def _meta(meta: str, default: ModelKind) -> tuple[ModelKind, str | None]:
    """``entity, schema.org Person`` -> (ENTITY, "Person"); unknown words are ignored."""
    kind = default
    schema_org_type: str | None = None
    for word in (part.strip() for part in meta.split(",")):
        lowered = word.lower()
        if lowered in _KINDS:
            kind = _KINDS[lowered]
            continue
        match = _SCHEMA_ORG.match(word)
        if match is not None:
            schema_org_type = match.group("type")
    return kind, schema_org_type


def _flag(ctx: Context, text: str, what: str, loc: Location) -> bool:
    word = plain(text).lower().rstrip(".")
    first = word.split()[0] if word.split() else ""
    if word in _TRUE or first in _TRUE:
        return True
    if word in _FALSE or first in _FALSE:
        return False
    ctx.report(
        "FLW212",
        f"{what} {text!r} is not yes or no",
        loc,
        "write yes, no, true, false, ✓ or x (blank means no)",
    )
    return False


def _schema_org(text: str) -> str | None:
    value = plain(text)
    if not value or value in _DASHES or placeholders.is_unfilled(value):
        return None
    match = _SCHEMA_ORG.match(value)
    return match.group("type") if match is not None else value


def _fields(ctx: Context, table: Table, model: str) -> tuple[ModelField, ...]:
    found = match_columns(ctx, table, FIELD_COLUMNS, f"{model} fields")
    if found is None:
        return ()
    fields: list[ModelField] = []
    for row in table.rows:
        name, type_cell = cell(row, found["field"], table.loc), cell(
            row, found["type"], table.loc
        )
        field_name = plain(name.text)
        if not field_name and not type_cell.text:
            continue
        if placeholders.is_unfilled(field_name) or placeholders.is_unfilled(
            type_cell.text
        ):
            continue
        if not field_name:
            ctx.report(
                "FLW417",
                f"a field of {model} has no name",
                name.loc,
                "fill in the Field cell",
            )
            continue
        try:
            type_ref = parse_type(type_cell.text)
        except TypeSyntaxError as exc:
            ctx.report(
                "FLW111",
                f"field {field_name!r} of {model}: {exc}",
                type_cell.loc,
                "use string, integer, number, boolean, date, datetime, uuid, email, "
                "url, decimal, list[T], enum(a, b) or a model name",
            )
            continue
        required = cell(row, found.get("required"), table.loc)
        secret = cell(row, found.get("secret"), table.loc)
        fields.append(
            ModelField(
                name=field_name,
                type=type_ref.at(type_cell.loc),
                required=(
                    _flag(ctx, required.text, "Required", required.loc)
                    if "required" in found
                    else True
                ),
                description=placeholders.clean_value(
                    cell(row, found.get("description"), table.loc).text
                ),
                schema_org=_schema_org(
                    cell(row, found.get("schema_org"), table.loc).text
                ),
                secret=(
                    _flag(ctx, secret.text, "Secret", secret.loc)
                    if "secret" in found
                    else False
                ),
                loc=name.loc,
            )
        )
    return tuple(fields)


def _json_schema(ctx: Context, fence: Fence, model: str) -> dict[str, Any] | None:
    """The fenced JSON Schema as data, or FLW210 at the place it cannot be read."""
    data: Any = None
    where = fence.loc
    problem = ""
    if fence.language.startswith("json"):
        try:
            data = json.loads(fence.content)
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", 1)
            column = getattr(exc, "colno", 1)
            where = Location(
                file=where.file,
                line=fence.first_line + line - 1,
                column=fence.indent + column,
            )
            problem = getattr(exc, "msg", str(exc)) or "not valid JSON"
    else:
        data, _, problems = load_yaml(fence.content, ctx.source.file)
        if problems:
            first = problems[0]
            where = Location(
                file=where.file,
                line=fence.first_line + first.location.line - 1,
                column=fence.indent + first.location.column,
            )
            problem = first.message
    if not problem and not isinstance(data, dict):
        problem = "a JSON Schema is an object (a mapping of keywords)"
    if not problem and _depth(data) > MAX_DEPTH:
        problem = f"nested deeper than {MAX_DEPTH} levels"
    if problem:
        ctx.report(
            "FLW210",
            f"the JSON Schema of {model} cannot be read: {problem}",
            where,
            "fix the block, or describe the model with a Field/Type table",
        )
        return None
    assert isinstance(data, dict)
    return data


def _depth(data: Any) -> int:
    """Nesting depth, measured without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return deepest
