"""Event choreography: who publishes and who consumes each event."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from flowc.model.base import Node


class RouteDirection(StrEnum):
    PUBLISH = "publish"
    CONSUME = "consume"


class EventRoute(Node):
    """One edge to or from the bus."""

    service: str
    event: str
    direction: RouteDirection


class Choreography(Node):
    """A choreography section: a set of event routes."""

    name: str
    use_when: str = ""
    routes: tuple[EventRoute, ...] = Field(default=())
    guidelines: tuple[str, ...] = Field(default=())
