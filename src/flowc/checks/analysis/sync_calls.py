"""The Request/Response flowchart's arrows as calls between services.

An arrow ``A --> B`` is a call from A to B, unless it answers an earlier call
``B --> A`` still open, in which case it is that call's reply. Each call
gives A a typed client for B (under B's sync policy), whether or not a flow's
sequence diagram draws it. Arrows from or to the outside world (actors,
external systems, the bus) give no client and need none.
"""

from __future__ import annotations

from collections import Counter

from flowc.checks.analysis.model import Analysis
from flowc.model import ServiceKind, SyncArrow
from flowc.rules import report

_OUTSIDE = (ServiceKind.EXTERNAL, ServiceKind.BUS)


def calls_of(arrows: tuple[SyncArrow, ...]) -> list[SyncArrow]:
    """The arrows that are calls, in the order drawn (replies left out)."""
    open_calls: Counter[tuple[str, str]] = Counter()
    calls: list[SyncArrow] = []
    for arrow in arrows:
        if open_calls[(arrow.target, arrow.source)]:
            open_calls[(arrow.target, arrow.source)] -= 1
            continue
        open_calls[(arrow.source, arrow.target)] += 1
        calls.append(arrow)
    return calls


def add_sync_calls(analysis: Analysis) -> None:
    """Give each caller a client for its callee; say why when an arrow gives none."""
    system = analysis.system
    for arrow in calls_of(system.sync_arrows):
        ends = [system.service(arrow.source), system.service(arrow.target)]
        if any(end is not None and end.kind in _OUTSIDE for end in ends):
            continue
        unknown = [
            name
            for name, end in zip((arrow.source, arrow.target), ends, strict=True)
            if end is None
        ]
        if unknown:
            analysis.diagnostics.append(
                report(
                    "FLW214",
                    f"the Request/Response arrow {arrow.source} --> {arrow.target} "
                    f"names {' and '.join(unknown)}, which no flow draws and no "
                    "service declares; it gives no client",
                    arrow.loc,
                    "use the participant names of the flows' sequence diagrams",
                )
            )
            continue
        caller = analysis.services.get(arrow.source)
        callee = analysis.services.get(arrow.target)
        if caller is None or callee is None or arrow.source == arrow.target:
            continue
        if not callee.operations:
            analysis.diagnostics.append(
                report(
                    "FLW214",
                    f"{arrow.source} --> {arrow.target}: no flow draws an operation "
                    f"of {arrow.target}, so there is no client method to give "
                    f"{arrow.source}",
                    arrow.loc,
                    f"draw the call in a flow's sequence diagram "
                    f"({arrow.source}->>{arrow.target}: <operation>)",
                )
            )
            continue
        if arrow.target not in caller.calls:
            caller.calls.append(arrow.target)
