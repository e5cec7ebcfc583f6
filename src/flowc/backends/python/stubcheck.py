"""Does a person's implementation module still fit the spec? (generation gap)

A stub is written once and is the person's from then on; the generated base
class it extends keeps changing with the spec. Every method the base declares
``@abstractmethod`` (operations, local steps, consumers, saga steps and
compensations) must be in the person's class, with the base's parameters and
return annotation. The base is read from this run's render, the person's
class from disk; what is compared is read from both with ``ast``, so a stub
is judged by what Python sees, not by its text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from flowc.diagnostics import Diagnostic, Location
from flowc.rules import report

_DOTTED = re.compile(r"\b(?:\w+\.)+(\w+)")


@dataclass(frozen=True)
class Signature:
    parameters: tuple[str, ...]
    returns: str

    def shown(self, name: str) -> str:
        arrow = f" -> {self.returns}" if self.returns else ""
        return f"{name}({', '.join(self.parameters)}){arrow}"


@dataclass(frozen=True)
class StubFit:
    """What a stub must fit: its class, and the abstract methods of its base."""

    class_name: str
    base_name: str
    required: dict[str, Signature]


def required_by(
    stub_text: str, rendered: dict[str, str], package: str
) -> StubFit | None:
    """The first class of a rendered stub, and what its generated base requires;
    None when the stub extends no generated class."""
    tree = _parse(stub_text)
    if tree is None:
        return None
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    if not classes or not classes[0].bases:
        return None
    stub_class, base = classes[0], classes[0].bases[0]
    if not isinstance(base, ast.Name):
        return None
    module = _imported_from(tree, base.id, package)
    if module is None:
        return None
    required = _abstract_methods(base.id, module, rendered, package, set())
    if required is None:
        return None
    return StubFit(stub_class.name, base.id, required)


def _imported_from(tree: ast.Module, name: str, package: str) -> str | None:
    """The module of ``package`` that ``tree`` imports ``name`` from."""
    return next(
        (
            node.module
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith(f"{package}.")
            and any(alias.name == name for alias in node.names)
        ),
        None,
    )


def _abstract_methods(
    class_name: str,
    module: str,
    rendered: dict[str, str],
    package: str,
    seen: set[tuple[str, str]],
) -> dict[str, Signature] | None:
    """The ``@abstractmethod``s of ``class_name`` in the rendered ``module``
    and of the generated classes it extends (a service that runs flows joins
    its core and a class per flow); None when the module was not rendered."""
    path = module.replace(".", "/")
    text = rendered.get(f"{path}.py", rendered.get(f"{path}/__init__.py"))
    tree = _parse(text) if text is not None else None
    if tree is None:
        return None
    seen.add((module, class_name))
    found: dict[str, Signature] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name != class_name:
            continue
        for base in node.bases:
            if not isinstance(base, ast.Name):
                continue
            where = _imported_from(tree, base.id, package)
            if where is None or (where, base.id) in seen:
                continue
            found.update(
                _abstract_methods(base.id, where, rendered, package, seen) or {}
            )
        found.update(
            (method.name, _signature(method))
            for method in _methods(node)
            if any(_is_abstract(d) for d in method.decorator_list)
        )
    return found


def check_stub(text: str | None, display: str, fit: StubFit) -> list[Diagnostic]:
    """FLW801 for each required method the person's class lacks or declares
    with other parameters or another return annotation."""
    tree = _parse(text) if text is not None else None
    if tree is None:
        return []  # unreadable or not Python yet: the person is mid-edit
    found = next(
        (
            n
            for n in tree.body
            if isinstance(n, ast.ClassDef) and n.name == fit.class_name
        ),
        None,
    )
    if found is None:
        return [
            _unfit(
                f"{display} has no class {fit.class_name}, which extends "
                f"{fit.base_name} and implements {', '.join(fit.required)}",
                Location(file=display),
            )
        ]
    defined = {method.name: method for method in _methods(found)}
    missing = [name for name in fit.required if name not in defined]
    out = []
    if missing:
        out.append(
            _unfit(
                f"{fit.class_name} in {display} lacks {', '.join(missing)}, which "
                "the spec now needs",
                Location(file=display, line=found.lineno, column=found.col_offset + 1),
            )
        )
    for name, wanted in fit.required.items():
        method = defined.get(name)
        if method is None or _signature(method) == wanted:
            continue
        has = _signature(method)
        out.append(
            _unfit(
                f"{fit.class_name}.{has.shown(name)} in {display} does not fit "
                f"{fit.base_name}.{wanted.shown(name)}",
                Location(
                    file=display, line=method.lineno, column=method.col_offset + 1
                ),
            )
        )
    return out


def _unfit(message: str, where: Location) -> Diagnostic:
    return report(
        "FLW801",
        message,
        where,
        "change the method to the generated base class's signature; flowc never "
        "edits this file",
    )


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _methods(node: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        item
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def _is_abstract(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Name) and decorator.id == "abstractmethod") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "abstractmethod"
    )


def _signature(method: ast.FunctionDef | ast.AsyncFunctionDef) -> Signature:
    """Parameter names (``self`` left out, ``*``/``**`` kept) and the return
    annotation with module prefixes dropped: ``models.User`` and ``User`` are
    the same class however the person imported it."""
    arguments = method.args
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args)][1:]
    if arguments.vararg is not None:
        names.append(f"*{arguments.vararg.arg}")
    names += [a.arg for a in arguments.kwonlyargs]
    if arguments.kwarg is not None:
        names.append(f"**{arguments.kwarg.arg}")
    returns = ""
    if method.returns is not None:
        returns = _DOTTED.sub(r"\1", ast.unparse(method.returns)).strip("'\"")
    return Signature(tuple(names), returns)
