"""Flows whose Trigger is a cron expression: run on that schedule (DBOS).

A scheduled flow has no HTTP request: its first call, from the participant
that stands for the scheduler, is what each tick runs, within the flow's SLA.
A schedule written in words ("nightly") cannot be run as written and stays a
warning (FLW419, with the reason), as does a first call that needs a value
the scheduler does not have.
"""

from __future__ import annotations

from flowc import naming
from flowc.checks.analysis.model import Analysis
from flowc.checks.analysis.saga_plan import ScheduledJob
from flowc.checks.triggers import schedule_of
from flowc.diagnostics import Location
from flowc.model import Flow, MessageKind
from flowc.rules import report


def add_schedules(analysis: Analysis) -> None:
    for flow in analysis.system.flows:
        schedule = schedule_of(flow.trigger)
        if schedule is None:
            continue
        where = flow.trigger_loc if flow.trigger_loc.line else flow.loc
        if not schedule.startswith("`"):
            analysis.diagnostics.append(
                report(
                    "FLW419",
                    f"the Trigger of flow {flow.name!r} names a schedule in words "
                    f"({schedule}); only a cron expression runs the flow on a schedule",
                    where,
                    "write the schedule as cron in backticks: (`0 2 * * *`)",
                )
            )
            continue
        job, problem = _job(analysis, flow, schedule.strip("`"), where)
        if job is None:
            analysis.diagnostics.append(
                report(
                    "FLW419",
                    f"flow {flow.name!r} is scheduled ({schedule}) but {problem}, "
                    "so nothing runs it on the schedule",
                    where,
                    "start the diagram with the scheduler calling a service: "
                    "Scheduler->>ReportService: GenerateReport",
                )
            )
            continue
        analysis.schedules.append(job)
        analysis.diagnostics.append(
            report(
                "FLW511",
                f"flow {flow.name!r} runs on the schedule {schedule} (UTC): each tick "
                f"calls {job.service}.{job.operation} once, within the SLA",
                where,
                "ticks are DBOS scheduled workflows; their state is in Settings.saga_database_url",
            )
        )


def _job(
    analysis: Analysis, flow: Flow, cron: str, where: Location
) -> tuple[ScheduledJob | None, str]:
    first = next(
        (m for m in flow.messages() if m.kind == MessageKind.CALL),
        None,
    )
    if first is None or first.target not in analysis.services:
        return None, "its diagram calls no service"
    name = naming.snake(first.text)
    operation = next(
        (o for o in analysis.services[first.target].operations if o.name == name), None
    )
    if operation is None:
        return None, f"{first.target}.{name} is not an operation"
    if operation.input is not None and not operation.input_optional:
        return (
            None,
            f"{first.target}.{name} needs {operation.input.name}, which a tick does not have",
        )
    return (
        ScheduledJob(flow.name, cron, first.target, name, flow.sla_ms, where),
        "",
    )
