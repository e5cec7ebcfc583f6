"""Where the shipped templates are: inside the wheel, or at the repository's top level."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def templates_dir() -> Path:
    """``flowc/templates`` in an installed wheel; ``templates/`` in a source checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("flowc's templates are missing from this installation")
