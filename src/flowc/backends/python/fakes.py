"""The generated ``testing`` package: samples of every model and a fake of every service.

Each fake follows its operation's part of the diagram and fills what the spec
leaves open with sample values, so the generated tests run before a person
has written a line. A module per service's fake and per model group's
samples keeps every module small at any number of flows; the package's
``__init__`` imports the fakes and holds the helpers tests use.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.methods import (
    Method,
    argument_params,
    event_params,
    returns,
    value_params,
)
from flowc.backends.python.models import export_order
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
    raises: list[str], guarded: set[str], imports: ModuleImports, package: str
) -> list[str]:
    """A fake behind a 401/403 row accepts only the test token, so that the app
    refuses unknown credentials as its OpenAPI document says (401)."""
    if not any(name in guarded for name in raises):
        return []
    return _refuse_unknown_token(imports, package)


def _refuse_unknown_token(imports: ModuleImports, package: str) -> list[str]:
    imports.modules.add("errors")
    imports.lines.add(f"from {package}.testing.recorder import TEST_TOKEN")
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
    service: ServiceView, imports: ModuleImports, guarded: set[str], package: str
) -> list[Method]:
    methods: list[Method] = []
    for operation in service.operations:
        span = render_span(operation.plan.steps, "self", operation.input, "fake")
        imports.merge(span.imports)
        lines = _credentials_check(operation.raises, guarded, imports, package) + list(
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
                        *_refuse_unknown_token(imports, package),
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


def _samples(context: BackendContext) -> list[SampleFunction]:
    samples = model_samples(context.analysis.all_models())
    samples += [
        payload_sample(name, fields) for name, fields in context.payloads.items()
    ]
    return samples


def _import_lines(
    context: BackendContext, imports: ModuleImports, here: str = ""
) -> list[str]:
    """Everything a module of the ``testing`` package imports, as one list."""
    own = imports.package_modules()
    return sorted(
        {
            *imports.lines,
            *([f"from {context.package} import {', '.join(own)}"] if own else []),
            *imports.name_lines(context.package),
            *context.sample_imports(imports.samples, here),
        }
    )


def _sample_modules(context: BackendContext) -> list[SourceFile]:
    """``testing/samples/<group>.py`` per model group, ``testing/schemaorg_samples.py``."""
    by_module: dict[str, list[SampleFunction]] = {}
    for sample in _samples(context):
        by_module.setdefault(context.sample_modules[sample.name], []).append(sample)
    files = [
        context.owned(
            context.package_path("testing/samples/__init__.py"),
            '"""Samples of the models, one module per module of ``models``."""\n',
        )
    ]
    for module, samples in sorted(by_module.items()):
        imports = ModuleImports()
        for sample in samples:
            imports.modules.add(sample.module)
            for _, value in sample.arguments:
                imports.add(value)
        group = module.rpartition(".")[2]
        subject = (
            "the Schema.org payloads"
            if module == "testing.schemaorg_samples"
            else f"the models of ``models.{group}``"
        )
        files.append(
            context.rendered(
                context.package_path(module.replace(".", "/") + ".py"),
                "testing_samples.py.j2",
                subject=subject,
                samples=samples,
                imports=_import_lines(context, imports, here=module),
            )
        )
    return files


def _fake_modules(context: BackendContext) -> tuple[list[Fake], list[SourceFile]]:
    """``testing/fakes/<service>.py`` per service."""
    guarded = auth_errors(context.analysis)
    package = context.package
    fakes: list[Fake] = []
    files = [
        context.owned(
            context.package_path("testing/fakes/__init__.py"),
            '"""A fake of each service, one module per service."""\n',
        )
    ]
    for service in context.services:
        imports = ModuleImports()
        fake = Fake(
            service.name,
            service.class_name,
            service.module,
            fake_methods(service, imports, guarded, package),
        )
        fakes.append(fake)
        imports.lines |= {
            f"from {package}.runtime import Runtime",
            f"from {package}.services.{service.module} import {service.class_name}Base",
            f"from {package}.testing.recorder import Recorder",
        }
        if service.consumers:
            imports.lines |= {
                f"from {package}.events import Envelope",
                f"from {package}.inbox import InboxTransaction",
            }
        files.append(
            context.rendered(
                context.package_path(f"testing/fakes/{service.module}.py"),
                "testing_fake.py.j2",
                fake=fake,
                imports=_import_lines(context, imports),
            )
        )
    return fakes, files


def render_testing(context: BackendContext) -> list[SourceFile]:
    """The ``testing`` package: its index, the recorder, fakes and samples."""
    fakes, fake_files = _fake_modules(context)
    sagas = context.analysis.sagas
    exported = [
        *(f"Fake{fake.class_name}" for fake in fakes),
        *(f"Fake{saga.class_name}" for saga in sagas),
        "Recorder",
        "TEST_TOKEN",
        *(["TEST_SAGA_DATABASE"] if sagas else []),
        "create_test_app",
        "fake_implementations",
        "keys_in",
        "published",
        "record_events",
        "service_of",
    ]
    index = context.rendered(
        context.package_path("testing/__init__.py"),
        "testing_init.py.j2",
        package=context.package,
        fakes=fakes,
        sagas=sagas,
        exported=sorted(exported, key=export_order),
    )
    recorder = context.rendered(
        context.package_path("testing/recorder.py"), "testing_recorder.py.j2"
    )
    return [index, recorder, *fake_files, *_sample_modules(context)]
