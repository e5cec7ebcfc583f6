"""Mermaid diagrams in a Markdown spec, written as ``flowc convert`` writes them.

Each fence is matched to what flowc read from it (a flow's sequence diagram,
a saga's flowchart, an event choreography, the Request/Response flowchart)
by the lines that item was read from, and its body is replaced by the
converter's text of that item. Only a document that reads without errors is
touched: a diagram flowc cannot read is left as its author wrote it. The
fence lines themselves, and everything outside fences, stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from flowc.convert import diagrams
from flowc.diagnostics import Location, Severity
from flowc.frontends.markdown import read_markdown
from flowc.frontends.markdown.document import tokens_of
from flowc.frontends.markdown.source import Source
from flowc.model import DEFAULT_BUS, Document


def format_diagrams(text: str, name: str) -> str:
    document, findings = read_markdown(text, name)
    if document is None or any(f.severity == Severity.ERROR for f in findings):
        return text
    drawn = _drawn(document)
    lines = text.splitlines(keepends=True)
    for token in reversed(tokens_of(Source(text, name))):
        if token.type != "fence" or token.info.strip() != "mermaid" or not token.map:
            continue
        start, end = token.map
        if end - start < 2 or not lines[end - 1].lstrip().startswith(("```", "~~~")):
            continue  # an unclosed fence runs to the end of the file: leave it
        body = range(start + 2, end)  # 1-based lines between the fence lines
        written = next(
            (t for lines_of, t in drawn if any(n in body for n in lines_of)), None
        )
        if written is None:
            continue
        ending = lines[start][len(lines[start].rstrip("\r\n")) :] or "\n"
        lines[start + 1 : end - 1] = [line + ending for line in written.splitlines()]
    return "".join(lines)


def _drawn(document: Document) -> list[tuple[set[int], str]]:
    """(lines an item was read from, the converter's diagram of it)."""
    bus = document.bus or DEFAULT_BUS
    found = [
        (_lines(m.loc for m in flow.messages()), diagrams.sequence_text(flow))
        for flow in document.flows
    ]
    found += [
        (
            _lines(
                item.loc
                for item in (
                    *saga.steps,
                    *saga.compensations,
                    *saga.failure_edges,
                    *saga.compensation_edges,
                )
            ),
            diagrams.saga_text(saga),
        )
        for saga in document.sagas
    ]
    found += [
        (_lines(r.loc for r in c.routes), diagrams.choreography_text(c, bus))
        for c in document.choreographies
    ]
    if document.sync_arrows:
        found.append(
            (
                _lines(a.loc for a in document.sync_arrows),
                diagrams.sync_text(document.sync_arrows),
            )
        )
    return [(lines, text) for lines, text in found if lines]


def _lines(locations: Iterable[Location]) -> set[int]:
    return {where.line for where in locations if where.line > 0}
