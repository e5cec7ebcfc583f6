"""Templates marked black-stable emit code black and isort leave unchanged.

generate skips the formatter for them (unless a line comes out too long), so
this test is what keeps that shortcut honest: every spec set of the suite (the
example, the corpus, a synthetic set with sagas and choreography) is rendered,
and each file that skipped the formatter is compared with what black and isort
would print. (The corpus tests run black --check on the written trees too.)
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import render
from flowc.backends.python.render import format_python

CORPUS = REPO / "tests" / "fixtures" / "specs"
SPEC_SETS = [REPO / "specs"] + sorted(
    folder
    for folder in CORPUS.iterdir()
    if folder.is_dir() and not (folder / "expect-errors").exists()
)


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


def test_black_stable_templates_skip_black_on_the_example() -> None:
    """With the example's ordinary names no line of a black-stable template is
    too long, so none of those files pays for black."""
    _, generation = render([REPO / "specs"], package="signup")
    assert generation is not None
    too_long = [
        source.path
        for source in generation.files
        if source.stable and source.needs_formatting
    ]
    assert not too_long
