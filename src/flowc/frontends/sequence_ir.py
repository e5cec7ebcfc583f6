"""A parsed Mermaid sequence diagram -> the flow's participants and sequence.

Both frontends use this: Markdown for its fenced diagrams, YAML for a flow's
``sequence:`` text. It keeps what the model keeps (messages, notes, blocks)
and drops presentation (activation, autonumber, boxes).
"""

from __future__ import annotations

from flowc.diagnostics import Diagnostic
from flowc.frontends.mermaid import sequence as mermaid
from flowc.model import Block, Message, Note, Participant, Section, SequenceItem
from flowc.rules import report

MAX_BLOCK_DEPTH = 32


def participants_of(diagram: mermaid.SequenceDiagram) -> tuple[Participant, ...]:
    return tuple(
        Participant(
            name=p.id,
            label=p.label if p.label and p.label != p.id else None,
            actor=p.kind == "actor",
            loc=p.loc,
        )
        for p in diagram.participants
    )


def items_of(
    diagram: mermaid.SequenceDiagram,
) -> tuple[tuple[SequenceItem, ...], list[Diagnostic]]:
    """The sequence items, with blocks nested deeper than the limit reported."""
    diagnostics: list[Diagnostic] = []
    items = _convert(diagram.items, 0, diagnostics)
    return items, diagnostics


def _convert(
    items: tuple[mermaid.Item, ...], depth: int, diagnostics: list[Diagnostic]
) -> tuple[SequenceItem, ...]:
    out: list[SequenceItem] = []
    for item in items:
        if isinstance(item, mermaid.Message):
            out.append(
                Message(
                    source=item.source,
                    target=item.target,
                    arrow=item.arrow,
                    text=item.text,
                    loc=item.loc,
                )
            )
        elif isinstance(item, mermaid.Note):
            out.append(
                Note(
                    placement=item.placement,
                    participants=tuple(item.participants),
                    text=item.text,
                    loc=item.loc,
                )
            )
        elif depth >= MAX_BLOCK_DEPTH:
            diagnostics.append(
                report(
                    "FLW413",
                    f"blocks nested deeper than {MAX_BLOCK_DEPTH} levels",
                    item.loc,
                    "flatten the diagram; the inner blocks were dropped",
                )
            )
        else:
            sections = tuple(
                Section(
                    label=section.label,
                    items=_convert(section.items, depth + 1, diagnostics),
                    loc=section.loc,
                )
                for section in item.sections
            )
            out.append(Block(kind=item.kind, sections=sections, loc=item.loc))
    return tuple(out)
