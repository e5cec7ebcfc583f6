"""The owned output folder: what is written, kept, removed, refused and reported."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from flowc.diagnostics import Severity
from flowc.output import (
    MANIFEST_PATH,
    RenderedFile,
    WriteReport,
    check_tree,
    diff_tree,
    write_stubs,
    write_tree,
)
from flowc.output.manifest import sha256_hex, unsafe_reason

VERSIONS = {"flowc_version": "0.1.0", "black_version": "26.1.0"}

RENDER = [
    RenderedFile("signup/models.py", b"class Signup:\n    pass\n", "specs/signup.md"),
    RenderedFile("signup/__init__.py", b"", "specs/signup.md"),
    RenderedFile("billing/api/routes.py", b"ROUTES = []\n", "specs/billing.yaml"),
    RenderedFile("README.md", b"generated\n", "specs/signup.md"),
]


def write(files: list[RenderedFile], out: Path) -> WriteReport:
    return write_tree(files, out, **VERSIONS)


def check(files: list[RenderedFile], out: Path) -> WriteReport:
    return check_tree(files, out, **VERSIONS)


def replaced(path: str, content: bytes) -> list[RenderedFile]:
    """RENDER with one file's content changed (or added)."""
    others = [f for f in RENDER if f.path != path]
    return [*others, RenderedFile(path, content, "specs/signup.md")]


def without(path: str) -> list[RenderedFile]:
    return [f for f in RENDER if f.path != path]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative POSIX path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def codes(report: WriteReport, severity: Severity | None = None) -> list[str]:
    return [
        d.code for d in report.diagnostics if severity is None or d.severity == severity
    ]


def manifest(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / MANIFEST_PATH).read_text("utf-8"))
    return data


# Writing


def test_first_write_writes_every_file_and_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    report = write(RENDER, out)

    assert report.diagnostics == []
    assert report.written == sorted(f.path for f in RENDER)
    assert report.unchanged == report.removed == report.kept_edited == []
    for rendered in RENDER:
        assert (out / rendered.path).read_bytes() == rendered.content
    data = manifest(out)
    assert data["flowc_version"] == "0.1.0"
    assert data["black_version"] == "26.1.0"
    assert data["files"] == {
        f.path: {"sha256": sha256_hex(f.content), "source": f.source} for f in RENDER
    }


def test_second_identical_write_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    before = stats(out)

    report = write(list(reversed(RENDER)), out)

    assert report.diagnostics == []
    assert report.written == report.removed == []
    assert report.unchanged == sorted(f.path for f in RENDER)
    assert stats(out) == before


def test_changing_one_file_rewrites_only_that_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    before = stats(out)

    report = write(replaced("signup/models.py", b"class Signup2:\n    pass\n"), out)

    assert report.written == ["signup/models.py"]
    assert (out / "signup/models.py").read_bytes() == b"class Signup2:\n    pass\n"
    after = stats(out)
    for path in ("signup/__init__.py", "billing/api/routes.py", "README.md"):
        assert after[path] == before[path]
    files = manifest(out)["files"]
    assert isinstance(files, dict)
    assert files["signup/models.py"]["sha256"] == sha256_hex(
        b"class Signup2:\n    pass\n"
    )


def test_bytes_are_written_exactly_as_given(tmp_path: Path) -> None:
    content = b"a\r\nb\nno newline at end \xe2\x9c\x93"
    write([RenderedFile("x.txt", content, "s.md")], tmp_path)
    assert (tmp_path / "x.txt").read_bytes() == content


def test_new_files_respect_the_umask(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX modes")
    old = os.umask(0o022)
    try:
        write(RENDER, tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / "README.md").stat().st_mode & 0o777 == 0o644


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    write(RENDER, tmp_path)
    write(replaced("README.md", b"changed\n"), tmp_path)
    assert not [p for p in tmp_path.rglob("*") if "flowc-tmp" in p.name]


# Orphans and files that are not flowc's


def test_removed_file_is_deleted_with_its_empty_folders(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)

    report = write(without("billing/api/routes.py"), out)

    assert report.removed == ["billing/api/routes.py"]
    assert not (out / "billing").exists()
    assert "billing/api/routes.py" not in str(manifest(out)["files"])


def test_folder_with_a_foreign_file_is_not_removed(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "billing" / "notes.txt").write_bytes(b"mine\n")

    write(without("billing/api/routes.py"), out)

    assert not (out / "billing" / "api").exists()
    assert (out / "billing" / "notes.txt").read_bytes() == b"mine\n"


def test_hand_edited_orphan_survives_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "billing/api/routes.py").write_bytes(b"ROUTES = ['mine']\n")

    report = write(without("billing/api/routes.py"), out)

    assert report.ok
    assert report.removed == []
    assert report.kept_edited == ["billing/api/routes.py"]
    assert codes(report) == ["FLW803"]
    assert "billing/api/routes.py" in report.diagnostics[0].message
    assert (out / "billing/api/routes.py").read_bytes() == b"ROUTES = ['mine']\n"
    # No manifest lists it now: the next run keeps it and says so, and check
    # names it as drift until it leaves the output folder.
    again = write(without("billing/api/routes.py"), out)
    assert codes(again) == ["FLW807"] and again.kept_edited == []
    assert (out / "billing/api/routes.py").read_bytes() == b"ROUTES = ['mine']\n"
    assert codes(check(without("billing/api/routes.py"), out)) == ["FLW802"]


def test_hand_added_file_is_never_touched(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    mine = out / "signup" / "mine.py"
    mine.write_bytes(b"# mine\n")
    before = stats(out)["signup/mine.py"]

    report = write(replaced("signup/models.py", b"changed\n"), out)
    report2 = write(without("signup/models.py"), out)

    assert report.ok and report2.ok
    assert mine.read_bytes() == b"# mine\n"
    assert stats(out)["signup/mine.py"] == before
    assert "signup/mine.py" not in str(manifest(out)["files"])


def test_render_over_a_foreign_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "extra.py").write_bytes(b"# a person's file\n")
    before = snapshot(out)

    report = write([*RENDER, RenderedFile("extra.py", b"# flowc\n", "s.md")], out)

    assert codes(report, Severity.ERROR) == ["FLW804"]
    assert "is not flowc's" in report.diagnostics[0].message
    assert report.written == []
    assert snapshot(out) == before


def test_identical_foreign_file_is_adopted(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "README.md").write_bytes(b"generated\n")

    report = write(RENDER, out)

    assert report.ok
    assert "README.md" in report.unchanged
    assert "README.md" in str(manifest(out)["files"])


def test_hand_edited_owned_file_is_overwritten_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "README.md").write_bytes(b"edited\n")

    report = write(replaced("README.md", b"regenerated\n"), out)

    assert codes(report) == ["FLW803"]
    assert report.diagnostics[0].severity == Severity.WARNING
    assert report.written == ["README.md"]
    assert (out / "README.md").read_bytes() == b"regenerated\n"


def test_restored_owned_file_is_rewritten_without_warning(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "README.md").unlink()

    report = write(RENDER, out)

    assert report.diagnostics == []
    assert report.written == ["README.md"]


# Safety


@pytest.mark.parametrize(
    "bad",
    [
        "../x",
        "/etc/x",
        "a/../../x",
        "a/./b",
        "a//b",
        "",
        "a\\..\\x",
        "C:x",
        "nul\0byte",
        ".flowc/manifest.json",
        ".FLOWC/other",
    ],
)
def test_unsafe_paths_are_refused(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "deep" / "generated"

    report = write([*RENDER, RenderedFile(bad, b"evil\n", "specs/evil.md")], out)

    assert codes(report, Severity.ERROR) == ["FLW804"]
    assert report.diagnostics[0].location.file == "specs/evil.md"
    assert report.written == []
    assert list(tmp_path.rglob("*")) == []


def test_unsafe_reason_accepts_ordinary_paths() -> None:
    assert unsafe_reason("signup/models.py") is None
    assert unsafe_reason(".github/x.yml") is None
    assert unsafe_reason("a..b/c") is None


def test_duplicate_and_clashing_paths_are_refused(tmp_path: Path) -> None:
    twice = [RenderedFile("a.py", b"1", "s.md"), RenderedFile("a.py", b"2", "s.md")]
    case = [RenderedFile("A.py", b"1", "s.md"), RenderedFile("a.py", b"2", "s.md")]
    nested = [RenderedFile("a", b"1", "s.md"), RenderedFile("a/b.py", b"2", "s.md")]
    for files in (twice, case, nested):
        report = write(files, tmp_path)
        assert codes(report, Severity.ERROR) == ["FLW804"], files
        assert list(tmp_path.iterdir()) == []


def test_symbolic_link_in_the_owned_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "generated"
    out.mkdir()
    try:
        (out / "signup").symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("symbolic links are not available")

    report = write(RENDER, out)

    assert "FLW804" in codes(report, Severity.ERROR)
    assert list(outside.iterdir()) == []


def test_a_fifo_where_a_file_belongs_is_reported_never_read(tmp_path: Path) -> None:
    """Reading a FIFO waits for a writer that never comes: check and generate
    name it instead, and write nothing."""
    out = tmp_path / "generated"
    write(RENDER, out)
    fifo = out / "signup" / "models.py"
    fifo.unlink()
    try:
        os.mkfifo(fifo)
    except (AttributeError, OSError):
        pytest.skip("FIFOs are not available")

    for report in (check(replaced("README.md", b"new\n"), out), write(RENDER, out)):
        refused = [d for d in report.diagnostics if d.code == "FLW804"]
        assert len(refused) == 1 and "not a regular file" in refused[0].message
    assert (out / "README.md").read_bytes() == b"generated\n"


def test_tampered_manifest_cannot_delete_outside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep\n")
    data = manifest(out)
    files = data["files"]
    assert isinstance(files, dict)
    files["../victim.txt"] = {"sha256": sha256_hex(b"keep\n"), "source": "s.md"}
    (out / MANIFEST_PATH).write_text(json.dumps(data), "utf-8")

    report = write(without("README.md"), out)

    assert codes(report, Severity.ERROR) == ["FLW808"]
    assert victim.read_bytes() == b"keep\n"
    assert (out / "README.md").exists()


@pytest.mark.parametrize(
    "content", [b"not json", b"[]", b'{"flowc_version": "1"}', b"\xff"]
)
def test_unreadable_manifest_stops_the_run(tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / MANIFEST_PATH).write_bytes(content)
    before = snapshot(out)

    report = write(without("README.md"), out)

    assert codes(report) == ["FLW808"]
    assert "manifest" in report.diagnostics[0].message
    assert snapshot(out) == before


def test_output_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    out.write_bytes(b"")
    assert codes(write(RENDER, out)) == ["FLW808"]
    assert codes(check(RENDER, out)) == ["FLW808"]


# Atomicity


def fail_after(calls: int, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``os.<name>`` raise OSError once it has been called ``calls`` times."""
    real: Callable[..., object] = getattr(os, name)
    count = 0

    def flaky(*args: object, **kwargs: object) -> object:
        nonlocal count
        count += 1
        if count > calls:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, flaky)


@pytest.mark.parametrize(("name", "calls"), [("replace", 1), ("replace", 0)])
def test_failure_half_way_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, calls: int
) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "mine.txt").write_bytes(b"mine\n")
    before = snapshot(out)
    # Commit order: README.md, the removal of billing/..., signup/models.py, ...
    kept = {"signup/__init__.py"}
    new = [
        *[f for f in RENDER if f.path in kept],
        RenderedFile("README.md", b"new readme\n", "s.md"),
        RenderedFile("signup/models.py", b"new models\n", "s.md"),
        RenderedFile("zeta/new.py", b"new\n", "s.md"),
    ]
    fail_after(calls, monkeypatch, name)

    report = write(new, out)

    assert codes(report) == ["FLW807", "FLW804"]  # mine.txt is kept, and named
    assert "previous output is unchanged" in report.diagnostics[1].message
    assert "Traceback" not in report.diagnostics[1].message
    assert report.written == report.removed == []
    monkeypatch.undo()
    assert snapshot(out) == before
    assert not (out / "zeta").exists()


def test_failure_while_staging_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    before = snapshot(out)
    fail_after(1, monkeypatch, "fsync")

    report = write(
        [*replaced("README.md", b"x\n"), RenderedFile("new/a.py", b"a", "s")], out
    )

    monkeypatch.undo()
    assert codes(report) == ["FLW804"]
    assert snapshot(out) == before
    assert not (out / "new").exists()


def test_failed_first_write_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_after(2, monkeypatch, "replace")
    report = write(RENDER, tmp_path / "a" / "generated")
    monkeypatch.undo()
    assert codes(report) == ["FLW804"]
    assert list(tmp_path.iterdir()) == []


# check and diff


def test_check_is_clean_after_write(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    report = check(RENDER, out)
    assert report.diagnostics == []
    assert report.written == report.removed == []


def test_check_reports_drift_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    (out / "signup/__init__.py").unlink()
    new = [
        *[f for f in RENDER if f.path not in {"README.md", "billing/api/routes.py"}],
        RenderedFile("README.md", b"changed\n", "specs/signup.md"),
    ]
    before = snapshot(out)

    report = check(new, out)

    assert snapshot(out) == before
    drift = {
        d.location.file.removeprefix(out.as_posix() + "/"): d.message
        for d in report.diagnostics
    }
    assert set(codes(report)) == {"FLW802"}
    assert all(d.severity == Severity.ERROR for d in report.diagnostics)
    assert "would be changed" in drift["README.md"]
    assert "would be written" in drift["signup/__init__.py"]
    assert "would be removed" in drift["billing/api/routes.py"]
    assert "would be changed" in drift[MANIFEST_PATH]
    assert "specs/signup.md" in next(
        d.hint for d in report.diagnostics if d.location.file.endswith("README.md")
    )
    assert report.written == ["README.md", "signup/__init__.py"]
    assert report.removed == ["billing/api/routes.py"]

    write(new, out)
    assert check(new, out).diagnostics == []


def test_check_on_a_missing_folder_reports_every_file(tmp_path: Path) -> None:
    report = check(RENDER, tmp_path / "generated")
    assert len(report.diagnostics) == len(RENDER) + 1
    assert not (tmp_path / "generated").exists()


def test_check_reports_a_version_change_in_the_manifest(tmp_path: Path) -> None:
    write(RENDER, tmp_path)
    report = check_tree(RENDER, tmp_path, flowc_version="0.2.0", black_version="26.1.0")
    assert [d.location.file for d in report.diagnostics] == [
        (tmp_path / MANIFEST_PATH).as_posix()
    ]


def test_check_shows_hand_edits_and_foreign_files(tmp_path: Path) -> None:
    write(RENDER, tmp_path)
    (tmp_path / "README.md").write_bytes(b"edited\n")
    (tmp_path / "foreign.py").write_bytes(b"mine\n")
    new = [*RENDER, RenderedFile("foreign.py", b"flowc's\n", "s.md")]

    report = check(new, tmp_path)

    assert sorted(codes(report)) == ["FLW802", "FLW803", "FLW804"]


def test_diff_tree_shows_every_change(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write(RENDER, out)
    new = [
        *[f for f in RENDER if f.path not in {"README.md", "billing/api/routes.py"}],
        RenderedFile("README.md", b"changed", "specs/signup.md"),
        RenderedFile("new.py", b"X = 1\n", "specs/signup.md"),
    ]

    text = diff_tree(new, out, **VERSIONS)

    assert "--- a/README.md\n+++ b/README.md\n" in text
    assert "-generated\n+changed\n\\ No newline at end of file\n" in text
    assert "--- /dev/null\n+++ b/new.py\n" in text
    assert "--- a/billing/api/routes.py\n+++ /dev/null\n" in text
    assert f"--- a/{MANIFEST_PATH}\n+++ b/{MANIFEST_PATH}\n" in text
    assert str(tmp_path) not in text
    write(new, out)
    assert diff_tree(new, out, **VERSIONS) == ""


# Determinism


def test_manifest_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write(RENDER, first)
    write(list(reversed(RENDER)), second)

    assert snapshot(first) == snapshot(second)
    text = (first / MANIFEST_PATH).read_text("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert str(tmp_path) not in text
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"


# Stubs


def test_write_stubs_never_overwrites(tmp_path: Path) -> None:
    stubs = [
        RenderedFile("signup/handlers.py", b"# stub v1\n", "specs/signup.md"),
        RenderedFile("billing/handlers.py", b"# stub v1\n", "specs/billing.md"),
    ]
    first = write_stubs(stubs, tmp_path)
    assert first.written == ["billing/handlers.py", "signup/handlers.py"]
    assert first.kept == [] and first.diagnostics == []

    (tmp_path / "signup/handlers.py").write_bytes(b"# my code\n")
    changed = [RenderedFile(s.path, b"# stub v2\n", s.source) for s in stubs]
    changed.append(RenderedFile("orders/handlers.py", b"# stub v2\n", "o.md"))
    second = write_stubs(changed, tmp_path)

    assert second.written == ["orders/handlers.py"]
    assert second.kept == ["billing/handlers.py", "signup/handlers.py"]
    assert (tmp_path / "signup/handlers.py").read_bytes() == b"# my code\n"
    assert (tmp_path / "billing/handlers.py").read_bytes() == b"# stub v1\n"


def test_write_stubs_refuses_unsafe_paths(tmp_path: Path) -> None:
    stub_dir = tmp_path / "src"
    report = write_stubs(
        [RenderedFile("ok.py", b"", "s.md"), RenderedFile("../x.py", b"", "s.md")],
        stub_dir,
    )
    assert [d.code for d in report.diagnostics] == ["FLW804"]
    assert report.written == []
    assert list(tmp_path.iterdir()) == []


def test_write_stubs_failure_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_after(1, monkeypatch, "replace")
    report = write_stubs(
        [RenderedFile("a/one.py", b"1", "s"), RenderedFile("b/two.py", b"2", "s")],
        tmp_path,
    )
    monkeypatch.undo()
    assert [d.code for d in report.diagnostics] == ["FLW804"]
    assert report.written == []
    assert list(tmp_path.iterdir()) == []
