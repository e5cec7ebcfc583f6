"""The example in its two syntaxes, and the user's seed document as it is."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO, SHARED, SPECS
from flowc.api import validate
from flowc.cli import app
from flowc.diagnostics import Severity

SEED = SHARED / "seed" / "integration-patterns.md"
SEED_COPY = REPO / "tests" / "fixtures" / "seed" / "integration-patterns.md"


def test_markdown_and_yaml_compile_to_the_same_system() -> None:
    markdown = validate([SPECS])
    yaml = validate([SPECS / "yaml"])
    assert markdown.ok and yaml.ok
    assert markdown.system is not None and yaml.system is not None
    for part in (
        "services",
        "models",
        "flows",
        "sagas",
        "choreographies",
        "sync_policy",
        "bus",
    ):
        assert getattr(markdown.system, part) == getattr(yaml.system, part), part
    by_stem = {Path(d.path).name.split(".")[0]: d for d in yaml.documents}
    for document in markdown.documents:
        twin = by_stem[Path(document.path).name.split(".")[0]]
        assert document.model_copy(update={"path": ""}) == twin.model_copy(
            update={"path": ""}
        )


def test_the_seed_validates_verbatim_with_notes_only() -> None:
    seed = SEED if SEED.is_file() else SEED_COPY
    result = CliRunner().invoke(app, ["validate", str(seed)])
    assert result.exit_code == 0, result.output
    findings = validate([seed]).diagnostics
    assert findings, "every unfilled placeholder is a note"
    assert {d.severity for d in findings} == {Severity.NOTE}
    assert {d.code for d in findings} == {"FLW201", "FLW202", "FLW216"}
    placeholders = [d for d in findings if d.code == "FLW201"]
    assert len(placeholders) == len(
        {(d.location.line, d.location.column) for d in placeholders}
    )


def test_the_seed_generates_nothing(tmp_path: Path) -> None:
    from flowc.api import generate

    seed = SEED if SEED.is_file() else SEED_COPY
    result = generate([seed], tmp_path / "out", tmp_path / "impl", package="seed")
    assert result.exit_code == 0
    assert result.system is not None and result.system.flows == ()
    assert result.written == [] and result.stubs_written == []
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "impl").exists()
