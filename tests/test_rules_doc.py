"""docs/rules.md is generated from flowc.rules.RULES, and no code goes undocumented."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from flowc.api import validate

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "gen_rules_doc.py"
DOC = REPO / "docs" / "rules.md"
SRC = REPO / "src" / "flowc"
CODE = re.compile(r"\bFLW\d{3}\b")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rules_doc", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_rules_doc", module)
    spec.loader.exec_module(module)
    return module


gen = _load_script()


def test_committed_rules_doc_is_the_scripts_output() -> None:
    expected = gen.render()
    assert (
        DOC.is_file()
    ), "docs/rules.md is missing: run python scripts/gen_rules_doc.py"
    assert (
        DOC.read_text(encoding="utf-8") == expected
    ), "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_doc_has_one_row_per_rule_under_its_group_heading() -> None:
    rules = gen.load_all_rules()
    text = gen.render()
    rows = re.findall(r"^\| (FLW\d{3}) \| `([^`]+)` \| (\w+) \|", text, re.MULTILINE)
    assert sorted(code for code, _, _ in rows) == sorted(rules)
    for code, name, severity in rows:
        rule = rules[code]
        assert (name, severity) == (rule.name, rule.severity.value)
    # each row sits below the heading of its range
    headings = [(m.start(), m.group(1)) for m in re.finditer(r"^### (.+)$", text, re.M)]
    for match in re.finditer(r"^\| (FLW\d{3}) \|", text, re.MULTILINE):
        above = [title for start, title in headings if start < match.start()]
        assert above and above[-1] == gen.group_of(match.group(1)), match.group(1)


def test_groups_follow_the_code_ranges() -> None:
    assert gen.group_of("FLW001") == "Input"
    assert gen.group_of("FLW106") == "YAML"
    assert gen.group_of("FLW110") == "Values"
    assert gen.group_of("FLW211") == "Markdown"
    assert gen.group_of("FLW330") == "Mermaid"
    assert gen.group_of("FLW409") == "Names & references"
    assert gen.group_of("FLW501") == "Sagas & choreography"
    assert gen.group_of("FLW603") == "Transformations & Schema.org"
    assert gen.group_of("FLW701") == "Lint"
    assert gen.group_of("FLW802") == "Output"
    assert gen.group_of("FLW903") == "Breaking changes"
    with pytest.raises(ValueError, match="FLW1001"):
        gen.group_of("FLW1001")


def test_doc_explains_diagnostics_and_suppression() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "<!-- flowc-disable: chatty-services -->" in text
    assert "suppress: [chatty-services]" in text
    assert "hint:" in text
    assert re.search(r"^\S+:\d+:\d+: error\[FLW\d{3}\] ", text, re.MULTILINE)


def test_check_mode_fails_on_a_stale_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "docs" / "rules.md"
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "DOC", stale)
    assert gen.main(["--check"]) == 1  # missing
    assert gen.main([]) == 0  # writes it
    assert stale.read_text(encoding="utf-8") == gen.render()
    assert gen.main(["--check"]) == 0
    stale.write_text(stale.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert gen.main(["--check"]) == 1


# --- no code is used without being documented ---------------------------------


def _source_files() -> list[object]:
    return [
        pytest.param(path, id=path.relative_to(SRC).as_posix())
        for path in sorted(SRC.rglob("*.py"))
        if CODE.search(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("path", _source_files())
def test_every_code_in_the_source_is_a_documented_rule(path: Path) -> None:
    rules = gen.load_all_rules()
    used = set(CODE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(used - set(rules))
    assert not missing, f"{path.relative_to(REPO)} uses undocumented codes {missing}"


def test_the_scan_sees_the_codes_it_should() -> None:
    """Guard for the test above: the scan really finds codes in the source."""
    files = {p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")}
    assert "rules.py" in files
    found = set(CODE.findall((SRC / "rules.py").read_text(encoding="utf-8")))
    assert {"FLW001", "FLW102", "FLW701", "FLW804"} <= found


# --- the suppression the page documents really works ---------------------------

_CHATTY_YAML = """\
flowc: 1
flows:
  - name: Product Search
{suppress}    steps:
      - {{request: GET /search, from: Client, to: Gateway}}
{calls}      - {{respond: 200 OK, from: Gateway, to: Client}}
"""
_CALL = (
    "      - {{call: Lookup{n}, from: Gateway, to: Catalog}}\n"
    "      - {{reply: Item{n}, from: Catalog, to: Gateway}}\n"
)


def _chatty_yaml(suppress: str) -> str:
    calls = "".join(_CALL.format(n=n) for n in range(5))
    return _CHATTY_YAML.format(suppress=suppress, calls=calls)


@pytest.mark.parametrize("suppress", ["[chatty-services]", "[FLW701]"])
def test_yaml_suppress_silences_the_rule_for_that_flow(
    tmp_path: Path, suppress: str
) -> None:
    loud = tmp_path / "loud.flow.yaml"
    loud.write_text(_chatty_yaml(""), encoding="utf-8")
    quiet = tmp_path / "quiet.flow.yaml"
    quiet.write_text(_chatty_yaml(f"    suppress: {suppress}\n"), encoding="utf-8")
    assert "FLW701" in {d.code for d in validate([loud]).diagnostics}
    assert "FLW701" not in {d.code for d in validate([quiet]).diagnostics}


_CHATTY_MD = """\
# Integration Patterns

## Key Flows

### Product Search

**Trigger**: `GET /search`
**Outcome**: Matching products
{comment}
```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant Catalog
    Client->>Gateway: GET /search
{calls}    Gateway-->>Client: 200 OK
```
"""


def _chatty_md(comment: str) -> str:
    calls = "".join(
        f"    Gateway->>Catalog: Lookup{n}\n    Catalog-->>Gateway: Item{n}\n"
        for n in range(5)
    )
    return _CHATTY_MD.format(comment=comment, calls=calls)


def test_markdown_comment_silences_the_rule_for_that_flow(tmp_path: Path) -> None:
    loud = tmp_path / "loud.md"
    loud.write_text(_chatty_md(""), encoding="utf-8")
    quiet = tmp_path / "quiet.md"
    quiet.write_text(
        _chatty_md("\n<!-- flowc-disable: chatty-services -->\n"), encoding="utf-8"
    )
    assert "FLW701" in {d.code for d in validate([loud]).diagnostics}
    assert "FLW701" not in {d.code for d in validate([quiet]).diagnostics}


def test_yaml_suppress_with_an_unknown_rule_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "typo.flow.yaml"
    path.write_text(_chatty_yaml("    suppress: [chatty-servces]\n"), encoding="utf-8")
    codes = [d.code for d in validate([path]).diagnostics]
    assert "FLW211" in codes
    assert "FLW701" in codes  # the misspelt rule is not silenced


def test_markdown_disable_with_an_unknown_rule_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "typo.md"
    path.write_text(
        _chatty_md("\n<!-- flowc-disable: chatty-servces -->\n"), encoding="utf-8"
    )
    codes = [d.code for d in validate([path]).diagnostics]
    assert "FLW211" in codes
    assert "FLW701" in codes
