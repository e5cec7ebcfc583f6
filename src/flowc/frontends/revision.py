"""The spec set as it was: at a git revision (read with ``git show``, nothing
checked out) or in another folder.

The old files are copied into a temporary folder, keeping their paths from
the repository's root, so that the readers see the same layout (and follow
the same Related Documents links) they saw then. Locations in the old set are
shown as ``REV:path``, as git names a file at a revision.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flowc.diagnostics import Diagnostic, Location
from flowc.rules import report

_SPEC_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")


@dataclass(frozen=True)
class Baseline:
    """The old spec set on disk: read ``paths``, show files under ``shown``."""

    paths: list[Path]
    base: Path
    shown: str
    """Prefix of the old files' names (``HEAD:``), or "" for a folder."""


class BaselineError(Exception):
    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


@contextlib.contextmanager
def baseline(paths: list[Path], against: str) -> Iterator[Baseline]:
    """The spec set ``paths`` as ``against`` holds it. Raises BaselineError."""
    folder = Path(against)
    if folder.is_dir():
        yield Baseline([folder], Path.cwd(), "")
        return
    root = _git(["rev-parse", "--show-toplevel"], Path.cwd())
    if root is None:
        raise _refused(against, "it is no folder, and this is no git repository")
    top = Path(root.strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{against}^{{commit}}"], top) is None:
        shallow = _git(["rev-parse", "--is-shallow-repository"], top)
        why = (
            "this clone is shallow and lacks it"
            if shallow is not None and shallow.strip() == "true"
            else "git knows no such revision"
        )
        raise _refused(
            against,
            why,
            "fetch the history first: `git fetch --unshallow`, or `fetch-depth: 0` "
            "in actions/checkout",
        )
    wanted = [_in_repository(path, top) for path in paths]
    listed = _git(["ls-tree", "-r", "-z", "--name-only", against, "--", *wanted], top)
    names = [n for n in (listed or "").split("\0") if n.endswith(_SPEC_SUFFIXES)]
    with tempfile.TemporaryDirectory(prefix="flowc-baseline-") as temporary:
        copy = Path(temporary)
        for name in names:
            content = subprocess.run(
                ["git", "show", f"{against}:{name}"],
                cwd=top,
                capture_output=True,
                check=False,
            )
            if content.returncode != 0:
                raise _refused(against, f"git cannot show {name}")
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.stdout)
        yield Baseline([copy / name for name in wanted], copy, f"{against}:")


def _in_repository(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top.resolve()).as_posix() or "."
    except ValueError as exc:
        raise _refused(str(path), "it is outside the git repository") from exc


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _refused(against: str, why: str, hint: str = "") -> BaselineError:
    return BaselineError(
        report(
            "FLW008",
            f"cannot read the specs as {against!r} had them: {why}",
            Location(file=against),
            hint or "name a git revision (HEAD, main, a tag) or a folder of specs",
        )
    )
