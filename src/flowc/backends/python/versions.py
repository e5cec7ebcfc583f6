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
    return f"black {black_version()}, isort {metadata.version('isort')}"
