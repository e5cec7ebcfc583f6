"""The generated events package modules: envelope, inbox, bus, brokers,
commands, and the AsyncAPI document.

``events.py`` needs the payload type of every event (to decode envelopes that
crossed a process or waited in the outbox); ``asyncapi.py`` who publishes and
who consumes each; the other modules are the same for every system but the
package name.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.render import pyrepr

_SAME_FOR_EVERY_SYSTEM = ("inbox", "bus", "brokers")


@dataclass(frozen=True)
class EventRoute:
    """One event's publishers and consumers, as Python tuples of names."""

    name: str
    publishers: str
    consumers: str


def _names(services: list[str]) -> str:
    items = [pyrepr(name) for name in sorted(set(services))]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def render_event_modules(context: BackendContext, title: str) -> list[SourceFile]:
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
            context.package_path("asyncapi.py"),
            "asyncapi.py.j2",
            package=context.package,
            title=title,
            events=[
                EventRoute(name, _names(plan.publishers), _names(plan.consumers))
                for name, plan in events
            ],
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
