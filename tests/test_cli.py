"""The ``flowc`` command line: commands, output formats, exit codes, config, schema."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command
from typer.testing import CliRunner, Result

import flowc
from flowc.api import validate as api_validate
from flowc.cli import app
from flowc.diagnostics import to_json
from flowc.scaffold import example_files

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
MISTAKES = REPO / "tests" / "fixtures" / "yaml" / "twelve-mistakes.flow.yaml"
MISTAKES_REL = MISTAKES.relative_to(REPO).as_posix()

SUMMARY = re.compile(
    r"^flowc: (ok|failed): \d+ files?(, \d+ flows?, \d+ models?, \d+ sagas?, \d+ services?)?; "
    r"\d+ errors?, \d+ warnings?, \d+ notes?$"
)
TEXT_HEAD = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<severity>error|warning|note)\[(?P<code>FLW\d{3})\] (?P<message>\S.*)$"
)
GITHUB = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),title=(?P<code>FLW\d{3})::(?P<message>\S.*)$"
)


def invoke(runner: CliRunner, *args: str) -> Result:
    """Run the CLI in-process; anything but a clean exit is a test failure."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(
        result.exception, SystemExit
    ), f"flowc {' '.join(args)} raised {result.exception!r}"
    assert "Traceback" not in result.output
    return result


def command_names() -> list[str]:
    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


# --- version and help ---------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"flowc {flowc.__version__}\n"


def test_python_m_flowc_version(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flowc", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"flowc {flowc.__version__}"


def test_help_lists_every_command_and_is_fast(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    timings: list[float] = []
    outputs: list[str] = []
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "flowc", "--help"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        timings.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    median = statistics.median(timings)
    print(
        f"\nflowc --help: median {median * 1000:.0f} ms over 5 runs "
        f"(min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms)"
    )
    names = command_names()
    assert {"validate", "schema", "init"} <= set(names)
    for name in names:
        assert re.search(rf"\b{re.escape(name)}\b", outputs[0]), f"{name} not in help"
    assert median < 1.5, f"flowc --help took {median:.2f} s (median of 5)"


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "validate" in result.output
    assert "Usage" in result.output


# --- validate: the example spec set --------------------------------------------


@pytest.mark.parametrize("folder", ["specs", "specs/yaml"])
def test_validate_example_prints_one_summary_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", folder)
    lines = result.stdout.splitlines()
    # the example's saga says how it runs: one FLW510 note
    assert len(lines) == 3 and "note[FLW510]" in lines[0], result.stdout
    assert SUMMARY.match(lines[-1]), lines[-1]
    assert lines[-1].startswith("flowc: ok: ")
    assert lines[-1].endswith("; 0 errors, 0 warnings, 1 note")
    assert result.stderr == ""
    assert result.exit_code == 0


def test_markdown_example_and_yaml_twin_describe_the_same_system(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files, flows, models, sagas and services counted alike in both syntaxes."""
    monkeypatch.chdir(REPO)
    markdown = invoke(runner, "validate", "specs").stdout.splitlines()[-1]
    twin = invoke(runner, "validate", "specs/yaml").stdout.splitlines()[-1]
    counts = re.compile(r"^flowc: \w+: (.*);")
    md_counts, yaml_counts = counts.match(markdown), counts.match(twin)
    assert md_counts and yaml_counts, (markdown, twin)
    assert md_counts.group(1) == yaml_counts.group(1)
    assert "1 flow" in md_counts.group(1)


# --- validate: output formats ----------------------------------------------------


def test_text_format_lines(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", MISTAKES_REL)
    assert result.exit_code == 1
    expected = api_validate([Path(MISTAKES_REL)]).diagnostics
    lines = result.stdout.splitlines()
    assert SUMMARY.match(lines[-1]) and lines[-1].startswith("flowc: failed: ")
    body = lines[:-1]
    heads: list[re.Match[str]] = []
    for index, line in enumerate(body):
        if line.startswith("  hint: "):
            assert index > 0 and TEXT_HEAD.match(body[index - 1]), line
            assert line.removeprefix("  hint: ").strip()
            continue
        head = TEXT_HEAD.match(line)
        assert head, f"not a diagnostic line: {line!r}"
        heads.append(head)
    assert len(heads) == len(expected) >= 12
    for head, diagnostic in zip(heads, expected, strict=True):
        assert head["file"] == MISTAKES_REL
        assert (int(head["line"]), int(head["col"])) == (
            diagnostic.location.line,
            diagnostic.location.column,
        )
        assert (head["severity"], head["code"], head["message"]) == (
            diagnostic.severity.value,
            diagnostic.code,
            diagnostic.message,
        )
    hints = [line for line in body if line.startswith("  hint: ")]
    assert len(hints) == sum(1 for d in expected if d.hint)
    assert result.stderr == ""


def test_json_format(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", "--output-format", "json", MISTAKES_REL)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    expected = api_validate([Path(MISTAKES_REL)]).diagnostics
    assert payload["diagnostics"] == [to_json(d) for d in expected]
    assert len(payload["diagnostics"]) >= 12
    for item in payload["diagnostics"]:
        assert set(item) == {
            "severity",
            "code",
            "message",
            "file",
            "line",
            "column",
            "hint",
        }
        assert item["file"] == MISTAKES_REL
        assert item["line"] >= 1 and item["column"] >= 1
    assert payload["exit_code"] == 1
    assert SUMMARY.match(payload["summary"])


def test_json_format_clean_run(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", "-f", "json", "specs")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    # only the saga that is not generated yet
    assert [d["code"] for d in payload["diagnostics"]] == ["FLW510"]
    assert payload["exit_code"] == 0


def test_json_format_prints_the_summary_on_stderr(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", "-f", "json", MISTAKES_REL)
    json.loads(result.stdout)  # stdout stays pure JSON
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), result.stderr


def test_github_format(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, "validate", "--output-format", "github", MISTAKES_REL)
    assert result.exit_code == 1
    expected = api_validate([Path(MISTAKES_REL)]).diagnostics
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) >= 12
    for line, diagnostic in zip(lines, expected, strict=True):
        match = GITHUB.match(line)
        assert match, f"not an annotation: {line!r}"
        assert match["level"] == "error"
        assert match["file"] == MISTAKES_REL
        assert (int(match["line"]), int(match["col"]), match["code"]) == (
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.code,
        )
        assert match["message"].startswith(diagnostic.message)
    assert (
        "::error file=" + MISTAKES_REL + ",line=2,col=1,title=FLW102::" in result.stdout
    )
    summary = result.stderr.splitlines()
    assert len(summary) == 1 and SUMMARY.match(summary[0]), result.stderr


def test_github_format_escapes_property_values(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ',' or ':' in the file name would end the property early; it is %-encoded."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b:c.flow.yaml").write_text("flowc: 1\nbogus: 1\n", encoding="utf-8")
    result = invoke(runner, "validate", "-f", "github", "a,b:c.flow.yaml")
    (line,) = result.stdout.splitlines()
    assert line.startswith(
        "::error file=a%2Cb%3Ac.flow.yaml,line=2,col=1,title=FLW102::"
    )
    assert result.exit_code == 1


def test_warnings_and_notes_use_their_own_levels(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    github = invoke(runner, "validate", "-f", "github", "empty.yaml")
    assert github.stdout.startswith(
        "::warning file=empty.yaml,line=1,col=1,title=FLW006::"
    )
    assert github.exit_code == 0  # a warning does not fail the run
    text = invoke(runner, "validate", "empty.yaml")
    assert text.stdout.startswith("empty.yaml:1:1: warning[FLW006] ")
    assert text.stdout.splitlines()[-1].startswith("flowc: ok: ")


# --- exit codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "specs"], 0),
        (["validate", MISTAKES_REL], 1),
        (["validate", "--output-format", "xml", "specs"], 2),
        (["validate", "--bogus"], 2),
        (["no-such-command"], 2),
        (["validate", "does/not/exist"], 2),
    ],
)
def test_exit_codes(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int
) -> None:
    monkeypatch.chdir(REPO)
    result = invoke(runner, *args)
    assert result.exit_code == code, result.output


def test_bad_option_exits_2_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flowc", "validate", "--output-format", "xml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert "xml" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# --- init -----------------------------------------------------------------------------

EXAMPLE = {
    "integration-patterns.md",
    "shared-concepts.md",
    "yaml/integration-patterns.flow.yaml",
    "yaml/shared-concepts.flow.yaml",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_init_writes_the_example(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new" / "specs"
    result = invoke(runner, "init", str(target))
    assert result.exit_code == 0
    tree = _tree(target)
    assert set(tree) >= EXAMPLE
    assert tree == example_files()
    for relative in EXAMPLE:
        assert f"wrote {target / relative}" in result.stderr
    assert result.stdout.strip() == f"flowc: {len(tree)} written, 0 kept in {target}"


def test_init_writes_what_validates(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "init").exit_code == 0  # default folder: specs
    result = invoke(runner, "validate")
    assert result.exit_code == 0, result.stdout
    # the example's saga (FLW510) is the one note
    assert result.stdout.splitlines()[-1].endswith("; 0 errors, 0 warnings, 1 note")


def test_init_yaml_twin_validates(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "init", str(tmp_path / "specs"))
    result = invoke(runner, "validate", str(tmp_path / "specs" / "yaml"))
    assert result.exit_code == 0, result.stdout


def test_init_twice_keeps_everything(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "specs"
    invoke(runner, "init", str(target))
    edited = target / "integration-patterns.md"
    edited.write_text("# My own flows\n", encoding="utf-8")
    before = _tree(target)
    again = invoke(runner, "init", str(target))
    assert again.exit_code == 0
    assert _tree(target) == before
    for relative in before:
        assert f"exists, kept {target / relative}" in again.stderr
    assert "wrote" not in again.stderr
    assert again.stdout.strip() == f"flowc: 0 written, {len(before)} kept in {target}"


def test_init_force_overwrites_a_modified_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "specs"
    invoke(runner, "init", str(target))
    edited = target / "yaml" / "integration-patterns.flow.yaml"
    edited.write_text("flowc: 1\n", encoding="utf-8")
    mine = target / "my-own.md"
    mine.write_text("# mine\n", encoding="utf-8")
    result = invoke(runner, "init", "--force", str(target))
    assert result.exit_code == 0
    assert edited.read_bytes() == example_files()["yaml/integration-patterns.flow.yaml"]
    assert mine.read_text(encoding="utf-8") == "# mine\n"  # not part of the example
    assert f"wrote {edited}" in result.stderr


def test_init_into_a_file_is_an_io_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "specs"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke(runner, "init", str(blocker))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


# --- configuration ------------------------------------------------------------------------

BROKEN_SPEC = "flowc: 1\nbogus_key: 1\n"


def _project(root: Path, config_name: str, config_text: str) -> None:
    (root / config_name).write_text(config_text, encoding="utf-8")
    (root / "myspecs").mkdir()
    (root / "myspecs" / "mine.flow.yaml").write_text(BROKEN_SPEC, encoding="utf-8")
    # A default-named folder that must NOT be read when the config points elsewhere.
    (root / "specs").mkdir()
    (root / "specs" / "default.flow.yaml").write_text("flowc: 1\nwrong: 1\n")


@pytest.mark.parametrize(
    ("config_name", "config_text"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "demo"\n\n[tool.flowc]\nspecs = "myspecs"\n',
        ),
        ("flowc.toml", 'specs = "myspecs"\n'),
    ],
)
def test_config_sets_the_default_spec_folder(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config_name: str,
    config_text: str,
) -> None:
    _project(tmp_path, config_name, config_text)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert result.exit_code == 1
    assert "myspecs/mine.flow.yaml:2:1: error[FLW102]" in result.stdout
    assert "default.flow.yaml" not in result.stdout
    # The config is found from a subfolder too.
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    nested = invoke(runner, "validate")
    assert nested.exit_code == 1
    assert "myspecs/mine.flow.yaml:2:1: error[FLW102]" in nested.stdout


def test_paths_on_the_command_line_beat_the_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, "flowc.toml", 'specs = "myspecs"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate", "specs")
    assert "specs/default.flow.yaml:2:1: error[FLW102]" in result.stdout
    assert "mine.flow.yaml" not in result.stdout


def test_flowc_toml_wins_over_pyproject(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, "flowc.toml", 'specs = "myspecs"\n')
    (tmp_path / "pyproject.toml").write_text('[tool.flowc]\nspecs = "specs"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert "mine.flow.yaml" in result.stdout
    assert "default.flow.yaml" not in result.stdout


def test_pyproject_without_tool_flowc_uses_defaults(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert "specs/default.flow.yaml:2:1: error[FLW102]" in result.stdout
    assert "mine.flow.yaml" not in result.stdout


@pytest.mark.parametrize(
    ("config_name", "config_text", "says"),
    [
        ("flowc.toml", 'specs = ["unclosed"\n', "flowc.toml"),
        ("flowc.toml", 'spec = "typo"\n', "spec"),
        ("flowc.toml", "specs = 3\n", "specs"),
        ("pyproject.toml", "[tool]\nflowc = 3\n", "[tool.flowc] must be a table"),
        ("pyproject.toml", '[tool.flowc]\nspecs = "x"\nunknown = 1\n', "unknown"),
        ("pyproject.toml", "[tool.flowc\n", "pyproject.toml"),
    ],
)
def test_bad_config_is_a_message_and_exit_2(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config_name: str,
    config_text: str,
    says: str,
) -> None:
    (tmp_path / config_name).write_text(config_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("flowc: ")
    assert says in result.stderr
    assert result.stdout == ""


def test_bad_config_has_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "flowc.toml").write_text("specs = = =\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "flowc", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert "flowc.toml" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# --- schema ------------------------------------------------------------------------------------


def _jsonschema() -> Any:
    return pytest.importorskip(
        "jsonschema",
        reason="jsonschema is not installed (it belongs in the test extra)",
    )


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    _jsonschema()
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def _validator(schema: dict[str, Any]) -> Any:
    cls = _jsonschema().validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_schema_is_a_draft_2020_12_schema_with_an_id(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")
    jsonschema = _jsonschema()
    assert (
        jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert {"flows", "models", "sagas"} <= set(schema["properties"])


_YAML_SPECS = sorted((SPECS / "yaml").glob("*.y*ml"))


@pytest.mark.parametrize("path", _YAML_SPECS, ids=[p.name for p in _YAML_SPECS])
def test_schema_accepts_the_example_yaml(schema: dict[str, Any], path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator(schema).iter_errors(document)]
    assert errors == [], errors


def test_example_yaml_points_editors_at_the_schema(schema: dict[str, Any]) -> None:
    assert len(_YAML_SPECS) >= 2
    for path in _YAML_SPECS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema['$id']}", path


@pytest.mark.parametrize(
    "document",
    [
        {"flowc": 1, "flwos": []},
        {"flowc": 1, "flows": [{"name": "X", "trigerr": "now"}]},
        {"flowc": 2},
        {
            "flows": [
                {"name": "X", "errors": [{"error": "E", "handler": "A", "http": "x"}]}
            ]
        },
    ],
    ids=["unknown-top-level-key", "unknown-flow-key", "wrong-version", "wrong-type"],
)
def test_schema_rejects_what_the_reader_rejects(
    schema: dict[str, Any], document: dict[str, Any]
) -> None:
    assert not _validator(schema).is_valid(document)


def test_schema_rejects_the_mistakes_fixture(schema: dict[str, Any]) -> None:
    document = yaml.safe_load(MISTAKES.read_text(encoding="utf-8"))
    messages = [e.message for e in _validator(schema).iter_errors(document)]
    assert any("flwos" in message for message in messages), messages


# --- the generated package's name -------------------------------------------------------------


def test_yaml_twin_generates_the_same_package_as_the_markdown_set(
    tmp_path: Path,
) -> None:
    from flowc.api import system_name

    project = tmp_path / "shop"
    (project / "specs" / "yaml").mkdir(parents=True)
    markdown = system_name([project / "specs"])
    twin = system_name([project / "specs" / "yaml"])
    assert markdown == "shop"
    assert twin == markdown


# --- docs/cli.md keeps up with the commands ------------------------------------------------


def test_cli_doc_covers_every_command_and_option() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    group = get_command(app)
    checked = 0
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        assert f"## flowc {name}" in doc, f"docs/cli.md has no section for {name}"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in doc, f"docs/cli.md does not mention {name} {opt}"
                    checked += 1
    assert checked >= 10  # the walk really sees the options
