"""Names that cannot become Python, or would shadow what the generated code uses.

Every such name is a diagnostic at its line (never an internal error, never a
silent rename); model field names are wire names and may be anything printable.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowc.api import validate
from flowc.checks import reserved
from flowc.checks.names import check_package_name
from flowc.cli import app
from flowc.rules import RULES

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates" / "python"
TEXT_HEAD = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<severity>error|warning|note)\[(?P<code>FLW\d{3})\] (?P<message>\S.*)$"
)
NAME_RULES = {"FLW403", "FLW404", "FLW405", "FLW420", "FLW421", "FLW422"}
LONG = "Very" + "long" * 25  # 104 characters
ZWSP = "\u200b"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` holding ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the spec")


def _found(path: Path) -> set[tuple[int, str]]:
    result = validate([path], package="shop")
    return {(d.location.line, d.code) for d in result.diagnostics}


def _yaml_spec(
    *,
    model: str = "Customer",
    field: str = "email",
    flow: str = "Place Order",
    service: str = "OrderService",
    operation: str = "CreateOrder",
    step: str = "Check stock",
    event: str = "OrderCreated",
    error: str = "Out of stock",
    saga_step: str = "Reserve",
) -> str:
    """A small spec whose names are YAML double-quoted strings (escapes allowed)."""
    return f"""flowc: 1
models:
  "{model}":
    fields:
      - {{name: "{field}", type: string}}
flows:
  - name: "{flow}"
    steps:
      - {{request: POST /orders, from: Client, to: Gateway}}
      - {{call: "{operation}", from: Gateway, to: "{service}"}}
      - {{local: "{step}", by: "{service}"}}
      - {{publish: "{event}", from: "{service}"}}
      - {{reply: Done, from: "{service}", to: Gateway}}
      - {{respond: 201 Created, from: Gateway, to: Client}}
    errors:
      - {{error: "{error}", handler: Gateway, http: 409}}
sagas:
  - name: Order Saga
    steps:
      - {{id: S1, label: "{saga_step}"}}
"""


def test_the_small_spec_is_clean(tmp_path: Path) -> None:
    path = _write(tmp_path, "shop.flow.yaml", _yaml_spec())
    result = validate([path], package="shop")
    assert not [d for d in result.diagnostics if d.code in NAME_RULES], [
        f"{d.location} {d.code} {d.message}" for d in result.diagnostics
    ]


KINDS = {
    "model": ("model", '  "{}":'),
    "field": ("field", '      - {{name: "{}"'),
    "flow": ("flow", '  - name: "{}"'),
    "service": ("service", 'to: "{}"}}'),
    "operation": ("operation", '{{call: "{}"'),
    "step": ("local step", '{{local: "{}"'),
    "event": ("event", '{{publish: "{}"'),
    "error": ("error", '{{error: "{}"'),
    "saga_step": ("saga", 'label: "{}"'),
}
HOSTILE = [
    ("Bad\\x01Name", "FLW420"),  # a control character, as a YAML escape
    ("Nul\\0Name", "FLW420"),  # NUL
    ("Tab\\tName", "FLW420"),
    (f"Zero{ZWSP}Width", "FLW420"),  # zero-width space, as the character itself
    ("Bidi\\u202eName", "FLW420"),  # right-to-left override (Cf)
    ("Soft\\u00adHyphen", "FLW420"),
    (LONG, "FLW421"),
]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("name", "code"), HOSTILE)
def test_hostile_name_is_a_diagnostic_at_its_line(
    tmp_path: Path, kind: str, name: str, code: str
) -> None:
    text = _yaml_spec(**{kind: name})
    path = _write(tmp_path, "shop.flow.yaml", text)
    line = _line(text, KINDS[kind][1].format(name))
    result = validate([path], package="shop")
    found = {(d.location.line, d.code) for d in result.diagnostics}
    assert (line, code) in found, sorted(found)
    hit = next(d for d in result.diagnostics if d.code == code)
    assert KINDS[kind][0] in hit.message and hit.hint
    assert hit.message.isprintable() and len(hit.message) < 300


@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"field"}))
@pytest.mark.parametrize("name", ["123", "!!!", "4 0 4"])
def test_a_name_without_letters_is_rejected(
    tmp_path: Path, kind: str, name: str
) -> None:
    text = _yaml_spec(**{kind: name})
    path = _write(tmp_path, "shop.flow.yaml", text)
    line = _line(text, KINDS[kind][1].format(name))
    assert (line, "FLW405") in _found(path)


def test_a_hundred_characters_are_fine(tmp_path: Path) -> None:
    name = "A" + "b" * 99
    text = _yaml_spec(model=name, field=name.lower(), flow=name)
    found = _found(_write(tmp_path, "shop.flow.yaml", text))
    assert not {code for _, code in found} & {"FLW421", "FLW420"}


# --- model fields are wire names ------------------------------------------------


def _fields_spec(*names: str) -> str:
    rows = "\n".join(f'      - {{name: "{n}", type: string}}' for n in names)
    return f"flowc: 1\nmodels:\n  Customer:\n    fields:\n{rows}\n"


@pytest.mark.parametrize(
    "name", ["given-name", "@id", "class", "None", "self", "json", "schema", "$ref"]
)
def test_field_names_may_be_any_printable_wire_name(tmp_path: Path, name: str) -> None:
    found = _found(_write(tmp_path, "c.flow.yaml", _fields_spec("email", name)))
    assert not {code for _, code in found} & NAME_RULES, sorted(found)


@pytest.mark.parametrize(
    ("first", "second"),
    [("given_name", "givenName"), ("given-name", "Given Name"), ("class", "class_")],
)
def test_fields_that_become_one_attribute_clash(
    tmp_path: Path, first: str, second: str
) -> None:
    text = _fields_spec(first, second)
    found = _found(_write(tmp_path, "c.flow.yaml", text))
    assert (_line(text, f'"{second}"'), "FLW404") in found


@pytest.mark.parametrize(
    ("name", "code"), [("a\\x00b", "FLW420"), (f"a{ZWSP}b", "FLW420"), (LONG, "FLW421")]
)
def test_field_names_still_hold_no_invisible_characters(
    tmp_path: Path, name: str, code: str
) -> None:
    text = _fields_spec("email", name)
    found = _found(_write(tmp_path, "c.flow.yaml", text))
    assert (_line(text, name), code) in found


# --- names that would shadow what the generated code uses ------------------------


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("model", "BaseModel"),
        ("model", "Field"),
        ("model", "ConfigDict"),
        ("model", "UUID"),
        ("model", "date"),
        ("service", "Runtime"),
        ("service", "Events"),
        ("service", "Name"),
        ("operation", "Runtime"),
        ("operation", "name"),
        ("operation", "Subscribe Consumers"),
        ("step", "Events"),
    ],
)
def test_shadowing_names_are_rejected_at_their_line(
    tmp_path: Path, kind: str, name: str
) -> None:
    text = _yaml_spec(**{kind: name})
    path = _write(tmp_path, "shop.flow.yaml", text)
    result = validate([path], package="shop")
    line = _line(text, KINDS[kind][1].format(name))
    hits = [
        d for d in result.diagnostics if d.code == "FLW422" and d.location.line == line
    ]
    assert hits, sorted((d.location.line, d.code) for d in result.diagnostics)
    assert "shadow" in hits[0].message and hits[0].hint


def test_reserved_tables_are_documented_identifiers() -> None:
    assert reserved.__doc__ and "why" in reserved.__doc__.lower()
    for table in (
        reserved.MODEL_NAMES,
        reserved.SERVICE_NAMES,
        reserved.OPERATION_NAMES,
        reserved.PACKAGE_NAMES,
    ):
        assert table and len(table) < 30
        for name, reason in table.items():
            assert name.isidentifier() and reason


def _imported_names(source: str) -> set[str]:
    tree = ast.parse(source)
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }


def test_model_names_cover_what_generated_models_import() -> None:
    modules = sorted((REPO / "generated" / "signup" / "models").glob("*.py"))
    imported = {
        name
        for module in modules
        if module.name != "__init__.py"  # it imports the model classes themselves
        for name in _imported_names(module.read_text(encoding="utf-8"))
    }
    assert imported and imported <= set(reserved.MODEL_NAMES), imported - set(
        reserved.MODEL_NAMES
    )


def test_package_names_cover_the_libraries_the_templates_import() -> None:
    modules: set[str] = set()
    for template in TEMPLATES.glob("*.j2"):
        for match in re.finditer(
            r"^\s*(?:from|import) ([a-z_][a-z0-9_]*)",
            template.read_text(encoding="utf-8"),
            re.MULTILINE,
        ):
            modules.add(match.group(1))
    third_party = modules - set(sys.stdlib_module_names)
    assert third_party and third_party <= set(reserved.PACKAGE_NAMES), third_party


# --- the package name ------------------------------------------------------------


@pytest.mark.parametrize("name", ["signup", "shop_2", "order_service"])
def test_good_package_names(name: str) -> None:
    assert check_package_name(name) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("1bad", "FLW405"),
        ("1_bad", "FLW405"),
        ("Shop", "FLW405"),
        ("my-shop", "FLW405"),
        ("my shop", "FLW405"),
        ("../shop", "FLW405"),
        ("café", "FLW405"),
        ("class", "FLW403"),
        ("json", "FLW422"),
        ("typing", "FLW422"),
        ("fastapi", "FLW422"),
        ("pydantic", "FLW422"),
        ("httpx", "FLW422"),
        ("stamina", "FLW422"),
        ("purgatory", "FLW422"),
        ("uvicorn", "FLW422"),
        ("starlette", "FLW422"),
        ("typing_extensions", "FLW422"),
        ("anyio", "FLW422"),
        ("tests", "FLW422"),
        ("a\x00b", "FLW420"),
        ("a\u200bb", "FLW420"),
        ("a" * 101, "FLW421"),
    ],
)
def test_bad_package_names(name: str, code: str) -> None:
    found = check_package_name(name)
    assert [d.code for d in found] == [code]
    assert found[0].hint and found[0].message.isprintable()


def test_new_rules_are_in_the_table() -> None:
    for code in ("FLW420", "FLW421", "FLW422"):
        assert RULES[code].summary


# --- through the command line ----------------------------------------------------

HOSTILE_MD = f"""# Integration Patterns

## Key Flows

### Sign{ZWSP}up

**Trigger**: `POST /signup`
**Outcome**: The account exists

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant User{ZWSP}Service
    participant Runtime
    participant Json
    participant Request
    participant App
    participant Copy
    Client->>Gateway: POST /signup
    Gateway->>User{ZWSP}Service: Create{ZWSP}User
    User{ZWSP}Service-->>Gateway: ok
    Gateway->>Runtime: Check
    Runtime-->>Gateway: ok
    Gateway->>Json: Name
    Json-->>Gateway: ok
    Gateway->>Request: Events
    Request-->>Gateway: ok
    Gateway->>App: Validate
    App-->>Gateway: ok
    Gateway->>Copy: Schema
    Copy-->>Gateway: ok
    Gateway->>Gateway: {LONG}
    Gateway->>Gateway: 123
    Gateway->>Gateway: Self
    Gateway->>Gateway: Do\u202eit
    Gateway-->>Client: 200 OK
```

**Error Handling**:

| Error | Handler | HTTP | Recovery |
|-------|---------|------|----------|
| Bad\x01thing | Gateway | 400 | Fix the request |
"""

HOSTILE_YAML = """flowc: 1
models:
  "Nul\\0Model":
    fields:
      - {name: x, type: string}
  BaseModel:
    fields:
      - {name: x, type: string}
  Field:
    fields:
      - {name: x, type: string}
  Schema:
    fields:
      - {name: "given-name", type: string}
      - {name: "@id", type: string}
      - {name: "class", type: string}
      - {name: "None", type: string}
      - {name: "self", type: string}
      - {name: "json", type: string}
      - {name: "copy\\u200b", type: string}
      - {name: "tab\\there", type: string}
"""


def test_every_hostile_name_through_the_cli(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "shop" / "specs"
    _write(specs, "integration-patterns.md", HOSTILE_MD)
    _write(specs, "models.flow.yaml", HOSTILE_YAML)
    monkeypatch.chdir(tmp_path / "shop")
    result = runner.invoke(app, ["validate", "specs"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    found: set[tuple[str, int, str]] = set()
    for line in result.stdout.splitlines():
        assert line.isprintable(), line
        head = TEXT_HEAD.match(line)
        if head:
            found.add((head["file"], int(head["line"]), head["code"]))
    md, yml = "specs/integration-patterns.md", "specs/models.flow.yaml"
    expected = {
        (md, _line(HOSTILE_MD, "### Sign"), "FLW420"),  # flow
        (md, _line(HOSTILE_MD, "participant User"), "FLW420"),  # service
        (md, _line(HOSTILE_MD, "Create\u200bUser"), "FLW420"),  # operation
        (md, _line(HOSTILE_MD, "participant Runtime"), "FLW422"),  # service
        (md, _line(HOSTILE_MD, ": Name"), "FLW422"),  # operation
        (md, _line(HOSTILE_MD, ": Events"), "FLW422"),  # operation
        (md, _line(HOSTILE_MD, LONG), "FLW421"),  # local step
        (md, _line(HOSTILE_MD, ": 123"), "FLW405"),  # local step
        (md, _line(HOSTILE_MD, "Do\u202eit"), "FLW420"),  # local step
        (md, _line(HOSTILE_MD, "Bad\x01thing"), "FLW420"),  # error
        (yml, _line(HOSTILE_YAML, "Nul"), "FLW420"),  # model, NUL
        (yml, _line(HOSTILE_YAML, "BaseModel:"), "FLW422"),  # model
        (yml, _line(HOSTILE_YAML, "Field:"), "FLW422"),  # model
        (yml, _line(HOSTILE_YAML, "copy"), "FLW420"),  # field
        (yml, _line(HOSTILE_YAML, "tab"), "FLW420"),  # field
    }
    assert expected <= found, sorted(expected - found)
    # Wire names and the names the generator makes safe by construction pass.
    accepted = [
        (md, "participant Json"),
        (md, "participant Request"),
        (md, "participant App"),
        (md, ": Validate"),
        (md, ": Schema"),
        (md, ": Self"),
        (yml, "Schema:"),
        (yml, "given-name"),
        (yml, "@id"),
        (yml, '"class"'),
        (yml, '"None"'),
        (yml, '"self"'),
        (yml, '"json"'),
    ]
    for file, needle in accepted:
        text = HOSTILE_MD if file == md else HOSTILE_YAML
        line = _line(text, needle)
        assert (
            not {code for f, n, code in found if f == file and n == line} & NAME_RULES
        ), needle


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("flag-digit", "FLW405"),
        ("flag-stdlib", "FLW422"),
        ("config", "FLW422"),
        ("folder-space", "FLW405"),
        ("folder-json", "FLW422"),
    ],
)
def test_package_name_is_validated_wherever_it_comes_from(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
    code: str,
) -> None:
    folder = {"folder-space": "1 bad", "folder-json": "json"}.get(how, "shop")
    project = tmp_path / folder
    _write(project / "specs", "shop.flow.yaml", _yaml_spec())
    if how == "config":
        _write(project, "pyproject.toml", '[tool.flowc]\npackage = "asyncio"\n')
    flag = {"flag-digit": ["--package", "2shop"], "flag-stdlib": ["--package", "json"]}
    commands = [["generate", "specs", "-o", str(tmp_path / "out"), *flag.get(how, [])]]
    if how not in flag:  # validate has no --package flag
        commands.append(["validate", "specs"])
    monkeypatch.chdir(project)
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "internal error" not in result.output
        assert result.exit_code == 1, result.output
        heads = [TEXT_HEAD.match(line) for line in result.stdout.splitlines()]
        codes = {h["code"] for h in heads if h and "package name" in h["message"]}
        assert codes == {code}, result.output
    assert not (tmp_path / "out").exists()
