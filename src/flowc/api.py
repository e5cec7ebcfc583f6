"""The library API the CLI and tests call: validate, render, generate, check."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowc import naming
from flowc.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from flowc.backends.python.generator import Generation
    from flowc.checks.analysis import Analysis
    from flowc.model import Document, System
from flowc.rules import is_input_error


@dataclass
class Result:
    """What a run found: the system (when it could be built) and all findings."""

    system: System | None
    documents: list[Document] = field(default_factory=list)
    analysis: Analysis | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    replayed: bool = False
    """Answered from the last clean run's record: nothing was read or rendered."""
    recorded_inventory: list[tuple[str, int]] = field(default_factory=list)
    warnings_fail: bool = False
    """``lint --warn-as-error``: a warning fails the run as an error does."""

    @property
    def inventory(self) -> list[tuple[str, int]]:
        """How many flows, models, sagas and services the spec set has."""
        if self.system is None:
            return self.recorded_inventory
        system = self.system
        return [
            ("flow", len(system.flows)),
            ("model", len(system.models)),
            ("saga", len(system.sagas)),
            (
                "service",
                sum(
                    1 for s in system.services if s.kind.value in ("service", "gateway")
                ),
            ),
        ]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        if any(is_input_error(d.code) for d in self.diagnostics):
            return 2
        if self.warnings_fail and any(
            d.severity == Severity.WARNING for d in self.diagnostics
        ):
            return 1
        return 1 if self.errors else 0


def system_name(paths: list[Path], package: str | None = None) -> str:
    """The generated package's name: configured, else the project folder's."""
    if package:
        return package
    return naming.snake(_project_folder(paths).name) or "service"


def _project_folder(paths: list[Path]) -> Path:
    first = (paths[0] if paths else Path("specs")).resolve()
    folder = first if first.is_dir() else first.parent
    # Folders named for their contents (specs/, specs/yaml/) say nothing: name the project.
    while folder.name.lower() in _GENERIC_FOLDERS and folder.parent != folder:
        folder = folder.parent
    return folder


def _package_problems(
    paths: list[Path], package: str | None, base: Path | None
) -> list[Diagnostic]:
    """The package name, given or taken from the folder, must be usable (FLW403/405/42x)."""
    from flowc.checks.names import check_package_name
    from flowc.diagnostics import Location
    from flowc.frontends import display_path

    if package:
        origin = "from --package or [tool.flowc] package"
        return check_package_name(package, Location(file="<package>"), origin)
    folder = _project_folder(paths)
    where = Location(file=display_path(folder, base))
    origin = f"from the folder name {naming.shown(folder.name)}"
    return check_package_name(system_name(paths), where, origin)


_GENERIC_FOLDERS = {
    "specs",
    "spec",
    "yaml",
    "yml",
    "markdown",
    "md",
    "docs",
    "architecture",
}


def validate(
    paths: list[Path], package: str | None = None, base: Path | None = None
) -> Result:
    """Read and check a spec set; never raises on bad input."""
    from flowc.checks import check_documents
    from flowc.checks.suppress import apply_suppressions
    from flowc.frontends import read_spec_set

    spec_set = read_spec_set(paths, base)
    result = Result(system=None, documents=spec_set.documents, files=spec_set.files)
    result.diagnostics.extend(spec_set.diagnostics)
    checked = check_documents(spec_set.documents, system_name(paths, package))
    result.system = checked.system
    result.analysis = checked.analysis
    result.diagnostics.extend(checked.diagnostics)
    result.diagnostics.extend(_package_problems(paths, package, base))
    found = apply_suppressions(spec_set.documents, result.diagnostics)
    result.diagnostics = sorted(set(found), key=Diagnostic.sort_key)
    return result


def lint(
    paths: list[Path],
    package: str | None = None,
    base: Path | None = None,
    *,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] = frozenset(),
    warn_as_error: bool = False,
) -> Result:
    """``validate``'s findings of the lint rules (``rules.LINTING``), those
    ``select`` names (all when None) less those ``ignore`` names, and every
    error, since a spec with errors cannot be linted whole. Codes, not names."""
    from flowc.rules import LINTING

    result = validate(paths, package, base)
    chosen = (LINTING if select is None else select & LINTING) - ignore
    result.diagnostics = [
        d
        for d in result.diagnostics
        if d.severity == Severity.ERROR or d.code in chosen
    ]
    result.warnings_fail = warn_as_error
    return result


def breaking(
    paths: list[Path],
    against: str,
    package: str | None = None,
    base: Path | None = None,
    accepted: tuple[tuple[str, str], ...] = (),
) -> Result:
    """What the spec set breaks compared with ``against`` (a git revision or a
    folder): FLW9xx findings, less those ``accepted`` (rule code, subject)."""
    from flowc.checks.breaking import breaking_changes, contract
    from flowc.diagnostics import Location
    from flowc.frontends.revision import BaselineError, baseline
    from flowc.rules import report

    result = validate(paths, package, base)
    if result.errors or result.analysis is None:
        return result
    try:
        with baseline(paths, against) as old:
            before = validate(old.paths, package, old.base)
    except BaselineError as exc:
        result.diagnostics.append(exc.finding)
        return result
    if before.analysis is None or before.errors:
        result.diagnostics.append(
            report(
                "FLW008",
                f"the specs as {against!r} had them have errors; there is no "
                "contract to compare with",
                Location(file=against),
                "compare with a revision whose specs validate",
            )
        )
        return result
    changes = breaking_changes(
        contract(before.analysis, old.shown), contract(result.analysis)
    )
    result.diagnostics = sorted(
        {
            change.finding
            for change in changes
            if (change.finding.code, change.subject) not in accepted
        },
        key=Diagnostic.sort_key,
    )
    return result


@dataclass
class GenerateResult(Result):
    """A validation result plus what was (or would be) written."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    stubs_written: list[str] = field(default_factory=list)
    diff: str = ""
    statuses: list[tuple[str, str]] = field(default_factory=list)
    """``dry_run``: a status letter and path per file (W, U, D, K)."""


def _spec_display(paths: list[Path], base: Path | None) -> str:
    from flowc.frontends import display_path

    return ", ".join(display_path(p, base) for p in paths)


def render(
    paths: list[Path],
    package: str | None = None,
    base: Path | None = None,
    earlier: EarlierOutput | None = None,
) -> tuple[GenerateResult, Any]:
    """Validate, then render the Python package in memory (no I/O beyond reading specs).

    ``earlier``: what the last run wrote, so that unchanged units are reused.
    """
    checked = validate(paths, package, base)
    result = GenerateResult(
        system=checked.system,
        documents=checked.documents,
        diagnostics=checked.diagnostics,
        files=checked.files,
        analysis=checked.analysis,
    )
    if not checked.ok or checked.analysis is None:
        return result, None
    from flowc.backends.python.generator import generate_python

    name = package or checked.analysis.system.name
    units = earlier.units if earlier is not None else {}
    generation = generate_python(
        checked.analysis,
        name,
        f"{name}_impl",
        _spec_display(paths, base),
        {key: content.decode("utf-8") for key, content in units.items()},
    )
    return result, generation


@dataclass(frozen=True)
class EarlierOutput:
    """Files the last run wrote that are intact on disk, by the key that made them."""

    formatted: dict[str, bytes] = field(default_factory=dict)
    """By formatter-input key: an unchanged file skips black."""
    units: dict[str, bytes] = field(default_factory=dict)
    """By unit key: an unchanged model group skips datamodel-code-generator, a
    template whose input is unchanged is not rendered (``view_keys``)."""


def earlier_output(output: Path) -> EarlierOutput:
    """What the manifest says the last run wrote, where the bytes still match it."""
    import hashlib

    from flowc.output.manifest import MANIFEST_PATH, ManifestError, parse_manifest

    try:
        manifest = parse_manifest((output / MANIFEST_PATH).read_bytes())
    except (OSError, ManifestError):
        return EarlierOutput()
    found = EarlierOutput()
    for path, entry in manifest.files.items():
        if not (entry.unformatted or entry.unit):
            continue
        try:
            content = (output / path).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(content).hexdigest() != entry.sha256:
            continue
        if entry.unformatted:
            found.formatted[entry.unformatted] = content
        if entry.unit:
            found.units[entry.unit] = content
    return found


def _rendered(
    generation: Any, earlier: EarlierOutput, stubs: Path | None
) -> tuple[list[Any], list[Any]]:
    """Format the generated sources, reusing what an earlier run made of the same text.

    Every file is known by the hash of its text before formatting: when the
    last run wrote the final bytes for that text, they are reused, and neither
    the line check (``needs_formatting``) nor black runs. A file that comes
    from a unit (a model group, a template and its input) is known by the
    unit's key alone, so its manifest entry is the same whether it was reused
    or made anew. Stubs are
    formatted only when they will be written: one that exists is the person's.
    """
    from flowc.backends.python.formatting import format_all
    from flowc.output import RenderedFile

    reuse = earlier.formatted
    keys = ["" if f.unit_key else f.unformatted_key() for f in generation.files]
    todo = [
        f for f, key in zip(generation.files, keys, strict=True) if key not in reuse
    ]
    formatted = dict(zip((f.path for f in todo), format_all(todo), strict=True))
    files = [
        RenderedFile(
            path=source_file.path,
            content=(
                reuse[key]
                if key in reuse
                else formatted[source_file.path].encode("utf-8")
            ),
            source=source_file.source,
            unformatted_sha256=key,
            unit_sha256=source_file.unit_key,
        )
        for source_file, key in zip(generation.files, keys, strict=True)
    ]
    new_stubs = [
        f
        for f in generation.stubs
        if stubs is not None and not os.path.lexists(stubs / f.path)
    ]
    stub_texts = dict(
        zip((f.path for f in new_stubs), format_all(new_stubs), strict=True)
    )
    # A stub that exists is kept as the person has it, never rewritten, so its
    # text is only carried along for the path checks and not formatted.
    stub_files = [
        RenderedFile(
            path=f.path,
            content=stub_texts.get(f.path, f.text).encode("utf-8"),
            source=f.source,
        )
        for f in generation.stubs
    ]
    return files, stub_files


def _versions() -> dict[str, str]:
    from flowc import __version__
    from flowc.backends.python.versions import black_version

    return {"flowc_version": __version__, "black_version": black_version()}


def _run_key(
    paths: list[Path],
    output: Path,
    stubs: Path | None,
    package: str | None,
    base: Path | None,
) -> str:
    """Everything besides spec and stub bytes that decides a run's output and report."""
    import hashlib

    from flowc.backends.python.versions import formatter_versions
    from flowc.resources import code_digest

    parts = [
        code_digest(),
        formatter_versions(),
        package or "",
        (base or Path.cwd()).resolve().as_posix(),
        output.resolve().as_posix(),
        stubs.resolve().as_posix() if stubs is not None else "",
        *(path.resolve().as_posix() for path in paths),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _replay(
    paths: list[Path],
    output: Path,
    stubs: Path | None,
    package: str | None,
    base: Path | None,
) -> GenerateResult | None:
    """The last clean run's result when nothing it depended on changed, else None."""
    from flowc.frontends.files import discover
    from flowc.output.lastrun import load_record, still_current

    record = load_record(output)
    if record is None:
        return None
    specs, problems = discover(paths)
    if problems:
        return None
    key = _run_key(paths, output, stubs, package, base)
    manifest = still_current(record, key, specs, output)
    if manifest is None:
        return None
    return GenerateResult(
        system=None,
        diagnostics=list(record.diagnostics),
        files=[Path(path) for path in sorted(record.inputs)],
        replayed=True,
        recorded_inventory=list(record.inventory),
        unchanged=sorted(manifest.files),
    )


def _record(
    result: GenerateResult,
    generation: Any,
    key: str,
    output: Path,
    stubs: Path | None,
) -> None:
    """Remember a clean run so that the next one with the same inputs can stop early."""
    from flowc.output.lastrun import (
        RunRecord,
        digests,
        file_digest,
        store_record,
    )
    from flowc.output.manifest import MANIFEST_PATH

    if not result.ok:
        # Leave any earlier record: it names the manifest it goes with, so it
        # can never answer for a folder another run has changed since.
        return
    stub_paths = [stubs / f.path for f in generation.stubs] if stubs is not None else []
    store_record(
        output,
        RunRecord(
            key=key,
            inputs=digests(result.files),
            stubs=digests(stub_paths),
            manifest_sha256=file_digest(output / MANIFEST_PATH),
            inventory=result.inventory,
            diagnostics=result.diagnostics,
        ),
    )


def generate(
    paths: list[Path],
    output: Path,
    stubs: Path | None = None,
    package: str | None = None,
    base: Path | None = None,
) -> GenerateResult:
    """Write the owned output folder and, once each, the person's stubs."""
    from flowc.output import write_stubs, write_tree

    replayed = _replay(paths, output, stubs, package, base)
    if replayed is not None:
        return replayed
    key = _run_key(paths, output, stubs, package, base)
    earlier = earlier_output(output)
    result, generation = render(paths, package, base, earlier)
    if generation is None:
        return result
    system = generation.analysis.system
    if (
        not (system.flows or system.models or system.choreographies)
        and not (output / ".flowc").exists()
    ):
        return result  # nothing to build (e.g. the unfilled template), nothing written
    files, stub_files = _rendered(generation, earlier, stubs)
    report = write_tree(files, output, **_versions())
    result.written, result.unchanged, result.removed = (
        report.written,
        report.unchanged,
        report.removed,
    )
    result.diagnostics.extend(report.diagnostics)
    if report.ok and stubs is not None:
        stub_report = write_stubs(stub_files, stubs)
        result.stubs_written = stub_report.written
        result.diagnostics.extend(stub_report.diagnostics)
        result.diagnostics.extend(
            _stub_drift(generation, stubs, stub_report.kept, base)
        )
    result.diagnostics = sorted(set(result.diagnostics), key=Diagnostic.sort_key)
    _record(result, generation, key, output, stubs)
    return result


def dry_run(
    paths: list[Path],
    output: Path,
    stubs: Path | None = None,
    package: str | None = None,
    base: Path | None = None,
) -> GenerateResult:
    """What ``generate`` would do to each file (``statuses``); writes nothing.

    W: written (new or changed), U: unchanged, D: deleted, K: kept (a stub
    that exists, a file edited by hand, a file no manifest lists)."""
    from flowc.frontends import display_path
    from flowc.output import plan_tree, unlisted_findings

    earlier = earlier_output(output)
    result, generation = render(paths, package, base, earlier)
    if generation is None:
        return result
    files, stub_files = _rendered(generation, earlier, stubs)
    plan = plan_tree(files, output, **_versions())
    result.diagnostics.extend([*plan.diagnostics, *unlisted_findings(plan)])
    statuses = [("W" if c.new is not None else "D", c.path) for c in plan.changes]
    statuses += [("U", path) for path in plan.unchanged]
    statuses += [("K", path) for path in (*plan.kept_edited, *plan.unlisted)]
    if plan.manifest is not None:
        statuses.append(("W", plan.manifest.path))
    folder = display_path(output).rstrip("/")
    result.statuses = [
        (letter, f"{folder}/{path}")
        for letter, path in sorted(statuses, key=lambda status: status[1])
    ]
    if stubs is not None:
        result.statuses += [
            (
                "K" if os.path.lexists(stubs / f.path) else "W",
                display_path(stubs / f.path),
            )
            for f in sorted(stub_files, key=lambda f: f.path)
        ]
    result.diagnostics = sorted(set(result.diagnostics), key=Diagnostic.sort_key)
    return result


def _stub_drift(
    generation: Generation, stubs: Path, kept: list[str], base: Path | None
) -> list[Diagnostic]:
    """Kept stubs that no longer fit their generated base class (FLW801)."""
    from flowc.backends.python.stubcheck import check_stub, required_by
    from flowc.frontends import display_path

    rendered = {f.path: f.text for f in generation.files}
    found: list[Diagnostic] = []
    for stub in generation.stubs:
        if stub.path not in kept:
            continue
        fit = required_by(stub.text, rendered, generation.package)
        if fit is None or not fit.required:
            continue
        path = stubs / stub.path
        try:
            text: str | None = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        found.extend(check_stub(text, display_path(path, base), fit))
    return found


def check(
    paths: list[Path],
    output: Path,
    stubs: Path | None = None,
    package: str | None = None,
    base: Path | None = None,
) -> GenerateResult:
    """What ``generate`` would change, as FLW802 findings and a diff; writes nothing."""
    from flowc.output import check_tree, diff_tree

    replayed = _replay(paths, output, stubs, package, base)
    if replayed is not None:
        return replayed
    earlier = earlier_output(output)
    result, generation = render(paths, package, base, earlier)
    if generation is None:
        return result
    files, stub_files = _rendered(generation, earlier, stubs)
    report = check_tree(files, output, **_versions())
    result.diagnostics.extend(report.diagnostics)
    if report.diagnostics:
        result.diff = diff_tree(files, output, **_versions())
    if stubs is not None:
        kept = [f.path for f in stub_files if (stubs / f.path).exists()]
        result.diagnostics.extend(_stub_drift(generation, stubs, kept, base))
    result.diagnostics = sorted(set(result.diagnostics), key=Diagnostic.sort_key)
    return result
