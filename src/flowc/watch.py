"""``flowc generate --watch``: generate again whenever a spec changes.

It watches what the last run read (every spec file, linked documents too),
the spec folders (for new files), the configuration file and the stub
folder, and never the output folder it writes itself. A run with errors is
reported and the watch goes on: the next save that fixes the spec generates
again. Each run is an ordinary ``generate``, so it redoes only what the
change calls for (see "What a run redoes" in docs/cli.md).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from flowc.api import GenerateResult

_SPEC_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
_CONFIG_NAMES = ("pyproject.toml", "flowc.toml")


@dataclass(frozen=True)
class Watched:
    """What a change must touch to call for another run."""

    files: frozenset[Path]
    folders: frozenset[Path]
    """Spec folders: a new spec file there joins the set."""
    ignored: tuple[Path, ...]
    """The output folder: flowc's own writes."""

    def wants(self, changed: Path) -> bool:
        path = changed.resolve()
        if any(path.is_relative_to(folder) for folder in self.ignored):
            return False
        if path in self.files or path.name in _CONFIG_NAMES:
            return True
        return path.parent in self.folders and path.suffix.lower() in _SPEC_SUFFIXES


def watched(
    result: GenerateResult,
    paths: list[Path],
    config_root: Path,
    stubs: Path | None,
    output: Path,
) -> Watched:
    files = {path.resolve() for path in result.files}
    files |= {(config_root / name).resolve() for name in _CONFIG_NAMES}
    folders = {p.resolve() for p in paths if p.is_dir()}
    folders |= {p.resolve().parent for p in paths if not p.is_dir()}
    if stubs is not None:
        folders.add(stubs.resolve())
    return Watched(frozenset(files), frozenset(folders), (output.resolve(),))


def roots(watch: Watched) -> list[Path]:
    """The folders to ask the OS about: those of every watched file and folder."""
    found = {path.parent for path in watch.files} | set(watch.folders)
    return sorted(path for path in found if path.is_dir())


def watch_generate(
    run: Callable[[], GenerateResult],
    what: Callable[[GenerateResult], Watched],
    report: Callable[[GenerateResult], None],
    changes: Callable[[list[Path]], Generator[set[Path]]] | None = None,
) -> None:
    """Run, report, and run again on every relevant change, until interrupted.

    ``changes`` yields the paths changed in each batch under the given folders
    (watchfiles by default; a test hands in its own). The watcher lives on
    across runs, so a save made while a run is under way is not missed; it is
    made anew only when the set of folders changes (a new linked document)."""
    try:
        _loop(run, what, report, changes or _watchfiles)
    except KeyboardInterrupt:
        return  # Ctrl-C during a run too: the next run completes its journal


def _loop(
    run: Callable[[], GenerateResult],
    what: Callable[[GenerateResult], Watched],
    report: Callable[[GenerateResult], None],
    listen: Callable[[list[Path]], Generator[set[Path]]],
) -> None:
    result = run()
    report(result)
    watch = what(result)
    folders = roots(watch)
    batches = listen(folders)
    try:
        while (batch := next(batches, None)) is not None:
            if not any(watch.wants(path) for path in batch):
                continue
            result = run()
            report(result)
            watch = what(result)
            if roots(watch) != folders:
                batches.close()
                folders = roots(watch)
                batches = listen(folders)
    finally:
        batches.close()


def _watchfiles(folders: list[Path]) -> Generator[set[Path]]:
    from watchfiles import watch

    for batch in watch(*folders, recursive=False, raise_interrupt=False):
        yield {Path(path) for _, path in batch}
