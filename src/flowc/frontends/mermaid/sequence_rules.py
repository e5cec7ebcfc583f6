"""The rules of the sequence-diagram parser: code -> (name, description), and severities.

Kept apart from the parser so that ``flowc.rules`` can list every rule without
loading the lexer, which a run that replays its last result never needs.
"""

from __future__ import annotations

from flowc.diagnostics import Severity

RULES: dict[str, tuple[str, str]] = {
    "FLW301": ("bad-header", "the text does not start with a `sequenceDiagram` header"),
    "FLW302": ("unknown-statement", "the line is not sequence-diagram syntax"),
    "FLW303": ("unmatched-end", "`end` with no open block"),
    "FLW304": ("unclosed-block", "a block or box is never closed with `end`"),
    "FLW305": ("misplaced-section", "`else`/`and`/`option` outside alt/par/critical"),
    "FLW306": (
        "invalid-message",
        "a message lacks a source or target, or is malformed",
    ),
    "FLW307": ("missing-message-text", "a message has no `: text` part"),
    "FLW308": ("invalid-note", "a note lacks placement, participant or text"),
    "FLW309": (
        "inactive-deactivation",
        "deactivating a participant that is not active",
    ),
    "FLW310": (
        "unknown-participant",
        "activate/destroy names a participant never used",
    ),
    "FLW311": (
        "conflicting-declaration",
        "a participant is declared twice differently",
    ),
    "FLW312": ("lifecycle-order", "create/destroy is not followed by its message"),
    "FLW313": ("invalid-participant", "a participant declaration is malformed"),
    "FLW314": ("inline-comment", "`#` cuts text short, or `%%` is kept as text"),
    "FLW315": ("invalid-box", "a box holds something other than declarations"),
    "FLW316": ("keyword-collision", "a participant name is read as a keyword"),
    "FLW317": ("ignored-content", "Mermaid silently ignores or drops this"),
    "FLW318": ("redundant", "accepted, but has no effect"),
    "FLW319": ("spaced-participant-id", "a participant id contains whitespace"),
}

# One severity per code, so tooling can document them without parsing messages.
_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTE
SEVERITIES: dict[str, Severity] = {
    **dict.fromkeys(("FLW301", "FLW302", "FLW303", "FLW304", "FLW305"), _E),
    **dict.fromkeys(("FLW306", "FLW307", "FLW308", "FLW309", "FLW310"), _E),
    **dict.fromkeys(("FLW312", "FLW313", "FLW315"), _E),
    **dict.fromkeys(("FLW311", "FLW314", "FLW316", "FLW317", "FLW319"), _W),
    "FLW318": _N,
}
