"""What DBOS runs in generated code: sagas (steps, compensations, data, version)
and scheduled flows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flowc import naming
from flowc.diagnostics import Location

if TYPE_CHECKING:
    from flowc.checks.analysis.model import Held


@dataclass(frozen=True)
class SagaAction:
    """A step or a compensation: the node, and the method a person implements."""

    id: str
    label: str
    method: str
    loc: Location


@dataclass(frozen=True)
class SagaStepPlan(SagaAction):
    chain: tuple[str, ...] = ()
    """The compensation methods its failure runs, in order."""
    retried: bool = False
    """No failure edge: retried with capped backoff until it succeeds."""


@dataclass
class SagaPlan:
    name: str
    class_name: str
    module: str
    slug: str
    steps: list[SagaStepPlan]
    compensations: list[SagaAction]
    data: Held
    orchestrator: str | None
    state_storage: str
    timeout_ms: int | None
    version: str
    loc: Location
    flow: str | None = None
    """The flow that runs through this saga (its entry route starts it)."""
    flow_status: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def workflow_name(self) -> str:
        return f"{self.class_name}@{self.version}"


@dataclass(frozen=True)
class ScheduledJob:
    flow: str
    cron: str
    service: str
    operation: str
    sla_ms: int | None
    loc: Location

    @property
    def function(self) -> str:
        return f"{naming.snake(self.flow)}_on_schedule"
