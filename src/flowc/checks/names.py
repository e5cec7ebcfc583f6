"""Identifier rules: every spec name must become a safe, unique Python name."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flowc import naming
from flowc.diagnostics import Diagnostic, Location, error
from flowc.model import Flow, MessageKind, ServiceKind, System


def check_names(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    _group(
        out,
        "service",
        ((s.name, s.loc) for s in system.services if s.kind != ServiceKind.BUS),
        naming.pascal,
    )
    _group(out, "model", ((m.name, m.loc) for m in system.models), naming.pascal)
    _group(out, "flow", ((f.name, f.loc) for f in system.flows), naming.snake)
    _group(out, "saga", ((s.name, s.loc) for s in system.sagas), naming.snake)
    for model in system.models:
        _group(
            out,
            f"field of {model.name}",
            ((f.name, f.loc) for f in model.fields),
            naming.snake,
        )
    for flow in system.flows:
        _flow_names(flow, out)
    events = {
        m.event_name: m.loc
        for f in system.flows
        for m in f.messages()
        if m.kind in (MessageKind.PUBLISH, MessageKind.DELIVER)
    }
    events.update({r.event: r.loc for c in system.choreographies for r in c.routes})
    _group(out, "event", sorted(events.items()), naming.pascal)
    for flow in system.flows:
        for message in flow.messages():
            if message.kind in (
                MessageKind.CALL,
                MessageKind.LOCAL,
                MessageKind.SIGNAL,
            ):
                _one(out, "operation", message.text, message.loc, naming.snake)
    return out


def _flow_names(flow: Flow, out: list[Diagnostic]) -> None:
    _group(
        out,
        f"error of flow {flow.name!r}",
        ((e.name, e.loc) for e in flow.errors),
        lambda n: naming.pascal(n) + "Error",
    )


def _one(
    out: list[Diagnostic],
    what: str,
    name: str,
    loc: Location,
    convert: Callable[[str], str],
) -> str | None:
    if not naming.usable(name):
        out.append(
            error(
                "FLW405",
                f"{what} name {name!r} cannot become a Python name",
                loc,
                "use letters, digits, spaces and underscores; no path separators or '..'",
            )
        )
        return None
    python = str(convert(name))
    if not naming.is_identifier(python):
        out.append(
            error(
                "FLW405",
                f"{what} name {name!r} becomes {python!r}, not a Python identifier",
                loc,
                "start the name with a letter",
            )
        )
        return None
    if naming.is_reserved(python) or naming.is_reserved(python.lower()):
        out.append(
            error(
                "FLW403",
                f"{what} name {name!r} becomes the Python keyword {python!r}",
                loc,
                "choose another name; flowc never renames silently",
            )
        )
        return None
    return python


def _group(
    out: list[Diagnostic],
    what: str,
    names: Iterable[tuple[str, Location]],
    convert: Callable[[str], str],
) -> None:
    """Check each name, and that no two distinct names convert to the same one."""
    seen: dict[str, tuple[str, Location]] = {}
    for name, loc in names:
        python = _one(out, what, name, loc, convert)
        if python is None:
            continue
        if python in seen and seen[python][0] != name:
            other, where = seen[python]
            out.append(
                error(
                    "FLW404",
                    f"{what} names {other!r} and {name!r} both become {python!r}",
                    loc,
                    f"rename one of them (the other is at {where})",
                )
            )
            continue
        seen.setdefault(python, (name, loc))
