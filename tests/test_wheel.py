"""The wheel built from this checkout installs into a fresh venv and works there.

Slow (a build, a venv, a pip install from the index or its cache): marked
``slow`` so a quick run can skip it with ``-m "not slow"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import flowc

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    outside: Path  # a working folder outside the repository

    @property
    def flowc(self) -> Path:
        return self.venv / "bin" / "flowc"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def _env() -> dict[str, str]:
    """No PYTHONPATH and no active venv: only the fresh venv's own packages count."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(
    args: list[str | Path], cwd: Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    start = time.perf_counter()
    built = _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", dist, REPO], cwd=REPO
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    build_seconds = time.perf_counter() - start
    (wheel,) = sorted(dist.glob("flowc-*.whl"))

    venv = root / "venv"
    made = _run([sys.executable, "-m", "venv", venv], cwd=root)
    assert made.returncode == 0, made.stderr
    pip = _run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], cwd=root)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    total = time.perf_counter() - start
    print(
        f"\nwheel: build {build_seconds:.1f} s, venv + pip install "
        f"{total - build_seconds:.1f} s, total {total:.1f} s"
    )
    outside = root / "work"
    outside.mkdir()
    assert REPO not in outside.parents
    yield Installed(wheel=wheel, venv=venv, outside=outside)


def test_wheel_ships_templates_and_vocabulary(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(
            n for n in names if n.endswith(".dist-info/entry_points.txt")
        )
        scripts = archive.read(entry_points).decode("utf-8")
    assert "flowc/schemaorg/vocabulary.json" in names
    assert "flowc/py.typed" in names
    for template in sorted((REPO / "templates").rglob("*")):
        if template.is_file():
            relative = template.relative_to(REPO / "templates").as_posix()
            assert f"flowc/templates/{relative}" in names, relative
    assert any(n.startswith("flowc/templates/init/yaml/") for n in names)
    assert any(n.startswith("flowc/templates/python/") for n in names)
    assert not any(n.startswith(("tests/", "specs/")) for n in names)
    assert "flowc = flowc.cli:main" in scripts
    assert installed.wheel.name.startswith(f"flowc-{flowc.__version__}-")


def test_installed_flowc_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    done = _run(
        [
            installed.python,
            "-c",
            "import flowc, flowc.resources as r; print(flowc.__file__); print(r.templates_dir())",
        ],
        cwd=installed.outside,
    )
    assert done.returncode == 0, done.stderr
    module_file, templates = done.stdout.splitlines()
    assert Path(module_file).is_relative_to(installed.venv)
    assert Path(templates).is_relative_to(installed.venv)


def test_installed_cli_init_validate_schema(installed: Installed) -> None:
    cwd = installed.outside
    version = _run([installed.flowc, "--version"], cwd=cwd)
    assert version.returncode == 0
    assert version.stdout.strip() == f"flowc {flowc.__version__}"

    specs = cwd / "specs"
    init = _run([installed.flowc, "init", specs], cwd=cwd)
    assert init.returncode == 0, init.stderr
    assert (specs / "integration-patterns.md").is_file()
    assert (specs / "yaml" / "integration-patterns.flow.yaml").is_file()

    for folder in (specs, specs / "yaml"):
        checked = _run([installed.flowc, "validate", folder], cwd=cwd)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        # The example's saga is checked but not built yet: one FLW510 warning.
        assert checked.stdout.splitlines()[-1].startswith("flowc: ok: ")
        assert "error[" not in checked.stdout

    schema = _run([installed.flowc, "schema"], cwd=cwd)
    assert schema.returncode == 0, schema.stderr
    loaded = json.loads(schema.stdout)
    assert loaded["$schema"].startswith("https://json-schema.org/")
    assert loaded["$id"].startswith("https://")


def test_installed_generate_uses_the_packaged_templates(installed: Installed) -> None:
    """generate renders templates/python/ from inside the installed package."""
    cwd = installed.outside / "project"
    cwd.mkdir()
    assert _run([installed.flowc, "init"], cwd=cwd).returncode == 0
    generated = _run(
        [installed.flowc, "generate", "--output", "out", "--stubs", "impl"], cwd=cwd
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert any((cwd / "out").rglob("*.py"))
    checked = _run(
        [installed.flowc, "check", "--output", "out", "--stubs", "impl"], cwd=cwd
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
