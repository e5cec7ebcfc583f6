"""One datamodel-code-generator run for many model groups gives, module by module,
the same bytes as one run per group, on the example and on every corpus set."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SPEC_SETS
from flowc.api import EarlierOutput, _rendered, render
from flowc.backends.python import models
from flowc.backends.python.model_batches import UnsplittableBatch, split_batch


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
