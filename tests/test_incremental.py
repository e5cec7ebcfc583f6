"""Incremental generation: an unchanged run stops early, a changed one redoes only
what changed, and nothing stale is ever answered.

Behaviour, not timing: the tests read the result, the manifest and the files'
modification times, never a clock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import (
    EarlierOutput,
    _rendered,
    check,
    earlier_output,
    generate,
    render,
)
from flowc.backends.python import context, formatting
from flowc.backends.python import render as render_module
from flowc.output import lastrun
from flowc.output.lastrun import RECORD_PATH, load_record
from flowc.output.manifest import MANIFEST_PATH, parse_manifest

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import write_spec_set


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    return tmp_path


def _generate(root: Path, package: str = "signup"):  # type: ignore[no-untyped-def]
    return generate(
        [root / "specs"],
        root / "out",
        root / "impl",
        package=package,
        base=root,
    )


def test_an_unchanged_run_is_answered_from_the_last_clean_one(example: Path) -> None:
    first = _generate(example)
    assert first.exit_code == 0 and not first.replayed
    again = _generate(example)
    assert again.replayed
    assert again.written == [] and again.removed == []
    assert sorted(again.unchanged) == sorted(first.written)
    assert again.diagnostics == first.diagnostics
    assert again.inventory == first.inventory
    verdict = check(
        [example / "specs"], example / "out", example / "impl", "signup", example
    )
    assert verdict.replayed and verdict.exit_code == 0


def test_the_cache_ignores_itself_for_git(example: Path) -> None:
    _generate(example)
    cache = (example / "out" / RECORD_PATH).parent
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q", str(example)], check=True)
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "out/.flowc"],
        cwd=example,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manifest.json" in listed and "cache" not in listed


def test_a_changed_spec_is_read_again(example: Path) -> None:
    _generate(example)
    spec = example / "specs" / "integration-patterns.md"
    spec.write_text(
        spec.read_text().replace("**SLA**: <500ms", "**SLA**: <600ms", 1),
        encoding="utf-8",
    )
    again = _generate(example)
    assert not again.replayed and again.exit_code == 0
    assert again.written


def test_a_new_spec_file_is_read(example: Path) -> None:
    _generate(example)
    (example / "specs" / "notes.md").write_text("# Notes\n\nNothing yet.\n")
    assert not _generate(example).replayed


def test_a_hand_edit_is_caught_not_replayed(example: Path) -> None:
    _generate(example)
    app = example / "out" / "signup" / "app.py"
    app.write_text(app.read_text() + "# edited\n")
    verdict = check(
        [example / "specs"], example / "out", example / "impl", "signup", example
    )
    assert not verdict.replayed and verdict.exit_code == 1
    assert any("app.py" in d.location.file for d in verdict.diagnostics)


def test_an_edited_stub_is_checked_again(example: Path) -> None:
    _generate(example)
    stub = example / "impl" / "signup_impl" / "user_service.py"
    stub.write_text(stub.read_text() + "\n# a person's change\n")
    assert not _generate(example).replayed


def test_other_arguments_are_another_run(example: Path) -> None:
    _generate(example)
    assert not _generate(example, package="other").replayed


def test_a_run_with_errors_is_never_replayed(example: Path) -> None:
    _generate(example)
    spec = example / "specs" / "integration-patterns.md"
    good = spec.read_text()
    (example / "specs" / "bad.flow.yaml").write_text("flows: [1, 2\n")
    for _ in range(2):
        failed = _generate(example)
        assert failed.exit_code != 0 and not failed.replayed
        assert failed.errors
    (example / "specs" / "bad.flow.yaml").unlink()
    assert spec.read_text() == good
    assert _generate(example).replayed


def test_a_corrupt_record_means_a_full_run(example: Path) -> None:
    _generate(example)
    (example / "out" / RECORD_PATH).write_text("{not json")
    again = _generate(example)
    assert not again.replayed and again.exit_code == 0
    assert _generate(example).replayed


def test_unchanged_model_groups_are_reused_not_generated(example: Path) -> None:
    _generate(example)
    earlier = earlier_output(example / "out")
    assert earlier.units, "model modules carry their unit key in the manifest"
    _, again = render([example / "specs"], "signup", example, earlier)
    models = [f for f in again.files if f.unit_key]
    assert models and all(f.preformatted for f in models)
    _, fresh = render([example / "specs"], "signup", example, EarlierOutput())
    assert not any(f.preformatted for f in fresh.files)
    assert {f.path: f.unit_key for f in models} == {
        f.path: f.unit_key for f in fresh.files if f.unit_key
    }


def test_unchanged_text_is_neither_line_checked_nor_formatted(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose template input, or whose text before formatting, is what the
    last run had takes its bytes from disk: no line check, no black; stubs that
    exist are never formatted. After a changed Outcome, only the files whose
    template input holds it are rendered and line-checked, and black runs on none."""
    _generate(example)
    checked: list[str] = []
    formatted: list[str] = []
    line_check, black = context.fits_black, render_module.format_python

    def counting_check(text: str) -> bool:
        checked.append(text)
        return line_check(text)

    def counting_black(text: str, first_party: tuple[str, ...] = ()) -> str:
        formatted.append(text)
        return black(text, first_party)

    monkeypatch.setattr(context, "fits_black", counting_check)
    monkeypatch.setattr(formatting, "format_python", counting_black)

    def rerender() -> list[str]:
        earlier = earlier_output(example / "out")
        _, generation = render([example / "specs"], "signup", example, earlier)
        files, _ = _rendered(generation, earlier, example / "impl")
        return [f.path for f in files]

    assert rerender() and checked == [] and formatted == []

    document = example / "specs" / "integration-patterns.md"
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace("**Outcome**: The user account exists", "**Outcome**: It exists"),
        encoding="utf-8",
    )
    rerender()
    assert checked, "the files whose template input holds the Outcome"
    assert any("It exists" in text for text in checked)
    assert len(checked) < 5, "the other files' template inputs are unchanged"
    assert formatted == []


def _mtimes(out: Path) -> dict[str, int]:
    return {
        path.relative_to(out).as_posix(): path.stat().st_mtime_ns
        for path in out.rglob("*")
        if path.is_file() and ".flowc" not in path.parts
    }


def test_one_changed_flow_of_200_redoes_only_its_own_units(tmp_path: Path) -> None:
    """Change one flow's request DTO: only its model group is generated again,
    only the files whose template input holds it are rendered again, and only
    the files that flow owns are written."""
    specs = write_spec_set(tmp_path / "specs", 200)
    out, impl = tmp_path / "out", tmp_path / "impl"
    first = generate([specs], out, impl, package="bench", base=tmp_path)
    assert first.exit_code == 0, [str(d) for d in first.errors]
    before = parse_manifest((out / MANIFEST_PATH).read_bytes())
    times = _mtimes(out)
    # Make the earlier files' times distinguishable from a rewrite's.
    for path in times:
        os.utime(out / path, ns=(1_000_000_000, 1_000_000_000))
    times = _mtimes(out)

    document = next(specs.glob("*.md"))
    text = document.read_text(encoding="utf-8")
    changed = _change_one_dto(text)
    document.write_text(changed, encoding="utf-8")

    earlier = earlier_output(out)
    _, generation = render([specs], "bench", tmp_path, earlier)
    regenerated = sorted(
        f.path for f in generation.files if f.unit_key and not f.preformatted
    )
    models = [f.path for f in generation.files if f.datamodel and not f.preformatted]
    # The DTO's group, and the request models derived from it: that flow's own.
    assert models and all("/place_order0_" in path for path in models)
    # Rendered again: the modules that list every flow, that flow's and its
    # service's own, and the tests of the flows that fake that service.
    assert all(_first_flow_or_listing(path) for path in regenerated), regenerated
    assert len(regenerated) <= 20, regenerated

    second = generate([specs], out, impl, package="bench", base=tmp_path)
    assert second.exit_code == 0 and not second.replayed
    after = parse_manifest((out / MANIFEST_PATH).read_bytes())
    changed_units = sorted(
        path
        for path, entry in after.files.items()
        if entry.unit and path in before.files and before.files[path].unit != entry.unit
    )
    assert changed_units == [p for p in regenerated if p in before.files]
    rewritten = sorted(p for p, t in _mtimes(out).items() if t != times.get(p))
    assert rewritten == sorted(second.written)
    assert set(models) <= set(rewritten)
    # A file not rendered again is not written; the model index, which lists
    # every model module, is laid out by flowc without a template.
    assert set(rewritten) - set(regenerated) <= {"bench/models/__init__.py"}
    # Only that flow's modules and the modules that show its fields.
    assert all(_first_flow_or_listing(path) for path in rewritten), rewritten
    assert len(rewritten) <= 12, rewritten
    assert len(second.unchanged) > 10 * len(rewritten)


def _first_flow_or_listing(path: str) -> bool:
    """A module of Place Order 0 or its service, a test of a flow that fakes
    that service, or a module that lists every flow."""
    listing_every_flow = {
        "__main__",
        "app",
        "runtime",
        "errors",
        "mappings",
        "__init__",
    }
    return (
        Path(path).stem in listing_every_flow
        or path.endswith("routes/_operations.py")
        or bool(
            re.search(
                r"place_order_?0[_.]|order_service0\.py|test_place_order_\d+_flow", path
            )
        )
    )


def _change_one_dto(text: str) -> str:
    """Make a field of the first DTO of the Shared Concepts optional, in place.

    An edit that adds or removes lines moves every spec node below it, and the
    files whose template input holds one of those are rendered again (and
    left unwritten when their text comes out the same)."""
    concepts = text.index("## Shared Concepts")
    row = text.index("| total | decimal | yes |", concepts)
    return text[:row] + "| total | decimal | no |" + text[row + 24 :]


def test_the_record_is_json_with_its_format(example: Path) -> None:
    _generate(example)
    record = json.loads((example / "out" / RECORD_PATH).read_text())
    assert record["format"] == 2 and record["inputs"]


def test_files_whose_status_is_unchanged_are_not_read_again(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like git's index: a no-op run stats the output instead of reading it."""
    _generate(example)
    monkeypatch.setattr(lastrun, "_SETTLED_NS", 0)  # as if the files were old
    assert _generate(example).replayed  # reads every file once, learns statuses
    record = load_record(example / "out")
    assert record is not None
    manifest = parse_manifest((example / "out" / MANIFEST_PATH).read_bytes())
    assert set(manifest.files) <= set(record.statuses)
    assert set(record.inputs) <= set(record.statuses)

    def never_read(path: Path) -> str:
        raise AssertionError(f"{path} was read although its status is unchanged")

    monkeypatch.setattr(lastrun, "file_digest", never_read)
    assert _generate(example).replayed
    verdict = check(
        [example / "specs"], example / "out", example / "impl", "signup", example
    )
    assert verdict.replayed and verdict.exit_code == 0


def test_an_edit_that_keeps_size_and_modification_time_is_caught(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inode change time moves on every write, and no one can set it back."""
    _generate(example)
    monkeypatch.setattr(lastrun, "_SETTLED_NS", 0)
    assert _generate(example).replayed
    app = example / "out" / "signup" / "app.py"
    before = app.stat()
    text = app.read_text()
    app.write_text(text.replace("FastAPI", "FastAPX", 1))
    os.utime(app, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert app.stat().st_size == before.st_size
    verdict = check(
        [example / "specs"], example / "out", example / "impl", "signup", example
    )
    assert not verdict.replayed and verdict.exit_code == 1
    assert any("app.py" in d.location.file for d in verdict.diagnostics)


def test_a_file_changed_moments_ago_is_read_every_time(example: Path) -> None:
    """A status taken in the tick of a write could hide an edit in that tick."""
    _generate(example)
    app = example / "out" / "signup" / "app.py"
    app.write_bytes(app.read_bytes())  # the same bytes, written just now
    assert _generate(example).replayed
    finished = time.time_ns()
    record = load_record(example / "out")
    assert record is not None and "signup/app.py" not in record.statuses
    assert all(
        changed < finished - 2_000_000_000
        for _, _, changed, _ in record.statuses.values()
    )
