"""``flowc export openapi|docs``: the OpenAPI document is the one the generated
app serves (one owner) and is valid OpenAPI 3.1; the Markdown page says what
the specs say, written from the model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate as validate_openapi
from typer.testing import CliRunner

from conftest import CORPUS, GENERATED, SPECS
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
