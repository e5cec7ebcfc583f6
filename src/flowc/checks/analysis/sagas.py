"""Sagas as the generated orchestrator runs them: steps, chains, data, version.

A saga runs on DBOS durable workflows (spec-language.md section 7). This module
works out, once, what each saga means in code: a method per step and per
compensation, the compensations each step's failure runs (the diagram's
chain, literally), which steps are retried until they succeed (no failure
edge: the pivot and after), the model of the saga's data, the flow that runs
through it, and a version derived from the definition alone.
"""

from __future__ import annotations

import hashlib
import json

from flowc import naming
from flowc.checks.analysis.model import Analysis, Held, Route
from flowc.checks.analysis.saga_plan import SagaAction, SagaPlan, SagaStepPlan
from flowc.checks.mapping import flow_model_name
from flowc.checks.sagas import check_saga
from flowc.diagnostics import Severity
from flowc.model import Flow, Saga, System
from flowc.rules import report

DEFAULT_STORAGE = "sqlite:///sagas.db"


def saga_flows(flows: tuple[Flow, ...]) -> dict[str, Flow]:
    """Which flow runs through a saga, by the saga's name compared case- and
    space-insensitively: a flow named like the saga, with " Saga" added or not.
    The first flow in the spec's order wins, as a scan would find it."""
    found: dict[str, Flow] = {}
    for flow in flows:
        found.setdefault(_key(flow.name), flow)
        found.setdefault(_key(f"{flow.name} Saga"), flow)
    return found


def add_sagas(analysis: Analysis) -> None:
    system = analysis.system
    flows = saga_flows(system.flows)
    routes: dict[str, Route] = {}
    for each in analysis.routes:
        routes.setdefault(each.flow, each)
    for saga in system.sagas:
        if not _well_formed(system, saga):
            continue  # its own errors say what to fix; nothing runs it
        flow = flows.get(_key(saga.name))
        plan = _plan(analysis, saga, flow)
        analysis.sagas.append(plan)
        route = routes.get(flow.name) if flow is not None else None
        if route is not None:
            route.saga = plan
        started = (
            f"flow {flow.name!r} runs through it (its route starts the saga)"
            if flow is not None
            else f"it has its own start route (POST /_flowc/sagas/{plan.slug} on the "
            "internal app) and `sagas start` command, since no flow is named "
            f"{saga.name!r} or {saga.name.removesuffix(' Saga')!r}"
        )
        analysis.diagnostics.append(
            report(
                "FLW510",
                f"saga {saga.name!r} runs on DBOS as {plan.workflow_name}: {started}; "
                f"state in {plan.state_storage}",
                saga.loc,
                f"implement its steps and compensations in the scaffolded {plan.module}.py",
            )
        )


def _well_formed(system: System, saga: Saga) -> bool:
    return bool(saga.steps) and all(
        d.severity is not Severity.ERROR for d in check_saga(system, saga)
    )


def _plan(analysis: Analysis, saga: Saga, flow: Flow | None) -> SagaPlan:
    class_name = naming.pascal(saga.name)
    if not class_name.endswith("Saga"):
        class_name += "Saga"
    methods = _methods(saga)
    steps = [
        SagaStepPlan(
            id=step.id,
            label=step.label,
            method=methods[step.id],
            loc=step.loc,
            chain=tuple(methods[c] for c in saga.compensation_chain(step.id)),
            retried=saga.failure_edge(step.id) is None,
        )
        for step in saga.steps
    ]
    compensations = [
        SagaAction(id=c.id, label=c.label, method=methods[c.id], loc=c.loc)
        for c in saga.compensations
    ]
    return SagaPlan(
        name=saga.name,
        class_name=class_name,
        module=naming.snake(class_name),
        slug=naming.snake(class_name).replace("_", "-"),
        steps=steps,
        compensations=compensations,
        data=_data(analysis, class_name, flow),
        orchestrator=saga.orchestrator,
        state_storage=saga.state_storage or DEFAULT_STORAGE,
        timeout_ms=saga.timeout_ms,
        version=_version(saga, steps),
        loc=saga.loc,
        flow=flow.name if flow is not None else None,
    )


def _methods(saga: Saga) -> dict[str, str]:
    """A method name per node: its label in snake_case, its id where labels repeat."""
    nodes = [*saga.steps, *saga.compensations]
    counts: dict[str, int] = {}
    for node in nodes:
        counts[naming.snake(node.label)] = counts.get(naming.snake(node.label), 0) + 1
    found: dict[str, str] = {}
    for node in nodes:
        method = naming.snake(node.label) or naming.snake(node.id)
        if counts.get(method, 0) > 1 or method in _TAKEN:
            method = f"{method}_{naming.snake(node.id)}"
        found[node.id] = method
    return found


# Members of the generated saga base class a step's method must not replace.
_TAKEN = frozenset({"definition", "runtime", "data_model", "start", "name"})


def _data(analysis: Analysis, class_name: str, flow: Flow | None) -> Held:
    """The saga's data: ``<Saga>Data`` when declared, else the flow's request, else open JSON."""
    declared = analysis.system.model(f"{class_name}Data")
    if declared is not None:
        return Held("model", declared.name)
    route = next((r for r in analysis.routes if flow and r.flow == flow.name), None)
    if route is not None:
        return route.request
    if flow is not None:
        request = flow_model_name(flow, "Request")
        known = analysis.model(request)
        if known is not None:
            return Held("model", known.name)
    return Held("open", "data")


def _version(saga: Saga, steps: list[SagaStepPlan]) -> str:
    """A hash of what the saga does (steps, chains, retries, timeout): regenerating
    an unchanged saga keeps it, so instances in flight are never orphaned."""
    definition = {
        "name": saga.name,
        "steps": [[s.method, list(s.chain), s.retried] for s in steps],
        "timeout_ms": saga.timeout_ms,
    }
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode())
    return "v" + digest.hexdigest()[:12]


def _key(name: str) -> str:
    return "".join(name.lower().split())
