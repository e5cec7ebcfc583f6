"""flowc holds itself to the bar it sets for generated code: ruff, black, mypy --strict."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

CHECKS = {
    "ruff": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "black": [
        sys.executable,
        "-m",
        "black",
        "--check",
        "--quiet",
        "src",
        "tests",
        "scripts",
        "benchmarks",
        "implementations",
    ],
    "mypy-strict": [
        sys.executable,
        "-m",
        "mypy",
        "--no-incremental",
        "--cache-dir",
        "/dev/null",
        "src/flowc",
        "scripts",
        "benchmarks",
    ],
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_flowc_passes(name: str) -> None:
    completed = subprocess.run(
        CHECKS[name], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, (
        completed.stdout[-4000:] + completed.stderr[-2000:]
    )
