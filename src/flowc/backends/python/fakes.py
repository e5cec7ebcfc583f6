"""The generated ``testing`` module: samples of every model and a fake of every service.

Each fake follows its operation's part of the diagram and fills what the spec
leaves open with sample values, so the generated tests run before a person
has written a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.layout import helpers
from flowc.backends.python.methods import (
    Method,
    argument_params,
    event_params,
    returns,
    value_params,
)
from flowc.backends.python.samples import (
    SampleFunction,
    annotation_expression,
    model_samples,
    payload_sample,
)
from flowc.backends.python.service_views import ServiceView
from flowc.backends.python.spans import render_span, with_return, without_unused
from flowc.checks.analysis import Analysis


@dataclass(frozen=True)
class Fake:
    name: str
    class_name: str
    module: str
    methods: list[Method]


def auth_errors(analysis: Analysis) -> set[str]:
    """Error classes some flow answers with 401 or 403: who is asking matters."""
    return {row.class_name for row in analysis.error_rows if row.status in (401, 403)}


def _credentials_check(
    raises: list[str], guarded: set[str], imports: ModuleImports
) -> list[str]:
    """A fake behind a 401/403 row accepts only the test token, so that the app
    refuses unknown credentials as its OpenAPI document says (401)."""
    if not any(name in guarded for name in raises):
        return []
    return _refuse_unknown_token(imports)


def _refuse_unknown_token(imports: ModuleImports) -> list[str]:
    imports.modules.add("errors")
    return [
        "if self.request_context().bearer != TEST_TOKEN:",
        '    raise errors.UnauthenticatedError("the bearer token is not valid")',
    ]


def _reactions(
    service: ServiceView, reactions: list[str], imports: ModuleImports
) -> list[str]:
    """A reaction's fake publishes the next event of its chain, with a sample payload."""
    lines = []
    for event in reactions:
        publisher = next(p for p in service.plan.publishers if p.event == event)
        sample = annotation_expression(publisher.source.annotation)
        imports.add(sample)
        lines.append(f"await self.events.{publisher.method}({sample.text})")
    return lines


def fake_methods(
    service: ServiceView, imports: ModuleImports, guarded: set[str]
) -> list[Method]:
    methods: list[Method] = []
    for operation in service.operations:
        span = render_span(operation.plan.steps, "self", operation.input, "fake")
        imports.merge(span.imports)
        lines = _credentials_check(operation.raises, guarded, imports) + list(
            span.lines
        )
        if operation.output is not None:
            if operation.output.var in span.variables:
                returned = operation.output.var
            else:
                sample = annotation_expression(operation.output.annotation)
                imports.add(sample)
                returned = sample.text
            lines = with_return(lines, returned)
        methods.append(
            Method(
                operation.name,
                argument_params(operation.argument, imports),
                returns(operation.output, imports),
                without_unused(lines),
            )
        )
    for flow in service.flows:
        if flow.guarded:
            call = f"super().{flow.name}({flow.argument.var})"
            methods.append(
                Method(
                    flow.name,
                    value_params(flow.argument, imports),
                    returns(flow.returns, imports),
                    [
                        *_refuse_unknown_token(imports),
                        f"return await {call}" if flow.returns else f"await {call}",
                    ],
                )
            )
    for step in service.local_steps:
        methods.append(
            Method(step.name, argument_params(step.argument, imports), "None", [])
        )
    for hook in service.hooks:
        sample = annotation_expression(hook.target.annotation)
        imports.add(sample)
        methods.append(
            Method(
                hook.name,
                value_params(hook.source, imports),
                returns(hook.target, imports),
                [f"return {sample.text}"],
            )
        )
    for consumer in service.consumers:
        lines = (
            [f"await super().{consumer.method}(event, tx)"]
            if consumer.lines
            else _reactions(service, consumer.plan.reactions, imports)
        )
        methods.append(
            Method(
                consumer.method, event_params(consumer.payload, imports), "None", lines
            )
        )
    return methods


def samples_of(context: BackendContext, imports: ModuleImports) -> list[SampleFunction]:
    samples = model_samples(context.analysis.all_models())
    samples += [
        payload_sample(name, fields) for name, fields in context.payloads.items()
    ]
    for sample in samples:
        imports.modules.add(sample.module)
        for _, value in sample.arguments:
            imports.add(value)
    return samples


def render_testing(context: BackendContext) -> SourceFile:
    """``<package>/testing.py``."""
    imports = ModuleImports()
    samples = samples_of(context, imports)
    guarded = auth_errors(context.analysis)
    fakes = [
        Fake(s.name, s.class_name, s.module, fake_methods(s, imports, guarded))
        for s in context.services
    ]
    return context.rendered(
        context.package_path("testing.py"),
        "testing.py.j2",
        **helpers(context.first_party),
        package=context.package,
        services=context.services,
        samples=samples,
        fakes=fakes,
        sagas=context.analysis.sagas,
        modules=imports.package_modules(),
        imports=sorted(imports.lines - _ALWAYS_IMPORTED),
    )


_ALWAYS_IMPORTED = {"from typing import Any"}
"""The testing template imports these itself."""
