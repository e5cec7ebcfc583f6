"""``flowc export openapi|asyncapi|docs``: the OpenAPI document is the one the
generated app serves (one owner) and is valid OpenAPI 3.1 (openapi-spec-validator);
the AsyncAPI document validates with the official AsyncAPI 3.0.0 JSON Schema
(the npm package ``tests/asyncapi/package.json`` pins) and matches the wire
format; the Markdown page says what the specs say, written from the model."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, validators
from openapi_spec_validator import validate as validate_openapi
from services import services_required
from typer.testing import CliRunner

from conftest import CORPUS, GENERATED, REPO, SPECS
from flowc.api import validate
from flowc.cli import app


def _export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_exported_document_is_the_one_the_app_serves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from signup.app import create_app
    from signup.testing import fake_implementations

    monkeypatch.chdir(GENERATED.parent)
    code, stdout, stderr = _export("openapi")
    assert code == 0, stderr
    exported = json.loads(stdout)
    validate_openapi(exported)
    assert exported["openapi"].startswith("3.1")
    with TestClient(create_app(fake_implementations())) as client:
        served = client.get("/openapi.json").json()
    assert exported == served


@pytest.mark.parametrize("name", ["petstore", "user-directory", "cargo-booking"])
def test_the_corpus_exports_valid_openapi(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CORPUS / name, tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    args = ["specs", "--output", "out", "--stubs", "impl", "--package", "api"]
    assert CliRunner().invoke(app, ["generate", *args]).exit_code == 0
    code, _, stderr = _export("openapi", *args, "--to", "openapi.json")
    assert code == 0, stderr
    document = json.loads((tmp_path / "openapi.json").read_text())
    validate_openapi(document)
    assert document["paths"]


def test_no_document_comes_from_output_that_is_not_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SPECS, tmp_path / "specs", ignore=shutil.ignore_patterns("yaml"))
    monkeypatch.chdir(tmp_path)
    args = ["specs", "--output", "out", "--stubs", "impl", "--package", "shop"]
    assert CliRunner().invoke(app, ["generate", *args]).exit_code == 0
    spec = tmp_path / "specs" / "integration-patterns.md"
    spec.write_text(spec.read_text().replace("POST /register", "POST /signup"))
    code, stdout, stderr = _export("openapi", *args)
    assert code == 1 and stdout == ""
    assert "FLW802" in stderr and "no openapi document" in stderr


def test_the_docs_page_says_what_the_specs_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SPECS.parent)
    code, stdout, _ = _export("docs", "specs", "--to", str(tmp_path / "specs.md"))
    assert code == 0 and stdout == ""  # the page went to the file
    text = (tmp_path / "specs.md").read_text()
    assert "### User Registration" in text and "**SLA**: 500ms" in text
    assert "```mermaid\nsequenceDiagram" in text and "flowchart" in text
    # The page is a spec set of its own, with the same flows, models and sagas.
    again = validate([tmp_path / "specs.md"])
    original = validate([SPECS])
    assert again.errors == []
    assert again.inventory == original.inventory


# --- AsyncAPI ---------------------------------------------------------------------------


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


@pytest.fixture(scope="session")
def asyncapi_3_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The official AsyncAPI 3.0.0 JSON Schema, from the npm package that
    ``tests/asyncapi/package.json`` pins (installed with ``npm ci``)."""
    npm = shutil.which("npm")
    folder = tmp_path_factory.mktemp("asyncapi-specs")
    problem = "npm is not installed" if npm is None else ""
    if npm is not None:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(REPO / "tests" / "asyncapi" / name, folder / name)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            problem = f"npm ci failed: {done.stderr.strip()[-300:]}"
    if problem:
        reason = f"{problem}: the AsyncAPI JSON Schema comes from @asyncapi/specs"
        if services_required():
            pytest.fail(f"{reason}, and FLOWC_REQUIRE_SERVICES is set")
        pytest.skip(reason)
    schemas = folder / "node_modules" / "@asyncapi" / "specs" / "schemas"
    schema: dict[str, Any] = json.loads(
        (schemas / "3.0.0-without-$id.json").read_text()
    )
    return schema


def _holds_to_asyncapi_3(document: dict[str, Any], schema: dict[str, Any]) -> None:
    """The official AsyncAPI 3.0.0 JSON Schema, FastStream's models of the 3.0
    document, and the rules the JSON Schema cannot say (references resolve,
    an operation's messages are its channel's)."""
    from faststream.specification.asyncapi.v3_0_0.schema import ApplicationSchema

    validators.validator_for(schema)(schema).validate(document)
    ApplicationSchema.model_validate(document)
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] and document["info"]["version"]
    for ref in _refs(document):
        _resolve(document, ref)  # every reference lands in the document
    for name, channel in document["channels"].items():
        assert channel["address"] and channel["messages"], name
    for key, operation in document["operations"].items():
        assert operation["action"] in {"send", "receive"}, key
        channel_ref = operation["channel"]["$ref"]
        assert channel_ref.startswith("#/channels/")
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel_ref + "/messages/"), key
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for name, message in document["components"]["messages"].items():
        payload = _resolve(document, message["payload"]["$ref"])
        location = message["correlationId"]["location"]
        assert location == "$message.payload#/correlation_id", name
        assert "correlation_id" in payload["properties"], name


def test_the_events_export_as_asyncapi_3_with_the_wire_format(
    monkeypatch: pytest.MonkeyPatch, asyncapi_3_schema: dict[str, Any]
) -> None:
    from signup import models
    from signup.events import encode, envelope

    monkeypatch.chdir(GENERATED.parent)
    code, stdout, stderr = _export("asyncapi")
    assert code == 0, stderr
    document = json.loads(stdout)
    _holds_to_asyncapi_3(document, asyncapi_3_schema)
    assert set(document["channels"]) == {
        "InventoryReserved",
        "OrderCreated",
        "UserCreated",
    }
    assert (
        document["channels"]["OrderCreated"]["address"] == "signup.events.OrderCreated"
    )
    actions = {
        key: operation["action"] for key, operation in document["operations"].items()
    }
    assert actions["OrderService.send.OrderCreated"] == "send"
    assert actions["NotificationService.receive.OrderCreated"] == "receive"
    # An envelope as the bus puts it on the wire validates against its message.
    event = envelope(
        "OrderCreated",
        "OrderService",
        models.OrderCreated(
            order_id=UUID(int=1),
            customer_email="ada@example.com",
            total=Decimal("9.50"),
        ),
    )
    schema = {
        "$ref": "#/components/schemas/OrderCreatedEnvelope",
        "components": document["components"],
    }
    Draft202012Validator(schema).validate(json.loads(encode(event)))


@pytest.mark.parametrize("name", ["customers-orders", "food-delivery"])
def test_the_corpus_exports_asyncapi_3(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    asyncapi_3_schema: dict[str, Any],
) -> None:
    shutil.copytree(CORPUS / name, tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    args = ["specs", "--output", "out", "--stubs", "impl", "--package", "api"]
    assert CliRunner().invoke(app, ["generate", *args]).exit_code == 0
    code, stdout, stderr = _export("asyncapi", *args)
    assert code == 0, stderr
    document = json.loads(stdout)
    _holds_to_asyncapi_3(document, asyncapi_3_schema)
    assert document["channels"] and document["operations"]
