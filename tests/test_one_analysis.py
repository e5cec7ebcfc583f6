"""One analysis: validate, generate and check see exactly the same findings.

Meaning is worked out once (``flowc.checks``); every command reports what it
found, and a run with any error writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import check, generate, validate
from flowc.diagnostics import Diagnostic, Severity

MISTAKES = [
    *sorted((REPO / "tests" / "fixtures" / "mistakes").glob("*.md")),
    REPO / "tests" / "fixtures" / "yaml" / "twelve-mistakes.flow.yaml",
]


def findings(diagnostics: list[Diagnostic]) -> list[str]:
    """Spec findings, as printed; output-folder findings (FLW8xx) are not the spec's."""
    return [str(d) for d in diagnostics if not d.code.startswith("FLW8")]


@pytest.mark.parametrize("spec", MISTAKES, ids=[p.name for p in MISTAKES])
def test_validate_generate_and_check_report_the_same(
    spec: Path, tmp_path: Path
) -> None:
    output = tmp_path / "generated"
    validated = validate([spec], base=REPO)
    generated = generate([spec], output, tmp_path / "impl", base=REPO)
    checked = check([spec], output, tmp_path / "impl", base=REPO)
    assert any(d.severity == Severity.ERROR for d in validated.diagnostics)
    assert findings(validated.diagnostics) == findings(generated.diagnostics)
    assert findings(validated.diagnostics) == findings(checked.diagnostics)
    assert validated.exit_code == generated.exit_code == checked.exit_code == 1


@pytest.mark.parametrize("spec", MISTAKES, ids=[p.name for p in MISTAKES])
def test_a_spec_with_errors_writes_nothing(spec: Path, tmp_path: Path) -> None:
    output, stubs = tmp_path / "generated", tmp_path / "impl"
    generate([spec], output, stubs, base=REPO)
    assert not output.exists()
    assert not stubs.exists()


def test_a_spec_with_errors_leaves_the_previous_output_as_it_was(
    tmp_path: Path,
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    good = (
        REPO / "tests" / "fixtures" / "specs" / "directory" / "integration-patterns.md"
    )
    document = specs / "integration-patterns.md"
    document.write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "generated"
    assert generate([specs], output, None, package="directory").exit_code == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    broken = good.read_text(encoding="utf-8").replace(
        "| Not found | PeopleService | 404 | Check the id |",
        "| Not found | PeopleService | 404 | Check the id |\n| Not found | PeopleService | 500 | Again |",
        1,
    )
    document.write_text(broken, encoding="utf-8")
    result = generate([specs], output, None, package="directory")
    assert [d.code for d in result.errors] == ["FLW430"]
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_warnings_the_analysis_finds_show_in_validate(tmp_path: Path) -> None:
    """FLW416 used to appear only when generating; now validate reports it too."""
    spec = REPO / "tests" / "fixtures" / "mistakes" / "open-event.md"
    codes = [d.code for d in validate([spec]).diagnostics]
    assert "FLW416" in codes
