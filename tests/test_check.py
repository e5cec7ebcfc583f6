"""``flowc check`` in a team's git repository: what drift it names, how it
exits, and that it never says "clean" when it could not compare."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, SPECS
from flowc.cli import app
from flowc.output.manifest import MANIFEST_PATH

ARGS = ["--output", "generated", "--stubs", "implementations", "--package", "shop"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with the example's specs, generated and committed."""
    shutil.copytree(SPECS, tmp_path / "specs", ignore=shutil.ignore_patterns("yaml"))
    monkeypatch.chdir(tmp_path)
    _git(tmp_path, "init", "-q")
    assert _flowc("generate", "specs")[0] == 0
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "generated")
    return tmp_path


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env)


def _flowc(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, *ARGS])
    return result.exit_code, result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SPEC = Path("specs/integration-patterns.md")


def test_a_clean_tree_passes(repo: Path) -> None:
    assert _flowc("check", "specs")[0] == 0


def test_a_changed_spec_fails_with_a_diff_naming_the_file(repo: Path) -> None:
    _edit(repo / SPEC, "**SLA**: <500ms", "**SLA**: <800ms")
    code, output = _flowc("check", "specs", "--diff")
    assert code == 1
    assert "error[FLW802] generated/shop/routes/user_registration.py differs" in output
    assert "+++ b/shop/routes/user_registration.py" in output


def test_a_deleted_flow_names_its_orphans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CORPUS / "petstore", tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    assert _flowc("generate", "specs")[0] == 0
    spec = tmp_path / "specs" / "integration-patterns.md"
    text = spec.read_text(encoding="utf-8")
    start = text.index("### Checkout Cart")
    end = min(text.index("\n### ", start), text.index("\n## ", start))
    spec.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    code, output = _flowc("check", "specs")
    assert code == 1
    assert (
        "generated/shop/routes/checkout_cart.py would be removed: the specs no "
        "longer generate it" in output
    )


def test_a_file_added_by_hand_is_named(repo: Path) -> None:
    (repo / "generated" / "shop" / "notes.py").write_text("NOTE = 1\n")
    (repo / "generated" / "shop" / "extra").mkdir()
    (repo / "generated" / "shop" / "extra" / "x.py").write_text("")
    (repo / "generated" / "shop" / "__pycache__").mkdir(exist_ok=True)
    code, output = _flowc("check", "specs")
    assert code == 1
    assert "generated/shop/notes.py is in the output folder" in output
    assert "the folder generated/shop/extra/ is in the output folder" in output
    assert "__pycache__" not in output
    code, output = _flowc("generate", "specs")
    assert code == 0 and "warning[FLW807] generated/shop/notes.py" in output
    assert (repo / "generated" / "shop" / "notes.py").exists()  # kept, never removed


def test_a_file_added_after_a_clean_run_is_not_hidden_by_the_record(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last clean run's record answers unchanged runs: it must see the new file."""
    from flowc.output import lastrun

    monkeypatch.setattr(lastrun, "_SETTLED_NS", 0)
    assert _flowc("check", "specs")[0] == 0
    assert _flowc("check", "specs")[0] == 0  # folder statuses learned
    (repo / "generated" / "shop" / "models" / "late.py").write_text("")
    code, output = _flowc("check", "specs")
    assert code == 1 and "generated/shop/models/late.py" in output


def _stub_findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "[FLW801]" in line]


def test_a_stub_missing_a_new_operation_is_named(repo: Path) -> None:
    _edit(
        repo / SPEC,
        "    AuthService->>UserService: CreateUser\n",
        "    AuthService->>UserService: CheckQuota\n"
        "    UserService-->>AuthService: Quota ok\n"
        "    AuthService->>UserService: CreateUser\n",
    )
    assert _flowc("generate", "specs")[0] == 1  # the person's module no longer fits
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = _stub_findings(output)
    assert "implementations/shop_impl/user_service.py" in finding
    assert (
        "UserService in implementations/shop_impl/user_service.py lacks check_quota"
        in finding
    )


def test_a_stub_missing_a_new_consumer_is_named(repo: Path) -> None:
    _edit(
        repo / SPEC,
        "    EventBus -->|InventoryReserved| ShippingService\n",
        "    EventBus -->|InventoryReserved| ShippingService\n"
        "    EventBus -->|InventoryReserved| NotificationService\n",
    )
    _flowc("generate", "specs")
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = _stub_findings(output)
    assert (
        "NotificationService in implementations/shop_impl/notification_service.py"
        in finding
    )
    assert "inventory_reserved" in finding


def test_a_stub_of_a_service_that_runs_flows_is_held_to_its_core(repo: Path) -> None:
    """The Gateway runs flows, so its base class joins a class per flow and a
    core: a step the core now needs is named, through the classes it extends."""
    _edit(
        repo / SPEC,
        "    Gateway->>AuthService: ValidateCredentials\n",
        "    Gateway->>Gateway: Check rate limit\n"
        "    Gateway->>AuthService: ValidateCredentials\n",
    )
    assert _flowc("generate", "specs")[0] == 0  # scaffolds the Gateway's stub
    assert (repo / "generated/shop/services/gateway/_core.py").is_file()
    _edit(
        repo / SPEC,
        "    Gateway->>Gateway: Check rate limit\n",
        "    Gateway->>Gateway: Check rate limit\n    Gateway->>Gateway: Check captcha\n",
    )
    _flowc("generate", "specs")
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = _stub_findings(output)
    assert "Gateway in implementations/shop_impl/gateway.py lacks check_captcha" in (
        finding
    )


def test_a_stub_missing_a_new_saga_step_is_named(repo: Path) -> None:
    _edit(
        repo / SPEC,
        "        Step3 --> Commit[Complete]\n",
        "        Step3 --> Step4[Schedule Delivery]\n        Step4 --> Commit[Complete]\n",
    )
    _flowc("generate", "specs")
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = _stub_findings(output)
    assert (
        "OrderFulfillmentSaga in implementations/shop_impl/order_fulfillment_saga.py"
        in finding
    )
    assert "schedule_delivery" in finding


def test_a_method_whose_signature_differs_is_named_at_its_line(repo: Path) -> None:
    stub = repo / "implementations" / "shop_impl" / "user_service.py"
    _edit(
        stub,
        "async def create_user(self, user: models.User)",
        "async def create_user(self, person: models.User)",
    )
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = _stub_findings(output)
    line = next(
        n
        for n, text in enumerate(stub.read_text().splitlines(), 1)
        if "async def create_user" in text
    )
    assert f"implementations/shop_impl/user_service.py:{line}:5" in finding
    assert "create_user(person) -> User" in finding
    assert "UserServiceBase.create_user(user) -> User" in finding


def test_another_black_version_is_named_once(repo: Path) -> None:
    manifest_path = repo / "generated" / MANIFEST_PATH
    manifest = json.loads(manifest_path.read_text())
    manifest["black_version"] = "23.1.0"
    for entry in manifest["files"].values():  # another version keys units otherwise
        entry.pop("unformatted", None)
        entry.pop("unit", None)
    for name in ("shop/app.py", "shop/errors.py"):
        path = repo / "generated" / name
        path.write_text(path.read_text() + "\n")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest["files"][name]["sha256"] = digest
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    code, output = _flowc("check", "specs")
    assert code == 1
    (finding,) = [line for line in output.splitlines() if "[FLW809]" in line]
    assert "2 generated files (shop/app.py, shop/errors.py) differ" in finding
    assert "black 23.1.0" in finding
    assert "shop/app.py differs from what the specs generate" not in output


@pytest.mark.parametrize(
    "manifest",
    [
        b"{ not json",
        json.dumps(
            {
                "flowc_version": "0.2.0",
                "black_version": "x",
                "files": {"../outside.py": {"sha256": "0" * 64, "source": "s"}},
            }
        ).encode(),
    ],
    ids=["corrupt", "path-outside"],
)
def test_a_manifest_that_cannot_be_trusted_exits_2(repo: Path, manifest: bytes) -> None:
    (repo / "generated" / MANIFEST_PATH).write_bytes(manifest)
    code, output = _flowc("check", "specs")
    assert code == 2
    assert "error[FLW808]" in output and "ok:" not in output


def test_an_output_folder_that_cannot_be_read_exits_2(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = repo / "generated" / "shop" / "routes"
    if os.geteuid() != 0:
        folder.chmod(0)
    else:  # root reads any folder: refuse it the way the kernel would
        real = os.scandir

        def refuse(path: object = ".") -> object:
            if Path(str(path)).resolve() == folder.resolve():
                raise PermissionError(13, "Permission denied")
            return real(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", refuse)
        (folder / "touch.tmp").write_text("")  # the folder's status changed
        (folder / "touch.tmp").unlink()
    try:
        code, output = _flowc("check", "specs")
    finally:
        folder.chmod(0o755)
    assert code == 2
    assert "error[FLW808]" in output and "ok:" not in output
