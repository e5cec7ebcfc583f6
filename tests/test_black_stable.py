"""Templates marked black-stable emit code black and isort leave unchanged.

generate skips the formatter for them (unless a line comes out too long), so
this test is what keeps that shortcut honest: every spec set of the suite (the
example, the corpus, a synthetic set with sagas and choreography) is rendered,
and each file that skipped the formatter is compared with what black and isort
would print. (The corpus tests run black --check on the written trees too.)
"""

from __future__ import annotations

import ast
import difflib
import sys
from pathlib import Path

import pytest

from conftest import REPO, SPEC_SETS
from flowc.api import render
from flowc.backends.python.layout import split_line
from flowc.backends.python.render import fits_black, format_python, pyrepr


def _unstable(folder: Path) -> list[str]:
    """Files that skipped black although black would change them, with a diff."""
    result, generation = render([folder], package="stable_check")
    assert generation is not None, [str(d) for d in result.errors]
    problems = []
    for source in generation.files + generation.stubs:
        if source.first_party is None or source.needs_formatting:
            continue
        expected = format_python(source.text, source.first_party)
        if expected != source.text:
            diff = difflib.unified_diff(
                source.text.splitlines(),
                expected.splitlines(),
                source.path,
                "black + isort",
                lineterm="",
                n=1,
            )
            problems.append("\n".join(list(diff)[:40]))
    return problems


@pytest.mark.parametrize("folder", SPEC_SETS, ids=[f.name for f in SPEC_SETS])
def test_files_that_skip_black_are_black_stable(folder: Path) -> None:
    problems = _unstable(folder)
    assert not problems, "\n\n".join(problems)


def test_a_synthetic_set_with_sagas_and_choreography_is_black_stable(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import write_spec_set
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    folder = write_spec_set(tmp_path / "specs", 12)
    problems = _unstable(folder)
    assert not problems, "\n\n".join(problems)


def test_files_the_quick_check_sends_to_black_are_stable_too() -> None:
    """``fits_black`` is cautious: a long line it cannot prove black would
    leave (a long trailing comment, two f-strings joined) sends its file
    through black. On the example those files are black-stable all the same,
    and every other file of a marked template skips black."""
    _, generation = render([REPO / "specs"], package="signup")
    assert generation is not None
    doubted = [f for f in generation.files if f.stable and f.needs_formatting]
    for source in doubted:
        assert format_python(source.text, source.first_party or ()) == source.text
    trusted = [f for f in generation.files if f.stable and not f.needs_formatting]
    assert len(trusted) > 4 * len(doubted)


LONG = "x" * 100


@pytest.mark.parametrize(
    ("source", "fits"),
    [
        (f'def f():\n    """{LONG}"""\n', True),
        (f'def f():\n    """a\n    {LONG}\n    """\n', True),
        (f'def f():\n    """a\n    {LONG}"""\n', False),
        (f'x = foo("{LONG}")\n', False),
        (f"# {LONG}\nx = 1\n", True),
        (f"x = [{', '.join(['name'] * 30)}]\n", False),
    ],
    ids=["docstring", "docstring-body", "closing-quotes", "call", "comment", "list"],
)
def test_only_lines_black_would_change_count_as_too_long(
    source: str, fits: bool
) -> None:
    assert fits_black(source) is fits
    if fits:
        assert format_python(source) == source


@pytest.mark.parametrize(
    "value",
    ['say "hi"', "it's", "a \"b\" 'c'", 'back\\slash "q"', "x\"\n\t'", '"', 'é "ü"'],
)
def test_string_literals_take_the_quotes_black_would(value: str) -> None:
    """Spec text reaches code through ``pyrepr``; a quote in a flow's name must
    not make a file that skips black differ from black's output."""
    literal = pyrepr(value)
    assert ast.literal_eval(literal) == value
    source = f"x = {literal}\n"
    assert format_python(source) == source


@pytest.mark.parametrize(
    "statement",
    [
        f'raise NotImplementedError("{LONG}")',
        f'x = foo("{LONG}")',
        f'return foo(f"{LONG} {{x}}")',
        f'foo(bar("{LONG}"))',
    ],
    ids=["raise", "assignment", "f-string", "nested"],
)
def test_a_lone_string_too_long_for_its_line_is_laid_out_as_black_does(
    statement: str,
) -> None:
    """A stub's ``raise NotImplementedError("...")`` names the method, file and
    spec line, and is often longer than a line: black puts the string on a
    line of its own, and so must the layout, or every stub meets black."""
    laid = split_line(f"    {statement}")
    assert "\n" in laid
    source = f"def f(x):\n{laid}\n"
    assert fits_black(source)
    assert format_python(source) == source
