"""Fakes, generated tests, and the person's implementation stubs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowc import naming
from flowc.backends.python.mapping_views import (
    ModuleImports,
    mapping_case,
    sorted_mappings,
)
from flowc.backends.python.render import pyrepr, render
from flowc.backends.python.samples import (
    annotation_sample,
    invalid_request,
    model_samples,
    payload_sample,
)
from flowc.backends.python.spans import render_span, with_return, without_unused
from flowc.checks.analysis import Argument, Held

if TYPE_CHECKING:
    from flowc.backends.python.generator import PythonGenerator


class _Samples(dict[str, str]):
    """Sample expressions by annotation, computed on first use."""

    def __missing__(self, key: str) -> str:
        value = annotation_sample(key)
        self[key] = value
        return value


def _params(argument: Argument | None) -> str:
    return f", {argument.declaration}" if argument is not None else ""


def _hook_params(held: Held | None) -> str:
    return f", {held.var}: {held.annotation}" if held is not None else ""


def _fake_methods(gen: PythonGenerator, service_name: str) -> list[dict[str, Any]]:
    service = gen.plan.services[service_name]
    context = gen.contexts[service_name]
    samples = _Samples()
    methods: list[dict[str, Any]] = []
    for op in service.operations:
        span = render_span(op.steps, "self", op.input, "fake", samples)
        lines = list(span.lines)
        if op.output is not None:
            returned = (
                op.output.var
                if op.output.var in span.variables
                else samples[op.output.annotation]
            )
            lines = with_return(lines, returned)
        methods.append(
            {
                "name": op.name,
                "params": _params(op.argument),
                "returns": op.output.annotation if op.output else "None",
                "lines": without_unused(lines),
            }
        )
    for step in service.local_steps:
        methods.append(
            {
                "name": step.name,
                "params": _params(step.argument),
                "returns": "None",
                "lines": [],
            }
        )
    for hook in context["hooks"]:
        methods.append(
            {
                "name": hook.name,
                "params": _hook_params(hook.source),
                "returns": hook.target.annotation,
                "lines": [f"return {samples[hook.target.annotation]}"],
            }
        )
    for consumer in context["consumers"]:
        plan = consumer["plan"]
        lines = (
            ["await super()." + plan.method + "(event)"] if consumer["lines"] else []
        )
        methods.append(
            {
                "name": plan.method,
                "params": f", event: Envelope[{plan.payload.annotation}]",
                "returns": "None",
                "lines": lines,
            }
        )
    return methods


def render_testing(gen: PythonGenerator) -> None:
    samples: list[dict[str, Any]] = []
    for function in model_samples(gen.plan.all_models()):
        model = next(
            m
            for m in gen.plan.all_models()
            if f"models.{m.name}" == function.annotation
        )
        samples.append(
            {
                "name": function.name,
                "annotation": function.annotation,
                "arguments": function.arguments,
                "construct": model.json_schema is not None,
            }
        )
    for type_name, fields in gen.payloads.items():
        function = payload_sample(type_name, fields)
        samples.append(
            {
                "name": function.name,
                "annotation": function.annotation,
                "arguments": function.arguments,
                "construct": False,
            }
        )
    fakes: list[dict[str, Any]] = []
    for service in gen.services:
        fakes.append(
            {
                "name": service.name,
                "class_name": service.class_name,
                "module": service.module,
                "methods": _fake_methods(gen, service.name),
            }
        )
    texts = [value for s in samples for _, value in s["arguments"]] + [
        s["annotation"] for s in samples
    ]
    texts += [
        line
        for f in fakes
        for m in f["methods"]
        for line in (*m["lines"], m["params"], m["returns"])
    ]
    from flowc.backends.python.generator import _imports_for, _modules_used

    modules = _modules_used(texts)
    gen._emit(
        gen._pkg("testing.py"),
        render(
            "testing.py.j2",
            package=gen.package,
            services=gen._common()["services"],
            samples=samples,
            fakes=fakes,
            modules=modules,
            imports=_imports_for(texts),
        ),
    )


def render_tests(gen: PythonGenerator) -> None:
    # Tests live inside the package so that linters see one first-party package
    # wherever they run from; each flow's tests are a module of their own.
    gen._emit(
        "conftest.py", '"""Puts the generated packages on sys.path for pytest."""\n'
    )
    gen._emit(
        gen._pkg("tests/__init__.py"),
        '"""Tests generated from the spec: one module per flow."""\n',
    )
    for route in gen.plan.routes:
        gen._emit(
            gen._pkg(f"tests/test_{route.function}_flow.py"), _flow_test(gen, route)
        )
    if gen.plan.mappings:
        gen._emit(gen._pkg("tests/test_mappings.py"), _mappings_test(gen))
    if any(s.consumers for s in gen.services):
        gen._emit(gen._pkg("tests/test_consumers.py"), _consumers_test(gen))


def _flow_test(gen: PythonGenerator, route: Any) -> str:
    flow = next(f for f in gen.system.flows if f.name == route.flow)
    cases: list[dict[str, Any]] = []
    if route.validation is not None:
        model = next(m for m in gen.plan.all_models() if m.name == route.request.name)
        invalid = invalid_request(model)
        if invalid is not None:
            cases.append(
                {
                    "kind": "fields",
                    "error": route.validation,
                    "payload": invalid.payload,
                    "fields": sorted(invalid.fields),
                }
            )
    for error in route.errors:
        service = gen.plan.services.get(error.handler)
        operation = (
            next((op for op in service.operations if route.flow in op.flows), None)
            if service
            else None
        )
        if service is None or operation is None:
            continue
        cases.append(
            {
                "kind": error.kind,
                "error": error,
                "service": service,
                "operation": operation,
            }
        )
    events = [
        e
        for e in gen.plan.events.values()
        if any(s in e.publishers for s in (p.name for p in flow.participants))
    ]
    consumers = [
        (s, c) for s in gen.services for c in s.consumers if c.flow == route.flow
    ]
    return render(
        "test_flow.py.j2",
        package=gen.package,
        route=gen._route_view(route),
        flow=flow,
        cases=cases,
        events=[
            e.name
            for e in events
            if any(
                m.event_name and naming.pascal(m.event_name) == e.name
                for m in flow.messages()
                if m.kind.value == "publish"
            )
        ],
        consumers=consumers,
        fakes=sorted(
            {c["service"].class_name for c in cases if "service" in c}
            | {s.class_name for s, _ in consumers}
            | _first_call_fake(gen, route)
        ),
    )


def _first_call_fake(gen: PythonGenerator, route: Any) -> set[str]:
    call = next((step for step in route.steps if step.kind == "call"), None)
    return {naming.pascal(call.target)} if call is not None else set()


def _mappings_test(gen: PythonGenerator) -> str:
    imports = ModuleImports(modules={"mappings"})
    cases = [
        mapping_case(m, gen.payloads.get(m.target.name, []), imports)
        for m in sorted_mappings(gen.plan)
    ]
    return render(
        "test_mappings.py.j2",
        package=gen.package,
        cases=cases,
        imports=sorted(imports.lines),
        modules=sorted(imports.modules - {"schemaorg"}),
        samples=sorted(imports.samples),
    )


def _consumers_test(gen: PythonGenerator) -> str:
    consumers = [(s, c) for s in gen.services for c in s.consumers]
    samples = _Samples()
    return render(
        "test_consumers.py.j2",
        package=gen.package,
        consumers=[(s, c, samples[c.payload.annotation]) for s, c in consumers],
    )


def render_stubs(gen: PythonGenerator) -> None:
    for service in gen.services:
        context = gen.contexts[service.name]
        if not context["abstract"]:
            continue
        methods = []
        for op in context["operations"]:
            plan = op["plan"]
            where = f"{plan.loc.file}:{plan.loc.line}"
            if op["complete"]:
                lines = without_unused(
                    with_return(op["lines"], op["returns"])
                    if plan.output
                    else list(op["lines"])
                )
            else:
                lines = [
                    f"raise NotImplementedError({pyrepr(f'{service.name}.{plan.name}: {plan.text} ({where})')})"
                ]
            methods.append(
                {
                    "name": plan.name,
                    "params": _params(plan.argument),
                    "returns": plan.output.annotation if plan.output else "None",
                    "lines": lines,
                    "doc": f"{plan.text}, called by {plan.caller} ({where}).",
                }
            )
        for step in service.local_steps:
            where = f"{step.loc.file}:{step.loc.line}"
            methods.append(
                {
                    "name": step.name,
                    "params": _params(step.argument),
                    "returns": "None",
                    "lines": [
                        f"raise NotImplementedError({pyrepr(f'{service.name}.{step.name}: {step.text} ({where})')})"
                    ],
                    "doc": f"{step.text} ({where}).",
                }
            )
        for hook in context["hooks"]:
            methods.append(
                {
                    "name": hook.name,
                    "params": _hook_params(hook.source),
                    "returns": hook.target.annotation,
                    "lines": [
                        f"raise NotImplementedError({pyrepr(f'{service.name}.{hook.name}: {hook.doc}')})"
                    ],
                    "doc": f"Build {hook.target.name}: {hook.doc}.",
                }
            )
        for consumer in context["consumers"]:
            if consumer["lines"]:
                continue
            plan = consumer["plan"]
            where = f"{plan.loc.file}:{plan.loc.line}"
            methods.append(
                {
                    "name": plan.method,
                    "params": f", event: Envelope[{plan.payload.annotation}]",
                    "returns": "None",
                    "lines": [
                        f"raise NotImplementedError({pyrepr(f'{service.name}.{plan.method}: consume {plan.event} ({where})')})"
                    ],
                    "doc": f"Consume {plan.event} ({where}).",
                }
            )
        # Messages quote the spec (``call mappings.x with ...``); only code needs imports.
        texts = [
            t
            for m in methods
            for t in (m["params"], m["returns"], *m["lines"])
            if not t.startswith("raise NotImplementedError(")
        ]
        from flowc.backends.python.generator import _modules_used

        text = render(
            "stub.py.j2",
            package=gen.package,
            service=service,
            methods=methods,
            modules=_modules_used(texts),
            needs_envelope=any("Envelope[" in t for t in texts),
            needs_any="Any]" in " ".join(texts),
            source=gen.source,
        )
        from flowc.backends.python.generator import SourceFile

        gen.result.stubs.append(
            SourceFile(
                path=f"{gen.impl_package}/{service.module}.py",
                text=text,
                source=gen.source,
                first_party=gen.first_party,
            )
        )
    from flowc.backends.python.generator import SourceFile

    gen.result.stubs.append(
        SourceFile(
            path=f"{gen.impl_package}/__init__.py",
            text=f'"""Your implementations of the {gen.package} services: flowc writes each file once."""\n',
            source=gen.source,
        )
    )
