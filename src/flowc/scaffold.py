"""``flowc init``: copy the example spec set shipped with flowc, and the CI
files that run flowc over it (a GitHub Actions workflow, a pre-commit config)."""

from __future__ import annotations

import os
from pathlib import Path

from flowc.resources import templates_dir


def example_files() -> dict[str, bytes]:
    """The example spec set, by relative path."""
    root = templates_dir() / "init"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_example(
    directory: Path, force: bool = False
) -> tuple[list[Path], list[Path]]:
    """Write each example file unless it exists (or ``force``); say which was which."""
    written: list[Path] = []
    kept: list[Path] = []
    for relative, content in example_files().items():
        target = directory / relative
        if target.exists() and not force:
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written, kept


CI_FILES = {
    ".github/workflows/flowc.yml": "github-workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}
"""Where each CI file goes in the project, and its template in templates/ci."""


def write_ci(project: Path, specs: Path) -> tuple[list[Path], list[Path]]:
    """Write each CI file into ``project`` (the folder that holds the spec
    folder) unless it exists: a team's own workflow or hooks are theirs, even
    under ``--force``. ``specs`` is the spec folder as seen from ``project``."""
    written: list[Path] = []
    kept: list[Path] = []
    folder = specs.as_posix()
    for relative, template in CI_FILES.items():
        target = project / relative
        if os.path.lexists(target):
            kept.append(target)
            continue
        text = (templates_dir() / "ci" / template).read_text(encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("{{SPECS}}", folder), encoding="utf-8")
        written.append(target)
    return written, kept
