"""Parsed Mermaid flowcharts -> sagas and choreographies of the model.

This reads the drawing literally (spec-language.md): the happy path's solid
chain gives the steps in order, dotted edges from a step are its failure
edges, dotted edges between compensations give their order. Whether the
result is a well-formed saga is for the checks to say.
"""

from __future__ import annotations

import re

from flowc.diagnostics import Diagnostic, Location
from flowc.frontends.mermaid import flowchart as mermaid
from flowc.model import (
    Choreography,
    EventRoute,
    RouteDirection,
    Saga,
    SagaEdge,
    SagaNode,
)
from flowc.rules import report

START_WORDS = {"start", "begin"}
END_WORDS = {"complete", "completed", "done", "end", "commit", "finish", "finished"}


def _title_is(subgraph: mermaid.Subgraph, pattern: str) -> bool:
    return (
        re.fullmatch(pattern, subgraph.title.strip().strip('"'), re.IGNORECASE)
        is not None
    )


def _label(node: mermaid.FlowNode | None, node_id: str) -> str:
    if node is None or node.label is None:
        return node_id
    return node.label


def saga_from_flowchart(
    chart: mermaid.Flowchart, name: str, loc: Location
) -> tuple[Saga, list[Diagnostic]]:
    """The saga graph the flowchart draws, or diagnostics on what it cannot be."""
    diagnostics: list[Diagnostic] = []
    happy = next((s for s in chart.subgraphs if _title_is(s, r"happy[ _-]?path")), None)
    comp = next((s for s in chart.subgraphs if _title_is(s, r"compensations?")), None)
    happy_id = happy.id if happy is not None else None
    forward = [
        e
        for e in chart.edges
        if e.line_style != "dotted" and (happy_id is None or e.subgraph == happy_id)
    ]
    chain, chain_problems = _chain(forward)
    diagnostics.extend(chain_problems)
    start = end = None
    if chain and _is_marker(chart, chain[0], START_WORDS):
        start = chain.pop(0)
    if chain and _is_marker(chart, chain[-1], END_WORDS):
        end = chain.pop()
    steps = tuple(
        SagaNode(
            id=node_id,
            label=_label(chart.node(node_id), node_id),
            loc=_node_loc(chart, node_id, loc),
        )
        for node_id in chain
    )
    step_ids = {step.id for step in steps}
    failures: list[SagaEdge] = []
    orders: list[SagaEdge] = []
    comp_ids: list[str] = []
    for edge in chart.edges:
        if edge.line_style != "dotted":
            if happy_id is not None and edge.subgraph != happy_id:
                diagnostics.append(
                    report(
                        "FLW507",
                        f"solid edge {edge.source} --> {edge.target} outside the Happy Path",
                        edge.loc,
                        "compensation edges are dotted (-.->); steps belong in the Happy Path subgraph",
                    )
                )
            continue
        saga_edge = SagaEdge(
            source=edge.source, target=edge.target, label=edge.label or "", loc=edge.loc
        )
        if edge.source in step_ids:
            failures.append(saga_edge)
        elif edge.target in step_ids or edge.source in (start, end):
            diagnostics.append(
                report(
                    "FLW507",
                    f"dotted edge {edge.source} -.-> {edge.target} leads back into the happy path",
                    edge.loc,
                    "compensation edges go from a step to a compensation, or between compensations",
                )
            )
            continue
        else:
            orders.append(saga_edge)
        for node_id in (edge.source, edge.target):
            if node_id not in step_ids and node_id not in comp_ids:
                comp_ids.append(node_id)
    if comp is not None:
        for node in chart.nodes:
            if (
                node.subgraph == comp.id
                and node.id not in step_ids
                and node.id not in comp_ids
            ):
                comp_ids.append(node.id)
    compensations = tuple(
        SagaNode(
            id=node_id,
            label=_label(chart.node(node_id), node_id),
            loc=_node_loc(chart, node_id, loc),
        )
        for node_id in comp_ids
    )
    saga = Saga(
        name=name,
        steps=steps,
        compensations=compensations,
        failure_edges=tuple(failures),
        compensation_edges=tuple(orders),
        start=start,
        end=end,
        loc=loc,
    )
    return saga, diagnostics


def _node_loc(chart: mermaid.Flowchart, node_id: str, fallback: Location) -> Location:
    node = chart.node(node_id)
    return node.loc if node is not None else fallback


def _is_marker(chart: mermaid.Flowchart, node_id: str, words: set[str]) -> bool:
    node = chart.node(node_id)
    label = (node.label if node is not None and node.label else "").strip().lower()
    return node_id.lower() in words or label in words


def _chain(edges: list[mermaid.FlowEdge]) -> tuple[list[str], list[Diagnostic]]:
    """Order the happy path's nodes; a fork or a loop is a diagnostic."""
    if not edges:
        return [], []
    successor: dict[str, mermaid.FlowEdge] = {}
    has_predecessor: set[str] = set()
    problems: list[Diagnostic] = []
    for edge in edges:
        if edge.source in successor:
            problems.append(
                report(
                    "FLW507",
                    f"the happy path forks at {edge.source}",
                    edge.loc,
                    "a saga's happy path is one chain of steps; draw branches as separate sagas",
                )
            )
            continue
        successor[edge.source] = edge
        has_predecessor.add(edge.target)
    heads = [e.source for e in edges if e.source not in has_predecessor]
    if not heads:
        problems.append(
            report(
                "FLW507",
                "the happy path loops back on itself",
                edges[0].loc,
                "remove the edge that closes the loop",
            )
        )
        return [], problems
    chain = [heads[0]]
    while chain[-1] in successor:
        target = successor[chain[-1]].target
        if target in chain:
            problems.append(
                report(
                    "FLW507",
                    f"the happy path loops back to {target}",
                    successor[chain[-1]].loc,
                    "remove the edge that closes the loop",
                )
            )
            break
        chain.append(target)
    for edge in edges:
        if edge.source not in chain:
            problems.append(
                report(
                    "FLW507",
                    f"edge {edge.source} --> {edge.target} is not on the happy path's chain",
                    edge.loc,
                    "connect it to the chain that starts at " + heads[0],
                )
            )
    return chain, problems


def choreography_from_flowchart(
    chart: mermaid.Flowchart, name: str, bus: str, loc: Location
) -> tuple[Choreography, list[Diagnostic]]:
    """Edges into the bus are publications, edges out of it consumptions."""
    diagnostics: list[Diagnostic] = []
    routes: list[EventRoute] = []
    for edge in chart.edges:
        event = (edge.label or "").strip()
        if edge.target == bus and edge.source != bus:
            service, direction = edge.source, RouteDirection.PUBLISH
        elif edge.source == bus and edge.target != bus:
            service, direction = edge.target, RouteDirection.CONSUME
        else:
            diagnostics.append(
                report(
                    "FLW508",
                    f"edge {edge.source} --> {edge.target} does not touch the bus {bus}",
                    edge.loc,
                    f"draw events as A -->|Event| {bus} and {bus} -->|Event| B",
                )
            )
            continue
        if not event:
            diagnostics.append(
                report(
                    "FLW508",
                    f"edge {edge.source} --> {edge.target} names no event",
                    edge.loc,
                    "label the edge with the event: -->|OrderCreated|",
                )
            )
            continue
        routes.append(
            EventRoute(service=service, event=event, direction=direction, loc=edge.loc)
        )
    return Choreography(name=name, routes=tuple(routes), loc=loc), diagnostics
