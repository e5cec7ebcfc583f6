"""One spec file, and the system that a whole spec set makes."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field

from flowc.model.base import Node
from flowc.model.choreography import Choreography
from flowc.model.flows import Flow
from flowc.model.models import Model
from flowc.model.sagas import Saga
from flowc.model.services import DEFAULT_BUS, Service, SyncArrow, SyncPolicy


class AntiPattern(Node):
    """A row of the Anti-Patterns table; each names a lint rule."""

    pattern: str
    problem: str = ""
    alternative: str = ""


class Suppression(Node):
    """``flowc: ignore[FLW705] reason``: findings silenced in one part of a file.

    ``loc`` is the comment; the lines ``first_line``..``last_line`` are the
    flow or item it sits in (the whole file outside any)."""

    codes: tuple[str, ...]
    """As written: checking them is the checks' job."""
    reason: str = ""
    first_line: int
    last_line: int


class Link(Node):
    """A link in Related Documents."""

    text: str
    target: str


class Prose(Node):
    """A section flowc does not interpret, carried into generated docs."""

    heading: str
    text: str


class Document(Node):
    """Everything one spec file says, before names are resolved across files."""

    path: str
    unfilled: bool = False
    """The raw template: every flow heading is still a placeholder, so its patterns are the template's examples."""
    title: str = ""
    status: str | None = None
    last_updated: str | None = None
    summary: str = ""
    bus: str | None = None
    services: tuple[Service, ...] = Field(default=())
    models: tuple[Model, ...] = Field(default=())
    flows: tuple[Flow, ...] = Field(default=())
    sagas: tuple[Saga, ...] = Field(default=())
    choreographies: tuple[Choreography, ...] = Field(default=())
    sync_policy: SyncPolicy | None = None
    sync_use_when: str = ""
    sync_arrows: tuple[SyncArrow, ...] = Field(default=())
    """The Request/Response flowchart's arrows, in the order drawn."""
    anti_patterns: tuple[AntiPattern, ...] = Field(default=())
    suppressions: tuple[Suppression, ...] = Field(default=())
    related: tuple[Link, ...] = Field(default=())
    prose: tuple[Prose, ...] = Field(default=())


class System(Node):
    """A resolved spec set: the input of every backend."""

    name: str
    documents: tuple[Document, ...] = Field(default=())
    services: tuple[Service, ...] = Field(default=())
    models: tuple[Model, ...] = Field(default=())
    flows: tuple[Flow, ...] = Field(default=())
    sagas: tuple[Saga, ...] = Field(default=())
    choreographies: tuple[Choreography, ...] = Field(default=())
    sync_policy: SyncPolicy = Field(default_factory=SyncPolicy)
    sync_arrows: tuple[SyncArrow, ...] = Field(default=())
    bus: str = DEFAULT_BUS

    def service(self, name: str) -> Service | None:
        return self._services_by_name.get(name)

    def model(self, name: str) -> Model | None:
        return self._models_by_name.get(name)

    @cached_property
    def _services_by_name(self) -> dict[str, Service]:
        """First declaration wins, as a scan in order would find it; an index keeps
        lookups constant-time on spec sets with thousands of models."""
        found: dict[str, Service] = {}
        for service in self.services:
            found.setdefault(service.name, service)
        return found

    @cached_property
    def _models_by_name(self) -> dict[str, Model]:
        found: dict[str, Model] = {}
        for model in self.models:
            found.setdefault(model.name, model)
        return found
