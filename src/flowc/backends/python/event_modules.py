"""The generated events package modules: envelope, inbox, bus, brokers, commands.

``events.py`` needs the payload type of every event (to decode envelopes that
crossed a process or waited in the outbox); the other modules are the same
for every system but the package name.
"""

from __future__ import annotations

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports

_SAME_FOR_EVERY_SYSTEM = ("inbox", "bus", "brokers")


def render_event_modules(context: BackendContext) -> list[SourceFile]:
    events = sorted(context.analysis.events.items())
    imports = ModuleImports()
    for _, plan in events:
        imports.add_value(plan.payload)
    files = [
        context.rendered(
            context.package_path("events.py"),
            "events.py.j2",
            package=context.package,
            events=[(name, plan.payload.annotation) for name, plan in events],
            modules=imports.package_modules(),
        ),
        context.rendered(
            context.package_path("event_commands.py"),
            "event_commands.py.j2",
            package=context.package,
            event_names=[name for name, _ in events],
        ),
    ]
    files += [
        context.rendered(
            context.package_path(f"{module}.py"),
            f"{module}.py.j2",
            package=context.package,
        )
        for module in _SAME_FOR_EVERY_SYSTEM
    ]
    return files
