"""What teams wire into CI and their editor: SARIF findings, ``generate
--dry-run``, the workflow and pre-commit config ``init`` writes, and the
hooks flowc's repository offers."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import REPO, SPECS
from flowc.cli import app


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- SARIF -----------------------------------------------------------------------------

_SPEC = """\
# Integration Patterns

## Key Flows

### Place Order

**Trigger**: `POST /orders`
**Outcome**: The order is placed

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant OrderService
    participant EventBus
    Client->>Gateway: POST /orders
    Gateway->>OrderService: CreateOrder
    OrderService-->>Gateway: Order
    OrderService->>EventBus: PlaceOrder event
    Gateway-->>Client: 201 Created
```
"""


def test_sarif_names_each_rule_once_and_each_finding_at_its_line(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "orders.md"
    spec.write_text(_SPEC, encoding="utf-8")
    code, stdout, _ = _invoke("lint", str(spec), "--output-format", "sarif")
    assert code == 0
    log = json.loads(stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "flowc"
    assert [rule["id"] for rule in rules] == ["FLW705"]
    assert rules[0]["name"] == "event-not-past-tense"
    assert rules[0]["defaultConfiguration"]["level"] == "warning"
    (result,) = run["results"]
    assert result["ruleId"] == "FLW705" and result["ruleIndex"] == 0
    assert result["level"] == "warning"
    assert "hint: " in result["message"]["text"]
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == spec.as_posix()
    assert where["region"] == {"startLine": 19, "startColumn": 5}


def test_sarif_of_a_clean_run_has_no_results(tmp_path: Path) -> None:
    spec = tmp_path / "orders.md"
    spec.write_text(_SPEC.replace("PlaceOrder event", "OrderPlaced event"))
    code, stdout, _ = _invoke("lint", str(spec), "-f", "sarif")
    assert code == 0
    run = json.loads(stdout)["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


# --- generate --dry-run ---------------------------------------------------------------

ARGS = ["--output", "out", "--stubs", "impl", "--package", "shop"]


def _statuses(stdout: str) -> dict[str, str]:
    return {
        line[2:]: line[0]
        for line in stdout.splitlines()
        if line[:2] in {"W ", "U ", "D ", "K "}
    }


def test_dry_run_writes_nothing_and_says_what_it_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SPECS, tmp_path / "specs", ignore=shutil.ignore_patterns("yaml"))
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke("generate", "specs", "--dry-run", *ARGS)
    assert code == 0
    assert not (tmp_path / "out").exists() and not (tmp_path / "impl").exists()
    first = _statuses(stdout)
    assert (
        first["out/shop/app.py"] == "W"
        and first["impl/shop_impl/user_service.py"] == "W"
    )
    assert set(first.values()) == {"W"}

    assert _invoke("generate", "specs", *ARGS)[0] == 0
    spec = tmp_path / "specs" / "integration-patterns.md"
    spec.write_text(spec.read_text().replace("**SLA**: <500ms", "**SLA**: <700ms"))
    (tmp_path / "out" / "notes.txt").write_text("mine\n")
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    code, stdout, _ = _invoke("generate", "specs", "--dry-run", *ARGS)
    assert code == 0
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before
    statuses = _statuses(stdout)
    assert statuses["out/shop/routes/user_registration.py"] == "W"
    assert statuses["out/shop/app.py"] == "U"
    assert statuses["out/notes.txt"] == "K"
    assert statuses["impl/shop_impl/user_service.py"] == "K"
    assert statuses["out/.flowc/manifest.json"] == "W"
    assert "dry run: " in stdout


def test_dry_run_names_what_would_be_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(
        REPO / "tests" / "fixtures" / "specs" / "petstore", tmp_path / "specs"
    )
    monkeypatch.chdir(tmp_path)
    assert _invoke("generate", "specs", *ARGS)[0] == 0
    spec = tmp_path / "specs" / "integration-patterns.md"
    text = spec.read_text()
    start = text.index("### Checkout Cart")
    end = min(text.index("\n### ", start), text.index("\n## ", start))
    spec.write_text(text[:start] + text[end + 1 :])
    code, stdout, _ = _invoke("generate", "specs", "--dry-run", *ARGS)
    assert code == 0
    assert _statuses(stdout)["out/shop/routes/checkout_cart.py"] == "D"
    assert (tmp_path / "out" / "shop" / "routes" / "checkout_cart.py").exists()


# --- init's CI files, and the hooks flowc offers --------------------------------------


def test_init_writes_a_workflow_and_hooks_beside_the_specs(tmp_path: Path) -> None:
    project = tmp_path / "project"
    code, _, stderr = _invoke("init", str(project / "specs"))
    assert code == 0
    workflow = project / ".github" / "workflows" / "flowc.yml"
    hooks = project / ".pre-commit-config.yaml"
    assert f"wrote {workflow}" in stderr and f"wrote {hooks}" in stderr
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    runs = [step["run"] for step in jobs["flowc"]["steps"] if "run" in step]
    assert "flowc lint specs --output-format github" in runs
    assert "flowc check specs --output-format github --diff" in runs
    local = yaml.safe_load(hooks.read_text())["repos"][0]
    assert {hook["id"] for hook in local["hooks"]} == {"flowc-lint", "flowc-check"}


def test_init_never_overwrites_a_teams_ci_files(tmp_path: Path) -> None:
    project = tmp_path / "project"
    workflow = project / ".github" / "workflows" / "flowc.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("# ours\n")
    code, _, stderr = _invoke("init", "--force", str(project / "specs"))
    assert code == 0
    assert workflow.read_text() == "# ours\n"
    assert f"exists, kept {workflow}" in stderr


def _flowc_commands(project: Path) -> list[list[str]]:
    """The flowc command lines of the workflow and of the hooks init wrote."""
    workflow = yaml.safe_load((project / ".github/workflows/flowc.yml").read_text())
    lines = [
        step["run"].split(" > ")[0].split(" || ")[0]
        for step in workflow["jobs"]["flowc"]["steps"]
        if step.get("run", "").startswith("flowc ")
    ]
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    lines += [hook["entry"] for hook in hooks["repos"][0]["hooks"]]
    return [shlex.split(line)[1:] for line in lines]


def test_the_commands_init_wires_in_pass_on_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every flowc command of the workflow and the hooks runs, on the example
    it sits beside, once the code is generated: none is a typo or a lie."""
    project = tmp_path / "project"
    assert _invoke("init", str(project / "specs"))[0] == 0
    monkeypatch.chdir(project)
    shutil.rmtree(project / "specs" / "yaml")  # a set of its own, checked apart
    assert _invoke("generate", "specs")[0] == 0
    commands = _flowc_commands(project)
    assert len(commands) == 5
    for command in commands:
        code, _, _ = _invoke(*command)
        assert code == 0, command


def test_the_hooks_flowc_offers_run_real_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == {"flowc-check", "flowc-lint", "flowc-fmt"}
    names = {
        command.name or command.callback.__name__  # type: ignore[union-attr]
        for command in app.registered_commands
    }
    for hook in hooks:
        assert hook["pass_filenames"] is False  # flowc reads its configured spec set
        assert shlex.split(hook["entry"])[1] in names
