"""Views of the package-wide modules: errors, Schema.org payloads, clients, app."""

from __future__ import annotations

from dataclasses import dataclass

from flowc.backends.python.imports import ModuleImports, import_block
from flowc.backends.python.layout import split_line
from flowc.backends.python.payloads import PayloadField
from flowc.backends.python.render import pyrepr
from flowc.backends.python.sagas import SagaView
from flowc.backends.python.service_views import ServiceView
from flowc.checks.analysis import Analysis, ErrorClass, ErrorRow
from flowc.checks.analysis.saga_plan import ScheduledJob
from flowc.diagnostics import Location
from flowc.model import SyncPolicy


@dataclass(frozen=True)
class ErrorClassView:
    """An exception class with the defaults of the first row that names it; each
    route answers by its own flow's row (``answer_with`` in its route module)."""

    class_name: str
    title: str
    slug: str
    status: int
    flow: str
    loc: Location
    hint: str | None
    retry: bool

    @classmethod
    def of(cls, error: ErrorClass, first: ErrorRow) -> ErrorClassView:
        return cls(
            class_name=error.class_name,
            title=error.title,
            slug=error.slug,
            status=error.status,
            flow=error.flow,
            loc=error.loc,
            hint=first.recovery if first.kind == "hint" and first.recovery else None,
            retry=first.kind == "retry",
        )


def error_views(analysis: Analysis) -> list[ErrorClassView]:
    first_rows: dict[str, ErrorRow] = {}
    for row in analysis.error_rows:
        first_rows.setdefault(row.class_name, row)
    return [
        ErrorClassView.of(analysis.errors[name], first_rows[name])
        for name in sorted(analysis.errors)
    ]


@dataclass(frozen=True)
class PayloadType:
    """A Schema.org type as a pydantic class: the properties the mappings fill."""

    name: str
    fields: list[PayloadField]

    @property
    def type_declaration(self) -> str:
        """The ``type`` field (``@type``), laid out as black would."""
        name = pyrepr(self.name)
        return split_line(
            f'    type: Literal[{name}] = Field(default={name}, alias="@type")'
        )


_SCHEMAORG_IMPORTS = (
    "from typing import Literal",
    "from pydantic import AliasChoices, BaseModel, ConfigDict, Field",
)
"""What every class of ``schemaorg.py`` needs."""


def payload_imports(payloads: list[PayloadType]) -> list[str]:
    """The import lines of ``schemaorg.py`` (none without payloads) as isort
    prints them, an empty line between sections."""
    if not payloads:
        return []
    lines = {line for p in payloads for f in p.fields for line in f.imports}
    return import_block([*_SCHEMAORG_IMPORTS, *sorted(lines)]).split("\n")


@dataclass(frozen=True)
class PackageContext:
    """What the package-wide templates (app, runtime, clients, main) share."""

    package: str
    impl_package: str
    env_prefix: str
    title: str
    services: list[ServiceView]
    sagas: list[SagaView]
    schedules: list[ScheduledJob]
    flow_policies: list[tuple[str, SyncPolicy]]


def client_imports(services: list[ServiceView]) -> ModuleImports:
    """What a client module needs: operation types and retried errors."""
    imports = ModuleImports()
    for service in services:
        for operation in service.operations:
            imports.add_value(operation.input)
            imports.add_value(operation.output)
        if service.retry_on:
            imports.modules.add("errors")
    return imports
