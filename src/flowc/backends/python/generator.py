"""The analysis of a system -> the files of a Python package, its tests and stubs.

Pure: no I/O, and the same analysis gives the same files. Views decide what
each template prints and what it imports; this module only names the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from flowc import naming
from flowc.backends.python.context import HEADER, BackendContext, SourceFile
from flowc.backends.python.event_modules import render_event_modules
from flowc.backends.python.fakes import render_testing
from flowc.backends.python.imports import ModuleImports, import_block
from flowc.backends.python.mapping_views import (
    mapping_module,
    mapping_view,
    sorted_mappings,
)
from flowc.backends.python.models import generate_model_modules
from flowc.backends.python.package_views import (
    PackageContext,
    PayloadType,
    client_imports,
    error_views,
    payload_imports,
)
from flowc.backends.python.payloads import payload_fields
from flowc.backends.python.route_views import (
    RouteView,
    internal_operations,
    route_view,
)
from flowc.backends.python.sagas import (
    render_saga_package,
    render_saga_stubs,
    saga_view,
)
from flowc.backends.python.service_views import ServiceView, service_view
from flowc.backends.python.stubs import render_stubs
from flowc.backends.python.tests import render_tests
from flowc.checks.analysis import Analysis, MappingFunction
from flowc.schemaorg import vocabulary


@dataclass
class Generation:
    """The rendered package and the person's stubs; nothing is written yet."""

    analysis: Analysis
    package: str
    files: list[SourceFile] = field(default_factory=list)
    stubs: list[SourceFile] = field(default_factory=list)
    services: list[ServiceView] = field(default_factory=list)


def view_fields(view: object) -> dict[str, Any]:
    """A dataclass view's fields, one level deep, as a template's variables."""
    return {f.name: getattr(view, f.name) for f in fields(view)}  # type: ignore[arg-type]


class PythonGenerator:
    """Builds every file from one analysis; pure: no I/O, same input, same bytes."""

    def __init__(
        self,
        analysis: Analysis,
        package: str,
        impl_package: str,
        source: str,
        previous_units: Mapping[str, str] | None = None,
    ) -> None:
        self.previous_units = previous_units
        self.system = analysis.system
        self.package = package
        self.impl_package = impl_package
        self.source = source
        self.analysis = analysis
        self.payloads = {
            name: payload_fields(name, assignments)
            for name, assignments in sorted(analysis.schemaorg_types.items())
        }
        self.services = [service_view(analysis, s) for s in analysis.service_plans()]
        self.sagas = [saga_view(plan, impl_package) for plan in analysis.sagas]
        self.routes: list[RouteView] = [
            route_view(analysis, r) for r in analysis.routes
        ]
        self.context = PackageContext(
            package=package,
            impl_package=impl_package,
            env_prefix=naming.environment_prefix(package),
            title=self._title(),
            services=self.services,
            sagas=self.sagas,
            schedules=self.analysis.schedules,
            flow_policies=[
                (f.name, f.sync_policy)
                for f in self.system.flows
                if f.sync_policy is not None
            ],
        )
        self.backend = BackendContext(
            analysis=analysis,
            package=package,
            impl_package=impl_package,
            source=source,
            services=self.services,
            payloads=self.payloads,
            earlier=previous_units or {},
        )
        self.result = Generation(
            analysis=analysis, package=package, services=self.services
        )

    def _emit(self, path: str, text: str) -> None:
        self.result.files.append(self.backend.owned(path, text))

    def _emit_template(self, path: str, template: str, **variables: Any) -> None:
        self.result.files.append(self.backend.rendered(path, template, **variables))

    def _pkg(self, name: str) -> str:
        return self.backend.package_path(name)

    def _title(self) -> str:
        titles = [
            d.title
            for d in self.system.documents
            if d.title and d.title.lower() != "shared concepts"
        ]
        return titles[0] if titles else naming.pascal(self.package)

    def _package_module(self, name: str, template: str, **extra: Any) -> None:
        self._emit_template(
            self._pkg(name), template, **view_fields(self.context), **extra
        )

    def generate(self) -> Generation:
        self._emit_template(
            self._pkg("__init__.py"),
            "init.py.j2",
            title=self.context.title,
            flows=[f.name for f in self.system.flows],
        )
        for module in generate_model_modules(
            self.analysis.all_models(),
            HEADER.format(source=self.source),
            self.package,
            self.previous_units,
        ):
            self.result.files.append(
                replace(
                    self.backend.owned(
                        self._pkg(module.path), module.text, stable=module.stable
                    ),
                    unit_key=module.unit_key,
                    preformatted=module.reused,
                    datamodel=bool(module.unit_key),
                )
            )
        self._schemaorg()
        self._mappings()
        self.result.files.extend(render_event_modules(self.backend, self.context.title))
        self._emit_template(
            self._pkg("errors.py"),
            "errors.py.j2",
            package=self.package,
            errors=error_views(self.analysis),
            retry_after=max(1, round(self.system.sync_policy.timeout_ms / 1000)),
        )
        self._package_module("runtime.py", "runtime.py.j2")
        self._clients()
        self._emit(
            self._pkg("services/__init__.py"),
            '"""One module per service, a package for one that runs flows: its base class."""\n',
        )
        for service in self.services:
            self._service(service)
        self._routes()
        for name in ("middleware", "openapi", "request_body", "request_context"):
            self._emit_template(
                self._pkg(f"{name}.py"), f"{name}.py.j2", package=self.package
            )
        self._package_module("app.py", "app.py.j2")
        self._package_module(
            "__main__.py",
            "main.py.j2",
            flows=[f.name for f in self.system.flows],
            events=sorted(self.analysis.events),
        )
        self._testing()
        self.result.files.sort(key=lambda f: f.path)
        return self.result

    def _schemaorg(self) -> None:
        payloads = [PayloadType(name, f) for name, f in self.payloads.items()]
        self._emit_template(
            self._pkg("schemaorg.py"),
            "schemaorg.py.j2",
            types=payloads,
            imports=payload_imports(payloads),
            release=vocabulary().release,
        )

    def _mappings(self) -> None:
        """One module per flow, ``mappings/<flow>.py``: the functions of the
        rows its Data Transformations table declared first."""
        self._emit(
            self._pkg("mappings/__init__.py"),
            '"""Data Transformations, one module per flow: ``mappings.<flow>``."""\n',
        )
        by_module: dict[str, list[MappingFunction]] = {}
        for mapping in sorted_mappings(self.analysis):
            by_module.setdefault(mapping_module(mapping), []).append(mapping)
        for module, mappings in sorted(by_module.items()):
            imports = ModuleImports()
            views = [
                mapping_view(m, self.payloads.get(m.target.name, []), imports)
                for m in mappings
            ]
            self._emit_template(
                self._pkg(module.replace(".", "/") + ".py"),
                "mappings.py.j2",
                package=self.package,
                flow=mappings[0].flow,
                mappings=views,
                imports=sorted(imports.lines),
                modules=imports.package_modules("mappings"),
            )

    def _clients(self) -> None:
        """One module per called service: importing one client loads only the
        models its operations take and give."""
        called = [service for service in self.services if service.operations]
        if not called:
            return
        self._emit(
            self._pkg("clients/__init__.py"),
            '"""Typed clients, one module per called service '
            '(``clients.<service>``)."""\n',
        )
        for service in called:
            self._emit_template(
                self._pkg(f"clients/{service.module}.py"),
                "client.py.j2",
                package=self.package,
                service=service,
                imports=client_imports([service]),
            )

    def _routes(self) -> None:
        """One module per flow's route, one for internal operations, a small index."""
        for view in self.routes:
            self._emit_template(
                self._pkg(f"routes/{view.function}.py"),
                "route.py.j2",
                package=self.package,
                view=view,
            )
        services = internal_operations(self.analysis)
        for service in services:
            self._emit_template(
                self._pkg(f"routes/_operations/{service.module}.py"),
                "operations.py.j2",
                package=self.package,
                service_name=service.service,
                service_class=service.service_class,
                service_module=service.module,
                operations=service.operations,
                imports=service.imports,
            )
        operation_modules = [service.module for service in services]
        self._emit_template(
            self._pkg("routes/_operations/__init__.py"),
            "operations_index.py.j2",
            imports=import_block(
                [
                    "from fastapi import APIRouter",
                    *(
                        f"from {self.package}.routes._operations import {m}"
                        for m in operation_modules
                    ),
                ],
                self.backend.first_party,
            ),
            modules=operation_modules,
        )
        modules = sorted(view.function for view in self.routes)
        self._emit_template(
            self._pkg("routes/__init__.py"),
            "routes_index.py.j2",
            imports=import_block(
                [
                    "from fastapi import APIRouter",
                    *(f"from {self.package}.routes import {m}" for m in modules),
                ],
                self.backend.first_party,
            ),
            modules=modules,
        )

    def _service(self, service: ServiceView) -> None:
        """A service's module; for a service that runs flows, a package: the
        core (calls, events, what is left to the person), a module per flow,
        and the base class that joins them, so each module stays small."""
        module = service.module
        self._emit_template(
            self._pkg(
                f"services/{module}/_core.py"
                if service.flows
                else f"services/{module}.py"
            ),
            "service.py.j2",
            package=self.package,
            impl_package=self.impl_package,
            service=service,
            client_imports=[
                self.backend.service_by_name[name].client_import(self.package)
                for name in service.calls
            ],
        )
        if not service.flows:
            return
        for flow in service.flows:
            self._emit_template(
                self._pkg(f"services/{module}/{flow.module}.py"),
                "service_flow.py.j2",
                package=self.package,
                service_name=service.name,
                service_class=service.class_name,
                service_module=module,
                flow=flow,
            )
        own = f"{self.package}.services.{module}"
        self._emit_template(
            self._pkg(f"services/{module}/__init__.py"),
            "service_index.py.j2",
            service_name=service.name,
            service_class=service.class_name,
            service_module=module,
            impl_package=self.impl_package,
            gateway=service.kind == "gateway",
            flow_classes=[flow.class_name for flow in service.flows],
            imports=import_block(
                [
                    f"from {own}._core import {service.class_name}Core",
                    *(
                        f"from {own}.{flow.module} import {flow.class_name}"
                        for flow in service.flows
                    ),
                ],
                self.backend.first_party,
            ),
        )

    def _testing(self) -> None:
        self.result.files.extend(render_testing(self.backend))
        self.result.files.extend(render_tests(self.backend))
        self.result.stubs.extend(render_stubs(self.backend))
        self.result.files.extend(
            render_saga_package(self.backend, self.sagas, self.analysis.schedules)
        )
        self.result.stubs.extend(render_saga_stubs(self.backend, self.sagas))


def generate_python(
    analysis: Analysis,
    package: str,
    impl_package: str,
    source: str,
    previous_units: Mapping[str, str] | None = None,
) -> Generation:
    """``previous_units``: an earlier run's files by unit key, to reuse unchanged units."""
    return PythonGenerator(
        analysis, package, impl_package, source, previous_units
    ).generate()
