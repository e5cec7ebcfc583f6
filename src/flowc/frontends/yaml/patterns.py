"""``services:``, ``sagas:`` and ``choreographies:`` -> the IR's patterns.

A saga or choreography is given either as a Mermaid ``diagram:`` (read by the
shared flowchart reader) or as structured lists; both give the same IR.
"""

from __future__ import annotations

from typing import Any

from flowc.frontends import flowchart_ir
from flowc.frontends.mermaid.flowchart import parse_flowchart
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.base import ReaderBase
from flowc.frontends.yaml.loader import Path
from flowc.model import (
    Choreography,
    EventRoute,
    RouteDirection,
    Saga,
    SagaEdge,
    SagaNode,
    Service,
    ServiceKind,
)
from flowc.rules import report


class PatternReader(ReaderBase):
    """Reads services, sagas and choreographies."""

    def service(self, spec: s.ServiceSpec, index: int) -> Service:
        policy = (
            self.policy(spec.sync, ("services", index, "sync")) if spec.sync else None
        )
        return Service(
            name=spec.name,
            kind=ServiceKind(spec.kind),
            label=spec.label,
            sync_policy=policy,
            loc=self.at("services", index),
        )

    def flowchart(self, text: str, path: Path) -> Any:
        """Parse a ``diagram:`` block scalar, positions pointing into this file."""
        first_line, indent = self.block_start(path)
        chart, problems = parse_flowchart(text, self.file, first_line, indent)
        self.out.extend(problems)
        return chart

    def saga(self, spec: s.SagaSpec, index: int) -> Saga:
        path: Path = ("sagas", index)
        loc = self.at(*path)
        if spec.diagram is not None:
            chart = self.flowchart(spec.diagram, (*path, "diagram"))
            saga, problems = flowchart_ir.saga_from_flowchart(chart, spec.name, loc)
            self.out.extend(problems)
        else:
            saga = Saga(
                name=spec.name,
                steps=tuple(
                    SagaNode(id=n.id, label=n.label, loc=self.at(*path, "steps", i))
                    for i, n in enumerate(spec.steps)
                ),
                compensations=tuple(
                    SagaNode(
                        id=n.id, label=n.label, loc=self.at(*path, "compensations", i)
                    )
                    for i, n in enumerate(spec.compensations)
                ),
                failure_edges=tuple(
                    SagaEdge(
                        source=f.step,
                        target=f.compensate,
                        label=f.label,
                        loc=self.at(*path, "on_failure", i),
                    )
                    for i, f in enumerate(spec.on_failure)
                ),
                compensation_edges=tuple(
                    SagaEdge(
                        source=o.source,
                        target=o.to,
                        loc=self.at(*path, "compensation_order", i),
                    )
                    for i, o in enumerate(spec.compensation_order)
                ),
                start=spec.start,
                end=spec.end,
                loc=loc,
            )
        return saga.model_copy(
            update={
                "use_when": spec.use_when,
                "orchestrator": spec.orchestrator,
                "state_storage": spec.state_storage,
                "timeout_ms": self.duration(spec.timeout, (*path, "timeout")),
            }
        )

    def choreography(self, spec: s.ChoreographySpec, index: int) -> Choreography:
        path: Path = ("choreographies", index)
        loc = self.at(*path)
        if spec.diagram is not None:
            chart = self.flowchart(spec.diagram, (*path, "diagram"))
            result, problems = flowchart_ir.choreography_from_flowchart(
                chart, spec.name, self.bus, loc
            )
            self.out.extend(problems)
        else:
            routes: list[EventRoute] = []
            for i, route in enumerate(spec.routes):
                where = self.at(*path, "routes", i)
                if route.publishes:
                    routes.append(
                        EventRoute(
                            service=route.service,
                            event=route.publishes,
                            direction=RouteDirection.PUBLISH,
                            loc=where,
                        )
                    )
                if route.consumes:
                    routes.append(
                        EventRoute(
                            service=route.service,
                            event=route.consumes,
                            direction=RouteDirection.CONSUME,
                            loc=where,
                        )
                    )
                if not route.publishes and not route.consumes:
                    self.out.append(
                        report(
                            "FLW104",
                            "a route needs 'publishes' or 'consumes'",
                            where,
                            "add publishes: EventName",
                        )
                    )
            result = Choreography(name=spec.name, routes=tuple(routes), loc=loc)
        return result.model_copy(
            update={"use_when": spec.use_when, "guidelines": tuple(spec.guidelines)}
        )
