"""Many model groups through one datamodel-code-generator run, split back per group.

Each call of datamodel-code-generator costs about 30 ms before it does any
work, and a spec set of 500 flows has well over a thousand groups. Groups
share no class names and reference no other group's classes
(``model_groups``), so one run over all of them prints the same classes a run
per group would; splitting that source by class gives each group its module.
Imports are kept per module only where its classes use them; black and isort
lay them out afterwards, as for every module.

A batch holding anything but classes and their ``model_rebuild()`` calls
cannot be split safely, and the caller then runs one group at a time.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the batch's source and the names it uses."""

    owner: str
    text: str
    names: frozenset[str]


class UnsplittableBatch(ValueError):
    """The batch's source holds a statement no single group owns."""


def split_batch(source: str, owners: dict[str, str], header: str) -> dict[str, str]:
    """The module source of each group in ``source``, by group id.

    ``owners`` maps every class name the groups declare (models and enum
    classes) to its group id.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    imports: list[ast.Import | ast.ImportFrom] = []
    statements: list[Statement] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
            continue
        statements.append(_statement(node, lines, owners))
    modules: dict[str, list[Statement]] = {}
    for statement in statements:
        modules.setdefault(statement.owner, []).append(statement)
    return {owner: _module(header, imports, owned) for owner, owned in modules.items()}


def _statement(node: ast.stmt, lines: list[str], owners: dict[str, str]) -> Statement:
    name = _owned_name(node)
    if name is None or name not in owners:
        raise UnsplittableBatch(f"line {node.lineno} belongs to no group")
    first = min([node.lineno, *(d.lineno for d in _decorators(node))])
    end = node.end_lineno or node.lineno
    used = frozenset(sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name))
    return Statement(owners[name], "\n".join(lines[first - 1 : end]), used)


def _decorators(node: ast.stmt) -> list[ast.expr]:
    return node.decorator_list if isinstance(node, ast.ClassDef) else []


def _owned_name(node: ast.stmt) -> str | None:
    """The class a statement defines, or whose ``model_rebuild()`` it calls."""
    if isinstance(node, ast.ClassDef):
        return node.name
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "model_rebuild"
        and isinstance(node.value.func.value, ast.Name)
    ):
        return node.value.func.value.id
    return None


def _module(
    header: str, imports: list[ast.Import | ast.ImportFrom], owned: list[Statement]
) -> str:
    used = frozenset().union(*(statement.names for statement in owned))
    kept = [line for node in imports if (line := _import_line(node, used))]
    head = [header, "\n".join(kept)]
    body = [statement.text for statement in owned]
    return (
        "\n\n".join(part for part in head if part)
        + "\n\n\n"
        + "\n\n\n".join(body)
        + "\n"
    )


def _import_line(node: ast.Import | ast.ImportFrom, used: frozenset[str]) -> str:
    """The import with only the names ``used`` (empty when none is)."""
    names = [
        alias
        for alias in node.names
        if (alias.asname or alias.name).split(".")[0] in used
    ]
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return f"from __future__ import {', '.join(a.name for a in node.names)}"
    if not names:
        return ""
    listed = ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in names)
    if isinstance(node, ast.Import):
        return f"import {listed}"
    return f"from {'.' * node.level}{node.module or ''} import {listed}"
