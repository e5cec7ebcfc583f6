"""What flowc reads and checks but does not turn into code yet.

Nothing is read and then silently dropped: a saga (its steps, compensations
and Implementation bullets) and a Trigger that names a schedule are kept in
the IR and checked, but no orchestrator or scheduled job is generated for
them. Each gets a warning at its line until a later version builds it. The
unfilled template's examples never reach here (resolve drops them with a note),
and a saga whose drawing has errors is reported by those errors alone.
"""

from __future__ import annotations

import re

from flowc.checks.sagas import check_sagas
from flowc.diagnostics import Diagnostic, Severity
from flowc.frontends.common import format_duration
from flowc.model import Flow, Saga, System
from flowc.rules import report

_BACKTICKED = re.compile(r"`([^`\n]+)`")
_CRON_FIELD = re.compile(r"^[0-9*?/,#LW-]+$|^[A-Za-z]{3}(?:[-,][A-Za-z]{3})*$")
_CRON_MACRO = re.compile(
    r"^@(?:yearly|annually|monthly|weekly|daily|midnight|hourly|reboot)$", re.I
)
_SCHEDULE_WORDS = re.compile(
    r"\b(?:"
    r"every\s+(?:\d+\s*)?(?:day|night|morning|evening|hour|minute|second|week|"
    r"month|quarter|year|weekday|weekend|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)s?"
    r"|nightly|daily|hourly|weekly|monthly|quarterly|yearly|annually"
    r"|scheduled|(?:on|by|per)\s+(?:a\s+|the\s+)?schedule|cron(?:\s*job)?"
    r")\b",
    re.I,
)


def check_unbuilt(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for saga in system.sagas:
        if _buildable(system, saga):
            out.append(_saga_warning(saga))
    for flow in system.flows:
        schedule = schedule_of(flow.trigger)
        if schedule is not None:
            out.append(_schedule_warning(flow, schedule))
    return out


def schedule_of(trigger: str) -> str | None:
    """The text that makes a Trigger a schedule: a cron expression, else a word."""
    for candidate in _BACKTICKED.findall(trigger):
        text = candidate.strip()
        fields = text.split()
        if _CRON_MACRO.match(text) or (
            5 <= len(fields) <= 6 and all(_CRON_FIELD.match(f) for f in fields)
        ):
            return f"`{text}`"
    match = _SCHEDULE_WORDS.search(trigger)
    return match.group(0) if match is not None else None


def _buildable(system: System, saga: Saga) -> bool:
    """A saga with errors of its own would not be built either way: no warning."""
    alone = system.model_copy(update={"sagas": (saga,)})
    return all(d.severity is not Severity.ERROR for d in check_sagas(alone))


def _saga_warning(saga: Saga) -> Diagnostic:
    parts = [
        f"{len(saga.steps)} step{'s' if len(saga.steps) != 1 else ''}",
        f"{len(saga.compensations)} compensation"
        f"{'s' if len(saga.compensations) != 1 else ''}",
    ]
    if saga.orchestrator:
        parts.append(f"orchestrator {saga.orchestrator}")
    if saga.state_storage:
        parts.append(f"state storage {saga.state_storage}")
    if saga.timeout_ms is not None:
        parts.append(f"timeout {format_duration(saga.timeout_ms)}")
    return report(
        "FLW510",
        f"saga orchestration is not generated yet: saga {saga.name!r} "
        f"({', '.join(parts)}) is checked but produces no code",
        saga.loc,
        "run the steps and compensations from your own service code for now; "
        "the diagram and Implementation bullets stay the contract",
    )


def _schedule_warning(flow: Flow, schedule: str) -> Diagnostic:
    return report(
        "FLW419",
        f"the Trigger of flow {flow.name!r} names a schedule ({schedule}); "
        "scheduled triggers are not generated yet, so nothing runs the flow on it",
        flow.trigger_loc if flow.trigger_loc.line else flow.loc,
        "start the flow from your own scheduler (cron, a task queue) for now",
    )
