"""Apply a plan to the output folder so that a failure leaves the old output.

Every new file is first written in full to a temporary file next to its target
and synced; only when all of them exist is the journal written and are they
renamed into place, the orphans removed, and the manifest replaced last. If
anything fails, the files already replaced are put back from the bytes the
plan read, so the folder and its manifest are as they were before the run;
if the process is killed, the next run completes the journal (``journal.py``).
One run writes at a time: the output folder is locked.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from flowc.diagnostics import Diagnostic, Location
from flowc.output.drift import (
    Change,
    RenderedFile,
    WriteReport,
    plan_tree,
    unlisted_findings,
)
from flowc.output.journal import (
    JOURNAL_PATH,
    TEMP_SUFFIX,
    JournalEntry,
    OutputLocked,
    clear_journal,
    fsync_dir,
    output_lock,
    recover,
    write_journal,
)
from flowc.rules import report

_O_BINARY: int = getattr(os, "O_BINARY", 0)


class Transaction:
    """Staged writes under one root that can be committed or undone together."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temps: dict[str, Path] = {}
        self.created_dirs: list[Path] = []
        self.applied: list[Change] = []

    def stage(self, path: str, content: bytes) -> None:
        """Write ``content`` in full to a synced temporary file beside the target."""
        target = self.root / path
        self.make_dirs(target.parent)
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        # 0o666 lets the umask decide the mode, as for any file a tool creates.
        descriptor = os.open(
            temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666
        )
        self.temps[path] = temp
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())

    def commit(self, change: Change) -> None:
        """Rename one staged file into place, or remove one file."""
        target = self.root / change.path
        if change.new is None:
            target.unlink()
        else:
            os.replace(self.temps[change.path], target)
            del self.temps[change.path]
        self.applied.append(change)

    def rollback(self) -> list[str]:
        """Undo every commit and staging; return the paths that could not be restored."""
        failed: list[str] = []
        for change in reversed(self.applied):
            try:
                _restore(self.root / change.path, change.old)
            except OSError:
                failed.append(change.path)
        for temp in self.temps.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        for directory in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        return sorted(failed)

    def finish(self) -> None:
        """Sync the touched folders, then drop folders that removals left empty."""
        for directory in sorted({(self.root / c.path).parent for c in self.applied}):
            fsync_dir(directory)
        for change in self.applied:
            if change.new is None:
                _remove_empty_parents(self.root, self.root / change.path)

    def make_dirs(self, directory: Path) -> None:
        """Create the missing folders up to ``directory``; a rollback removes them."""
        missing: list[Path] = []
        while not directory.exists() and directory != directory.parent:
            missing.append(directory)
            directory = directory.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.created_dirs.append(folder)


def write_tree(
    files: list[RenderedFile], out_dir: Path, *, flowc_version: str, black_version: str
) -> WriteReport:
    """Make ``out_dir`` hold exactly the render, touching only changed files.

    Nothing is written when the plan has an error (an unsafe path, a file that
    is not flowc's): partial output would be worse than none.
    """
    try:
        with output_lock(out_dir):
            recover(out_dir)  # what a killed run left, before reading the tree
            plan = plan_tree(
                files, out_dir, flowc_version=flowc_version, black_version=black_version
            )
            report = plan.report()
            report.diagnostics.extend(unlisted_findings(plan))
            if not plan.ok:
                report.written, report.removed = [], []
                return report
            failure = apply_changes(out_dir, plan.all_changes)
    except OutputLocked as locked:
        report = WriteReport()
        report.diagnostics.append(_locked(out_dir, str(locked)))
        return report
    if failure is not None:
        report.written, report.removed = [], []
        report.diagnostics.append(failure)
    return report


def apply_changes(root: Path, changes: list[Change]) -> Diagnostic | None:
    """Stage all writes, then commit them in order; undo all on any OSError."""
    transaction = Transaction(root)
    try:
        for change in changes:
            if change.new is not None:
                transaction.stage(change.path, change.new)
        transaction.make_dirs((root / JOURNAL_PATH).parent)
        write_journal(
            root,
            [
                JournalEntry(
                    change.path,
                    (
                        transaction.temps[change.path].relative_to(root).as_posix()
                        if change.new is not None
                        else None
                    ),
                )
                for change in changes
            ],
        )
        for change in changes:
            transaction.commit(change)
    except OSError as exc:
        clear_journal(root)
        return _failed(root, exc, transaction.rollback())
    clear_journal(root)
    transaction.finish()
    return None


def _locked(root: Path, lock: str) -> Diagnostic:
    return report(
        "FLW805",
        f"another flowc run is writing {root.as_posix()} (it holds {lock}); nothing was written",
        Location(file=root.as_posix()),
        hint="wait for it to finish, then run again",
    )


def _failed(root: Path, exc: OSError, unrestored: list[str]) -> Diagnostic:
    cause = exc.strerror or str(exc)
    if exc.filename is not None:
        cause += f" ({exc.filename})"
    outcome = (
        "the previous output is unchanged"
        if not unrestored
        else "these files could not be restored: " + ", ".join(unrestored)
    )
    return report(
        "FLW804",
        f"could not write {root.as_posix()}: {cause}; {outcome}",
        Location(file=root.as_posix()),
        hint="fix the cause (space, permissions, a file held open) and run again",
    )


def _restore(target: Path, old: bytes | None) -> None:
    """Put back what a commit replaced, without renames: they may be what failed."""
    if old is None:
        target.unlink(missing_ok=True)
        return
    with target.open("wb") as handle:
        handle.write(old)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_empty_parents(root: Path, removed: Path) -> None:
    """Remove folders up to ``root`` that hold nothing at all, not even a cache."""
    folder = removed.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
