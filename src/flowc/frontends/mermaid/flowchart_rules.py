"""The rules of the flowchart parser: code -> (name, description), and severities.

Kept apart from the parser so that ``flowc.rules`` can list every rule without
loading the lexer, which a run that replays its last result never needs.
"""

from __future__ import annotations

# code -> (short name, one-line description); severities are listed in
# SEVERITIES so tooling can document them without parsing messages.
RULES: dict[str, tuple[str, str]] = {
    "FLW321": ("missing-header", "the diagram does not start with `flowchart`/`graph`"),
    "FLW322": ("unknown-direction", "a header or `direction` value Mermaid rejects"),
    "FLW323": ("unknown-statement", "a statement or token Mermaid cannot parse"),
    "FLW324": ("end-without-subgraph", "`end` with no open subgraph"),
    "FLW325": ("unclosed-subgraph", "a `subgraph` never closed by `end`"),
    "FLW326": (
        "unbalanced-shape",
        "a node-shape bracket that is never (or wrongly) closed",
    ),
    "FLW327": (
        "invalid-label-text",
        "label text Mermaid cannot read (unquoted specials, empty)",
    ),
    "FLW328": ("edge-without-node", "an arrow with no node on one of its sides"),
    "FLW329": ("lowercase-end-id", "lowercase `end` used as a node id"),
    "FLW330": (
        "conflicting-node-definition",
        "a node defined again with another label/shape",
    ),
    "FLW331": (
        "ignored-by-mermaid",
        "a line or part Mermaid silently ignores or drops",
    ),
    "FLW332": (
        "ignored-arrow-part",
        "part of an arrow Mermaid silently ignores or changes",
    ),
    "FLW333": ("unterminated-edge-label", "`A -- text` with no closing arrow"),
    "FLW334": ("invalid-shape-data", "an `@{ ... }` block Mermaid rejects"),
    "FLW335": ("reserved-keyword-id", "a Mermaid keyword used as a node id"),
    "FLW336": (
        "bad-comment-or-directive",
        "inline `%%` comment, unclosed directive/front matter",
    ),
    "FLW337": (
        "subgraph-id-clash",
        "a subgraph id reused, or shared with a labelled node",
    ),
    "FLW338": (
        "malformed-style-statement",
        "a malformed classDef/class/style/linkStyle/click",
    ),
    "FLW339": ("mermaid-placement-differs", "Mermaid draws a node in another subgraph"),
}

SEVERITIES: dict[str, str] = {
    "FLW321": "error",
    "FLW322": "error",
    "FLW323": "error",
    "FLW324": "error",
    "FLW325": "error",
    "FLW326": "error",
    "FLW327": "error",
    "FLW328": "error",
    "FLW329": "error",
    "FLW330": "warning",
    "FLW331": "warning",
    "FLW332": "warning",
    "FLW333": "error",
    "FLW334": "error",
    "FLW335": "error",
    "FLW336": "error",
    "FLW337": "warning",
    "FLW338": "error",
    "FLW339": "note",
}
