"""One signature every caller can satisfy, for operations and local steps alike.

A method reached from several flows (an authentication check before create,
edit and delete; an audit step run for several events) may receive a
different model in each: it takes any of them (a union), and takes its
argument as optional when some flow passes nothing.
"""

from __future__ import annotations

from flowc.checks.analysis.model import Held


def widened(
    current: Held | None, optional: bool, argument: Held | None
) -> tuple[Held | None, bool]:
    """The argument after one more caller passes ``argument``, and whether it may be absent."""
    if argument is None:
        return current, optional or current is not None
    if current is None:
        return argument, True
    members = current.members if current.kind == "union" else (current,)
    if argument in members:
        return current, optional
    return Held("union", "payload", (*members, argument)), optional
