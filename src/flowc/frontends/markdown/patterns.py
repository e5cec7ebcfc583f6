"""``## Cross-Boundary Patterns``: sagas, event choreography and the sync policy.

Subsections are recognised by heading: ``Saga Pattern`` or ``<Name> Saga``,
anything with "choreography", and ``Request/Response (Sync)``. Others are
prose. Bullet values still holding template text count as absent, so the
seed's placeholder Implementation and Guidelines bullets set nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowc.diagnostics import Location
from flowc.frontends import flowchart_ir
from flowc.frontends.common import (
    DurationError,
    parse_breaker,
    parse_duration,
    parse_retries,
)
from flowc.frontends.markdown import placeholders, unread
from flowc.frontends.markdown.diagrams import (
    FLOWCHART,
    Fence,
    diagram_kind,
    expect_kind,
    fence_of,
    fences_in,
    is_mermaid,
)
from flowc.frontends.markdown.document import Block, Heading, Part, plain, section_key
from flowc.frontends.markdown.labels import (
    Bullet,
    heading_label,
    read_bullets,
    read_paragraph,
)
from flowc.frontends.markdown.source import Context
from flowc.frontends.mermaid.flowchart import parse_flowchart
from flowc.frontends.mermaid.flowchart_ast import Flowchart
from flowc.model import Choreography, Saga, SyncArrow, SyncPolicy

_SAGA = re.compile(r"\bsaga\b", re.I)
_CHOREOGRAPHY = re.compile(r"choreograph", re.I)
_SYNC = re.compile(r"request\s*/\s*response|\bsync(?:hronous)?\b", re.I)
_SAGA_KEYS = {
    "orchestrator": "orchestrator",
    "state storage": "state_storage",
    "state store": "state_storage",
    "storage": "state_storage",
    "timeout": "timeout",
}
_SHOWN = {
    "Implementation": "Orchestrator, State storage, Timeout",
    "Guidelines": "Timeout, Retries, Circuit breaker",
}
_SYNC_KEYS = {
    "timeout": "timeout",
    "retries": "retries",
    "retry": "retries",
    "retry policy": "retries",
    "circuit breaker": "breaker",
    "breaker": "breaker",
}


@dataclass
class Patterns:
    """What the section says: the document fields it fills."""

    sagas: list[Saga] = field(default_factory=list)
    choreographies: list[Choreography] = field(default_factory=list)
    sync_policy: SyncPolicy | None = None
    sync_use_when: str = ""
    sync_arrows: tuple[SyncArrow, ...] = ()
    prose: list[Part] = field(default_factory=list)


def read_patterns(ctx: Context, section: Part) -> Patterns:
    result = Patterns()
    for part in section.children:
        title = section_key(part.title)
        if _CHOREOGRAPHY.search(title):
            choreography = _choreography(ctx, part)
            if choreography is not None:
                result.choreographies.append(choreography)
        elif _SAGA.search(title):
            saga = _saga(ctx, part)
            if saga is not None:
                result.sagas.append(saga)
        elif _SYNC.search(title):
            if (
                result.sync_policy is not None
                or result.sync_use_when
                or result.sync_arrows
            ):
                ctx.report(
                    "FLW208",
                    "a second Request/Response section; the first is used",
                    _loc(part),
                    "keep one sync policy per document",
                )
                continue
            result.sync_policy, result.sync_use_when, result.sync_arrows = _sync(
                ctx, part
            )
        else:
            result.prose.append(part)
    return result


def _loc(part: Part) -> Location:
    assert part.heading is not None
    return part.heading.loc


@dataclass
class _Pattern:
    """A pattern subsection: use-when text, first flowchart, labelled bullet lists."""

    use_when: str = ""
    diagram: Fence | None = None
    wrong_diagram: Fence | None = None
    lists: dict[str, list[Bullet]] = field(default_factory=dict)
    # What the subsection reads, for FLW215 on the rest.
    where: str = "the pattern"
    known: tuple[str, ...] = ()
    unused_diagrams: list[Fence] = field(default_factory=list)


# A list after a ``**Label**:`` already reported as unread (FLW215).
_REPORTED = "\0reported"


def _collect(ctx: Context, part: Part, where: str, known: tuple[str, ...]) -> _Pattern:
    found = _Pattern(where=where, known=known)
    pending: str | None = None
    for item in part.walk():
        if isinstance(item, Heading):
            pending = heading_label(item).label
            continue
        pending = _take(ctx, found, item, pending)
    for fence in found.unused_diagrams:
        unread.report(
            ctx,
            fence.loc,
            "a second mermaid diagram",
            where,
            "the first flowchart is the one read; this one is not turned into code",
        )
    if found.diagram is not None and found.wrong_diagram is not None:
        unread.report(
            ctx,
            found.wrong_diagram.loc,
            f"a mermaid {diagram_kind(found.wrong_diagram)[0] or 'diagram'}",
            where,
            "the section reads a flowchart; this diagram is not turned into code",
        )
    return found


def _take(
    ctx: Context, found: _Pattern, block: Block, pending: str | None
) -> str | None:
    """Fold one block into ``found``; returns the label a following list belongs to."""
    if block.kind == "paragraph":
        free, labelled = read_paragraph(ctx.source, block)
        text = " ".join(line.text for line in free)
        if free and not placeholders.only_placeholders(text):
            row = free[0].row
            loc = ctx.source.loc(row, ctx.source.indent(row) + 1)
            unread.report(ctx, loc, "text", found.where)
        label = None
        for entry in labelled:
            if entry.label == "use when" and found.use_when:
                ctx.report(
                    "FLW208",
                    f"{found.where} gives **Use when** twice; the first is used",
                    entry.loc,
                    "remove one of them",
                )
            elif entry.label == "use when":
                found.use_when = placeholders.clean_value(entry.value)
            elif entry.label not in found.known:
                unread.report(
                    ctx,
                    entry.loc,
                    f"**{unread.label_text(ctx, entry)}**",
                    found.where,
                    "it is not turned into code (the parts read here: "
                    + ", ".join(k.capitalize() for k in found.known)
                    + ")",
                )
                label = _REPORTED
                continue
            label = entry.label
        return label
    if block.kind in ("bullet_list", "ordered_list") and pending is not None:
        if pending == _REPORTED:
            return None
        if pending not in found.known or pending in found.lists:
            unread.report_block(ctx, block, found.where)
            return None
        found.lists[pending] = read_bullets(ctx.source, block)
        return None
    used = False
    for inner in fences_in(block):
        fence = fence_of(ctx.source, inner)
        if fence is None or not is_mermaid(fence):
            continue
        used = True
        if diagram_kind(fence)[0].lower() not in FLOWCHART:
            if found.wrong_diagram is None:
                found.wrong_diagram = fence
            else:
                found.unused_diagrams.append(fence)
        elif found.diagram is None:
            found.diagram = fence
        else:
            found.unused_diagrams.append(fence)
    if not used:
        unread.report_block(ctx, block, found.where)
    return None


def _flowchart(
    ctx: Context, found: _Pattern, part: Part, what: str
) -> Flowchart | None:
    """The parsed flowchart of a saga or choreography; None (reported) if absent."""
    if found.diagram is None:
        if found.wrong_diagram is not None:
            expect_kind(ctx, found.wrong_diagram, FLOWCHART, what)
        else:
            ctx.report(
                "FLW204",
                f"{what} has no mermaid flowchart",
                _loc(part),
                "add a ```mermaid block starting with flowchart LR",
            )
        return None
    fence = found.diagram
    chart, problems = parse_flowchart(
        fence.content, ctx.source.file, fence.first_line, fence.indent
    )
    ctx.out.extend(problems)
    return chart


def _name(ctx: Context, part: Part, what: str) -> str | None:
    heading = part.heading
    assert heading is not None
    if placeholders.is_unfilled(heading.text):
        ctx.report(
            "FLW202",
            f"{what} {plain(heading.text)!r} still has a placeholder name; it is skipped",
            heading.loc,
            f"give the {what} its real name",
        )
        return None
    return plain(placeholders.without_examples(heading.text)) or None


def _saga(ctx: Context, part: Part) -> Saga | None:
    name = _name(ctx, part, "saga")
    if name is None:
        return None
    found = _collect(ctx, part, f"saga {name!r}", ("use when", "implementation"))
    settings = _settings(
        ctx, found.lists.get("implementation", []), _SAGA_KEYS, "Implementation"
    )
    timeout_ms: int | None = None
    if "timeout" in settings:
        timeout_ms = _duration(ctx, *settings["timeout"], "saga timeout")
    chart = _flowchart(ctx, found, part, f"saga {name!r}")
    if chart is None:
        return None
    saga, problems = flowchart_ir.saga_from_flowchart(chart, name, _loc(part))
    ctx.out.extend(problems)
    return saga.model_copy(
        update={
            "use_when": found.use_when,
            "orchestrator": (
                plain(settings["orchestrator"][0])
                if "orchestrator" in settings
                else None
            ),
            "state_storage": (
                settings["state_storage"][0] if "state_storage" in settings else None
            ),
            "timeout_ms": timeout_ms,
        }
    )


def _choreography(ctx: Context, part: Part) -> Choreography | None:
    name = _name(ctx, part, "choreography")
    if name is None:
        return None
    found = _collect(ctx, part, f"choreography {name!r}", ("use when", "guidelines"))
    chart = _flowchart(ctx, found, part, f"choreography {name!r}")
    if chart is None:
        return None
    choreography, problems = flowchart_ir.choreography_from_flowchart(
        chart, name, ctx.bus, _loc(part)
    )
    ctx.out.extend(problems)
    guidelines = tuple(
        " ".join(bullet.text.split())
        for bullet in found.lists.get("guidelines", [])
        if bullet.text.strip() and not placeholders.only_placeholders(bullet.text)
    )
    return choreography.model_copy(
        update={"use_when": found.use_when, "guidelines": guidelines}
    )


def _sync(
    ctx: Context, part: Part
) -> tuple[SyncPolicy | None, str, tuple[SyncArrow, ...]]:
    """The policy its Guidelines bullets set (None when every value is template
    text), its Use when, and the arrows of its flowchart."""
    title = plain(part.title) or "Request/Response (Sync)"
    found = _collect(ctx, part, title, ("use when", "guidelines"))
    arrows = _arrows(ctx, found)
    settings = _settings(
        ctx, found.lists.get("guidelines", []), _SYNC_KEYS, "Guidelines"
    )
    if not settings:
        return None, found.use_when, arrows
    updates: dict[str, Any] = {}
    if "timeout" in settings:
        timeout = _duration(ctx, *settings["timeout"], "sync timeout")
        if timeout is not None:
            updates["timeout_ms"] = timeout
    if "retries" in settings:
        value, where = settings["retries"]
        try:
            retries, backoff = parse_retries(value)
            updates["retries"] = retries
            if retries:
                updates["backoff"] = backoff
        except DurationError as exc:
            ctx.report("FLW112", str(exc), where, "write '3, exponential backoff'")
    if "breaker" in settings:
        value, where = settings["breaker"]
        try:
            updates["breaker_failures"], updates["breaker_open_ms"] = parse_breaker(
                value
            )
        except DurationError as exc:
            ctx.report("FLW112", str(exc), where, "write '5 failures, 30s open'")
    return (
        SyncPolicy().model_copy(update={**updates, "loc": _loc(part)}),
        found.use_when,
        arrows,
    )


def _arrows(ctx: Context, found: _Pattern) -> tuple[SyncArrow, ...]:
    """The flowchart's arrows by node id, in the order drawn (none without one)."""
    if found.diagram is None:
        return ()
    fence = found.diagram
    chart, problems = parse_flowchart(
        fence.content, ctx.source.file, fence.first_line, fence.indent
    )
    ctx.out.extend(problems)
    if chart is None:
        return ()
    return tuple(
        SyncArrow(source=edge.source, target=edge.target, loc=edge.loc)
        for edge in chart.edges
    )


def _settings(
    ctx: Context, bullets: list[Bullet], keys: dict[str, str], what: str
) -> dict[str, tuple[str, Location]]:
    """Known ``Key: value`` bullets with their values; template values are left out."""
    settings: dict[str, tuple[str, Location]] = {}
    for bullet in bullets:
        pair = bullet.key_value()
        key = keys.get(pair[0]) if pair is not None else None
        if pair is None or key is None:
            if bullet.text.strip() and not placeholders.only_placeholders(bullet.text):
                ctx.report(
                    "FLW206",
                    f"unknown {what} bullet {' '.join(bullet.text.split())!r}",
                    bullet.loc,
                    "known bullets: " + _SHOWN[what],
                )
            continue
        value = placeholders.clean_value(pair[1])
        if value and key not in settings:
            settings[key] = (value, pair[2])
    return settings


def _duration(ctx: Context, value: str, where: Location, what: str) -> int | None:
    try:
        return parse_duration(value)
    except DurationError:
        ctx.report(
            "FLW110",
            f"{what} {value!r} is not a duration",
            where,
            "write it as 500ms, 2s or 1m",
        )
        return None
