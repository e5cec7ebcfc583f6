"""YAML text -> plain Python data, remembering where every value came from.

PyYAML's composer (libyaml when present) gives nodes with marks; we build the
data ourselves, iteratively, so that deep nesting, alias bombs and duplicate
keys become diagnostics instead of crashes or silent loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from flowc.diagnostics import Diagnostic, Location
from flowc.rules import report

Path = tuple[str | int, ...]

MAX_DEPTH = 200
MAX_NODES = 200_000

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()


@dataclass
class Positions:
    """Where each value of the loaded data starts, by its path of keys and indexes."""

    file: str
    places: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_places: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path, *, key: bool = False) -> Location:
        """The nearest known place for ``path``: the value, else its closest parent."""
        table = self.key_places if key else self.places
        probe = tuple(path)
        while probe:
            if probe in table:
                line, column = table[probe]
                return Location(file=self.file, line=line, column=column)
            if not key and probe in self.key_places:
                line, column = self.key_places[probe]
                return Location(file=self.file, line=line, column=column)
            probe = probe[:-1]
        line, column = self.places.get((), (1, 1))
        return Location(file=self.file, line=line, column=column)


def load_yaml(text: str, file: str) -> tuple[Any, Positions, list[Diagnostic]]:
    """Parse one YAML document; on failure the data is None and a diagnostic says why."""
    positions = Positions(file=file)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(
            file=file,
            line=(mark.line + 1) if mark else 1,
            column=(mark.column + 1) if mark else 1,
        )
        problem = exc.problem or exc.context or "not well-formed YAML"
        code = "FLW105" if "nesting depth" in problem else "FLW101"
        return (
            None,
            positions,
            [report(code, f"YAML: {problem}", where, _yaml_hint(problem))],
        )
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        where = Location(file=file, line=1, column=1)
        return None, positions, [report("FLW101", f"YAML: {exc}".strip(), where)]
    if root is None:
        return None, positions, []
    return _build(root, positions)


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "mapping values" in problem:
        return "quote values that contain ': ' or start with a special character"
    if "nesting depth" in problem:
        return "flatten the document; specs never need deep nesting"
    return "check indentation and quoting around the marked position"


def _place(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(
    root: yaml.Node, positions: Positions
) -> tuple[Any, Positions, list[Diagnostic]]:
    """Turn the node tree into data without recursion; report depth and size limits."""
    diagnostics: list[Diagnostic] = []
    holder: dict[str, Any] = {}
    # Each work item: (node, path, container, key-in-container)
    work: list[tuple[yaml.Node, Path, Any, Any]] = [(root, (), holder, "root")]
    count = 0
    while work:
        node, path, container, slot = work.pop()
        count += 1
        if count > MAX_NODES:
            diagnostics.append(
                report(
                    "FLW105",
                    f"YAML document has more than {MAX_NODES} values (alias expansion?)",
                    positions.at(()),
                    "specs are small; remove anchors that multiply content",
                )
            )
            return None, positions, diagnostics
        if len(path) > MAX_DEPTH:
            diagnostics.append(
                report(
                    "FLW105",
                    f"YAML nested deeper than {MAX_DEPTH} levels",
                    Location(
                        file=positions.file,
                        line=_place(node)[0],
                        column=_place(node)[1],
                    ),
                    "flatten the document; specs never need deep nesting",
                )
            )
            return None, positions, diagnostics
        positions.places[path] = _place(node)
        if isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            container[slot] = mapping
            for key_node, value_node in node.value:
                key = (
                    _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                )
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    diagnostics.append(
                        report(
                            "FLW103",
                            "mapping keys must be plain text",
                            Location(
                                file=positions.file,
                                line=_place(key_node)[0],
                                column=_place(key_node)[1],
                            ),
                        )
                    )
                    continue
                key = str(key)
                child: Path = (*path, key)
                if key in mapping:
                    line, column = _place(key_node)
                    diagnostics.append(
                        report(
                            "FLW106",
                            f"duplicate key {key!r}",
                            Location(file=positions.file, line=line, column=column),
                            "YAML keeps only one of them; merge the two entries",
                        )
                    )
                    continue
                mapping[key] = None
                positions.key_places[child] = _place(key_node)
                work.append((value_node, child, mapping, key))
        elif isinstance(node, yaml.SequenceNode):
            items: list[Any] = [None] * len(node.value)
            container[slot] = items
            for index in range(len(node.value) - 1, -1, -1):
                work.append((node.value[index], (*path, index), items, index))
        else:
            container[slot] = _scalar(node)
    return holder.get("root"), positions, diagnostics


def _scalar(node: yaml.Node) -> Any:
    """A scalar as YAML 1.1 safe loading reads it; timestamps stay text."""
    if node.tag == "tag:yaml.org,2002:timestamp":
        return str(node.value)
    try:
        return _SCALARS.construct_object(node, deep=False)
    except (yaml.constructor.ConstructorError, ValueError, OverflowError):
        return str(node.value)
