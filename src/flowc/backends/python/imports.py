"""What one generated module imports, gathered from the typed pieces it prints.

Views add what they use (a value's model module, an annotation's imports, a
sample's helper function); nothing searches rendered code for names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Import lines, the package's own modules, and sample functions one module needs."""

    lines: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    samples: set[str] = field(default_factory=set)

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

    def package_modules(self, *excluded: str) -> list[str]:
        return sorted(self.modules - set(excluded))
