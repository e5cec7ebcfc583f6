"""Services and the sync policy their clients apply."""

from __future__ import annotations

from enum import StrEnum

from flowc.model.base import Node

DEFAULT_BUS = "EventBus"
"""The event bus's participant name unless a spec set names another."""


class ServiceKind(StrEnum):
    """Whether flowc generates code for a participant, and of what sort."""

    EXTERNAL = "external"
    GATEWAY = "gateway"
    SERVICE = "service"
    BUS = "bus"


class SyncPolicy(Node):
    """Timeout, retries and circuit breaker for synchronous calls."""

    timeout_ms: int = 2000
    retries: int = 3
    backoff: str = "exponential"
    breaker_failures: int = 5
    breaker_open_ms: int = 30000


class SyncArrow(Node):
    """One arrow of the Request/Response flowchart, ``source --> target``.

    The checks decide what it means (a call, or the reply to an earlier one).
    """

    source: str
    target: str


class Service(Node):
    """A participant of the system; kind decides what is generated for it."""

    name: str
    kind: ServiceKind = ServiceKind.SERVICE
    label: str | None = None
    sync_policy: SyncPolicy | None = None
