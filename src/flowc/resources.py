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


@cache
def code_digest() -> str:
    """sha256 over flowc's own code, data and templates.

    Part of every cached run's key: a changed template or backend (an editable
    install, a new release) must never be answered with an old run's output.
    """
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).parent
    # The same files give the same digest from a wheel (templates inside the
    # package) and from a checkout (templates beside it).
    code = [
        path
        for path in package.rglob("*")
        if path.suffix in (".py", ".json")
        and "templates" not in path.relative_to(package).parts
    ]
    templates = list(templates_dir().rglob("*.j2"))
    for root, paths in ((package, code), (templates_dir(), templates)):
        for path in sorted(paths):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
