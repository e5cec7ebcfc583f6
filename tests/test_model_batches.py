"""One datamodel-code-generator run for many model groups gives, module by module,
the same bytes as one run per group, on the example and on every corpus set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO, SPEC_SETS
from flowc.api import EarlierOutput, _rendered, render, validate
from flowc.backends.python import models
from flowc.backends.python.model_batches import UnsplittableBatch, split_batch
from flowc.backends.python.render import format_python


def _model_files(folder: Path) -> dict[str, bytes]:
    _, generation = render([folder], package="batched")
    assert generation is not None
    files, _ = _rendered(generation, EarlierOutput(), None)
    return {f.path: f.content for f in files if "/models/" in f.path}


@pytest.mark.parametrize("folder", SPEC_SETS, ids=[f.name for f in SPEC_SETS])
def test_a_batch_prints_what_one_run_per_group_prints(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched = _model_files(folder)
    one_by_one = models.generate_groups
    monkeypatch.setattr(
        models,
        "generate_groups",
        lambda groups, header: one_by_one(groups, header, batch=False),
    )
    assert _model_files(folder) == batched


def test_a_statement_no_group_owns_makes_the_batch_unsplittable() -> None:
    source = (
        "from pydantic import BaseModel\n\nX = 1\n\n\nclass A(BaseModel):\n    a: int\n"
    )
    with pytest.raises(UnsplittableBatch):
        split_batch(source, {"A": "0"}, "# header")


def test_each_module_keeps_only_the_imports_its_classes_use() -> None:
    source = (
        "from __future__ import annotations\n\n"
        "from uuid import UUID\n\nfrom pydantic import BaseModel, EmailStr\n\n\n"
        "class A(BaseModel):\n    id: UUID\n\n\n"
        "class B(BaseModel):\n    email: EmailStr\n\n\nB.model_rebuild()\n"
    )
    split = split_batch(source, {"A": "a", "B": "b"}, "# header")
    assert "UUID" in split["a"] and "EmailStr" not in split["a"]
    assert (
        "UUID" not in split["b"]
        and "from pydantic import BaseModel, EmailStr" in split["b"]
    )
    assert split["b"].rstrip().endswith("B.model_rebuild()")


def test_a_batch_split_across_workers_prints_the_same_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large batch runs as one part per core, in worker processes; each
    group's module is the one a single run prints."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import write_spec_set
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    specs = write_spec_set(tmp_path / "specs", 20)
    checked = validate([specs], "batched", tmp_path)
    assert checked.analysis is not None
    groups = dict(enumerate(models.model_groups(checked.analysis.all_models())))

    def formatted(sources: dict[int, str]) -> dict[int, str]:
        # The import lines of a raw module follow its batch; isort orders them.
        return {i: format_python(text, ("batched",)) for i, text in sources.items()}

    one_run = formatted(models.generate_groups(groups, "# header"))
    monkeypatch.setattr(models, "PARALLEL_GROUPS", 2)
    monkeypatch.setattr(models, "worker_count", lambda: 2)
    assert len(models._parts(groups)) == 2
    assert formatted(models.generate_groups(groups, "# header")) == one_run
