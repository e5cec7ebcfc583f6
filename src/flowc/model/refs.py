"""The Input/Output texts of a Data Transformations row, read as model references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class RefKind(StrEnum):
    HTTP_JSON = "http_json"
    DTO = "dto"
    NAMED_DTO = "named_dto"
    ENTITY = "entity"
    EVENT = "event"
    SCHEMAORG = "schemaorg"
    MODEL = "model"


@dataclass(frozen=True, slots=True)
class ModelRef:
    kind: RefKind
    name: str = ""


_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_PATTERNS: tuple[tuple[re.Pattern[str], RefKind], ...] = (
    (
        re.compile(
            r"^(?:http\s+)?(?:json|request)(?:\s+body)?$|^http(?:\s+json)?(?:\s+(?:body|request))?$",
            re.I,
        ),
        RefKind.HTTP_JSON,
    ),
    (re.compile(r"^(?:internal\s+)?dto$", re.I), RefKind.DTO),
    (re.compile(r"^`" + _NAME + r"`$"), RefKind.MODEL),
    (
        re.compile(
            r"^schema\.org[/ :]\s*" + _NAME + r"(?:\s+(?:event|payload|object))?$", re.I
        ),
        RefKind.SCHEMAORG,
    ),
    (re.compile(r"^" + _NAME + r"\s+dto$", re.I), RefKind.NAMED_DTO),
    (re.compile(r"^" + _NAME + r"\s+entity$", re.I), RefKind.ENTITY),
    (re.compile(r"^" + _NAME + r"\s+event$", re.I), RefKind.EVENT),
    (re.compile(r"^" + _NAME + r"$"), RefKind.MODEL),
)


def parse_model_ref(text: str) -> ModelRef | None:
    """``HTTP JSON``, ``Internal DTO``, ``User entity``, ``Schema.org/Person event``..."""
    cleaned = " ".join(text.split())
    for pattern, kind in _PATTERNS:
        match = pattern.match(cleaned)
        if match is not None:
            name = match.group(1) if match.groups() else ""
            return ModelRef(kind=kind, name=name or "")
    return None
