"""Shared fixtures: the repository layout and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
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

# flowc's cache (parsed specs, compiled templates) in a folder of this test run's
# own, shared with the processes it starts: the suite reads thousands of
# temporary spec files that no later run asks for again.
if "FLOWC_CACHE_DIR" not in os.environ:
    os.environ["FLOWC_CACHE_DIR"] = tempfile.mkdtemp(prefix="flowc-test-cache-")
    atexit.register(shutil.rmtree, os.environ["FLOWC_CACHE_DIR"], True)

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
