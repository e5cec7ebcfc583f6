"""FLW215: text inside a known section that no reader takes.

Nothing is read and then silently dropped: a paragraph, list, table or code
block that sits in Key Flows, Shared Concepts, Cross-Boundary Patterns, a
flow or a pattern but belongs to none of their parts gets a warning at its
line. HTML comments (metadata, suppressions), rules (``---``) and text that
is only template placeholders (already a note) are left alone.
"""

from __future__ import annotations

from flowc.diagnostics import Location
from flowc.frontends.markdown import placeholders
from flowc.frontends.markdown.document import Block
from flowc.frontends.markdown.labels import Labelled, split_label
from flowc.frontends.markdown.source import Context

CODE = "FLW215"
HINT = (
    "move it into a part flowc reads, into a section of its own (other "
    "sections are prose for the docs), or into an <!-- HTML comment -->"
)
_WHAT = {
    "paragraph": "text",
    "bullet_list": "a list",
    "ordered_list": "a list",
    "table": "a table",
    "fence": "a code block",
    "code_block": "a code block",
    "blockquote": "a quote",
    "html_block": "HTML",
}


def is_comment(block: Block) -> bool:
    return block.kind == "html_block" and block.tokens[0].content.lstrip().startswith(
        "<!--"
    )


def ignorable(ctx: Context, block: Block) -> bool:
    """Blocks that carry nothing to build: comments, rules, placeholders, blanks."""
    if block.kind == "hr" or is_comment(block):
        return True
    text = ctx.source.text_of(block.start, block.end)
    return not text.strip() or placeholders.only_placeholders(text)


def block_loc(ctx: Context, block: Block) -> Location:
    row = block.start
    return ctx.source.loc(row, ctx.source.indent(row) + 1)


def report(
    ctx: Context, loc: Location, what: str, where: str, detail: str = ""
) -> None:
    """One FLW215 warning: ``what`` (text, a table...) in ``where`` is not read."""
    ctx.report(
        CODE,
        f"{what} in {where} belongs to none of its parts; "
        f"{detail or 'it is not turned into code'}",
        loc,
        HINT,
    )


def report_block(ctx: Context, block: Block, where: str) -> None:
    """FLW215 for a whole block, unless it is ignorable."""
    if ignorable(ctx, block):
        return
    report(ctx, block_loc(ctx, block), _WHAT.get(block.kind, "text"), where)


def label_text(ctx: Context, entry: Labelled) -> str:
    """The label of a ``**Label**:`` line as written (``entry.label`` is lower case)."""
    found = split_label(ctx.source.line(entry.rows[0]).strip())
    return found[0] if found is not None else entry.label
