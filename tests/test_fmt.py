"""``flowc fmt``: tables aligned, YAML indented one way, comments kept, the
document unchanged in meaning, and a second run changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, SPECS
from flowc.cli import app
from flowc.fmt import format_spec
from flowc.frontends import read_document
from flowc.model import Document
from flowc.rules import rule_code

_TABLE = """\
# Shared Concepts

## Order (entity)

<!-- a comment the formatter keeps -->

| Field | Type | Required | Description |
|---|:---:|--:|---|
| id | uuid | yes | The order \\| its number |
| customer_email | email | no | Who placed it |

Text after the table, | with a pipe, stays as it is.
"""

_ALIGNED = """\
| Field          | Type  | Required | Description             |
| -------------- | :---: | -------: | ----------------------- |
| id             | uuid  | yes      | The order \\| its number |
| customer_email | email | no       | Who placed it           |
"""

_YAML = """\
# yaml-language-server: $schema=https://flowc.dev/schemas/flow-spec.schema.json
flowc: 1
flows:
- name: Product Search   # the storefront's search box
  trigger: "GET /search"
  steps:
      - {request: GET /search, from: Client, to: Gateway}
      - {respond: 200 OK, from: Gateway, to: Client}
models:
    Product:
        kind: entity
        fields:
        - {name: sku, type: string}
"""


def test_tables_are_aligned_and_nothing_else_changes() -> None:
    formatted = format_spec(_TABLE, "concepts.md")
    before, after = _TABLE.splitlines(), formatted.splitlines()
    table = [n for n, line in enumerate(before) if line.startswith("|")]
    assert [after[n] for n in table] == _ALIGNED.splitlines()
    assert [a for n, a in enumerate(after) if n not in table] == [
        b for n, b in enumerate(before) if n not in table
    ]


def test_yaml_is_indented_one_way_with_comments_kept() -> None:
    formatted = format_spec(_YAML, "search.flow.yaml")
    assert formatted.startswith("# yaml-language-server: $schema=")
    assert "  - name: Product Search # the storefront's search box" in formatted
    assert '    trigger: "GET /search"' in formatted
    assert "      - {request: GET /search, from: Client, to: Gateway}" in formatted
    assert "  Product:\n    kind: entity" in formatted


def _spec_files() -> list[Path]:
    folders = [SPECS, SPECS / "yaml", *sorted(CORPUS.iterdir())]
    return [
        path
        for folder in folders
        for path in sorted(folder.iterdir())
        if path.suffix in {".md", ".yaml", ".yml"}
    ]


@pytest.mark.parametrize(
    "path", _spec_files(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_formatting_keeps_the_meaning_and_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_spec(text, path.name)
    assert format_spec(once, path.name) == once
    before, _ = read_document(text, path.name)
    after, _ = read_document(once, path.name)
    assert before is not None and after is not None
    assert _silenced(before) == _silenced(after)
    assert _same_but_places(_unsilenced(before), _unsilenced(after))


def _silenced(document: Document) -> dict[str, set[str]]:
    """Flow name -> the rule codes silenced in it, by flowc-disable or by an
    ignore comment (the form fmt rewrites flowc-disable into)."""
    found: dict[str, set[str]] = {}
    for flow in document.flows:
        codes = {rule_code(name) or name for name in flow.suppress}
        codes |= {
            rule_code(written) or written
            for ignore in document.suppressions
            if ignore.first_line <= flow.loc.line <= ignore.last_line
            for written in ignore.codes
        }
        found[flow.name] = codes
    return found


def _unsilenced(document: Document) -> dict[str, object]:
    """The document as data, less what ``_silenced`` compares."""
    data = document.model_dump()
    data["suppressions"] = []
    for flow in data["flows"]:
        flow["suppress"] = ()
    return data


def _same_but_places(a: object, b: object) -> bool:
    """Equal, except where things are: aligning a table moves cells along
    their line, and a diagram written again may take other lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) == {"file", "line", "column"}:
            return a["file"] == b["file"]
        lines = {"first_line", "last_line"}  # an ignore's lines are places too
        return a.keys() == b.keys() and all(
            _same_but_places(a[k], b[k]) for k in a if k not in lines
        )
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(
            _same_but_places(x, y) for x, y in zip(a, b, strict=True)
        )
    return a == b


def test_diagrams_are_written_as_convert_writes_them() -> None:
    from flowc.convert import diagrams
    from flowc.frontends.markdown import read_markdown

    text = (SPECS / "integration-patterns.md").read_text(encoding="utf-8")
    formatted = format_spec(text, "integration-patterns.md")
    document, _ = read_markdown(text, "integration-patterns.md")
    assert document is not None
    assert diagrams.sequence_text(document.flows[0]) in formatted
    assert diagrams.saga_text(document.sagas[0]) in formatted
    assert "    Client->>Gateway: POST /register\n" in formatted


def test_a_diagram_flowc_cannot_read_is_left_as_written() -> None:
    text = (SPECS / "integration-patterns.md").read_text(encoding="utf-8")
    broken = text.replace(
        "    Client->>Gateway: POST /register\n",
        "    Client->>Gateway: POST /register\n    alt never closed\n",
    )
    formatted = format_spec(broken, "integration-patterns.md")
    start = broken.index("```mermaid")
    fence = broken[start : broken.index("```\n", start + 3)]
    assert fence in formatted


def _fmt(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["fmt", *args])
    return result.exit_code, result.stdout, result.stderr


def test_check_fails_on_an_unformatted_spec_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "concepts.md"
    spec.write_text(_TABLE)
    code, stdout, _ = _fmt(str(tmp_path), "--check")
    assert code == 1 and f"would reformat {spec.as_posix()}" in stdout.replace(
        str(tmp_path), tmp_path.as_posix()
    )
    assert spec.read_text() == _TABLE
    code, stdout, _ = _fmt(str(tmp_path), "--diff")
    assert code == 1 and "+| Field          | Type  |" in stdout


def test_fmt_writes_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    (tmp_path / "specs" / "concepts.md").write_text(_TABLE)
    (tmp_path / "specs" / "yaml" / "search.flow.yaml").write_text(_YAML)
    assert _fmt(str(tmp_path / "specs"))[0] == 0
    assert _fmt(str(tmp_path / "specs" / "yaml"))[0] == 0
    assert (
        "# the storefront's search box"
        in (tmp_path / "specs" / "yaml" / "search.flow.yaml").read_text()
    )
    assert _fmt(str(tmp_path / "specs"), "--check")[0] == 0
    assert _fmt(str(tmp_path / "specs" / "yaml"), "--check")[0] == 0


def test_yaml_that_does_not_parse_is_reported_not_written(tmp_path: Path) -> None:
    spec = tmp_path / "broken.flow.yaml"
    spec.write_text("flows:\n  - name: [unclosed\n")
    code, _, stderr = _fmt(str(tmp_path))
    assert code == 1 and "error[FLW101]" in stderr
    assert spec.read_text() == "flows:\n  - name: [unclosed\n"


_DISABLED = """\
<!-- flowc-disable: chatty-services, FLW705 --> kept text

```markdown
<!-- flowc-disable: chatty-services -->
```
"""


def test_flowc_disable_is_rewritten_as_an_ignore_outside_code() -> None:
    formatted = format_spec(_DISABLED, "concepts.md")
    assert formatted.splitlines()[0] == (
        "<!-- flowc: ignore[chatty-services, FLW705] "
        "(no reason written: rewritten from flowc-disable) --> kept text"
    )
    assert "```markdown\n<!-- flowc-disable: chatty-services -->\n```" in formatted
    assert format_spec(formatted, "concepts.md") == formatted
