"""The formatters' versions, read from package metadata without importing them:
an unchanged run asks for them and must not pay for black's import."""

from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def black_version() -> str:
    return metadata.version("black")


@cache
def formatter_versions() -> str:
    """Every formatter that can decide a byte of output (ruff lays files out
    before black, ``prelayout``, and black keeps magic trailing commas)."""
    return (
        f"black {black_version()}, isort {metadata.version('isort')}, "
        f"ruff {_version_or_none('ruff')}"
    )


def _version_or_none(package: str) -> str:
    """ruff only speeds formatting up (``prelayout``): flowc runs without it."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"
