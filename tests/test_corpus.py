"""The corpus: realistic spec sets written from other public systems, each
validated, generated, and run through the tools a user's CI would run.

Every folder under ``tests/fixtures/specs/`` is a spec set; a folder holding an
``expect-errors`` marker file is a negative case and is left to other tests.
Each document is generated once (module-scoped fixture) into a temporary root:

    root/generated/<package>/...      the owned package and its tests
    root/implementations/<package>_impl/  the person's stubs

and the tools run from ``root`` (the folder above the output), as they would in
the user's repository.
"""

from __future__ import annotations

import keyword
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import generate, validate
from flowc.diagnostics import Severity

CORPUS = REPO / "tests" / "fixtures" / "specs"
MARKER = "expect-errors"


def _documents() -> list[Path]:
    return sorted(
        folder
        for folder in CORPUS.iterdir()
        if folder.is_dir() and not (folder / MARKER).exists()
    )


DOCUMENTS = _documents()
IDS = [folder.name for folder in DOCUMENTS]


def package_name(folder: Path) -> str:
    """The folder's name made a Python identifier (``cargo-booking`` -> ``cargo_booking``)."""
    name = re.sub(r"\W", "_", folder.name.lower())
    if not name or name[0].isdigit() or keyword.iskeyword(name):
        name = f"corpus_{name}"
    return name


def _run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _report(completed: subprocess.CompletedProcess[str], limit: int = 6000) -> str:
    return (completed.stdout[-limit:] + "\n" + completed.stderr[-limit:]).strip()


@dataclass(frozen=True)
class Generated:
    folder: Path
    root: Path
    package: str

    @property
    def output(self) -> Path:
        return self.root / "generated"

    @property
    def stubs(self) -> Path:
        return self.root / "implementations"


def generate_document(folder: Path, root: Path) -> Generated:
    """Generate one corpus document into ``root``; it must generate cleanly."""
    package = package_name(folder)
    result = generate(
        [folder],
        root / "generated",
        root / "implementations",
        package=package,
        base=root,
    )
    diagnostics = "\n".join(str(d) for d in result.diagnostics)
    assert result.exit_code == 0, f"flowc generate {folder.name}:\n{diagnostics}"
    assert (root / "generated" / package).is_dir(), diagnostics
    return Generated(folder=folder, root=root, package=package)


@pytest.fixture(scope="module", params=DOCUMENTS, ids=IDS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder: Path = request.param
    return generate_document(folder, tmp_path_factory.mktemp(f"corpus-{folder.name}"))


@pytest.mark.parametrize("folder", DOCUMENTS, ids=IDS)
def test_document_validates_without_errors(folder: Path) -> None:
    result = validate([folder], package=package_name(folder), base=REPO)
    errors = [d for d in result.diagnostics if d.severity == Severity.ERROR]
    assert not errors, "\n".join(str(d) for d in errors)
    assert result.exit_code == 0, "\n".join(str(d) for d in result.diagnostics)
    assert result.system is not None and result.system.flows


def test_the_corpus_is_there() -> None:
    assert len(DOCUMENTS) >= 8, IDS


RUFF = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"]


@pytest.mark.parametrize(
    "config",
    [[], ["--extend-select", "I"]],
    ids=["defaults", "with-isort"],
)
def test_ruff(generated: Generated, config: list[str]) -> None:
    """ruff's defaults, and a user's config that adds import sorting, run from
    the folder above the output as in the user's repository."""
    completed = _run([*RUFF, *config, "generated", "implementations"], generated.root)
    assert completed.returncode == 0, _report(completed)


def test_mypy_strict(generated: Generated) -> None:
    """The generated package, its tests and the person's stubs, type-checked together."""
    env = dict(os.environ)
    env["MYPYPATH"] = str(generated.output)
    completed = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "generated",
            "implementations",
        ],
        generated.root,
        env,
    )
    assert completed.returncode == 0, _report(completed)


def test_black(generated: Generated) -> None:
    completed = _run(
        [sys.executable, "-m", "black", "--check", "generated", "implementations"],
        generated.root,
    )
    assert completed.returncode == 0, _report(completed)


def test_generated_tests_pass(generated: Generated) -> None:
    completed = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        generated.output,
    )
    assert completed.returncode == 0, _report(completed)
    assert " passed" in completed.stdout, _report(completed)


SERVE = """
from fastapi.testclient import TestClient
from {package}.app import create_app
from {package}.testing import fake_implementations

with TestClient(create_app(fake_implementations())) as client:
    response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    assert paths, "no routes in the OpenAPI document"
    print(len(paths), "paths")
"""


def test_the_app_starts_and_serves_its_openapi_document(generated: Generated) -> None:
    completed = _run(
        [sys.executable, "-c", SERVE.format(package=generated.package)],
        generated.output,
    )
    assert completed.returncode == 0, _report(completed)
    assert " paths" in completed.stdout
