"""Does a person's implementation module still fit the spec? (generation gap)"""

from __future__ import annotations

import ast
from pathlib import Path

from flowc.diagnostics import Diagnostic, Location
from flowc.rules import report


def missing_methods(
    path: Path, class_name: str, required: list[str]
) -> list[str] | None:
    """Methods of ``required`` that ``class_name`` in ``path`` lacks; None if unreadable."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            defined = {
                item.name
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            return [name for name in required if name not in defined]
    return list(required)


def check_stub(
    path: Path, display: str, class_name: str, required: list[str]
) -> list[Diagnostic]:
    missing = missing_methods(path, class_name, required)
    if not missing:
        return []
    return [
        report(
            "FLW801",
            f"{class_name} in {display} lacks {', '.join(missing)}, which the spec now needs",
            Location(file=display, line=1, column=1),
            "add the methods (see the generated base class for their signatures); flowc never edits this file",
        )
    ]
