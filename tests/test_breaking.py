"""``flowc breaking --against REF`` in a team's git repository: each kind of
break is named with its rule and the spec line, harmless changes pass, and a
comparison that cannot run exits 2."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SPECS
from flowc.cli import app

_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **_ENV},
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPECS, tmp_path / "specs", ignore=shutil.ignore_patterns("yaml"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "the specs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


CONCEPTS = Path("specs/shared-concepts.md")
PATTERNS = Path("specs/integration-patterns.md")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _breaking(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app, ["breaking", "--against", *args])
    findings = [line for line in result.output.splitlines() if "[FLW9" in line]
    return result.exit_code, findings, result.output


def _line_of(text: str, path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_an_unchanged_spec_set_breaks_nothing(repo: Path) -> None:
    assert _breaking("HEAD")[:2] == (0, [])


def test_a_removed_event_field_is_named_at_its_line_in_the_old_spec(repo: Path) -> None:
    line = _line_of("| total | decimal | yes |", repo / CONCEPTS)
    _edit(repo / CONCEPTS, "| total | decimal | yes | Order total |\n", "")
    code, findings, _ = _breaking("HEAD")
    assert code == 1
    assert findings == [
        f"HEAD:specs/shared-concepts.md:{line}:3: error[FLW903] the field total of "
        "the event OrderCreated is removed or renamed"
    ]


def test_a_new_optional_field_is_harmless(repo: Path) -> None:
    _edit(
        repo / CONCEPTS,
        "| total | decimal | yes | Order total |\n",
        "| total | decimal | yes | Order total |\n| note | string | no | A note |\n",
    )
    _edit(
        repo / CONCEPTS,
        "| family_name | string | yes | Last name | familyName | |\n",
        "| family_name | string | yes | Last name | familyName | |\n"
        "| phone | string | no | Phone | telephone | |\n",
    )
    assert _breaking("HEAD")[:2] == (0, [])


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        (
            "| total | decimal | yes | Order total |",
            "| total | string | yes | Order total |",
            "FLW904",
            "the field total of the event OrderCreated changes type from decimal to string",
        ),
        (
            "| family_name | string | yes | Last name | familyName | |",
            "| family_name | string | yes | Last name | familyName | |\n"
            "| phone | string | yes | Phone | telephone | |",
            "FLW905",
            "the request body of POST /register (UserRegistrationRequest) gains the "
            "required field phone",
        ),
    ],
    ids=["retyped", "new-required-request-field"],
)
def test_field_changes_that_break(
    repo: Path, old: str, new: str, code: str, message: str
) -> None:
    _edit(repo / CONCEPTS, old, new)
    status, findings, _ = _breaking("HEAD")
    assert status == 1
    assert [f for f in findings if code in f and message in f], findings


def test_changed_statuses_are_named(repo: Path) -> None:
    _edit(
        repo / PATTERNS, "Gateway-->>Client: 201 Created", "Gateway-->>Client: 200 OK"
    )
    _edit(repo / PATTERNS, "| 409 |", "| 422 |")
    code, findings, _ = _breaking("HEAD")
    assert code == 1
    assert any(
        "FLW906" in f and "POST /register answers 200 where it answered 201" in f
        for f in findings
    )
    assert any(
        "FLW906" in f and "with 422 where it answered 409" in f for f in findings
    )


def test_a_removed_consumer_of_a_published_event_is_named(repo: Path) -> None:
    _edit(repo / PATTERNS, "    EventBus -->|OrderCreated| NotificationService\n", "")
    code, findings, _ = _breaking("HEAD")
    assert code == 1
    assert any(
        "FLW908" in f and "NotificationService no longer consumes OrderCreated" in f
        for f in findings
    )


def test_a_removed_saga_step_and_its_compensation_are_named(repo: Path) -> None:
    _edit(
        repo / PATTERNS,
        "        Step2 --> Step3[Process Payment]\n        Step3 --> Commit[Complete]\n",
        "        Step2 --> Commit[Complete]\n",
    )
    _edit(repo / PATTERNS, "        Step3 -.->|Failed| Comp3[Refund Payment]\n", "")
    _edit(repo / PATTERNS, "        Comp3 -.-> Comp2[Release Inventory]\n", "")
    code, findings, output = _breaking("HEAD")
    assert code == 1, output
    codes = sorted({f.split("[")[1].split("]")[0] for f in findings})
    assert codes == ["FLW907", "FLW909"]
    assert any(
        "the step Process Payment of the saga Order Fulfillment Saga is removed" in f
        for f in findings
    )
    assert any(f.startswith("HEAD:specs/integration-patterns.md:") for f in findings)


def test_an_added_saga_step_is_named_for_instances_in_flight(repo: Path) -> None:
    _edit(
        repo / PATTERNS,
        "        Step3 --> Commit[Complete]\n",
        "        Step3 --> Step4[Schedule Delivery]\n        Step4 --> Commit[Complete]\n",
    )
    code, findings, _ = _breaking("HEAD")
    assert code == 1
    (finding,) = findings
    assert "FLW909" in finding and "may be in flight" in finding


def test_a_removed_route_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import CORPUS

    shutil.copytree(CORPUS / "petstore", tmp_path / "specs")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "the specs")
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "specs" / "integration-patterns.md"
    text = spec.read_text()
    start = text.index("### Checkout Cart")
    end = min(text.index("\n### ", start), text.index("\n## ", start))
    spec.write_text(text[:start] + text[end + 1 :])
    code, findings, _ = _breaking("HEAD")
    assert code == 1
    assert any(
        "FLW901" in f and "the route POST /store/orders is removed" in f
        for f in findings
    )


def test_an_accepted_break_with_a_reason_passes(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.flowc]\n"
        "[[tool.flowc.breaking.exceptions]]\n"
        'rule = "removed-field"\n'
        'subject = "OrderCreated.total"\n'
        'reason = "no consumer reads the total yet"\n'
    )
    _edit(repo / CONCEPTS, "| total | decimal | yes | Order total |\n", "")
    assert _breaking("HEAD")[:2] == (0, [])


def test_an_exception_without_a_reason_is_refused(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.flowc]\n"
        "[[tool.flowc.breaking.exceptions]]\n"
        'rule = "FLW903"\n'
        'subject = "OrderCreated.total"\n'
        'reason = " "\n'
    )
    code, _, output = _breaking("HEAD")
    assert code == 2 and "reason" in output


def test_a_folder_is_a_baseline_too(repo: Path, tmp_path: Path) -> None:
    old = tmp_path / "old-specs"
    shutil.copytree(repo / "specs", old)
    _edit(repo / CONCEPTS, "| total | decimal | yes | Order total |\n", "")
    code, findings, _ = _breaking(str(old))
    assert code == 1 and "FLW903" in findings[0]
    assert findings[0].startswith("old-specs/shared-concepts.md:")  # the old line


def test_an_unknown_revision_exits_2(repo: Path) -> None:
    code, _, output = _breaking("no-such-branch")
    assert code == 2 and "error[FLW008]" in output and "ok:" not in output


def test_a_shallow_clone_without_the_revision_fails_with_a_hint(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(repo / CONCEPTS, "| total | decimal | yes | Order total |\n", "")
    _git(repo, "commit", "-q", "-am", "a second commit")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    monkeypatch.chdir(clone)
    code, _, output = _breaking("HEAD~1")
    assert code == 2
    assert "this clone is shallow" in output and "fetch-depth: 0" in output
