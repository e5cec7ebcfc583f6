"""The one analysis: what every flow, event and error means, worked out once.

``validate``, ``generate`` and ``check`` all run it, so they report the same
diagnostics; backends only name files and fill templates from its result.
"""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.events import add_choreographies, settle_payloads
from flowc.checks.analysis.flows import FlowWalker
from flowc.checks.analysis.model import (
    Analysis,
    Argument,
    Consumer,
    ErrorClass,
    ErrorRow,
    EventPlan,
    Held,
    LocalStep,
    MappingFunction,
    Operation,
    PathParameter,
    Publisher,
    Route,
    RouteStep,
    ServicePlan,
)
from flowc.checks.analysis.sagas import add_sagas
from flowc.checks.analysis.schedules import add_schedules
from flowc.checks.analysis.sync_calls import add_sync_calls
from flowc.model import ServiceKind, System

__all__ = [
    "Analysis",
    "Argument",
    "Consumer",
    "ErrorClass",
    "ErrorRow",
    "EventPlan",
    "Held",
    "LocalStep",
    "MappingFunction",
    "Operation",
    "PathParameter",
    "Publisher",
    "Route",
    "RouteStep",
    "ServicePlan",
    "analyse",
]


def analyse(system: System) -> Analysis:
    """Walk every flow and choreography of a checked system."""
    analysis = Analysis(system=system)
    for service in system.services:
        if service.kind in (ServiceKind.SERVICE, ServiceKind.GATEWAY):
            analysis.services[service.name] = ServicePlan(
                name=service.name,
                class_name=naming.pascal(service.name),
                module=naming.snake(service.name),
                kind=service.kind,
                policy=service.sync_policy or system.sync_policy,
            )
    for flow in system.flows:
        FlowWalker(analysis, flow).run()
    add_choreographies(analysis)
    add_sync_calls(analysis)
    add_sagas(analysis)
    add_schedules(analysis)
    settle_payloads(analysis)
    for service_plan in analysis.services.values():
        service_plan.calls.sort()
    return analysis
