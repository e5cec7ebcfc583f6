"""Template keys: a file is reused only when its template input is the same.

A key that missed a change would answer an edit with stale code, so these tests
hold the keys to what they promise: every spec set's reused output equals a
fresh render, the memo changes no key (the backend does not change a view
after rendering from it), keys are the same in every process, and a value the
encoding cannot pin down means rendering, never a guess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SPEC_SETS
from flowc.api import EarlierOutput, _rendered, earlier_output, generate, render
from flowc.backends.python import context as context_module
from flowc.backends.python.view_keys import ViewKeys


@dataclass(frozen=True)
class Part:
    name: str
    tags: frozenset[str]


@pytest.mark.parametrize("spec_set", SPEC_SETS, ids=lambda p: p.name)
def test_the_memo_changes_no_key(
    spec_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file's key, computed again with an empty memo, is the same: no view
    changed between two renders that read it."""
    compared: list[str] = []
    rendered = context_module.BackendContext.rendered

    def checking(
        self: context_module.BackendContext,
        path: str,
        template: str,
        **variables: object,
    ) -> context_module.SourceFile:
        made = rendered(self, path, template, **variables)
        fresh = ViewKeys().key(
            template, variables, path, self.source, *self.first_party
        )
        assert made.unit_key == (fresh or ""), path
        compared.append(path)
        return made

    monkeypatch.setattr(context_module.BackendContext, "rendered", checking)
    _, generation = render([spec_set], base=tmp_path)
    assert generation is not None and compared


@pytest.mark.parametrize("spec_set", SPEC_SETS, ids=lambda p: p.name)
def test_reused_files_are_what_a_fresh_render_gives(
    spec_set: Path, tmp_path: Path
) -> None:
    """Generate, edit every spec's first Outcome-like line, and compare the
    files made with the earlier output against a render from scratch."""
    specs = tmp_path / "specs"
    shutil.copytree(spec_set, specs)
    out, impl = tmp_path / "out", tmp_path / "impl"
    assert generate([specs], out, impl, base=tmp_path).exit_code == 0
    for document in sorted(specs.rglob("*")):
        if document.suffix in (".md", ".yaml", ".yml"):
            text = document.read_text(encoding="utf-8")
            document.write_text(_edit_outcome(text), encoding="utf-8")
    earlier = earlier_output(out)
    _, reused = render([specs], base=tmp_path, earlier=earlier)
    _, fresh = render([specs], base=tmp_path, earlier=EarlierOutput())
    assert reused is not None and fresh is not None
    assert any(f.preformatted for f in reused.files), "something was reused"
    with_reuse, _ = _rendered(reused, earlier, impl)
    from_scratch, _ = _rendered(fresh, EarlierOutput(), impl)
    assert {f.path: f.content for f in with_reuse} == {
        f.path: f.content for f in from_scratch
    }


def _edit_outcome(text: str) -> str:
    for marker in ("**Outcome**: ", "outcome: "):
        if marker in text:
            return text.replace(marker, marker + "Then ", 1)
    return text


def test_keys_are_the_same_in_every_process(tmp_path: Path) -> None:
    """String hashing, and so set order, differs by process; keys do not."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from flowc.api import render\n"
        "_, generation = render([Path(sys.argv[1])], base=Path(sys.argv[2]))\n"
        "print('\\n'.join(f'{f.path} {f.unit_key}' for f in generation.files))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(SPEC_SETS[0]), str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and runs[0].count("\n") > 10


def test_a_value_the_encoding_cannot_pin_down_means_no_key() -> None:
    keys = ViewKeys()
    assert keys.key("t.j2", {"view": object()}) is None
    assert keys.key("t.j2", {"helper": len}) is None
    assert keys.key("t.j2", {"view": [Part("a", frozenset())]}) is not None


def test_every_field_and_the_place_decide_the_key() -> None:
    keys = ViewKeys()
    base = keys.key("t.j2", {"view": Part("a", frozenset({"x", "y"}))}, "p.py")
    assert base == ViewKeys().key(
        "t.j2", {"view": Part("a", frozenset({"y", "x"}))}, "p.py"
    )
    assert base != keys.key("t.j2", {"view": Part("b", frozenset({"x", "y"}))}, "p.py")
    assert base != keys.key("t.j2", {"view": Part("a", frozenset({"x"}))}, "p.py")
    assert base != keys.key("t.j2", {"view": Part("a", frozenset({"x", "y"}))}, "q.py")
    assert base != keys.key("u.j2", {"view": Part("a", frozenset({"x", "y"}))}, "p.py")
    # A string that looks like an encoded token is still told apart.
    assert keys.key("t.j2", {"a": "s1:b"}) != keys.key("t.j2", {"a": "b"})
    assert keys.key("t.j2", {"a": 1}) != keys.key("t.j2", {"a": "1"})
    assert keys.key("t.j2", {"a": True}) != keys.key("t.j2", {"a": 1})
