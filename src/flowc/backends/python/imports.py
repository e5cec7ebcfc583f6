"""What one generated module imports, gathered from the typed pieces it prints.

Views add what they use (a value's model module, an annotation's imports, a
sample's helper function); nothing searches rendered code for names.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from flowc.backends.python.render import LINE_LENGTH
from flowc.checks.analysis import Held
from flowc.checks.analysis.pytypes import Annotation


@dataclass(frozen=True)
class Expression:
    """A piece of code, and what the module that writes it must import.

    ``imports`` are import lines; ``samples`` are ``sample_*`` functions of the
    generated ``testing`` module; ``modules`` are the package's own modules.
    """

    text: str
    imports: frozenset[str] = frozenset()
    samples: frozenset[str] = frozenset()
    modules: frozenset[str] = frozenset()


@dataclass
class ModuleImports:
    """Import lines, the package's own modules and names, and sample functions
    one module needs."""

    lines: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    samples: set[str] = field(default_factory=set)
    names: set[tuple[str, str]] = field(default_factory=set)
    """(module of the package, name): ``from <package>.<module> import <name>``."""

    def add(self, expression: Expression) -> None:
        self.lines |= expression.imports
        self.modules |= expression.modules
        self.samples |= expression.samples

    def add_value(self, value: Held | None) -> None:
        """The module a value's class lives in (``models``, ``schemaorg``), or ``Any``."""
        if value is None:
            return
        if value.kind == "union":
            for member in value.members:
                self.add_value(member)
        elif value.kind == "model":
            self.modules.add("models")
        elif value.kind == "schemaorg":
            self.modules.add("schemaorg")
        else:
            self.lines.add("from typing import Any")

    def add_annotation(self, annotation: Annotation) -> None:
        self.lines |= set(annotation.imports)
        self.modules |= set(annotation.modules)

    def merge(self, other: ModuleImports) -> None:
        self.lines |= other.lines
        self.modules |= other.modules
        self.samples |= other.samples
        self.names |= other.names

    def package_modules(self, *excluded: str) -> list[str]:
        return sorted(self.modules - set(excluded))

    def name_lines(self, package: str, here: str = "") -> list[str]:
        """``from <package>.<module> import <name>`` for the package's own names,
        but those of ``here``."""
        return sorted(
            f"from {package}.{module} import {name}"
            for module, name in self.names
            if module != here
        )

    def block(self, package: str, *lines: str) -> str:
        """The module's imports, with ``lines`` (those its template writes;
        empty ones are skipped) and ``from <package> import <modules>``, as
        isort prints them."""
        own = [f"from {package} import {', '.join(self.package_modules())}"]
        return import_block(
            [
                *filter(None, lines),
                *self.lines,
                *(own if self.modules else []),
                *self.name_lines(package),
            ],
            (package,),
        )


def import_block(lines: Iterable[str], first_party: Collection[str] = ()) -> str:
    """Import lines as isort (profile black) prints them, without a final newline.

    Lines from one module are merged; sections (``__future__``, standard
    library, third party, ``first_party``) are one blank line apart; in each,
    ``import x`` lines come before ``from x import`` lines, modules and names in
    isort's order; a line longer than 88 columns lists one name a line.
    """
    straight: dict[int, set[str]] = {}
    names: dict[str, set[str]] = {}
    for line in lines:
        words = line.split()
        if words[0] == "import":
            straight.setdefault(_section(words[1], first_party), set()).add(words[1])
        else:
            module, imported = line.removeprefix("from ").split(" import ")
            names.setdefault(module, set()).update(
                name.strip() for name in imported.split(",")
            )
    blocks = []
    for section in range(len(_SECTIONS)):
        out = [
            f"import {module}"
            for module in sorted(straight.get(section, ()), key=_module_key)
        ]
        out.extend(
            _from_import(module, sorted(names[module], key=_name_key))
            for module in sorted(names, key=_module_key)
            if _section(module, first_party) == section
        )
        if out:
            blocks.append("\n".join(out))
    return "\n\n".join(blocks)


_SECTIONS = ("future", "stdlib", "thirdparty", "firstparty")


def _section(module: str, first_party: Collection[str]) -> int:
    root = module.split(".")[0]
    if root == "__future__":
        return 0
    if root in first_party:
        return 3
    return 1 if root in sys.stdlib_module_names else 2


def _natural(text: str) -> list[str | int]:
    """isort's natural order: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _module_key(module: str) -> list[str | int]:
    return _natural(module.lower())


def _name_key(name: str) -> list[str | int]:
    """Constants, then classes, then the rest (isort's ``order_by_type``)."""
    if name.isupper() and len(name) > 1:
        kind = "A"
    elif name[:1].isupper():
        kind = "B"
    else:
        kind = "C"
    return _natural(kind + name.lower())


def _from_import(module: str, names: list[str]) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    listed = "".join(f"    {name},\n" for name in names)
    return f"from {module} import (\n{listed})"
