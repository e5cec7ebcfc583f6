"""``## Key Flows``: each ``### <Flow Name>`` -> a Flow of the IR.

A flow's parts may come in any order. Bold labels (``**Trigger**:``) or
sub-headings (``#### Error Handling``) name them; a table right after the
Error Handling or Data Transformations label belongs to it, and an unlabelled
table is placed by its header words. Text that is none of the parts becomes
the flow's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flowc.diagnostics import Location
from flowc.frontends import sequence_ir
from flowc.frontends.common import DurationError, parse_duration
from flowc.frontends.markdown import placeholders, unread
from flowc.frontends.markdown.diagrams import (
    SEQUENCE,
    Fence,
    diagram_kind,
    expect_kind,
    fence_of,
    fences_in,
    is_mermaid,
)
from flowc.frontends.markdown.document import Block, Heading, Part, plain
from flowc.frontends.markdown.labels import Labelled, heading_label, read_paragraph
from flowc.frontends.markdown.source import Context
from flowc.frontends.markdown.suppressions import read_suppressions
from flowc.frontends.markdown.tables import (
    Cell,
    Column,
    Table,
    cell,
    fits,
    match_columns,
    read_table,
)
from flowc.frontends.mermaid.sequence import parse_sequence
from flowc.model import ErrorCase, Flow, Participant, SequenceItem, Transformation

ERROR_COLUMNS = (
    Column("error", ("Error", "Error case", "Errors")),
    Column("handler", ("Handler", "Handled by")),
    Column("http", ("HTTP", "HTTP status", "Status", "Status code")),
    Column("recovery", ("Recovery",), required=False),
)
TRANSFORMATION_COLUMNS = (
    Column("step", ("Step",)),
    Column("input", ("Input",)),
    Column("output", ("Output",)),
)
_TEXT_FIELDS = ("trigger", "outcome", "sla")
_TABLE_LABELS = {
    "error handling": "errors",
    "errors": "errors",
    "data transformations": "transformations",
    "transformations": "transformations",
}
_STATUS = re.compile(r"^(?P<code>\d{1,3})(?:\s+[A-Za-z][\w '-]*)?$")


def read_flows(ctx: Context, section: Part) -> list[Flow]:
    """Every filled-in flow of the section; placeholder flows are skipped with a note."""
    flows: list[Flow] = []
    for part in section.children:
        flow = read_flow(ctx, part)
        if flow is not None:
            flows.append(flow)
    return flows


def read_flow(ctx: Context, part: Part) -> Flow | None:
    heading = part.heading
    if heading is None:
        return None
    name = plain(placeholders.without_examples(heading.text))
    if placeholders.is_unfilled(heading.text) or not name:
        ctx.report(
            "FLW202",
            (
                f"flow {plain(heading.text)!r} still has a placeholder name; it is skipped"
                if name
                else "a flow heading without a name; the flow is skipped"
            ),
            heading.loc,
            "give the flow its real name, e.g. '### User Registration'",
        )
        return None
    parts = _Parts(ctx, where=f"flow {name!r}")
    for item in part.walk():
        parts.take(item)
    code_rows = {
        row
        for item in part.walk()
        if isinstance(item, Block) and item.kind in ("fence", "code_block")
        for row in range(item.start, item.end)
    }
    suppress = read_suppressions(ctx, range(part.start, part.end), code_rows)
    return parts.flow(name, heading, suppress)


@dataclass
class _Parts:
    """Collects a flow's parts as its blocks go by."""

    ctx: Context
    fields: dict[str, Labelled] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    diagram: Fence | None = None
    wrong_diagram: Fence | None = None
    description: list[str] = field(default_factory=list)
    pending: str | None = None
    where: str = "the flow"
    other_diagrams: list[Fence] = field(default_factory=list)

    def take(self, item: Heading | Block) -> None:
        if isinstance(item, Heading):
            label = heading_label(item)
            self.pending = _TABLE_LABELS.get(label.label)
            if self.pending is None:
                self.describe(item.row, item.row + 1)
            return
        kind = item.kind
        if kind == "paragraph":
            self.paragraph(item)
            return
        pending, self.pending = self.pending, None
        if kind == "table":
            self.table(read_table(self.ctx.source, item), pending, item)
        elif kind == "fence":
            self.fence(item)
        elif not _is_comment(item) and not self.nested_diagrams(item):
            self.describe(item.start, item.end)

    def describe(self, start: int, end: int) -> None:
        text = self.ctx.source.text_of(start, end)
        if text and not placeholders.only_placeholders(text):
            self.description.append(text)

    def paragraph(self, block: Block) -> None:
        free, labelled = read_paragraph(self.ctx.source, block)
        if free:
            self.describe(free[0].row, free[-1].row + 1)
        self.pending = None
        for entry in labelled:
            if entry.label in _TEXT_FIELDS:
                self.once(entry.label, entry)
            elif entry.label in _TABLE_LABELS:
                self.pending = _TABLE_LABELS[entry.label]
            else:
                self.describe(*entry.rows)
                self.unknown_label(entry)

    def unknown_label(self, entry: Labelled) -> None:
        """FLW215: a ``**Label**:`` that is no part of a flow; its text is description only."""
        unread.report(
            self.ctx,
            entry.loc,
            f"**{unread.label_text(self.ctx, entry)}**",
            self.where,
            "it is kept as the flow's description only and is not turned into code "
            "(a flow's parts: Trigger, Outcome, SLA, Error Handling, Data Transformations)",
        )

    def once(self, label: str, entry: Labelled) -> None:
        if label in self.fields:
            self.ctx.report(
                "FLW208",
                f"the flow gives **{label.title() if label != 'sla' else 'SLA'}** twice; "
                "the first is used",
                entry.loc,
                "remove one of them",
            )
            return
        self.fields[label] = entry

    def table(self, table: Table, pending: str | None, block: Block) -> None:
        key = pending or _guess(table)
        if key is None:
            self.describe(block.start, block.end)
            unread.report(
                self.ctx,
                table.loc,
                "a table",
                self.where,
                "its header matches no flow table (Error Handling: Error, Handler, "
                "HTTP; Data Transformations: Step, Input, Output), so it is kept as "
                "description only and not turned into code",
            )
            return
        if key in self.tables:
            what = "Error Handling" if key == "errors" else "Data Transformations"
            self.ctx.report(
                "FLW208",
                f"the flow has a second {what} table; the first is used",
                table.loc,
                "merge the two tables",
            )
            return
        self.tables[key] = table

    def nested_diagrams(self, block: Block) -> bool:
        """Take mermaid fences inside a list or quote; True if there were any."""
        source = self.ctx.source
        nested = [f for f in fences_in(block) if is_mermaid(fence_of(source, f))]
        for fence in nested:
            self.fence(fence)
        return bool(nested)

    def fence(self, block: Block) -> None:
        fence = fence_of(self.ctx.source, block)
        if fence is None or not is_mermaid(fence):
            self.describe(block.start, block.end)
            return
        kind, _ = diagram_kind(fence)
        if kind.lower() not in SEQUENCE:
            if self.wrong_diagram is None:
                self.wrong_diagram = fence
            else:
                self.other_diagrams.append(fence)
            return
        if self.diagram is not None:
            self.ctx.report(
                "FLW208",
                "the flow has a second sequence diagram; the first is used",
                fence.loc,
                "split the flow in two, or merge the diagrams",
            )
            return
        self.diagram = fence

    def text(self, label: str) -> str:
        entry = self.fields.get(label)
        return placeholders.clean_value(entry.value) if entry is not None else ""

    def sla(self) -> int | None:
        value = self.text("sla")
        if not value:
            return None
        try:
            return parse_duration(value)
        except DurationError:
            self.ctx.report(
                "FLW110",
                f"SLA {value!r} is not a duration",
                self.fields["sla"].value_loc,
                "write it as <500ms, 2s or 1m",
            )
            return None

    def flow(
        self, name: str, heading: Heading, suppress: tuple[str, ...]
    ) -> Flow | None:
        errors = _errors(self.ctx, self.tables.get("errors"))
        transformations = _transformations(self.ctx, self.tables.get("transformations"))
        sla_ms = self.sla()
        sequence = self.sequence(heading)
        self.unread_diagrams()
        if sequence is None:
            return None
        participants, items = sequence
        trigger = self.fields.get("trigger")
        return Flow(
            name=name,
            trigger=self.text("trigger"),
            trigger_loc=trigger.value_loc if trigger is not None else heading.loc,
            outcome=self.text("outcome"),
            sla_ms=sla_ms,
            participants=participants,
            sequence=items,
            errors=errors,
            transformations=transformations,
            suppress=suppress,
            description="\n\n".join(self.description),
            loc=heading.loc,
        )

    def unread_diagrams(self) -> None:
        """FLW215 for mermaid diagrams besides the flow's one sequence diagram."""
        unused = list(self.other_diagrams)
        if self.diagram is not None and self.wrong_diagram is not None:
            unused.insert(0, self.wrong_diagram)
        for fence in unused:
            kind, _ = diagram_kind(fence)
            unread.report(
                self.ctx,
                fence.loc,
                f"a mermaid {kind or 'diagram'}",
                self.where,
                "a flow reads one sequenceDiagram; this diagram is not turned into code",
            )

    def sequence(
        self, heading: Heading
    ) -> tuple[tuple[Participant, ...], tuple[SequenceItem, ...]] | None:
        """The diagram's participants and items; None (reported) without a diagram."""
        if self.diagram is None:
            if self.wrong_diagram is not None:
                expect_kind(
                    self.ctx,
                    self.wrong_diagram,
                    SEQUENCE,
                    f"flow {plain(heading.text)!r}",
                )
            else:
                self.ctx.report(
                    "FLW204",
                    f"flow {plain(heading.text)!r} has no mermaid sequenceDiagram",
                    heading.loc,
                    "add a ```mermaid block starting with sequenceDiagram",
                )
            return None
        fence = self.diagram
        diagram, problems = parse_sequence(
            fence.content, self.ctx.source.file, fence.first_line, fence.indent
        )
        self.ctx.out.extend(problems)
        items, problems = sequence_ir.items_of(diagram)
        self.ctx.out.extend(problems)
        return sequence_ir.participants_of(diagram), items


def _is_comment(block: Block) -> bool:
    """HTML comments (suppressions, metadata) are instructions, not description."""
    return block.kind == "html_block" and block.tokens[0].content.lstrip().startswith(
        "<!--"
    )


def _guess(table: Table) -> str | None:
    """An unlabelled table's part, from its header words."""
    if fits(table, ERROR_COLUMNS):
        return "errors"
    if fits(table, TRANSFORMATION_COLUMNS):
        return "transformations"
    return None


def _usable(cells: list[str]) -> bool:
    """A row counts unless it is empty or still template text."""
    return any(cells) and not any(placeholders.is_unfilled(text) for text in cells)


def _errors(ctx: Context, table: Table | None) -> tuple[ErrorCase, ...]:
    if table is None:
        return ()
    found = match_columns(ctx, table, ERROR_COLUMNS, "Error Handling")
    if found is None:
        return ()
    cases: list[ErrorCase] = []
    for row in table.rows:
        name, handler, http = (
            cell(row, found.get(k), table.loc) for k in ("error", "handler", "http")
        )
        recovery = cell(row, found.get("recovery"), table.loc)
        if not _usable([name.text, handler.text, http.text]):
            continue
        status = _status(ctx, http.text, name.text, http.loc)
        if status is None:
            continue
        cases.append(
            ErrorCase(
                name=name.text,
                handler=plain(handler.text),
                status=status,
                recovery=placeholders.clean_value(recovery.text),
                loc=_row_loc(row, table.loc),
            )
        )
    return tuple(cases)


def _status(ctx: Context, text: str, error_name: str, loc: Location) -> int | None:
    match = _STATUS.match(plain(text))
    if match is None:
        ctx.report(
            "FLW113",
            f"HTTP status {text!r} of error {error_name!r} is not a number",
            loc,
            "write the status code, e.g. 409",
        )
        return None
    return int(match.group("code"))


def _transformations(ctx: Context, table: Table | None) -> tuple[Transformation, ...]:
    if table is None:
        return ()
    found = match_columns(ctx, table, TRANSFORMATION_COLUMNS, "Data Transformations")
    if found is None:
        return ()
    rows: list[Transformation] = []
    for row in table.rows:
        step, source, target = (
            cell(row, found.get(k), table.loc) for k in ("step", "input", "output")
        )
        if not _usable([step.text, source.text, target.text]):
            continue
        rows.append(
            Transformation(
                step=plain(step.text),
                input=source.text,
                output=target.text,
                loc=_row_loc(row, table.loc),
            )
        )
    return tuple(rows)


def _row_loc(row: tuple[Cell, ...], fallback: Location) -> Location:
    return row[0].loc if row else fallback
