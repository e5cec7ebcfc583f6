"""Shared fixtures: the repository layout and a CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
SHARED = REPO.parent / "shared"
GENERATED = REPO / "generated"
IMPLEMENTATIONS = REPO / "implementations"
CORPUS = REPO / "tests" / "fixtures" / "specs"
SPEC_SETS = [
    SPECS,
    *sorted(
        folder
        for folder in CORPUS.iterdir()
        if folder.is_dir() and not (folder / "expect-errors").exists()
    ),
]
"""The example and every corpus spec set that generates cleanly."""

# The committed example: the generated package and the team's implementations.
for folder in (GENERATED, IMPLEMENTATIONS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def repo() -> Path:
    return REPO
