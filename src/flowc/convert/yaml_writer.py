"""Document -> YAML spec text that the YAML reader reads back to the same Document.

The data is built as plain dicts in the key order of ``frontends/yaml/syntax.py``
with every default left out, then dumped by PyYAML's safe dumper: its resolver
quotes any string that would load as another type (``"yes"``, ``"2026-01-01"``),
and a custom representer writes multi-line text as ``|`` blocks.
"""

from __future__ import annotations

from typing import Any

import yaml

from flowc.convert import diagrams
from flowc.frontends.common import format_duration, format_policy
from flowc.frontends.yaml.syntax import SCHEMA_ID
from flowc.model import (
    AntiPattern,
    Choreography,
    Document,
    ErrorCase,
    Flow,
    Link,
    Model,
    ModelField,
    ModelKind,
    Prose,
    RouteDirection,
    Saga,
    SagaNode,
    Service,
    ServiceKind,
    SyncPolicy,
    Transformation,
)

HEADER = f"# yaml-language-server: $schema={SCHEMA_ID}\n"
DEFAULT_CHOREOGRAPHY_NAME = "Event Choreography"
DEFAULT_FAILURE_LABEL = "Failed"
# Line breaks other than "\\n": YAML folds them unless they are escaped.
_YAML_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

Data = dict[str, Any]


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key (as people write them)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """``|`` for multi-line text; double quotes (with escapes) for other breaks."""
    style: str | None = None
    if any(mark in value for mark in _YAML_BREAKS):
        style = '"'
    elif "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(document: Document) -> str:
    """The YAML spec text of ``document``: schema comment, ``flowc: 1``, sections."""
    body = yaml.dump(
        document_data(document),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
    )
    return HEADER + body


def document_data(document: Document) -> Data:
    """The plain data of a spec file, keys in the order of ``SpecFile``."""
    data: Data = {"flowc": 1}
    if document.unfilled:
        data["unfilled"] = True
    _put(data, "title", document.title, "")
    _put(data, "status", document.status)
    _put(data, "last_updated", document.last_updated)
    _put(data, "summary", document.summary, "")
    _put(data, "bus", document.bus)
    _put_list(data, "services", [_service(s) for s in document.services])
    if document.models:
        data["models"] = {model.name: _model(model) for model in document.models}
    _put_list(data, "flows", [_flow(flow) for flow in document.flows])
    _put_list(data, "sagas", [_saga(saga) for saga in document.sagas])
    _put_list(
        data, "choreographies", [_choreography(c) for c in document.choreographies]
    )
    if document.sync_policy is not None:
        data["sync"] = _policy(document.sync_policy)
    _put(data, "sync_use_when", document.sync_use_when, "")
    if document.sync_arrows:
        data["sync_arrows"] = [
            {"from": arrow.source, "to": arrow.target} for arrow in document.sync_arrows
        ]
    _put_list(data, "anti_patterns", [_anti_pattern(a) for a in document.anti_patterns])
    _put_list(data, "related", [_link(link) for link in document.related])
    _put_list(data, "prose", [_prose(prose) for prose in document.prose])
    return data


def _put(data: Data, key: str, value: Any, default: Any = None) -> None:
    """Set ``key`` unless the value is the syntax's default (defaults are omitted)."""
    if value != default:
        data[key] = value


def _put_list(data: Data, key: str, items: list[Any]) -> None:
    if items:
        data[key] = items


def _policy(policy: SyncPolicy) -> Data:
    timeout, retries, breaker = format_policy(policy)
    return {"timeout": timeout, "retries": retries, "circuit_breaker": breaker}


def _service(service: Service) -> Data:
    data: Data = {"name": service.name}
    _put(data, "kind", service.kind.value, ServiceKind.SERVICE.value)
    _put(data, "label", service.label)
    if service.sync_policy is not None:
        data["sync"] = _policy(service.sync_policy)
    return data


def _field(field: ModelField) -> Data:
    data: Data = {"name": field.name, "type": str(field.type)}
    _put(data, "required", field.required, True)
    _put(data, "description", field.description, "")
    _put(data, "schema.org", field.schema_org)
    _put(data, "secret", field.secret, False)
    return data


def _model(model: Model) -> Data:
    data: Data = {}
    _put(data, "kind", model.kind.value, ModelKind.ENTITY.value)
    _put(data, "description", model.description, "")
    _put(data, "schema.org", model.schema_org_type)
    _put_list(data, "fields", [_field(field) for field in model.fields])
    _put(data, "json_schema", model.json_schema)
    return data


def _flow(flow: Flow) -> Data:
    data: Data = {"name": flow.name}
    _put(data, "trigger", flow.trigger, "")
    _put(data, "outcome", flow.outcome, "")
    if flow.sla_ms is not None:
        data["sla"] = format_duration(flow.sla_ms)
    _put(data, "description", flow.description, "")
    if flow.participants or flow.sequence:
        data["sequence"] = diagrams.sequence_lines(flow)
    _put_list(data, "errors", [_error(error) for error in flow.errors])
    _put_list(
        data, "transformations", [_transformation(t) for t in flow.transformations]
    )
    _put_list(data, "suppress", list(flow.suppress))
    if flow.sync_policy is not None:
        data["sync"] = _policy(flow.sync_policy)
    return data


def _error(error: ErrorCase) -> Data:
    data: Data = {"error": error.name, "handler": error.handler, "http": error.status}
    _put(data, "recovery", error.recovery, "")
    return data


def _transformation(row: Transformation) -> Data:
    return {"step": row.step, "input": row.input, "output": row.output}


def _node(node: SagaNode) -> Data:
    return {"id": node.id, "label": node.label}


def _saga(saga: Saga) -> Data:
    """The structured form, unless an order edge has a label only a diagram holds."""
    data: Data = {"name": saga.name}
    _put(data, "use_when", saga.use_when, "")
    if any(edge.label for edge in saga.compensation_edges):
        data["diagram"] = diagrams.saga_text(saga)
    else:
        _put(data, "start", saga.start)
        _put(data, "end", saga.end)
        _put_list(data, "steps", [_node(node) for node in saga.steps])
        _put_list(data, "compensations", [_node(node) for node in saga.compensations])
        failures: list[Data] = []
        for edge in saga.failure_edges:
            failure: Data = {"step": edge.source, "compensate": edge.target}
            _put(failure, "label", edge.label, DEFAULT_FAILURE_LABEL)
            failures.append(failure)
        _put_list(data, "on_failure", failures)
        _put_list(
            data,
            "compensation_order",
            [{"from": e.source, "to": e.target} for e in saga.compensation_edges],
        )
    _put(data, "orchestrator", saga.orchestrator)
    _put(data, "state_storage", saga.state_storage)
    if saga.timeout_ms is not None:
        data["timeout"] = format_duration(saga.timeout_ms)
    return data


def _choreography(choreography: Choreography) -> Data:
    data: Data = {}
    _put(data, "name", choreography.name, DEFAULT_CHOREOGRAPHY_NAME)
    _put(data, "use_when", choreography.use_when, "")
    routes: list[Data] = []
    for route in choreography.routes:
        key = "publishes" if route.direction == RouteDirection.PUBLISH else "consumes"
        routes.append({"service": route.service, key: route.event})
    _put_list(data, "routes", routes)
    _put_list(data, "guidelines", list(choreography.guidelines))
    return data


def _anti_pattern(row: AntiPattern) -> Data:
    data: Data = {"pattern": row.pattern}
    _put(data, "problem", row.problem, "")
    _put(data, "alternative", row.alternative, "")
    return data


def _link(link: Link) -> Data:
    return {"text": link.text, "target": link.target}


def _prose(prose: Prose) -> Data:
    return {"heading": prose.heading, "text": prose.text}
