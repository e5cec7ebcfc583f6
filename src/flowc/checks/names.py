"""Identifier rules: every spec name must become a safe, unique Python name."""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable, Iterable

from flowc import naming
from flowc.checks import reserved
from flowc.checks.analysis.attributes import field_attribute
from flowc.diagnostics import Diagnostic, Location
from flowc.model import Flow, MessageKind, Model, ServiceKind, System
from flowc.rules import report

Shadows = Callable[[str], str | None]
_GENERATED = (ServiceKind.SERVICE, ServiceKind.GATEWAY)


def check_names(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    generated = {s.name for s in system.services if s.kind in _GENERATED}
    _group(
        out,
        "service",
        ((s.name, s.loc) for s in system.services if s.kind != ServiceKind.BUS),
        naming.pascal,
        lambda n: (
            reserved.SERVICE_NAMES.get(naming.snake(n)) if n in generated else None
        ),
    )
    for bus in system.services:
        if bus.kind == ServiceKind.BUS:
            _hostile(out, "service", bus.name, bus.loc)
    _group(
        out,
        "model",
        ((m.name, m.loc) for m in system.models),
        naming.pascal,
        lambda n: reserved.MODEL_NAMES.get(n)
        or reserved.MODEL_NAMES.get(naming.pascal(n)),
    )
    _group(out, "flow", ((f.name, f.loc) for f in system.flows), naming.snake)
    _group(out, "saga", ((s.name, s.loc) for s in system.sagas), naming.snake)
    for saga in system.sagas:
        for node in (*saga.steps, *saga.compensations):
            _hostile(
                out, f"step of saga {naming.shown(saga.name)}", node.label, node.loc
            )
    for model in system.models:
        _model_identifier(model, out)
        _fields(model, out)
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
                _one(
                    out,
                    "local step" if message.kind == MessageKind.LOCAL else "operation",
                    message.text,
                    message.loc,
                    naming.snake,
                    lambda n: reserved.OPERATION_NAMES.get(naming.snake(n)),
                )
    return out


_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


def _model_identifier(model: Model, out: list[Diagnostic]) -> None:
    """A model's name is its class name, as written, and how types refer to it:
    a PascalCase word (datamodel-code-generator would rename anything else)."""
    if _CLASS_NAME.fullmatch(model.name) or naming.invisible(model.name):
        return
    suggestion = naming.pascal(model.name) or "Model"
    out.append(
        report(
            "FLW405",
            f"model name {naming.shown(model.name)} is not a PascalCase class name",
            model.loc,
            f"write it as one word that starts with a capital letter, such as {suggestion!r}",
        )
    )


def _fields(model: Model, out: list[Diagnostic]) -> None:
    """Field names are wire names: anything printable, but one attribute each."""
    what = f"field of model {naming.shown(model.name)}"
    seen: dict[str, tuple[str, Location]] = {}
    for field in model.fields:
        if _hostile(out, what, field.name, field.loc, letters=False):
            continue
        attribute = field_attribute(field.name)
        if attribute in seen and seen[attribute][0] != field.name:
            other, where = seen[attribute]
            out.append(
                report(
                    "FLW404",
                    f"{what} names {other!r} and {field.name!r} both become the attribute {attribute!r}",
                    field.loc,
                    f"rename one of them (the other is at {where})",
                )
            )
            continue
        seen.setdefault(attribute, (field.name, field.loc))


def _hostile(
    out: list[Diagnostic],
    what: str,
    name: str,
    loc: Location,
    *,
    letters: bool = True,
) -> bool:
    """Report a name no Python name can come from: invisible characters, too long, no letters."""
    char = naming.invisible(name)
    if char is not None:
        out.append(
            report(
                "FLW420",
                f"{what} name {naming.shown(name)} holds the invisible character {char}",
                loc,
                "retype the name: control, zero-width and other invisible characters "
                "cannot be part of a name (text pasted from elsewhere often carries them)",
            )
        )
        return True
    if naming.too_long(name):
        out.append(
            report(
                "FLW421",
                f"{what} name {naming.shown(name)} is {len(name)} characters long",
                loc,
                f"shorten it to at most {naming.MAX_LENGTH} characters",
            )
        )
        return True
    if letters and not naming.has_letter(name):
        out.append(
            report(
                "FLW405",
                f"{what} name {name!r} has no letters, so it cannot become a Python name",
                loc,
                "start the name with a letter",
            )
        )
        return True
    return False


def check_package_name(
    name: str, where: Location | None = None, origin: str = ""
) -> list[Diagnostic]:
    """The generated package's name: a lowercase identifier that hides no module.

    ``origin`` says where the name came from (the --package flag, the
    configuration, the folder's name) for the message.
    """
    loc = where or Location(file="<package>")
    given = f" ({origin})" if origin else ""
    what = f"package name {name!r}{given}"
    out: list[Diagnostic] = []
    if _hostile(out, "package", name, loc, letters=False):
        return out
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        out.append(
            report(
                "FLW405",
                f"{what} is not a lowercase Python identifier",
                loc,
                "use lowercase letters, digits and underscores, starting with a letter "
                "(set [tool.flowc] package or pass --package)",
            )
        )
    elif keyword.iskeyword(name):
        out.append(
            report(
                "FLW403",
                f"{what} is a Python keyword",
                loc,
                "choose another name (set [tool.flowc] package or pass --package)",
            )
        )
    elif name in sys.stdlib_module_names or name in reserved.PACKAGE_NAMES:
        shadowed = reserved.PACKAGE_NAMES.get(
            name, f"the standard library module {name!r}"
        )
        out.append(
            report(
                "FLW422",
                f"{what} would shadow {shadowed}",
                loc,
                f"choose another name, such as {name + '_service'!r} "
                "(set [tool.flowc] package or pass --package)",
            )
        )
    return out


def _flow_names(flow: Flow, out: list[Diagnostic]) -> None:
    _group(
        out,
        f"error of flow {naming.shown(flow.name)}",
        ((e.name, e.loc) for e in flow.errors),
        lambda n: naming.pascal(n) + "Error",
    )


def _one(
    out: list[Diagnostic],
    what: str,
    name: str,
    loc: Location,
    convert: Callable[[str], str],
    shadows: Shadows | None = None,
) -> str | None:
    if _hostile(out, what, name, loc):
        return None
    if not naming.usable(name):
        out.append(
            report(
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
            report(
                "FLW405",
                f"{what} name {name!r} becomes {python!r}, not a Python identifier",
                loc,
                "start the name with a letter",
            )
        )
        return None
    if naming.is_reserved(python) or naming.is_reserved(python.lower()):
        out.append(
            report(
                "FLW403",
                f"{what} name {name!r} becomes the Python keyword {python!r}",
                loc,
                "choose another name; flowc never renames silently",
            )
        )
        return None
    shadowed = shadows(name) if shadows is not None else None
    if shadowed is not None:
        out.append(
            report(
                "FLW422",
                f"{what} name {name!r} would shadow {shadowed}",
                loc,
                "choose a more specific name; flowc never renames silently",
            )
        )
        return None
    return python


def _group(
    out: list[Diagnostic],
    what: str,
    names: Iterable[tuple[str, Location]],
    convert: Callable[[str], str],
    shadows: Shadows | None = None,
) -> None:
    """Check each name, and that no two distinct names convert to the same one."""
    seen: dict[str, tuple[str, Location]] = {}
    for name, loc in names:
        python = _one(out, what, name, loc, convert, shadows)
        if python is None:
            continue
        if python in seen and seen[python][0] != name:
            other, where = seen[python]
            out.append(
                report(
                    "FLW404",
                    f"{what} names {other!r} and {name!r} both become {python!r}",
                    loc,
                    f"rename one of them (the other is at {where})",
                )
            )
            continue
        seen.setdefault(python, (name, loc))
