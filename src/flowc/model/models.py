"""Data models: DTOs, entities and event payloads from Shared Concepts."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from flowc.model.base import Node
from flowc.model.types import TypeRef


class ModelKind(StrEnum):
    """What a model is for; it decides the mappings that may target it."""

    ENTITY = "entity"
    DTO = "dto"
    EVENT = "event"


class ModelField(Node):
    """One row of a model table."""

    name: str
    type: TypeRef
    required: bool = True
    description: str = ""
    schema_org: str | None = None
    secret: bool = False


class Model(Node):
    """A named model; either a field table or a JSON Schema given verbatim."""

    name: str
    kind: ModelKind = ModelKind.ENTITY
    description: str = ""
    fields: tuple[ModelField, ...] = Field(default=())
    json_schema: dict[str, Any] | None = None
    schema_org_type: str | None = None

    def field(self, name: str) -> ModelField | None:
        return next((f for f in self.fields if f.name == name), None)
