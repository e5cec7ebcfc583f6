"""The ``flowc`` command: a thin typer layer over flowc.api.

Heavy modules (pydantic models, frontends, backends) are imported inside the
commands so that ``flowc --help`` answers fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flowc import __version__, naming

if TYPE_CHECKING:
    from flowc.api import GenerateResult, Result
    from flowc.config import Config

app = typer.Typer(
    name="flowc",
    help="Compile Integration Patterns flow specs (Markdown or YAML) into Python service skeletons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--output-format",
        "-f",
        help="How findings are printed: text, json, github annotations, or sarif (code scanning).",
    ),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Spec files or folders (default: the configured spec folder).",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"flowc {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """flowc turns the architecture document into running code."""


def _config() -> Config:
    from flowc.config import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as exc:
        typer.echo(f"flowc: {exc}", err=True)
        raise typer.Exit(2) from exc


def _report(result: Result, output_format: OutputFormat, summary: str) -> None:
    """Findings on stdout; the summary line on stdout for text, stderr otherwise."""
    from flowc.diagnostics import format_github, format_text, to_json

    if output_format == OutputFormat.sarif:
        from flowc.sarif import to_sarif

        log = to_sarif(result.diagnostics, __version__)
        typer.echo(json.dumps(log, indent=2, ensure_ascii=False))
        typer.echo(summary, err=True)
        return
    if output_format == OutputFormat.json:
        payload = {
            "diagnostics": [to_json(d) for d in result.diagnostics],
            "summary": summary,
            "exit_code": result.exit_code,
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        typer.echo(summary, err=True)
        return
    for diagnostic in result.diagnostics:
        typer.echo(
            format_github(diagnostic)
            if output_format == OutputFormat.github
            else format_text(diagnostic)
        )
    typer.echo(summary, err=output_format != OutputFormat.text)


def _summary(result: Result) -> str:
    from flowc.diagnostics import Severity, counts

    tally = counts(result.diagnostics)
    parts = [f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}"]
    parts += [
        f"{count} {label}{'s' if count != 1 else ''}"
        for label, count in result.inventory
    ]
    findings = ", ".join(
        f"{tally[severity]} {severity.value}{'s' if tally[severity] != 1 else ''}"
        for severity in Severity
    )
    verdict = "ok" if result.exit_code == 0 else "failed"
    return f"flowc: {verdict}: {', '.join(parts)}; {findings}"


def _paths(paths: list[Path] | None, config: Config) -> list[Path]:
    return list(paths) if paths else [config.specs]


@app.command()
def validate(
    paths: PathsArgument = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """Check specs and report findings (exit 0 clean, 1 findings, 2 usage or I/O errors)."""
    from flowc.api import validate as run_validate

    config = _config()
    result = run_validate(_paths(paths, config), package=config.package)
    _report(result, output_format, _summary(result))
    raise typer.Exit(result.exit_code)


RulesOption = Annotated[
    list[str] | None,
    typer.Option(
        help="Rule codes or names, comma-separated or repeated (FLW705, event-not-past-tense).",
        show_default=False,
    ),
]


def _rule_codes(written: list[str] | None) -> frozenset[str] | None:
    """The codes of ``--select``/``--ignore``; a name flowc lacks is a usage error."""
    from flowc.rules import rule_code

    if written is None:
        return None
    codes: set[str] = set()
    for item in (part for text in written for part in text.split(",")):
        if not item.strip():
            continue
        code = rule_code(item)
        if code is None:
            typer.echo(f"flowc: no rule is named {item.strip()!r}", err=True)
            raise typer.Exit(2)
        codes.add(code)
    return frozenset(codes)


@app.command()
def lint(
    paths: PathsArgument = None,
    select: RulesOption = None,
    ignore: RulesOption = None,
    warn_as_error: Annotated[
        bool,
        typer.Option("--warn-as-error", help="Fail (exit 1) on warnings too."),
    ] = False,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Report the Anti-Patterns lint rules' findings, and any errors (exit 1 on errors)."""
    from flowc.api import lint as run_lint

    config = _config()
    result = run_lint(
        _paths(paths, config),
        package=config.package,
        select=_rule_codes(select),
        ignore=_rule_codes(ignore) or frozenset(),
        warn_as_error=warn_as_error,
    )
    _report(result, output_format, _summary(result))
    raise typer.Exit(result.exit_code)


@app.command()
def breaking(
    against: Annotated[
        str,
        typer.Option(
            "--against",
            help="The git revision (HEAD, main, a tag) or folder of specs to compare with.",
        ),
    ],
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Fail (exit 1) when the specs break what --against promised: routes, events, fields, statuses, consumers, saga steps."""
    from flowc.api import breaking as run_breaking
    from flowc.rules import BREAKING, rule_code

    config = _config()
    accepted: list[tuple[str, str]] = []
    for exception in config.breaking.exceptions:
        code = rule_code(exception.rule)
        if code not in BREAKING:
            typer.echo(
                f"flowc: [tool.flowc.breaking] exception names no breaking rule: "
                f"{exception.rule!r}",
                err=True,
            )
            raise typer.Exit(2)
        accepted.append((code, exception.subject))
    result = run_breaking(
        _paths(paths, config), against, config.package, accepted=tuple(accepted)
    )
    _report(result, output_format, _summary(result))
    raise typer.Exit(result.exit_code)


class ExportKind(StrEnum):
    openapi = "openapi"
    asyncapi = "asyncapi"
    docs = "docs"


@app.command()
def export(
    kind: Annotated[
        ExportKind,
        typer.Argument(
            help="openapi (the public app's document) or docs (one Markdown page)."
        ),
    ],
    paths: PathsArgument = None,
    output: OutputOption = None,
    stubs: StubsOption = None,
    package: PackageOption = None,
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Write the document here instead of stdout."),
    ] = None,
) -> None:
    """Print the OpenAPI document the generated app serves, the events as AsyncAPI 3.0, or the spec set as one Markdown page."""
    from flowc.diagnostics import format_text
    from flowc.export import export_docs, export_generated

    config = _config()
    if kind == ExportKind.docs:
        document, result = export_docs(_paths(paths, config), package or config.package)
    else:
        document, result = export_generated(
            kind.value,
            _paths(paths, config),
            output or config.output,
            _stubs(stubs, config),
            package or config.package,
        )
    for diagnostic in result.diagnostics:
        if diagnostic.severity != "note":
            typer.echo(format_text(diagnostic), err=True)
    if document is None:
        typer.echo(f"flowc: no {kind.value} document: {_summary(result)}", err=True)
        raise typer.Exit(result.exit_code or 1)
    if to is None:
        typer.echo(document, nl=False)
    else:
        try:
            to.write_text(document, encoding="utf-8")
        except OSError as exc:
            typer.echo(f"flowc: cannot write {to}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"wrote {to}", err=True)
    raise typer.Exit(0)


@app.command()
def fmt(
    paths: PathsArgument = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 when a file is not formatted."
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Write nothing; print what formatting would change."
        ),
    ] = False,
) -> None:
    """Format spec files: Markdown tables aligned and diagrams as convert writes them, YAML indented one way, comments kept."""
    import difflib

    from flowc.diagnostics import format_text
    from flowc.fmt.files import format_specs

    config = _config()
    outcome = format_specs(_paths(paths, config), write=not (check or diff))
    for change in outcome.changes:
        if diff:
            typer.echo(
                "".join(
                    difflib.unified_diff(
                        change.before.splitlines(keepends=True),
                        change.after.splitlines(keepends=True),
                        fromfile=f"a/{change.display}",
                        tofile=f"b/{change.display}",
                    )
                ),
                nl=False,
            )
        elif check:
            typer.echo(f"would reformat {change.display}")
        else:
            typer.echo(f"formatted {change.display}", err=True)
    for diagnostic in outcome.diagnostics:
        typer.echo(format_text(diagnostic), err=True)
    verb = "would be reformatted" if check or diff else "reformatted"
    typer.echo(
        f"flowc: {len(outcome.changes)} of {outcome.files} files {verb}", err=True
    )
    if outcome.diagnostics:
        raise typer.Exit(2 if outcome.input_problem else 1)
    raise typer.Exit(1 if (check or diff) and outcome.changes else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the YAML spec syntax (for editors and CI)."""
    from flowc.frontends.yaml.syntax import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to write the example spec set.")
    ] = Path("specs"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that exist.")
    ] = False,
) -> None:
    """Write an example spec set (never overwrites without --force), and beside
    it a GitHub Actions workflow and a pre-commit config (never overwritten)."""
    from flowc.scaffold import write_ci, write_example

    try:
        written, kept = write_example(directory, force=force)
        ci_written, ci_kept = write_ci(directory.parent, Path(directory.name))
    except OSError as exc:
        typer.echo(f"flowc: cannot write {directory}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from exc
    for path in written:
        typer.echo(f"wrote {path}", err=True)
    for path in kept:
        typer.echo(f"exists, kept {path} (use --force to overwrite)", err=True)
    for path in ci_written:
        typer.echo(f"wrote {path}", err=True)
    for path in ci_kept:
        typer.echo(f"exists, kept {path} (yours: never overwritten)", err=True)
    typer.echo(f"flowc: {len(written)} written, {len(kept)} kept in {directory}")


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="The owned output folder (default: configured, else generated/).",
    ),
]
StubsOption = Annotated[
    Path | None,
    typer.Option(
        "--stubs",
        help="Where implementation stubs are written once (default: configured, else implementations/).",
    ),
]
PackageOption = Annotated[
    str | None, typer.Option("--package", help="Name of the generated Python package.")
]


def _stubs(stubs: Path | None, config: Config) -> Path:
    return stubs or config.stubs or (config.root / "implementations")


@app.command()
def generate(
    paths: PathsArgument = None,
    output: OutputOption = None,
    stubs: StubsOption = None,
    package: PackageOption = None,
    output_format: FormatOption = OutputFormat.text,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Write nothing; print a status letter per file: W write, U unchanged, D delete, K kept.",
        ),
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Generate again whenever a spec, the configuration or a stub changes; Ctrl-C ends it.",
        ),
    ] = False,
) -> None:
    """Generate the Python service package (and, once, the implementation stubs)."""
    from flowc.api import dry_run as run_dry_run
    from flowc.api import generate as run_generate

    config = _config()
    if watch and dry_run:
        typer.echo("flowc: --watch and --dry-run do not go together", err=True)
        raise typer.Exit(2)
    if watch:
        from flowc.watch import watch_generate, watched

        spec_paths = _paths(paths, config)
        out, stub_dir = output or config.output, _stubs(stubs, config)
        watch_generate(
            lambda: run_generate(spec_paths, out, stub_dir, package or config.package),
            lambda result: watched(result, spec_paths, config.root, stub_dir, out),
            lambda result: _report_generated(result, output_format),
        )
        raise typer.Exit(0)
    if dry_run:
        planned = run_dry_run(
            _paths(paths, config),
            output or config.output,
            _stubs(stubs, config),
            package or config.package,
        )
        for letter, path in planned.statuses:
            typer.echo(f"{letter} {path}")
        tally = {
            letter: sum(s[0] == letter for s in planned.statuses) for letter in "WUDK"
        }
        _report(
            planned,
            output_format,
            _summary(planned)
            + f"; dry run: {tally['W']} to write, {tally['U']} unchanged, "
            f"{tally['D']} to delete, {tally['K']} kept",
        )
        raise typer.Exit(planned.exit_code)
    result = run_generate(
        _paths(paths, config),
        output or config.output,
        _stubs(stubs, config),
        package or config.package,
    )
    _report_generated(result, output_format)
    raise typer.Exit(result.exit_code)


def _report_generated(result: GenerateResult, output_format: OutputFormat) -> None:
    for path in result.written:
        typer.echo(f"wrote {path}", err=True)
    for path in result.removed:
        typer.echo(f"removed {path}", err=True)
    for path in result.stubs_written:
        typer.echo(f"wrote stub {path}", err=True)
    summary = _summary(result)
    if result.exit_code == 0:
        summary += f"; {len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed"
    _report(result, output_format, summary)


@app.command()
def check(
    paths: PathsArgument = None,
    output: OutputOption = None,
    stubs: StubsOption = None,
    package: PackageOption = None,
    output_format: FormatOption = OutputFormat.text,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff of the drift.")
    ] = False,
) -> None:
    """Fail (exit 1) when the generated tree differs from what the specs generate."""
    from flowc.api import check as run_check

    config = _config()
    result = run_check(
        _paths(paths, config),
        output or config.output,
        _stubs(stubs, config),
        package or config.package,
    )
    _report(result, output_format, _summary(result))
    if diff and result.diff:
        typer.echo(result.diff)
    raise typer.Exit(result.exit_code)


@app.command()
def convert(
    file: Annotated[Path, typer.Argument(help="A Markdown or YAML spec file.")],
    to: Annotated[str, typer.Option("--to", help="yaml or md")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout."),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Convert a spec between Markdown and YAML, without loss."""
    from flowc.api import Result
    from flowc.convert import convert_file

    if to not in ("yaml", "md"):
        typer.echo("flowc: --to must be yaml or md", err=True)
        raise typer.Exit(2)
    text, diagnostics = convert_file(file, "yaml" if to == "yaml" else "md")
    result = Result(system=None, diagnostics=diagnostics, files=[file])
    if text is None or not result.ok:
        _report(result, output_format, f"flowc: cannot convert {file}")
        raise typer.Exit(result.exit_code or 1)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command()
def run(
    output: OutputOption = None,
    stubs: StubsOption = None,
    package: PackageOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the generated system with uvicorn (python -m <package>)."""
    from flowc.api import system_name
    from flowc.checks.names import check_package_name
    from flowc.diagnostics import format_text

    config = _config()
    name = package or config.package or system_name([config.specs])
    problems = check_package_name(name, origin="the package to run")
    if problems:
        for problem in problems:
            typer.echo(format_text(problem), err=True)
        raise typer.Exit(2)
    env = dict(os.environ)
    folders = [
        str((output or config.output).resolve()),
        str(_stubs(stubs, config).resolve()),
    ]
    env["PYTHONPATH"] = os.pathsep.join([*folders, env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    prefix = naming.environment_prefix(name)
    env.setdefault(prefix + "HOST", host)
    env.setdefault(prefix + "PORT", str(port))
    # Replace this process, so that stopping `flowc run` stops the server too.
    os.execve(sys.executable, [sys.executable, "-m", name], env)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a flowc bug: say so in one line, never a traceback
        if os.environ.get("FLOWC_DEBUG"):
            raise
        print(
            f"flowc: internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in flowc, not in your spec; rerun with FLOWC_DEBUG=1 "
            "for the traceback and report it",
            file=sys.stderr,
        )
        sys.exit(2)
