"""Sagas: ordered steps, failure edges and compensation chains, as drawn."""

from __future__ import annotations

from pydantic import Field

from flowc.model.base import Node


class SagaNode(Node):
    """A step or a compensation node of the saga flowchart."""

    id: str
    label: str


class SagaEdge(Node):
    """A dotted edge: a step's failure edge or the order between compensations."""

    source: str
    target: str
    label: str = ""


class Saga(Node):
    """A saga as the flowchart and Implementation bullets give it.

    The graph is kept as drawn; ``compensation_chain`` reads it. Checks decide
    whether it is well formed (every chain ends, chains nest).
    """

    name: str
    use_when: str = ""
    steps: tuple[SagaNode, ...] = Field(default=())
    compensations: tuple[SagaNode, ...] = Field(default=())
    failure_edges: tuple[SagaEdge, ...] = Field(default=())
    compensation_edges: tuple[SagaEdge, ...] = Field(default=())
    start: str | None = None
    end: str | None = None
    orchestrator: str | None = None
    state_storage: str | None = None
    timeout_ms: int | None = None

    def failure_edge(self, step_id: str) -> SagaEdge | None:
        return next((e for e in self.failure_edges if e.source == step_id), None)

    def next_compensation(self, comp_id: str) -> str | None:
        return next(
            (e.target for e in self.compensation_edges if e.source == comp_id), None
        )

    def compensation_chain(self, step_id: str) -> tuple[str, ...]:
        """Compensations to run, in order, when ``step_id`` fails.

        Stops at the first repeated node so a cyclic drawing still terminates;
        checks report the cycle separately.
        """
        edge = self.failure_edge(step_id)
        chain: list[str] = []
        current = edge.target if edge is not None else None
        while current is not None and current not in chain:
            chain.append(current)
            current = self.next_compensation(current)
        return tuple(chain)

    def node_label(self, node_id: str) -> str:
        for node in (*self.steps, *self.compensations):
            if node.id == node_id:
                return node.label
        return node_id
