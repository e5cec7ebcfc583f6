"""Saga rules: what the drawing can show about its compensation chains."""

from __future__ import annotations

from flowc.diagnostics import Diagnostic
from flowc.model import Saga, ServiceKind, System
from flowc.rules import report


def check_sagas(system: System) -> list[Diagnostic]:
    return [d for saga in system.sagas for d in check_saga(system, saga)]


def check_saga(system: System, saga: Saga) -> list[Diagnostic]:
    """One saga's findings: its steps and compensations, and its orchestrator."""
    out: list[Diagnostic] = []
    _check_saga(saga, out)
    if saga.orchestrator:
        service = system.service(saga.orchestrator)
        if service is None or service.kind in (ServiceKind.EXTERNAL, ServiceKind.BUS):
            out.append(
                report(
                    "FLW509",
                    f"orchestrator {saga.orchestrator!r} of saga {saga.name!r} is not a service of the spec set",
                    saga.loc,
                    "name a service that takes part in a flow",
                )
            )
    return out


def _check_saga(saga: Saga, out: list[Diagnostic]) -> None:
    if not saga.steps:
        out.append(
            report(
                "FLW506",
                f"saga {saga.name!r} has no steps",
                saga.loc,
                "draw the Happy Path: Start --> Step1[Create Order] --> ...",
            )
        )
        return
    comp_ids = {c.id for c in saga.compensations}
    step_ids = [s.id for s in saga.steps]
    successors: dict[str, str] = {}
    for edge in saga.compensation_edges:
        if edge.source in successors and successors[edge.source] != edge.target:
            out.append(
                report(
                    "FLW502",
                    f"{saga.node_label(edge.source)} is followed by both {saga.node_label(successors[edge.source])} and {saga.node_label(edge.target)}",
                    edge.loc,
                    "each compensation leads to at most one next compensation",
                )
            )
            continue
        successors[edge.source] = edge.target
    for edge in saga.failure_edges:
        if edge.source not in step_ids:
            out.append(
                report(
                    "FLW507",
                    f"failure edge from {edge.source!r}, which is not a step",
                    edge.loc,
                    "failure edges start at a Happy Path step",
                )
            )
        if edge.target not in comp_ids:
            out.append(
                report(
                    "FLW507",
                    f"failure edge to {edge.target!r}, which is not a compensation",
                    edge.loc,
                    "point it at a compensation node",
                )
            )
    chains: list[tuple[str, tuple[str, ...]]] = []
    reached: set[str] = set()
    seen_retriable: str | None = None
    for step in saga.steps:
        failure = saga.failure_edge(step.id)
        if failure is None:
            seen_retriable = seen_retriable or step.id
            continue
        if seen_retriable is not None:
            out.append(
                report(
                    "FLW505",
                    f"step {step.label!r} has a failure edge, but the earlier step {saga.node_label(seen_retriable)!r} has none and is retried until it succeeds",
                    failure.loc,
                    "steps after a retriable (pivot) step never compensate; give the earlier step a failure edge or drop this one",
                )
            )
        chain, cycle = _follow(failure.target, successors)
        if cycle:
            out.append(
                report(
                    "FLW501",
                    f"the compensation chain of {step.label!r} loops back to {saga.node_label(chain[-1])!r}",
                    failure.loc,
                    "remove the dotted edge that closes the loop",
                )
            )
            chain = chain[:-1]
        reached.update(chain)
        for earlier_step, earlier in chains:
            if chain[len(chain) - len(earlier) :] != earlier or len(earlier) > len(
                chain
            ):
                out.append(
                    report(
                        "FLW504",
                        f"when {step.label!r} fails the saga runs {_names(saga, chain)}, which does not end with what {saga.node_label(earlier_step)!r} runs ({_names(saga, earlier)})",
                        failure.loc,
                        "a later failure must undo at least what an earlier one undoes, in the same order",
                    )
                )
                break
        chains.append((step.id, chain))
    for node in saga.compensations:
        if node.id not in reached:
            out.append(
                report(
                    "FLW503",
                    f"compensation {node.label!r} is never run: no failure edge reaches it",
                    node.loc,
                    "add a failure edge or a dotted edge leading to it",
                )
            )


def _follow(start: str, successors: dict[str, str]) -> tuple[tuple[str, ...], bool]:
    chain = [start]
    while chain[-1] in successors:
        nxt = successors[chain[-1]]
        if nxt in chain:
            return (*chain, nxt), True
        chain.append(nxt)
    return tuple(chain), False


def _names(saga: Saga, chain: tuple[str, ...]) -> str:
    return " -> ".join(saga.node_label(node) for node in chain) or "nothing"
