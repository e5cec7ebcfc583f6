"""flowc's per-user cache (``flowc.cache``): a spec file read before is not
parsed again, the result is the same, and a cache that cannot be trusted is
not used."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import flowc.frontends
from conftest import CORPUS, SPECS
from flowc import cache
from flowc.frontends import read_spec_set


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of this test's own, private to the user."""
    private = tmp_path / "cache"
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(private))
    cache.cache_dir.cache_clear()
    yield private
    cache.cache_dir.cache_clear()


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    copy = tmp_path / "specs"
    copy.mkdir()
    for path in SPECS.glob("*.md"):
        (copy / path.name).write_bytes(path.read_bytes())
    return copy


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("document-*.pickle"))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, display: str) -> object:
        raise AssertionError(f"{display} was parsed again")

    monkeypatch.setattr(flowc.frontends, "read_document", refuse)


def test_a_file_read_before_is_not_parsed_again(
    folder: Path, specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = read_spec_set([specs], base=specs.parent)
    assert first.documents and len(_entries(folder)) == len(first.files)
    assert (folder.stat().st_mode & 0o777) == 0o700
    _no_parsing(monkeypatch)
    again = read_spec_set([specs], base=specs.parent)
    assert again.documents == first.documents
    assert again.diagnostics == first.diagnostics
    assert [d.loc for d in again.documents[0].flows] == [
        d.loc for d in first.documents[0].flows
    ]


def test_a_changed_file_is_parsed_and_replaces_its_entry(
    folder: Path, specs: Path
) -> None:
    read_spec_set([specs], base=specs.parent)
    before = _entries(folder)
    document = specs / "integration-patterns.md"
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace("**Outcome**: The user account exists", "**Outcome**: It is"),
        encoding="utf-8",
    )
    changed = read_spec_set([specs], base=specs.parent)
    flow = next(d for d in changed.documents if d.flows).flows[0]
    assert flow.outcome.startswith("It is")
    after = _entries(folder)
    assert len(after) == len(before) and after != before


def test_a_corrupt_entry_is_a_miss(folder: Path, specs: Path) -> None:
    first = read_spec_set([specs], base=specs.parent)
    for entry in folder.glob("document-*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = read_spec_set([specs], base=specs.parent)
    assert again.documents == first.documents


def test_a_folder_others_may_write_is_refused(folder: Path, specs: Path) -> None:
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o777)
    assert cache.cache_dir() is None
    assert read_spec_set([specs], base=specs.parent).documents
    assert _entries(folder) == []


def test_a_symbolic_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(target)
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(link))
    cache.cache_dir.cache_clear()
    try:
        assert cache.cache_dir() is None
    finally:
        cache.cache_dir.cache_clear()


def test_an_empty_setting_turns_the_cache_off(
    monkeypatch: pytest.MonkeyPatch, specs: Path
) -> None:
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, "")
    cache.cache_dir.cache_clear()
    try:
        assert cache.cache_dir() is None
        assert read_spec_set([specs], base=specs.parent).documents
    finally:
        cache.cache_dir.cache_clear()


def _reading(paths: list[Path]) -> tuple[object, ...]:
    found = read_spec_set(paths)
    return (
        [d.model_dump() for d in found.documents],
        [d.model_dump() for d in found.diagnostics],
        found.files,
    )


@pytest.mark.parametrize(
    "spec_set",
    [SPECS, *sorted(CORPUS.iterdir())],
    ids=lambda path: path.name,
)
def test_reading_on_many_cores_gives_what_reading_on_one_gives(
    spec_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents, findings and files in the same order, however the files
    were shared among worker processes (links followed a round at a time)."""
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, "")
    cache.cache_dir.cache_clear()
    monkeypatch.setattr(flowc.frontends, "_PARALLEL_CHARACTERS", 10**12)
    alone = _reading([spec_set])
    monkeypatch.setattr(flowc.frontends, "_PARALLEL_CHARACTERS", 0)
    monkeypatch.setattr("flowc.workers.worker_count", lambda: 2)
    shared = _reading([spec_set])
    cache.cache_dir.cache_clear()
    assert shared == alone


def test_readings_made_by_workers_are_kept_for_the_next_run(
    folder: Path, specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flowc.frontends, "_PARALLEL_CHARACTERS", 0)
    monkeypatch.setattr("flowc.workers.worker_count", lambda: 2)
    first = _reading([specs])
    assert len(_entries(folder)) == len(list(specs.glob("*.md")))

    def refuse(text: str, display: str) -> None:
        raise AssertionError(f"{display} was parsed again")

    monkeypatch.setattr(flowc.frontends, "read_document", refuse)
    assert _reading([specs]) == first
