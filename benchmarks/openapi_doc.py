"""The OpenAPI twin of a synthetic spec set, for comparing with another generator.

Run: ``.venv/bin/python benchmarks/openapi_doc.py --flows N --out doc.json``.

One POST operation per flow (the flow's route), its request body the flow's
DTO, its 201 answer the flow's entity, its error rows as problem answers; the
follow-up event payloads are component schemas too. So a generator reading
this document faces as many operations and models as flowc faces flows and
models in the synthetic set of the same size and seed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synthetic import (
    Field,
    Flow,
    build_flows,
    dto_fields,
    entity_fields,
    follow_up_fields,
)

JSON_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "uuid": {"type": "string", "format": "uuid"},
    "datetime": {"type": "string", "format": "date-time"},
    "decimal": {"type": "number"},
    "integer": {"type": "integer"},
}

PROBLEM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "correlation_id": {"type": "string"},
        "hint": {"type": "string"},
    },
    "required": ["type", "title", "status"],
}


def schema(fields: Iterable[Field], description: str) -> dict[str, Any]:
    """A component schema with the same fields, types and required flags."""
    fields = tuple(fields)
    return {
        "type": "object",
        "description": description,
        "properties": {
            f.name: {**JSON_TYPES[f.type], "description": f.description} for f in fields
        },
        "required": [f.name for f in fields if f.required],
    }


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def operation(flow: Flow) -> dict[str, Any]:
    """The flow's route as an operation, with its answers."""
    responses: dict[str, Any] = {
        "201": {
            "description": "Created",
            "content": {"application/json": {"schema": ref(flow.entity)}},
        }
    }
    for error in flow.errors:
        responses[str(error.status)] = {
            "description": error.name,
            "content": {"application/problem+json": {"schema": ref("Problem")}},
        }
    return {
        "operationId": flow.name.lower().replace(" ", "_"),
        "summary": flow.name,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ref(flow.dto)}},
        },
        "responses": responses,
    }


def openapi_document(flows: int, seed: int = 0) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the synthetic set of ``flows`` flows."""
    all_flows = build_flows(flows, seed)
    schemas: dict[str, Any] = {"Problem": PROBLEM}
    for f in all_flows:
        schemas[f.dto] = schema(dto_fields(f), f"What {f.name} receives")
        schemas[f.entity] = schema(entity_fields(f), f"What {f.name} stores")
        schemas[f.follow_up] = schema(follow_up_fields(f), f"{f.follow_up} payload")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "paths": {f.path: {"post": operation(f)} for f in all_flows},
        "components": {"schemas": schemas},
    }


def write_openapi(path: Path, flows: int, seed: int = 0) -> Path:
    """Write the document as JSON (sorted keys: the same bytes every time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(openapi_document(flows, seed), indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main() -> None:
    """Write a document from the command line."""
    parser = argparse.ArgumentParser(description="The OpenAPI twin of a spec set.")
    parser.add_argument("--flows", type=int, required=True, help="number of flows")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--seed", type=int, default=0, help="as for synthetic.py")
    args = parser.parse_args()
    write_openapi(args.out, args.flows, args.seed)


if __name__ == "__main__":
    main()
