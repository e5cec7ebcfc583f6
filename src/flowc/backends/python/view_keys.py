"""The key of a template's input: the same key gives the same file.

A file whose template, variables and place are those an earlier run rendered
is not rendered again: its earlier final bytes are reused, so a change to one
flow renders that flow's files and the few that list every flow. The key is a
digest of a canonical encoding of the variables, the views the template reads:
dataclasses and pydantic models by their fields, sets in sorted order, so it
is the same in every process (string hashes, and so set order, vary by
process). A value of any other kind (a function, an object with hidden state)
makes the file unkeyed, and it is always rendered: a key is never a guess.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import PurePath

from pydantic import BaseModel

_SCALARS = (type(None), bool, int, float)


class Unkeyable(Exception):
    """A variable whose value the encoding cannot pin down."""


class ViewKeys:
    """Keys for one generation. The analysis and its views are values: built
    before the files and only read while they are made (a test holds the
    backend to that), so each record (dataclass, pydantic model) is encoded
    once and later uses name its digest. The memo holds each record it names,
    so no other object can take its id."""

    def __init__(self) -> None:
        self._digests: dict[int, tuple[object, str]] = {}

    def key(
        self, template: str, variables: Mapping[str, object], *context: str
    ) -> str | None:
        """sha256 over flowc's code, the formatter versions, the template name,
        ``context`` (the path, the source named in the header) and the
        variables; None when a variable cannot be encoded."""
        out: list[str] = [_versions(), template, *context]
        try:
            for name in sorted(variables):
                out.append(name)
                self._encode(variables[name], out.append)
        except Unkeyable:
            return None
        return _digest(out)

    def _encode(self, value: object, emit: Callable[[str], None]) -> None:
        """Write ``value`` as tagged tokens: two values give the same tokens
        only when a template can tell them apart by nothing it reads."""
        kind = type(value)
        if kind is str:
            emit(f"s{len(value)}:{value}")  # type: ignore[arg-type]
        elif kind in _SCALARS:
            emit(f"{kind.__name__}:{value!r}")
        elif kind is list or kind is tuple:
            emit(f"[{len(value)}")  # type: ignore[arg-type]
            for item in value:  # type: ignore[attr-defined]
                self._encode(item, emit)
        elif _is_record(kind):
            if issubclass(kind, BaseModel):  # locations: small, so inlined
                self._encode_fields(value, emit)
            else:
                emit(self._record_digest(value))
        else:
            self._encode_other(value, emit)

    def _record_digest(self, value: object) -> str:
        known = self._digests.get(id(value))
        if known is None:
            out: list[str] = []
            self._encode_fields(value, out.append)
            known = (value, "#" + _digest(out))
            self._digests[id(value)] = known
        return known[1]

    def _encode_fields(self, value: object, emit: Callable[[str], None]) -> None:
        kind = type(value)
        emit(f"d:{kind.__module__}.{kind.__qualname__}")
        for name in _field_names(kind):
            emit(name)
            self._encode(getattr(value, name), emit)

    def _encode_other(self, value: object, emit: Callable[[str], None]) -> None:
        if isinstance(value, enum.Enum):
            emit(f"e:{type(value).__qualname__}.{value.name}")
        elif isinstance(value, str | bool | int | float):
            emit(f"{type(value).__name__}:{value!r}")
        elif isinstance(value, list | tuple):
            emit(f"[{len(value)}")
            for item in value:
                self._encode(item, emit)
        elif isinstance(value, Mapping):
            emit(f"{{:{len(value)}")
            for _, key, item in sorted(
                (self._tokens(k), k, v) for k, v in value.items()
            ):
                self._encode(key, emit)
                self._encode(item, emit)
        elif isinstance(value, set | frozenset):
            emit(f"{{{len(value)}")
            for token in sorted(self._tokens(item) for item in value):
                emit(token)
        elif isinstance(value, PurePath):
            emit(f"p:{value.as_posix()}")
        else:
            raise Unkeyable(type(value).__qualname__)

    def _tokens(self, value: object) -> str:
        out: list[str] = []
        self._encode(value, out.append)
        return "\0".join(out)


def _digest(tokens: list[str]) -> str:
    return hashlib.sha256(
        "\0".join(tokens).encode("utf-8", "surrogatepass")
    ).hexdigest()


_RECORDS: dict[type, tuple[str, ...] | None] = {}


def _is_record(kind: type) -> bool:
    """A dataclass or pydantic model type: encoded by its fields (looked up
    once a type)."""
    if kind not in _RECORDS:
        if dataclasses.is_dataclass(kind):
            _RECORDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
        elif issubclass(kind, BaseModel):
            _RECORDS[kind] = tuple(kind.model_fields)
        else:
            _RECORDS[kind] = None
    return _RECORDS[kind] is not None


def _field_names(kind: type) -> tuple[str, ...]:
    return _RECORDS[kind] or ()


@cache
def _versions() -> str:
    from flowc.backends.python.versions import formatter_versions
    from flowc.resources import code_digest

    return f"{code_digest()}\0{formatter_versions()}"
