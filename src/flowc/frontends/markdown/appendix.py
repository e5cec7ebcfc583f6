"""The closing sections: the Anti-Patterns table and Related Documents links."""

from __future__ import annotations

from urllib.parse import unquote

from flowc.diagnostics import Location
from flowc.frontends.markdown import placeholders
from flowc.frontends.markdown.document import Part, inline_children, inline_tokens
from flowc.frontends.markdown.source import Context
from flowc.frontends.markdown.tables import Column, cell, match_columns, read_table
from flowc.model import AntiPattern, Link

ANTI_PATTERN_COLUMNS = (
    Column("pattern", ("Pattern", "Anti-pattern", "Anti-Pattern", "Antipattern")),
    Column("problem", ("Problem",), required=False),
    Column("alternative", ("Alternative", "Instead"), required=False),
)


def read_anti_patterns(ctx: Context, section: Part) -> list[AntiPattern]:
    """Rows of the section's first table; template rows are left out."""
    block = next((b for b in section.blocks if b.kind == "table"), None)
    if block is None:
        return []
    table = read_table(ctx.source, block)
    found = match_columns(ctx, table, ANTI_PATTERN_COLUMNS, "Anti-Patterns")
    if found is None:
        return []
    rows: list[AntiPattern] = []
    for row in table.rows:
        pattern, problem, alternative = (
            cell(row, found.get(key), table.loc)
            for key in ("pattern", "problem", "alternative")
        )
        texts = [pattern.text, problem.text, alternative.text]
        if not pattern.text or any(placeholders.is_unfilled(t) for t in texts):
            continue
        rows.append(
            AntiPattern(
                pattern=pattern.text,
                problem=problem.text,
                alternative=alternative.text,
                loc=row[0].loc if row else table.loc,
            )
        )
    return rows


def read_related(ctx: Context, section: Part) -> list[Link]:
    """Every link in the section's text and lists, where its ``[`` is written."""
    links: list[Link] = []
    for block in section.blocks:
        for inline in inline_children(block):
            rows = range(*inline.map) if inline.map else range(block.start, block.end)
            place = (rows.start, 0)
            children = inline_tokens(ctx.source, inline)
            for index, token in enumerate(children):
                if token.type != "link_open":
                    continue
                target = unquote(str(token.attrGet("href") or ""))
                text = ""
                for inner in children[index + 1 :]:
                    if inner.type == "link_close":
                        break
                    text += inner.content
                if (
                    not target
                    or placeholders.is_unfilled(text)
                    or placeholders.is_unfilled(target)
                ):
                    continue
                where, place = _bracket(ctx, rows, text, place)
                links.append(Link(text=text, target=target, loc=where))
    return links


def _bracket(
    ctx: Context, rows: range, text: str, place: tuple[int, int]
) -> tuple[Location, tuple[int, int]]:
    """Where the link's ``[`` is, searching on from ``place``; and where to go on from."""
    needle = "[" + text.split("\n", 1)[0]
    row, cursor = place
    for line in range(row, max(rows.stop, row + 1)):
        index = ctx.source.line(line).find(needle, cursor if line == row else 0)
        if index >= 0:
            return ctx.source.loc(line, index + 1), (line, index + 1)
    return ctx.source.loc(row, ctx.source.indent(row) + 1), place
