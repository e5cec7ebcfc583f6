"""Sagas -> the orchestrator modules, their fakes, tests, stubs and routes.

The analysis (``checks/analysis/sagas.py``) decides what each saga means;
this module only names files and gives the templates typed views.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.samples import sample_name
from flowc.checks.analysis.model import Held
from flowc.checks.analysis.saga_plan import (
    SagaAction,
    SagaPlan,
    SagaStepPlan,
    ScheduledJob,
)
from flowc.diagnostics import Location


@dataclass(frozen=True)
class SagaActionView:
    """A method a person implements: a step or a compensation."""

    method: str
    doc: str
    todo: str


@dataclass(frozen=True)
class SagaView:
    name: str
    class_name: str
    module: str
    slug: str
    steps: list[SagaStepPlan]
    compensations: list[SagaAction]
    data: Held
    data_type: str
    state_storage: str
    timeout_ms: int | None
    version: str
    loc: Location
    actions: list[SagaActionView]
    flow: str | None
    """The flow that runs through the saga: its route answers with a public status URL."""
    orchestrator: str | None
    """The service whose process runs the saga."""


def saga_view(plan: SagaPlan, impl_package: str) -> SagaView:
    where = f"{plan.loc.file}:{plan.loc.line}"
    path = f"{impl_package}/{plan.module}.py"
    actions = [
        SagaActionView(
            step.method,
            f"Step {index}, {step.label} ({where}).",
            f"{plan.class_name}.{step.method} is not implemented yet: edit {path} "
            f"(step {step.label!r} of {plan.name}, {where})",
        )
        for index, step in enumerate(plan.steps, 1)
    ] + [
        SagaActionView(
            compensation.method,
            f"Compensation {compensation.label} ({where}).",
            f"{plan.class_name}.{compensation.method} is not implemented yet: edit "
            f"{path} (compensation {compensation.label!r} of {plan.name}, {where})",
        )
        for compensation in plan.compensations
    ]
    return SagaView(
        name=plan.name,
        class_name=plan.class_name,
        module=plan.module,
        slug=plan.slug,
        steps=plan.steps,
        compensations=plan.compensations,
        data=plan.data,
        data_type=(
            f"models.{plan.data.name}" if plan.data.kind == "model" else "JsonObject"
        ),
        state_storage=plan.state_storage,
        timeout_ms=plan.timeout_ms,
        version=plan.version,
        loc=plan.loc,
        actions=actions,
        flow=plan.flow,
        orchestrator=plan.orchestrator,
    )


def render_saga_package(
    context: BackendContext, sagas: list[SagaView], schedules: list[ScheduledJob]
) -> list[SourceFile]:
    """The DBOS runtime, one module per saga, their fakes and internal routes,
    and the scheduled flows."""
    path = context.package_path
    package = context.package
    files: list[SourceFile] = []
    if sagas or schedules:
        files.append(
            context.rendered(
                path("saga_runtime.py"), "saga_runtime.py.j2", package=package
            )
        )
    if schedules:
        clients = sorted(
            {
                context.service_by_name[job.service].client_import(package)
                for job in schedules
            }
        )
        files.append(
            context.rendered(
                path("schedules.py"),
                "schedules.py.j2",
                package=package,
                schedules=schedules,
                clients=clients,
            )
        )
    if not sagas:
        return files
    files += [
        context.owned(
            path("sagas/__init__.py"),
            '"""One module per saga of the spec: its definition, workflow and base class."""\n',
        ),
        context.rendered(
            path("routes/_sagas.py"),
            "saga_routes.py.j2",
            package=package,
            sagas=sagas,
            any_model=any(s.data.kind == "model" for s in sagas),
            any_open=any(s.data.kind != "model" for s in sagas),
        ),
    ]
    files.append(
        context.rendered(
            path("sagas/fakes.py"),
            "saga_fakes.py.j2",
            package=package,
            sagas=sagas,
        )
    )
    for saga in sagas:
        files.append(
            context.rendered(
                path(f"sagas/{saga.module}.py"),
                "saga.py.j2",
                package=package,
                impl_package=context.impl_package,
                saga=saga,
                data_type=saga.data_type,
            )
        )
        files.append(
            context.rendered(
                path(f"tests/test_{saga.module}.py"),
                "test_saga.py.j2",
                package=package,
                saga=saga,
                sample_import=(
                    context.sample_imports([sample_name(saga.data.name)])[0]
                    if saga.data.kind == "model"
                    else ""
                ),
            )
        )
    return files


def render_saga_stubs(
    context: BackendContext, sagas: list[SagaView]
) -> list[SourceFile]:
    """The person's module per saga, written once (generation gap)."""
    return [
        context.rendered(
            f"{context.impl_package}/{saga.module}.py",
            "saga_stub.py.j2",
            package=context.package,
            saga=saga,
            source=context.source,
        )
        for saga in sagas
    ]
