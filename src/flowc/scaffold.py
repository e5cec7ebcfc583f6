"""``flowc init``: copy the example spec set shipped with flowc."""

from __future__ import annotations

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
