"""Plan -> source files: Jinja2 templates (StrictUndefined), then black.

Every string from a spec reaches code through ``pyrepr`` (a Python literal)
or ``docstring`` (escaped for a triple-quoted string); names are validated
identifiers from the plan.
"""

from __future__ import annotations

import ast
import contextlib
import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import black
import jinja2
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput
from black.strings import str_width

from flowc import naming
from flowc.diagnostics import Location
from flowc.resources import templates_dir

BLACK_MODE = Mode(target_versions={TargetVersion.PY311}, line_length=88)


def pyrepr(value: object) -> str:
    """A Python literal; strings always in double quotes, as black would."""
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, (list, tuple)):
        inner = ", ".join(pyrepr(v) for v in value)
        return (
            f"({inner},)"
            if isinstance(value, tuple) and len(value) == 1
            else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
        )
    if isinstance(value, set):
        return (
            "{" + ", ".join(pyrepr(v) for v in sorted(value, key=str)) + "}"
            if value
            else "set()"
        )
    return repr(value)


def _string_literal(value: str) -> str:
    """JSON's string escapes are all valid Python escapes, and keep non-ASCII text
    readable. Quotes as black prints them: double, unless that takes more escapes."""
    double = json.dumps(value, ensure_ascii=False)
    if value.count('"') <= value.count("'"):
        return double
    return "'" + double[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"


def docstring(value: object) -> str:
    """Text safe inside a triple-quoted docstring: one line, no quote runs, no backslashes."""
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    return text


LISTED_NAMES = 5
"""How many names a help text lists before it counts the rest."""


def listing(names: Iterable[str], lead: str) -> str:
    """``Lead: A, B.``; past ``LISTED_NAMES`` names, the first ones and how many
    more, so that ``--help`` stays readable for a system of hundreds of flows."""
    shown = list(names)
    rest = len(shown) - LISTED_NAMES
    if rest <= 0:
        return f"{lead}: {', '.join(shown)}."
    return f"{lead}: {', '.join(shown[:LISTED_NAMES])} and {rest} more."


def where(loc: Location) -> str:
    """``file:line`` of a spec node, safe inside a docstring."""
    return docstring(f"{loc.file}:{loc.line}")


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (compiling them all takes about
    0.6 s, more than a whole unchanged run may) in flowc's private cache
    folder (``flowc.cache``). The file names carry flowc's code digest, so
    another version's (or another environment setting's) compiled code is
    never loaded. A cache that cannot be written is no cache, never an error."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> jinja2.BytecodeCache | None:
    from flowc.cache import cache_dir
    from flowc.resources import code_digest

    folder = cache_dir()
    if folder is None:
        return None
    return _TemplateCache(str(folder), f"templates-{code_digest()[:16]}-%s.cache")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "python")),
        bytecode_cache=_template_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=pyrepr,
        docstring=docstring,
        where=where,
        listing=listing,
        snake=naming.snake,
        pascal=naming.pascal,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


BLACK_STABLE_MARK = "{#- black-stable"
"""How a template says that what it renders is already as black and isort
would print it (``tests/test_black_stable.py`` holds it to that on every
spec set of the suite), so generating does not pay for a formatter run."""

LINE_LENGTH = 88
"""black's line length, which every layout helper lays lines out to."""


@cache
def black_stable(template: str) -> bool:
    source = (templates_dir() / "python" / template).read_text(encoding="utf-8")
    return source.startswith(BLACK_STABLE_MARK)


def fits_black(text: str) -> bool:
    """No line is longer than black allows, except where black would leave it.

    A template cannot know how long the names from a spec are; a code line
    that comes out too long sends its file through black. Black never wraps
    comments or the text of a string, so a long line made only of string
    text is fine, except the last line of a multi-line string, whose closing
    quotes black may move to a line of their own.
    """
    lines = text.splitlines()
    long_lines = [
        number
        for number, line in enumerate(lines, start=1)
        if str_width(line) > LINE_LENGTH and not line.lstrip().startswith("#")
    ]
    if not long_lines:
        return True
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    text_only = _string_text_lines(tree, lines)
    return all(number in text_only for number in long_lines)


def _string_text_lines(tree: ast.Module, lines: list[str]) -> set[int]:
    """Line numbers that hold nothing but the text of one string literal."""
    found: set[int] = set()
    for node in ast.walk(tree):
        string = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if not (string or isinstance(node, ast.JoinedStr)):
            continue
        assert isinstance(node, ast.expr)
        first, last = node.lineno, node.end_lineno or node.lineno
        opening = lines[first - 1]
        alone_from_start = not opening[: node.col_offset].strip()
        if first == last:
            if alone_from_start and not opening[node.end_col_offset or 0 :].strip():
                found.add(first)
            continue
        if alone_from_start:
            found.add(first)
        found.update(range(first + 1, last))
    return found


@cache
def _isort_config(first_party: tuple[str, ...]) -> Any:
    """One isort configuration per package pair: making one compiles its
    patterns, which took longer than sorting a small module's imports."""
    import isort

    return isort.Config(
        profile="black", known_first_party=frozenset(first_party), py_version="311"
    )


def format_python(source: str, first_party: tuple[str, ...] = ()) -> str:
    """isort (black profile) then black with flowc's pinned mode: the same bytes everywhere."""
    import isort

    config = _isort_config(first_party)
    try:
        return black.format_str(isort.code(source, config=config), mode=BLACK_MODE)
    except InvalidInput as exc:
        numbered = "\n".join(
            f"{n:4} {line}" for n, line in enumerate(source.splitlines(), 1)
        )
        raise RenderError(f"rendered code does not parse ({exc}):\n{numbered}") from exc


class RenderError(Exception):
    """A template produced code that is not Python: a flowc bug, never the spec's fault."""
