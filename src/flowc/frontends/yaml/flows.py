"""``flows:`` -> Flows of the IR, from a ``sequence:`` diagram or ``steps:`` list.

Steps are the structured form of a sequence diagram; both become the same
sequence items, and the participants they mention join the declared ones.
"""

from __future__ import annotations

from typing import Any

from flowc.frontends import sequence_ir
from flowc.frontends.mermaid.sequence import parse_sequence
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.base import ReaderBase
from flowc.frontends.yaml.loader import Path
from flowc.model import (
    Block,
    ErrorCase,
    Flow,
    Message,
    Note,
    Participant,
    Section,
    SequenceItem,
    Transformation,
)
from flowc.rules import report


class FlowReader(ReaderBase):
    """Reads ``flows:`` entries and their steps."""

    def flow(self, spec: s.FlowSpec, index: int) -> Flow:
        path: Path = ("flows", index)
        participants: tuple[Participant, ...] = tuple(
            Participant(
                name=p.name,
                label=p.label,
                actor=p.actor,
                loc=self.at(*path, "participants", i),
            )
            for i, p in enumerate(spec.participants or [])
        )
        sequence: tuple[SequenceItem, ...] = ()
        if spec.sequence is not None:
            first_line, indent = self.block_start((*path, "sequence"))
            diagram, problems = parse_sequence(
                _with_header(spec.sequence),
                self.file,
                first_line - _header_offset(spec.sequence),
                indent,
            )
            self.out.extend(problems)
            sequence, problems = sequence_ir.items_of(diagram)
            self.out.extend(problems)
            participants = _merge_participants(
                participants, sequence_ir.participants_of(diagram)
            )
        elif spec.steps is not None:
            sequence = self.steps(spec.steps, (*path, "steps"))
            participants = _merge_participants(participants, _participants_in(sequence))
        return Flow(
            name=spec.name,
            trigger=spec.trigger,
            trigger_loc=self.at(*path, "trigger"),
            outcome=spec.outcome,
            sla_ms=self.duration(spec.sla, (*path, "sla")),
            description=spec.description,
            participants=participants,
            sequence=sequence,
            errors=tuple(
                ErrorCase(
                    name=e.error,
                    handler=e.handler,
                    status=e.http,
                    recovery=e.recovery,
                    loc=self.at(*path, "errors", i),
                )
                for i, e in enumerate(spec.errors)
            ),
            transformations=tuple(
                Transformation(
                    step=t.step,
                    input=t.input,
                    output=t.output,
                    loc=self.at(*path, "transformations", i),
                )
                for i, t in enumerate(spec.transformations)
            ),
            suppress=self.suppressions(spec.suppress, (*path, "suppress")),
            sync_policy=self.policy(spec.sync, (*path, "sync")) if spec.sync else None,
            loc=self.at(*path),
        )

    def suppressions(self, names: list[str], path: Path) -> tuple[str, ...]:
        """Lint rules silenced for a flow, by name or code; unknown ones are reported."""
        from flowc.rules import LINT_RULES

        codes = {code: name for name, code in LINT_RULES.items()}
        kept: list[str] = []
        for index, raw in enumerate(names):
            name = codes.get(raw.strip().upper(), raw.strip().lower())
            if name not in LINT_RULES:
                self.out.append(
                    report(
                        "FLW211",
                        f"suppress names no lint rule: {raw!r}",
                        self.positions.at((*path, index)),
                        "known rules: " + ", ".join(sorted(LINT_RULES)),
                    )
                )
                continue
            if name not in kept:
                kept.append(name)
        return tuple(kept)

    def steps(self, steps: list[Any], path: Path) -> tuple[SequenceItem, ...]:
        return tuple(self.step(step, (*path, i)) for i, step in enumerate(steps))

    def step(self, step: Any, path: Path) -> SequenceItem:
        loc = self.positions.at(path)
        if isinstance(step, s.RequestStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="->>",
                text=step.request,
                loc=loc,
            )
        if isinstance(step, s.CallStep):
            return Message(
                source=step.source, target=step.to, arrow="->>", text=step.call, loc=loc
            )
        if isinstance(step, s.ReplyStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="-->>",
                text=step.reply,
                loc=loc,
            )
        if isinstance(step, s.RespondStep):
            return Message(
                source=step.source,
                target=step.to,
                arrow="-->>",
                text=str(step.respond),
                loc=loc,
            )
        if isinstance(step, s.PublishStep):
            return Message(
                source=step.source,
                target=step.to or self.bus,
                arrow="->>",
                text=step.publish,
                loc=loc,
            )
        if isinstance(step, s.ConsumeStep):
            return Message(
                source=step.source or self.bus,
                target=step.by,
                arrow="->>",
                text=step.consume,
                loc=loc,
            )
        if isinstance(step, s.LocalStep):
            return Message(
                source=step.by, target=step.by, arrow="->>", text=step.local, loc=loc
            )
        if isinstance(step, s.NoteStep):
            return Note(
                placement=step.placement,
                participants=tuple(step.over),
                text=step.note,
                loc=loc,
            )
        assert isinstance(step, s.BlockStep)
        return Block(
            kind=step.block,
            sections=tuple(
                Section(
                    label=section.label,
                    items=self.steps(section.steps, (*path, "sections", i, "steps")),
                    loc=self.positions.at((*path, "sections", i)),
                )
                for i, section in enumerate(step.sections)
            ),
            loc=loc,
        )


def _with_header(text: str) -> str:
    """Accept message lines alone: add the diagram header when it is missing."""
    stripped = text.lstrip()
    if stripped.lower().startswith("sequencediagram"):
        return text
    return "sequenceDiagram\n" + text


def _header_offset(text: str) -> int:
    return 0 if text.lstrip().lower().startswith("sequencediagram") else 1


def _merge_participants(
    declared: tuple[Participant, ...], found: tuple[Participant, ...]
) -> tuple[Participant, ...]:
    """Declared participants first (their labels win), then the rest in order."""
    names = {p.name for p in declared}
    return declared + tuple(p for p in found if p.name not in names)


def _participants_in(items: tuple[SequenceItem, ...]) -> tuple[Participant, ...]:
    seen: dict[str, Participant] = {}
    stack: list[SequenceItem] = list(reversed(items))
    while stack:
        item = stack.pop()
        if isinstance(item, Message):
            for name in (item.source, item.target):
                seen.setdefault(name, Participant(name=name, loc=item.loc))
        elif isinstance(item, Note):
            for name in item.participants:
                seen.setdefault(name, Participant(name=name, loc=item.loc))
        elif isinstance(item, Block):
            for section in reversed(item.sections):
                stack.extend(reversed(section.items))
    return tuple(seen.values())
