"""ruff's first layout only spares black a pass: the bytes are black's.

``prelayout`` runs ruff's formatter over a batch of files before black. These
tests hold it to that: the formatted files are the same with and without it,
black's first pass finds nothing left to change, a file that does not parse
still reaches black (which reports it), and without ruff nothing changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import black
import pytest

from conftest import REPO, SPEC_SETS
from flowc.api import render
from flowc.backends.python import formatting, prelayout
from flowc.backends.python.context import SourceFile
from flowc.backends.python.render import BLACK_MODE, RenderError, format_python


def _model_modules(folder: Path) -> list[SourceFile]:
    result, generation = render([folder], package="laid")
    assert generation is not None, [str(d) for d in result.errors]
    return [f for f in generation.files if f.unit_key and f.needs_formatting]


def _synthetic_set(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import write_spec_set
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return write_spec_set(tmp_path / "specs", 8)


def _same_with_and_without_ruff(
    files: list[SourceFile], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_ruff = formatting.format_all(files)
    with monkeypatch.context() as patched:
        patched.setattr(prelayout, "_ruff_binary", lambda: None)
        without = formatting.format_all(files)
    assert with_ruff == without


@pytest.mark.parametrize("folder", SPEC_SETS, ids=[f.name for f in SPEC_SETS])
def test_model_modules_are_the_same_with_and_without_the_first_layout(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _model_modules(folder)
    # Small sets do not start ruff: lower the bar so that every set tries it.
    monkeypatch.setattr(prelayout, "WORTH_A_RUN", 1)
    _same_with_and_without_ruff(files, monkeypatch)


def test_a_large_synthetic_set_is_the_same_with_and_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _model_modules(_synthetic_set(tmp_path))
    assert len(files) >= prelayout.WORTH_A_RUN
    _same_with_and_without_ruff(files, monkeypatch)


def test_black_finds_nothing_to_change_after_ruff(tmp_path: Path) -> None:
    """What makes the first layout pay: black's first pass changes nothing,
    so black stops after it instead of formatting the file twice."""
    files = _model_modules(_synthetic_set(tmp_path))
    laid_out = prelayout.prelayout([f.text for f in files])
    assert laid_out != [f.text for f in files]
    for source, text in zip(files, laid_out, strict=True):
        sorted_imports = format_python(text, source.first_party or ())
        assert black.format_str(sorted_imports, mode=BLACK_MODE) == sorted_imports


def test_a_file_that_does_not_parse_still_reaches_black() -> None:
    texts = ["x = 1\n"] * prelayout.WORTH_A_RUN + ["def broken(:\n"]
    laid_out = prelayout.prelayout(texts)
    assert laid_out[-1] == "def broken(:\n"
    with pytest.raises(RenderError, match="does not parse"):
        format_python(laid_out[-1])


def test_without_ruff_the_texts_go_to_black_as_they_came(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prelayout, "_ruff_binary", lambda: None)
    texts = ["x  =  'a'\n"] * (prelayout.WORTH_A_RUN + 1)
    assert prelayout.prelayout(texts) == texts


def test_a_small_batch_is_not_worth_starting_ruff(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("ruff started for a small batch")

    monkeypatch.setattr(prelayout.subprocess, "run", no_run)
    texts = ["x  =  'a'\n"] * (prelayout.WORTH_A_RUN - 1)
    assert prelayout.prelayout(texts) == texts


def test_formatter_versions_name_ruff_or_its_absence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ruff's version decides bytes only through ``prelayout``; an install
    without ruff still runs, keyed as such."""
    from importlib import metadata

    from flowc.backends.python import versions

    real = metadata.version

    def without_ruff(package: str) -> str:
        if package == "ruff":
            raise metadata.PackageNotFoundError(package)
        return real(package)

    assert f"ruff {real('ruff')}" in versions.formatter_versions()
    versions.formatter_versions.cache_clear()
    monkeypatch.setattr(versions.metadata, "version", without_ruff)
    try:
        assert versions.formatter_versions().endswith("ruff none")
    finally:
        versions.formatter_versions.cache_clear()
