"""Never a traceback: every bad input is a diagnostic and an exit code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowc.cli import app


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "content", "code", "exit_code"),
    [
        ("not-yaml.yaml", "flows: [\n  - name: x\n", "FLW101", 1),
        ("list.yaml", "- just\n- a list\n", "FLW107", 1),
        ("scalar.yaml", "hello\n", "FLW107", 1),
        ("wrong-types.yaml", "flows: 3\nmodels: [1, 2]\n", "FLW103", 1),
        ("empty.yaml", "", "FLW006", 0),
        ("empty.md", "\n\n", "FLW006", 0),
        ("tabs.yaml", "flows:\n\t- name: x\n", "FLW101", 1),
        ("deep.yaml", "a: " + "[" * 1000 + "]" * 1000 + "\n", "FLW105", 1),
        (
            "deep-block.yaml",
            "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 400)),
            "FLW10",
            1,
        ),
        (
            "aliases.yaml",
            "a: &a [1,2,3,4,5,6,7,8,9]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} ["
                + ",".join([f"*{chr(97 + i)}"] * 9)
                + "]\n"
                for i in range(6)
            ),
            "FLW105",
            1,
        ),
        ("dupes.yaml", "title: a\ntitle: b\n", "FLW106", 1),
        ("weird-keys.yaml", "? [a, b]\n: c\n", "FLW103", 1),
    ],
)
def test_bad_yaml_gives_diagnostics(
    runner: CliRunner,
    tmp_path: Path,
    name: str,
    content: str,
    code: str,
    exit_code: int,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    status, output = run(runner, "validate", str(path))
    assert code in output
    assert status == exit_code
    assert "Traceback" not in output


def test_binary_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "blob.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    status, output = run(runner, "validate", str(path))
    assert "FLW004" in output
    assert status == 2


def test_ten_megabyte_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"# Title\n" + b"x" * (10 * 1024 * 1024))
    status, output = run(runner, "validate", str(path))
    assert "FLW003" in output
    assert status == 2


def test_mis_encoded_file_is_read(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    status, output = run(runner, "validate", str(path))
    assert "FLW007" in output
    assert status == 0


def test_directory_without_specs(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    status, output = run(runner, "validate", str(tmp_path))
    assert "FLW005" in output
    assert status == 2


def test_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    status, output = run(runner, "validate", str(tmp_path / "nope"))
    assert "FLW001" in output
    assert status == 2


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root can read a file without read permission"
)
def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("title: x\n")
    path.chmod(0)
    status, output = run(runner, "validate", str(path))
    assert "FLW002" in output
    assert status == 2


def test_read_error_is_an_io_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores file modes, so the OS refusing a read is simulated here."""
    path = tmp_path / "locked.yaml"
    path.write_text("title: x\n")
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    status, output = run(runner, "validate", str(path))
    assert "FLW002" in output
    assert "Permission denied" in output
    assert status == 2
