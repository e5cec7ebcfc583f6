"""The person's implementation modules, written once (generation gap).

What a stub must implement is what its generated base class declares
abstract: the drift check (FLW801, ``stubcheck``) reads it from the base.
"""

from __future__ import annotations

from flowc.backends.python.context import BackendContext, SourceFile
from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.methods import (
    Method,
    argument_params,
    event_params,
    returns,
    value_params,
)
from flowc.backends.python.render import pyrepr
from flowc.backends.python.service_views import ServiceView
from flowc.backends.python.spans import with_return, without_unused


def _not_implemented(
    service: ServiceView, impl_package: str, method: str, what: str
) -> list[str]:
    """The stub's body: answered as 501, naming the method, the file and the spec."""
    message = (
        f"{service.name}.{method} is not implemented yet: "
        f"edit {impl_package}/{service.module}.py ({what})"
    )
    return [f"raise NotImplementedError({pyrepr(message)})"]


def stub_methods(
    service: ServiceView, impl_package: str, imports: ModuleImports
) -> list[Method]:
    methods: list[Method] = []
    for operation in service.operations:
        where = f"{operation.loc.file}:{operation.loc.line}"
        if operation.complete:
            lines = without_unused(
                with_return(operation.lines, operation.returns or "")
                if operation.output
                else list(operation.lines)
            )
            imports.merge(operation.imports)
        else:
            lines = _not_implemented(
                service, impl_package, operation.name, f"{operation.text}, {where}"
            )
        methods.append(
            Method(
                operation.name,
                argument_params(operation.argument, imports),
                returns(operation.output, imports),
                lines,
                f"{operation.text}, called by {operation.caller} ({where}).",
            )
        )
    for step in service.local_steps:
        where = f"{step.loc.file}:{step.loc.line}"
        methods.append(
            Method(
                step.name,
                argument_params(step.argument, imports),
                "None",
                _not_implemented(
                    service, impl_package, step.name, f"{step.text}, {where}"
                ),
                f"{step.text} ({where}).",
            )
        )
    for hook in service.hooks:
        methods.append(
            Method(
                hook.name,
                value_params(hook.source, imports),
                returns(hook.target, imports),
                _not_implemented(service, impl_package, hook.name, hook.doc),
                f"Build {hook.target.name}: {hook.doc}.",
            )
        )
    for consumer in service.consumers:
        if consumer.lines:
            continue
        where = f"{consumer.loc.file}:{consumer.loc.line}"
        methods.append(
            Method(
                consumer.method,
                event_params(consumer.payload, imports),
                "None",
                _not_implemented(
                    service,
                    impl_package,
                    consumer.method,
                    f"consume {consumer.event}, {where}",
                ),
                f"Consume {consumer.event} ({where}).",
            )
        )
    return methods


def render_stubs(context: BackendContext) -> list[SourceFile]:
    """One module per service that leaves something to write, and the package."""
    stubs: list[SourceFile] = []
    for service in context.services:
        if not service.abstract:
            continue
        imports = ModuleImports()
        methods = stub_methods(service, context.impl_package, imports)
        stubs.append(
            context.rendered(
                f"{context.impl_package}/{service.module}.py",
                "stub.py.j2",
                package=context.package,
                service=service,
                methods=methods,
                modules=imports.package_modules(),
                imports=sorted(
                    imports.lines | set(imports.name_lines(context.package))
                ),
                needs_envelope=any(not c.lines for c in service.consumers),
                source=context.source,
            )
        )
    stubs.append(
        SourceFile(
            f"{context.impl_package}/__init__.py",
            f'"""Your implementations of the {context.package} services: flowc writes each file once."""\n',
            context.source,
        )
    )
    return stubs
