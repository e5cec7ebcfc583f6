"""Lookups in the Schema.org table flowc ships (see docs/schemaorg.md).

The table is derived from the published vocabulary by scripts/derive_schemaorg.py
and read from package data, so checks work offline and from an installed wheel.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PACKAGE = "flowc.schemaorg"
TABLE_RESOURCE = "vocabulary.json"

SCALAR_TYPES: frozenset[str] = frozenset(
    {
        "string",
        "integer",
        "number",
        "boolean",
        "date",
        "datetime",
        "uuid",
        "email",
        "url",
        "decimal",
    }
)
"""The flowc field types that are not schema.org classes."""

DATATYPE_ACCEPTS: Mapping[str, frozenset[str]] = {
    "Text": SCALAR_TYPES,
    "URL": frozenset({"url"}),
    "Number": frozenset({"integer", "number", "decimal"}),
    "Integer": frozenset({"integer"}),
    "Float": frozenset({"number", "decimal"}),
    "Boolean": frozenset({"boolean"}),
    "Date": frozenset({"date"}),
    "DateTime": frozenset({"datetime"}),
}
"""Which flowc scalars fill each schema.org DataType range.

Any other DataType (Time, the Quantity family such as Duration or Mass, and the
Text refinements CssSelectorType, XPathType, PronounceableText) has its own textual
syntax that flowc cannot check, so only ``string`` fills it.
"""

TEXTUAL_FALLBACK: frozenset[str] = frozenset({"string"})

ENUMERATION_ACCEPTS: frozenset[str] = frozenset({"url"})
"""Enumeration members (EventScheduled, InStock...) are written as their URLs."""


@dataclass(frozen=True, slots=True)
class PropertyInfo:
    """One schema.org property: expected value types, declaring types, replacement."""

    name: str
    ranges: tuple[str, ...]
    domains: tuple[str, ...]
    superseded_by: str | None


@dataclass(frozen=True, slots=True)
class _ClassInfo:
    parents: tuple[str, ...]
    own_properties: tuple[str, ...]
    datatype: bool
    superseded_by: str | None


class Vocabulary:
    """The schema.org class hierarchy and properties of one release."""

    __slots__ = (
        "_ancestors",
        "_classes",
        "_members",
        "_properties",
        "release",
        "sha256",
    )

    def __init__(self, table: Mapping[str, Any]) -> None:
        self.release: str = str(table["release"])
        self.sha256: str = str(table["source"]["sha256"])
        self._classes: dict[str, _ClassInfo] = {
            name: _class_info(row) for name, row in table["classes"].items()
        }
        self._properties: dict[str, PropertyInfo] = {
            name: _property_info(name, row) for name, row in table["properties"].items()
        }
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._members: dict[str, tuple[str, ...]] = {}

    def has_type(self, name: str) -> bool:
        """Whether ``name`` is a schema.org class (DataTypes included)."""
        return name in self._classes

    def is_datatype(self, name: str) -> bool:
        """Whether ``name`` is schema:DataType or a kind of it (Text, URL, Date...)."""
        info = self._classes.get(name)
        return info is not None and info.datatype

    def type_superseded_by(self, name: str) -> str | None:
        """The class that replaces a superseded class, else None."""
        info = self._classes.get(name)
        return info.superseded_by if info is not None else None

    def ancestors(self, name: str) -> tuple[str, ...]:
        """All superclasses, nearest first (breadth-first, parents in name order)."""
        if not self.has_type(name):
            return ()
        cached = self._ancestors.get(name)
        if cached is None:
            cached = self._walk_up(name)
            self._ancestors[name] = cached
        return cached

    def is_subclass(self, name: str, ancestor: str) -> bool:
        """Whether known class ``name`` is ``ancestor`` or inherits from it."""
        if not self.has_type(name):
            return False
        return name == ancestor or ancestor in self.ancestors(name)

    def properties(self, type_name: str) -> dict[str, PropertyInfo]:
        """Own and inherited properties of a class, sorted by name; empty if unknown."""
        return {name: self._properties[name] for name in self._member_names(type_name)}

    def property(self, type_name: str, prop: str) -> PropertyInfo | None:
        """The property if ``type_name`` has it (directly or inherited), else None."""
        info = self._properties.get(prop)
        if info is None or not self.has_type(type_name):
            return None
        if any(self.is_subclass(type_name, domain) for domain in info.domains):
            return info
        return None

    def lookup_property(self, prop: str) -> PropertyInfo | None:
        """The property regardless of type, e.g. to say which types do declare it."""
        return self._properties.get(prop)

    def suggest_property(self, type_name: str, prop: str) -> str | None:
        """The closest property of the type (of any type if the type is unknown).

        A name that exists up to letter case comes back corrected, even if superseded.
        """
        names: Iterable[str] = self._properties
        if self.has_type(type_name):
            names = self._member_names(type_name)
        current = [
            name for name in names if self._properties[name].superseded_by is None
        ]
        return _closest(prop, names, current)

    def suggest_type(self, name: str) -> str | None:
        """The closest class name, for "did you mean" hints."""
        current = [
            cls for cls, info in self._classes.items() if info.superseded_by is None
        ]
        return _closest(name, self._classes, current)

    def accepts(self, prop: PropertyInfo, value_type: str) -> bool:
        """Whether a value of flowc type ``value_type`` may fill the property.

        ``value_type`` is a flowc scalar (``string``, ``date``...) or the schema.org
        class of a nested model; any one range that admits it is enough.
        """
        return any(self._range_accepts(rng, value_type) for rng in prop.ranges)

    def _range_accepts(self, range_type: str, value_type: str) -> bool:
        """One range against one value type, by the rules in docs/schemaorg.md."""
        if value_type not in SCALAR_TYPES:
            return self.is_subclass(value_type, range_type)
        if self.is_datatype(range_type):
            return value_type in DATATYPE_ACCEPTS.get(range_type, TEXTUAL_FALLBACK)
        if self.is_subclass(range_type, "Enumeration"):
            return value_type in ENUMERATION_ACCEPTS
        return False

    def _walk_up(self, name: str) -> tuple[str, ...]:
        """Breadth-first so that the nearest superclasses come first."""
        seen: dict[str, None] = {}
        frontier = [name]
        while frontier:
            next_frontier: list[str] = []
            for current in frontier:
                info = self._classes.get(current)
                for parent in info.parents if info is not None else ():
                    if parent != name and parent not in seen:
                        seen[parent] = None
                        next_frontier.append(parent)
            frontier = next_frontier
        return tuple(seen)

    def _member_names(self, type_name: str) -> tuple[str, ...]:
        """Sorted own and inherited property names, memoised: checks ask repeatedly."""
        if not self.has_type(type_name):
            return ()
        cached = self._members.get(type_name)
        if cached is None:
            names: set[str] = set()
            for cls in (type_name, *self.ancestors(type_name)):
                info = self._classes.get(cls)
                names.update(info.own_properties if info is not None else ())
            cached = tuple(sorted(names))
            self._members[type_name] = cached
        return cached


def _class_info(row: Mapping[str, Any]) -> _ClassInfo:
    return _ClassInfo(
        parents=tuple(row.get("parents", ())),
        own_properties=tuple(row.get("properties", ())),
        datatype=bool(row.get("datatype", False)),
        superseded_by=row.get("superseded_by"),
    )


def _property_info(name: str, row: Mapping[str, Any]) -> PropertyInfo:
    return PropertyInfo(
        name=name,
        ranges=tuple(row["ranges"]),
        domains=tuple(row["domains"]),
        superseded_by=row.get("superseded_by"),
    )


def _closest(word: str, names: Iterable[str], preferred: list[str]) -> str | None:
    """Case-insensitive exact match first, then the nearest current name by difflib.

    Matching is on lower-cased names so ``givenname`` finds ``givenName``;
    superseded names are only suggested when written exactly (bar case).
    """
    lowered = word.lower()
    for name in names:
        if name.lower() == lowered:
            return name
    by_lower = {name.lower(): name for name in sorted(preferred)}
    matches = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def load_table() -> dict[str, Any]:
    """The raw table shipped inside the package."""
    text = resources.files(PACKAGE).joinpath(TABLE_RESOURCE).read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, parsed once per process."""
    return Vocabulary(load_table())
