"""Schema validation of a loaded spec: report every error, keep what is valid.

Pydantic rejects a whole file for one bad value; here each error becomes a
diagnostic pointing at its line, and only the broken part (an unknown key, or
the innermost list item holding the error) is dropped before validating again,
so one typo does not hide the findings in the rest of the file.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from flowc.diagnostics import Diagnostic
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.loader import Path, Positions
from flowc.rules import report


def validate_spec(
    data: dict[str, Any], positions: Positions, out: list[Diagnostic]
) -> s.SpecFile:
    """Validate, report every error, then drop only the broken parts and keep the rest.

    An unknown key is removed; any other error removes the innermost list item
    that holds it (an error row, a step, a field), so one typo does not hide
    the findings in the rest of the flow.
    """
    reported: set[tuple[str, Path]] = set()
    for _ in range(8):
        try:
            return s.SpecFile.model_validate(data)
        except ValidationError as exc:
            cuts: set[Path] = set()
            for problem in exc.errors():
                path = _data_path(data, problem["loc"])
                key = (str(problem["type"]), path)
                if key not in reported:
                    reported.add(key)
                    out.append(_schema_diagnostic(problem, path, positions))
                cuts.add(_cut_point(path, problem["type"] == "extra_forbidden"))
            data = _without(data, cuts)
    return s.SpecFile()


def _cut_point(path: Path, unknown_key: bool) -> Path:
    if unknown_key or len(path) <= 1:
        return path
    for index in range(len(path) - 1, 0, -1):
        if isinstance(path[index], int):
            return path[: index + 1]
    return path[:1]


def _without(data: Any, cuts: set[Path]) -> Any:
    """A copy of ``data`` with the values at ``cuts`` removed."""
    for cut in sorted(cuts, key=lambda p: (len(p), [str(x) for x in p]), reverse=True):
        data = _remove(data, cut)
    return data


def _remove(node: Any, path: Path) -> Any:
    if not path:
        return node
    head, rest = path[0], path[1:]
    if isinstance(node, dict) and head in node:
        copy = dict(node)
        if rest:
            copy[head] = _remove(node[head], rest)
        else:
            del copy[head]
        return copy
    if isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        copy_list = list(node)
        if rest:
            copy_list[head] = _remove(node[head], rest)
        else:
            copy_list[head] = _REMOVED
        return [item for item in copy_list if item is not _REMOVED]
    return node


_REMOVED = object()


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """Pydantic's error path with union tags removed, so it indexes the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _is_union_tag(path, part):
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            path.append(part)
            node = None
        # anything else is a union tag pydantic adds to the path: skip it
    return tuple(path)


def _is_union_tag(path: list[str | int], part: str | int) -> bool:
    """Pydantic names the chosen step kind in error paths; the data has no such level."""
    return (
        isinstance(part, str)
        and part in s.STEP_KEYS
        and len(path) >= 2
        and path[-2] == "steps"
        and isinstance(path[-1], int)
    )


_KNOWN_KEYS = sorted(
    {
        (info.alias or name)
        for model in (
            s.SpecFile,
            s.FlowSpec,
            s.ModelSpec,
            s.FieldSpec,
            s.SagaSpec,
            s.ChoreographySpec,
            s.ServiceSpec,
            s.SyncPolicySpec,
            s.ErrorSpec,
            s.TransformationSpec,
            s.RouteSpec,
            s.ParticipantSpec,
            s.SagaNodeSpec,
            s.FailureSpec,
            s.OrderSpec,
            s.RequestStep,
            s.CallStep,
            s.ConsumeStep,
            s.LocalStep,
            s.NoteStep,
            s.BlockStep,
            s.SectionSpec,
            s.AntiPatternSpec,
            s.LinkSpec,
            s.ProseSpec,
        )
        for name, info in model.model_fields.items()
    }
)


def _schema_diagnostic(problem: Any, path: Path, positions: Positions) -> Diagnostic:
    kind = problem["type"]
    where = ".".join(str(part) for part in path) or "(top level)"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else ""
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else "remove the key; see `flowc schema`"
        )
        return report(
            "FLW102",
            f"unknown key {key!r} in {'.'.join(str(p) for p in path[:-1]) or 'the top level'}",
            positions.at(path, key=True),
            hint,
        )
    if kind == "missing":
        key = str(path[-1]) if path else ""
        return report(
            "FLW104",
            f"missing required key {key!r} at {'.'.join(str(p) for p in path[:-1]) or '(top level)'}",
            positions.at(path[:-1]),
            f"add '{key}:'",
        )
    message = str(problem.get("msg", "invalid value"))
    return report(
        "FLW103",
        f"{where}: {message}",
        positions.at(path),
        "see `flowc schema` for the expected form",
    )
