"""Document -> an Integration Patterns Markdown document in the seed's shape.

The reader takes most values as raw source text, so values are written as they
are; only table cells (``|`` escaped, newlines as ``<br>``) and link texts
(markup characters escaped) need escaping. Diagrams come from ``diagrams.py``
so the Mermaid parsers read back exactly what was drawn.

Services and per-flow sync policies have no Markdown form (only YAML declares
them), so they are left out; ``flowc convert --to md`` is lossless for what a
Markdown document can say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from flowc.convert import diagrams
from flowc.frontends.common import format_duration, format_policy
from flowc.model import (
    DEFAULT_BUS,
    Choreography,
    Document,
    Flow,
    Link,
    Model,
    ModelKind,
    Saga,
    SyncArrow,
    SyncPolicy,
)

_KIND_WORDS = {
    ModelKind.ENTITY: "entity",
    ModelKind.DTO: "DTO",
    ModelKind.EVENT: "event",
}
_LINK_MARKUP = re.compile(r"([\\`*_\[\]<>&!~])")


def to_markdown(document: Document) -> str:
    """The Markdown text of ``document``; blocks are separated by one blank line."""
    blocks: list[str] = []
    if document.title:
        blocks.append(f"# {document.title}")
    comments = [
        f"<!-- {key}: {value} -->"
        for key, value in (
            ("Status", document.status),
            ("Last Updated", document.last_updated),
            ("Bus", document.bus),
        )
        if value
    ]
    if comments:
        blocks.append("\n".join(comments))
    if document.summary:
        blocks.append(document.summary)
    if document.unfilled and not document.flows:
        blocks.append("## Key Flows")
        blocks.append("### {Flow Name}")
    elif document.flows:
        blocks.append("## Key Flows")
        blocks.extend(part for flow in document.flows for part in _flow(flow))
    if document.models:
        blocks.append("## Shared Concepts")
        blocks.extend(part for model in document.models for part in _model(model))
    blocks.extend(_patterns(document))
    if document.anti_patterns:
        blocks.append("## Anti-Patterns")
        blocks.append(
            _table(
                ("Pattern", "Problem", "Alternative"),
                ((a.pattern, a.problem, a.alternative) for a in document.anti_patterns),
            )
        )
    for prose in document.prose:
        blocks.append(f"## {prose.heading}")
        if prose.text:
            blocks.append(prose.text)
    if document.related:
        blocks.append("## Related Documents")
        blocks.append("\n".join(_link(link) for link in document.related))
    return "\n\n".join(blocks) + "\n"


# --- tables and inline text --------------------------------------------------


def _cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks as ``<br>`` (a row is one line)."""
    return text.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("-" * (len(name) + 2) for name in header) + "|",
    ]
    lines.extend("| " + " | ".join(_cell(text) for text in row) + " |" for row in rows)
    return "\n".join(lines)


def _fence(language: str, text: str) -> str:
    return f"```{language}\n{text.rstrip(chr(10))}\n```"


def _link(link: Link) -> str:
    """``- [text](target)``; the text is escaped because the reader unescapes it."""
    text = _LINK_MARKUP.sub(r"\\\1", link.text)
    target = link.target
    if re.search(r"[\s()<>]", target):
        target = f"<{target}>"
    return f"- [{text}]({target})"


def _labelled(label: str, value: str) -> str:
    return f"**{label}**: {value}"


# --- sections ----------------------------------------------------------------


def _flow(flow: Flow) -> list[str]:
    parts = [f"### {flow.name}"]
    if flow.suppress:
        parts.append(f"<!-- flowc-disable: {', '.join(flow.suppress)} -->")
    if flow.description:
        parts.append(flow.description)
    fields = [
        _labelled(label, value)
        for label, value in (
            ("Trigger", flow.trigger),
            ("Outcome", flow.outcome),
            ("SLA", format_duration(flow.sla_ms) if flow.sla_ms is not None else ""),
        )
        if value
    ]
    if fields:
        parts.append("\n".join(fields))
    parts.append(_fence("mermaid", diagrams.sequence_text(flow)))
    if flow.errors:
        parts.append("**Error Handling**:")
        parts.append(
            _table(
                ("Error", "Handler", "HTTP", "Recovery"),
                ((e.name, e.handler, str(e.status), e.recovery) for e in flow.errors),
            )
        )
    if flow.transformations:
        parts.append("**Data Transformations**:")
        parts.append(
            _table(
                ("Step", "Input", "Output"),
                ((t.step, t.input, t.output) for t in flow.transformations),
            )
        )
    return parts


def _model(model: Model) -> list[str]:
    meta = _KIND_WORDS[model.kind]
    if model.schema_org_type:
        meta += f", schema.org {model.schema_org_type}"
    parts = [f"### {model.name} ({meta})"]
    if model.description:
        parts.append(model.description)
    if model.json_schema is not None:
        schema = json.dumps(model.json_schema, indent=2, ensure_ascii=False)
        parts.append(_fence("json", schema))
    else:
        parts.append(_field_table(model))
    return parts


def _field_table(model: Model) -> str:
    """Field | Type | Required | Description, plus Schema.org and Secret when used."""
    schema_org = any(field.schema_org for field in model.fields)
    secret = any(field.secret for field in model.fields)
    header: tuple[str, ...] = ("Field", "Type", "Required", "Description")
    header += ("Schema.org",) * schema_org + ("Secret",) * secret
    rows: list[tuple[str, ...]] = []
    for field in model.fields:
        row: tuple[str, ...] = (
            field.name,
            str(field.type),
            "yes" if field.required else "no",
            field.description,
        )
        row += (field.schema_org or "-",) * schema_org
        row += ("yes" if field.secret else "no",) * secret
        rows.append(row)
    return _table(header, rows)


def _patterns(document: Document) -> list[str]:
    has_sync = (
        document.sync_policy is not None
        or bool(document.sync_use_when)
        or bool(document.sync_arrows)
    )
    if not (document.sagas or document.choreographies or has_sync):
        return []
    parts = ["## Cross-Boundary Patterns"]
    for saga in document.sagas:
        parts.extend(_saga(saga))
    for choreography in document.choreographies:
        parts.extend(_choreography(choreography, document.bus or DEFAULT_BUS))
    if has_sync:
        parts.extend(
            _sync(document.sync_policy, document.sync_use_when, document.sync_arrows)
        )
    return parts


def _use_when(text: str) -> list[str]:
    return [_labelled("Use when", text)] if text else []


def _bullets(label: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"**{label}**:\n" + "\n".join(f"- {item}" for item in items)]


def _saga(saga: Saga) -> list[str]:
    settings = [
        f"{key}: {value}"
        for key, value in (
            ("Orchestrator", saga.orchestrator),
            ("State storage", saga.state_storage),
            (
                "Timeout",
                (
                    format_duration(saga.timeout_ms)
                    if saga.timeout_ms is not None
                    else None
                ),
            ),
        )
        if value
    ]
    return [
        f"### {saga.name}",
        *_use_when(saga.use_when),
        _fence("mermaid", diagrams.saga_text(saga)),
        *_bullets("Implementation", settings),
    ]


def _choreography(choreography: Choreography, bus: str) -> list[str]:
    return [
        f"### {choreography.name}",
        *_use_when(choreography.use_when),
        _fence("mermaid", diagrams.choreography_text(choreography, bus)),
        *_bullets("Guidelines", list(choreography.guidelines)),
    ]


def _sync(
    policy: SyncPolicy | None, use_when: str, arrows: tuple[SyncArrow, ...]
) -> list[str]:
    settings: list[str] = []
    if policy is not None:
        timeout, retries, breaker = format_policy(policy)
        settings = [
            f"Timeout: {timeout}",
            f"Retries: {retries}",
            f"Circuit breaker: {breaker}",
        ]
    return [
        "### Request/Response (Sync)",
        *_use_when(use_when),
        *([_fence("mermaid", diagrams.sync_text(arrows))] if arrows else []),
        *_bullets("Guidelines", settings),
    ]
