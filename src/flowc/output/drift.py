"""What the output folder should become, compared with what it is.

One plan serves three commands: ``generate`` applies it, ``check`` reports it
as drift, and ``diff`` shows it. Because all three read the same plan, a clean
``check`` means exactly that ``generate`` would change nothing.
"""

from __future__ import annotations

import difflib
import stat
from dataclasses import dataclass, field
from pathlib import Path

from flowc.diagnostics import Diagnostic, Location, Severity
from flowc.output.journal import JOURNAL_PATH, pending_journal, stray_temps
from flowc.output.manifest import (
    MANIFEST_PATH,
    Entry,
    Manifest,
    ManifestError,
    dump_manifest,
    parse_manifest,
    sha256_hex,
    unsafe_reason,
)
from flowc.output.tree import UnreadableFolder, unlisted
from flowc.rules import report

_REGENERATE = "run `flowc generate` and commit the result"


@dataclass(frozen=True)
class RenderedFile:
    """One file of a render: where it goes, its bytes, and the spec it came from."""

    path: str
    content: bytes
    source: str
    unformatted_sha256: str = ""
    unit_sha256: str = ""


@dataclass
class WriteReport:
    """What a write did (or, from ``check_tree``, would do), with its findings."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class Change:
    """One file to write (``new``) or remove (``new is None``); ``old`` is the disk."""

    path: str
    old: bytes | None
    new: bytes | None


@dataclass
class Plan:
    """Every change a write would make, in path order, with the manifest last."""

    out_dir: Path
    changes: list[Change] = field(default_factory=list)
    manifest: Change | None = None
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    folders: set[str] = field(default_factory=set)
    """Folders under ``out_dir`` already seen to be real folders, not links:
    thousands of files share a few folders, which are checked once."""
    made_by: tuple[str, str] | None = None
    """(flowc, black) versions of the run that wrote the output, when they are
    not this run's: its differences may come from the versions alone."""
    unlisted: list[str] = field(default_factory=list)
    """Files in the output folder that flowc did not write and no manifest
    lists (a folder of them ends with ``/``): kept, and named."""

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)

    @property
    def all_changes(self) -> list[Change]:
        """The file changes, then the manifest: the order a write commits them."""
        return [*self.changes, *([self.manifest] if self.manifest else [])]

    def where(self, path: str) -> Location:
        return Location(file=(self.out_dir / path).as_posix())

    def report(self) -> WriteReport:
        return WriteReport(
            written=[c.path for c in self.changes if c.new is not None],
            unchanged=list(self.unchanged),
            removed=[c.path for c in self.changes if c.new is None],
            kept_edited=list(self.kept_edited),
            diagnostics=list(self.diagnostics),
        )


class _Refused(Exception):
    """A path on disk that flowc must not read or replace (folder, link, ...)."""


def plan_tree(
    files: list[RenderedFile], out_dir: Path, *, flowc_version: str, black_version: str
) -> Plan:
    """Compare a render with the output folder; reads the disk, writes nothing."""
    plan = Plan(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        plan.diagnostics.append(
            report("FLW808", "the output folder is a file", plan.where("."))
        )
        return plan
    old_bytes, old = _read_manifest(plan)
    if old is None:
        return plan
    if old.files and (old.flowc_version, old.black_version) != (
        flowc_version,
        black_version,
    ):
        plan.made_by = (old.flowc_version, old.black_version)
    wanted = _wanted(plan, files)
    try:
        plan.unlisted = unlisted(str(out_dir), set(wanted) | set(old.files))
    except UnreadableFolder as exc:
        plan.diagnostics.append(
            report(
                "FLW808",
                f"a folder of the output cannot be read ({exc}); flowc cannot "
                "tell what the folder holds",
                plan.where("."),
                hint="give yourself read permission on the output folder",
            )
        )
        return plan
    entries: dict[str, Entry] = {}
    for path, rendered in sorted(wanted.items()):
        plan.sources[path] = rendered.source
        if _plan_file(plan, old, rendered):
            entries[path] = Entry(
                sha256_hex(rendered.content),
                rendered.source,
                rendered.unformatted_sha256,
                rendered.unit_sha256,
            )
    for path, listed in sorted(old.files.items()):
        if path not in wanted:
            plan.sources[path] = listed.source
            _plan_orphan(plan, path, listed)
    plan.changes.sort(key=lambda change: change.path)
    new_bytes = dump_manifest(Manifest(flowc_version, black_version, entries))
    if new_bytes != old_bytes:
        plan.manifest = Change(MANIFEST_PATH, old_bytes, new_bytes)
    return plan


def check_tree(
    files: list[RenderedFile], out_dir: Path, *, flowc_version: str, black_version: str
) -> WriteReport:
    """Report, as FLW802 drift, every change ``write_tree`` would make; write nothing."""
    plan = plan_tree(
        files, out_dir, flowc_version=flowc_version, black_version=black_version
    )
    outcome = plan.report()
    changed = [c for c in plan.changes if c.old is not None and c.new is not None]
    if plan.made_by is not None and changed:
        outcome.diagnostics.append(
            _version_drift(plan, plan.made_by, changed, flowc_version, black_version)
        )
    for change in plan.all_changes:
        if plan.made_by is None or change not in changed:
            outcome.diagnostics.append(_drift(plan, change))
    for path in plan.unlisted:
        outcome.diagnostics.append(
            report(
                "FLW802",
                f"{_shown(plan, path)} is in the output folder, but the specs do not "
                "generate it and no manifest lists it",
                plan.where(path),
                hint="move it out of the output folder (the folder is flowc's), "
                "or delete it",
            )
        )
    outcome.diagnostics.extend(_interrupted(out_dir))
    outcome.diagnostics.sort(key=Diagnostic.sort_key)
    return outcome


def _interrupted(out_dir: Path) -> list[Diagnostic]:
    """What a killed generate left: named, never read; the next generate clears it."""
    found = [JOURNAL_PATH] if pending_journal(out_dir) else []
    found += stray_temps(out_dir)
    return [
        report(
            "FLW806",
            f"{path} is left over from a flowc run that was killed part way",
            Location(file=(out_dir / path).as_posix()),
            hint="run `flowc generate`: it completes or removes what the run left",
        )
        for path in found
    ]


def diff_tree(
    files: list[RenderedFile], out_dir: Path, *, flowc_version: str, black_version: str
) -> str:
    """A unified diff (``a/`` is the disk, ``b/`` the render) of what would change."""
    plan = plan_tree(
        files, out_dir, flowc_version=flowc_version, black_version=black_version
    )
    return "".join(_unified(change) for change in plan.all_changes)


def _read_manifest(plan: Plan) -> tuple[bytes | None, Manifest | None]:
    """The previous manifest; an empty one on a first run, None if unreadable."""
    try:
        data = _inspect(plan, MANIFEST_PATH)
        if data is None:
            return None, Manifest("", "", {})
        return data, parse_manifest(data)
    except (_Refused, ManifestError) as exc:
        plan.diagnostics.append(
            report(
                "FLW808",
                f"the manifest {exc}; flowc cannot tell which files are its own",
                plan.where(MANIFEST_PATH),
                hint="restore it from version control, or delete it: flowc then "
                "treats every file already in the folder as not its own",
            )
        )
        return None, None


def _wanted(plan: Plan, files: list[RenderedFile]) -> dict[str, RenderedFile]:
    """The render's files by path, refusing unsafe, repeated or clashing paths."""
    wanted: dict[str, RenderedFile] = {}
    folded: dict[str, str] = {}
    for rendered in sorted(files, key=lambda f: f.path):
        path = rendered.path
        reason = unsafe_reason(path)
        if reason is None and path in wanted:
            reason = "is rendered twice"
        elif reason is None and path.casefold() in folded:
            reason = f"differs from {folded[path.casefold()]} only in case"
        if reason is not None:
            plan.diagnostics.append(
                report(
                    "FLW804",
                    f"refusing to write {path!r}: the path {reason}",
                    Location(file=rendered.source),
                )
            )
            continue
        wanted[path] = rendered
        folded[path.casefold()] = path
    parts = [path.split("/") for path in wanted]
    folders = {"/".join(p[:depth]) for p in parts for depth in range(1, len(p))}
    for path in sorted(folders & wanted.keys()):
        plan.diagnostics.append(
            report(
                "FLW804",
                f"{path} is rendered both as a file and as a folder",
                plan.where(path),
            )
        )
    return wanted


def _plan_file(plan: Plan, old: Manifest, rendered: RenderedFile) -> bool:
    """Plan one rendered file; False when it is refused (an error was added)."""
    path, where = rendered.path, plan.where(rendered.path)
    try:
        current = _inspect(plan, path)
    except _Refused as exc:
        plan.diagnostics.append(
            report("FLW804", f"{where.file} {exc}; flowc will not write it", where)
        )
        return False
    if current == rendered.content:
        plan.unchanged.append(path)
        return True
    listed = old.files.get(path)
    if current is not None and listed is None:
        plan.diagnostics.append(
            report(
                "FLW804",
                f"{where.file} exists and is not flowc's (the manifest does not "
                "list it); flowc will not overwrite it",
                where,
                hint="move the file away, or delete it if it is old generated output",
            )
        )
        return False
    if (
        current is not None
        and listed is not None
        and sha256_hex(current) != listed.sha256
    ):
        plan.diagnostics.append(
            report(
                "FLW803",
                f"{where.file} was edited by hand; the output folder is flowc's, "
                "so generating replaces the edit",
                where,
                hint="keep hand-written code outside the output folder, in the "
                "implementation modules flowc never overwrites",
            )
        )
    plan.changes.append(Change(path, current, rendered.content))
    return True


def _plan_orphan(plan: Plan, path: str, listed: Entry) -> None:
    """A file the specs no longer generate: remove it unless a person changed it."""
    where = plan.where(path)
    try:
        current = _inspect(plan, path)
    except _Refused as exc:
        reason = str(exc)
    else:
        if current is None:
            return
        if sha256_hex(current) == listed.sha256:
            plan.changes.append(Change(path, current, None))
            return
        reason = "was edited by hand"
    plan.kept_edited.append(path)
    plan.diagnostics.append(
        report(
            "FLW803",
            f"{where.file} {reason} and the specs no longer generate it; it is "
            "kept and is no longer flowc's",
            where,
            hint="delete it if the change is not needed",
        )
    )


def _inspect(plan: Plan, path: str) -> bytes | None:
    """The bytes at ``out_dir/path``, or None if absent; never follows a link,
    and never reads what is not a regular file (a FIFO would never answer)."""
    parts = path.split("/")
    current = plan.out_dir
    for depth, part in enumerate(parts, start=1):
        current = current / part
        prefix = "/".join(parts[:depth])
        if depth < len(parts) and prefix in plan.folders:
            continue
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _Refused(f"cannot be read ({exc.strerror or exc})") from exc
        if stat.S_ISLNK(mode):
            raise _Refused("is or goes through a symbolic link")
        if depth < len(parts):
            if not stat.S_ISDIR(mode):
                raise _Refused(f"cannot be a file: {prefix} is a file")
            plan.folders.add(prefix)
        elif stat.S_ISDIR(mode):
            raise _Refused("is a folder")
        elif not stat.S_ISREG(mode):
            raise _Refused("is not a regular file (a FIFO, socket or device)")
    try:
        return current.read_bytes()
    except OSError as exc:
        raise _Refused(f"cannot be read ({exc.strerror or exc})") from exc


def _drift(plan: Plan, change: Change) -> Diagnostic:
    if change.new is None:
        what = "would be removed: the specs no longer generate it"
    elif change.old is None:
        what = "is missing; it would be written"
    else:
        what = "differs from what the specs generate; it would be changed"
    source = plan.sources.get(change.path)
    hint = f"generated from {source}; {_REGENERATE}" if source else _REGENERATE
    where = plan.where(change.path)
    return report("FLW802", f"{where.file} {what}", where, hint=hint)


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    return content.decode("utf-8", errors="replace").splitlines(keepends=True)


def _unified(change: Change) -> str:
    """One file's diff, git style; headers alone when no text line differs."""
    before = "/dev/null" if change.old is None else f"a/{change.path}"
    after = "/dev/null" if change.new is None else f"b/{change.path}"
    diff = difflib.unified_diff(
        _lines(change.old), _lines(change.new), fromfile=before, tofile=after
    )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in diff
    )
    return text or f"--- {before}\n+++ {after}\n"


def unlisted_findings(plan: Plan) -> list[Diagnostic]:
    """What ``generate`` says of files it did not write: kept, and named."""
    return [
        report(
            "FLW807",
            f"{_shown(plan, path)} is in the output folder, but flowc did not "
            "write it and no manifest lists it; it is kept",
            plan.where(path),
            hint="keep your own files outside the output folder: `flowc check` "
            "reports this one as drift",
        )
        for path in plan.unlisted
    ]


def _shown(plan: Plan, path: str) -> str:
    """A file's path as the user gave the folder, or "the folder x/" for a folder."""
    shown = plan.where(path).file
    return f"the folder {shown}/" if path.endswith("/") else shown


def _version_drift(
    plan: Plan,
    made_by: tuple[str, str],
    changed: list[Change],
    flowc_version: str,
    black_version: str,
) -> Diagnostic:
    """One finding for the changed files of an output another version wrote,
    instead of one per file: the difference may be the versions' alone."""
    shown = ", ".join(change.path for change in changed[:3])
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return report(
        "FLW809",
        f"{len(changed)} generated file{'s' if len(changed) != 1 else ''} "
        f"({shown}{more}) {'differ' if len(changed) != 1 else 'differs'}, and the output was written by flowc "
        f"{made_by[0]} with black {made_by[1]}, this is flowc {flowc_version} "
        f"with black {black_version}: the differences may come from the "
        "versions alone",
        plan.where(MANIFEST_PATH),
        hint="regenerate with the versions CI uses and commit the result; pin "
        "flowc and black in the project's dependencies (`check --diff` shows "
        "every line)",
    )
