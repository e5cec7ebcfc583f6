"""IR -> Mermaid text, through the Mermaid ASTs and their canonical printers.

Both writers draw diagrams here, so a flow, a saga or a choreography looks the
same in Markdown and in YAML, and the text is exactly what the Mermaid parsers
read back into the same IR.
"""

from __future__ import annotations

from itertools import count, pairwise

from flowc.diagnostics import Location
from flowc.frontends.mermaid import flowchart_ast as fc
from flowc.frontends.mermaid import sequence_ast as sq
from flowc.model import (
    Block,
    Choreography,
    Flow,
    Message,
    Note,
    RouteDirection,
    Saga,
    SagaEdge,
    SagaNode,
    SequenceItem,
    SyncArrow,
)

NOWHERE = Location(file="", line=0, column=0)
HAPPY_PATH = "Happy Path"
COMPENSATION = "Compensation"
START = "Start"
END = "Complete"


# --- sequence diagrams -------------------------------------------------------


def sequence_diagram(flow: Flow) -> sq.SequenceDiagram:
    """Every participant declared in the flow's order, then the items."""
    participants = tuple(
        sq.Participant(
            id=p.name,
            label=p.label,
            kind="actor" if p.actor else "participant",
            loc=NOWHERE,
        )
        for p in flow.participants
    )
    return sq.SequenceDiagram(
        participants=participants,
        items=_items(flow.sequence),
        title=None,
        autonumber=False,
        loc=NOWHERE,
    )


def _items(items: tuple[SequenceItem, ...]) -> tuple[sq.Item, ...]:
    return tuple(_item(item) for item in items)


def _item(item: SequenceItem) -> sq.Item:
    if isinstance(item, Message):
        return sq.Message(
            source=item.source,
            target=item.target,
            arrow=item.arrow,
            text=item.text,
            loc=NOWHERE,
            text_column=0,
        )
    if isinstance(item, Note):
        return sq.Note(
            placement=item.placement,
            participants=item.participants,
            text=item.text,
            loc=NOWHERE,
        )
    return _block(item)


def _block(block: Block) -> sq.Block:
    later = sq.SECTION_KEYWORDS.get(block.kind, "else")
    sections = tuple(
        sq.Section(
            keyword=block.kind if index == 0 else later,
            label=section.label,
            items=_items(section.items),
            loc=NOWHERE,
        )
        for index, section in enumerate(block.sections)
    )
    return sq.Block(kind=block.kind, sections=sections, loc=NOWHERE)


def sequence_text(flow: Flow) -> str:
    """The full ``sequenceDiagram`` text of a flow (for a Markdown fence)."""
    return sq.format_sequence(sequence_diagram(flow))


def sequence_lines(flow: Flow) -> str:
    """The diagram's lines without the header, as YAML's ``sequence:`` holds them."""
    lines = sequence_text(flow).splitlines()[1:]
    indent = len(sq.INDENT)
    return "".join(
        (line[indent:] if line.startswith(sq.INDENT) else line) + "\n" for line in lines
    )


# --- flowcharts --------------------------------------------------------------


class _Chart:
    """Collects nodes, edges and subgraphs with increasing positions.

    The flowchart printer orders statements by position, so the position is
    how this builder says "print in the order I added them".
    """

    def __init__(self) -> None:
        self.nodes: list[fc.FlowNode] = []
        self.edges: list[fc.FlowEdge] = []
        self.subgraphs: list[fc.Subgraph] = []
        self._lines = count(1)

    def _loc(self) -> Location:
        return Location(file="", line=next(self._lines), column=1)

    def subgraph(self, title: str) -> str:
        self.subgraphs.append(
            fc.Subgraph(
                id=title, title=title, parent=None, direction=None, loc=self._loc()
            )
        )
        return title

    def node(self, node_id: str, label: str | None, subgraph: str | None) -> None:
        self.nodes.append(
            fc.FlowNode(
                id=node_id,
                label=label,
                shape="rect",
                loc=self._loc(),
                subgraph=subgraph,
            )
        )

    def edge(
        self,
        source: str,
        target: str,
        label: str | None,
        subgraph: str | None,
        dotted: bool = False,
    ) -> None:
        self.edges.append(
            fc.FlowEdge(
                source=source,
                target=target,
                line_style="dotted" if dotted else "normal",
                head="arrow",
                tail="none",
                label=label or None,
                length=1,
                loc=self._loc(),
                subgraph=subgraph,
                edge_id=None,
            )
        )

    def text(self) -> str:
        chart = fc.Flowchart(
            direction="LR",
            nodes=tuple(self.nodes),
            edges=tuple(self.edges),
            subgraphs=tuple(self.subgraphs),
            loc=NOWHERE,
        )
        return fc.format_flowchart(chart)


def _marker_label(node_id: str, label: str) -> str | None:
    """The seed's ``Start`` and ``Commit[Complete]``: a label unless the id says it."""
    return None if node_id == label else label


def _node_label(node: SagaNode) -> str | None:
    return None if node.label == node.id else node.label


def saga_text(saga: Saga) -> str:
    """The seed's saga flowchart: the happy path chain, then the dotted edges.

    Nodes get a line of their own only when they carry a label or no edge
    names them; every other node is introduced by its edges.
    """
    chain = [step.id for step in saga.steps]
    if saga.start is not None:
        chain.insert(0, saga.start)
    if saga.end is not None:
        chain.append(saga.end)
    links = list(pairwise(chain))
    dotted = _dotted_order(saga)
    named = {n for pair in links for n in pair}
    named |= {n for e in dotted for n in (e.source, e.target)}

    chart = _Chart()

    def declare(node_id: str, label: str | None, subgraph: str) -> None:
        if label is not None or node_id not in named:
            chart.node(node_id, label, subgraph)

    happy = chart.subgraph(HAPPY_PATH)
    if saga.start is not None:
        declare(saga.start, _marker_label(saga.start, START), happy)
    for step in saga.steps:
        declare(step.id, _node_label(step), happy)
    if saga.end is not None:
        declare(saga.end, _marker_label(saga.end, END), happy)
    for source, target in links:
        chart.edge(source, target, None, happy)
    compensation = chart.subgraph(COMPENSATION)
    for node in saga.compensations:
        declare(node.id, _node_label(node), compensation)
    for edge in dotted:
        chart.edge(edge.source, edge.target, edge.label, compensation, dotted=True)
    return chart.text()


def _dotted_order(saga: Saga) -> list[SagaEdge]:
    """Failure and order edges interleaved so compensations first appear in order.

    A reader lists compensations by their first appearance among the dotted
    edges; this merge (each list keeps its own order) reproduces the saga's
    order when any interleaving can, else falls back to failures first.
    """
    step_ids = {step.id for step in saga.steps}
    expected = [node.id for node in saga.compensations]
    failures, orders = list(saga.failure_edges), list(saga.compensation_edges)
    merged: list[SagaEdge] = []
    seen: list[str] = []

    def fits(edge: SagaEdge) -> bool:
        new = [
            n
            for n in dict.fromkeys((edge.source, edge.target))
            if n not in step_ids and n not in seen
        ]
        return new == expected[len(seen) : len(seen) + len(new)]

    while failures or orders:
        if failures and fits(failures[0]):
            edge = failures.pop(0)
        elif orders and fits(orders[0]):
            edge = orders.pop(0)
        else:
            return list(saga.failure_edges) + list(saga.compensation_edges)
        merged.append(edge)
        for node_id in (edge.source, edge.target):
            if node_id not in step_ids and node_id not in seen:
                seen.append(node_id)
    return merged


def sync_text(arrows: tuple[SyncArrow, ...]) -> str:
    """The Request/Response flowchart: its arrows, in the order drawn."""
    chart = _Chart()
    for arrow in arrows:
        chart.edge(arrow.source, arrow.target, None, None)
    return chart.text()


def choreography_text(choreography: Choreography, bus: str) -> str:
    """``Service -->|Event| Bus`` for publications, ``Bus -->|Event| Service`` else."""
    chart = _Chart()
    for route in choreography.routes:
        if route.direction == RouteDirection.PUBLISH:
            chart.edge(route.service, bus, route.event, None)
        else:
            chart.edge(bus, route.service, route.event, None)
    return chart.text()
