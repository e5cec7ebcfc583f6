"""Project configuration: ``[tool.flowc]`` in pyproject.toml, or flowc.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ConfigError(Exception):
    """The configuration file exists but cannot be used."""


class BreakingException(BaseModel):
    """A breaking change the team accepts, and why (``[[tool.flowc.breaking.exceptions]]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    """A code (FLW903) or name (removed-field)."""
    subject: str
    """What the finding names: ``POST /orders``, ``UserCreated.nickname``..."""
    reason: str = Field(min_length=1, pattern=r"\S")


class BreakingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    exceptions: tuple[BreakingException, ...] = ()


class Config(BaseModel):
    """Where specs are, where output goes, and what the generated package is called."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    specs: Path = Path("specs")
    output: Path = Path("generated")
    package: str | None = None
    stubs: Path | None = None
    root: Path = Path(".")
    breaking: BreakingConfig = BreakingConfig()


def load_config(start: Path | None = None) -> Config:
    """The nearest flowc.toml or pyproject.toml with [tool.flowc], upwards from ``start``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        flowc_toml = candidate / "flowc.toml"
        if flowc_toml.is_file():
            return _read(flowc_toml, candidate, section=None)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            tool = _load(pyproject).get("tool", {})
            if isinstance(tool, dict) and "flowc" in tool:
                return _read(pyproject, candidate, section="flowc")
    return Config(root=folder)


def _load(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _read(path: Path, root: Path, section: str | None) -> Config:
    data = _load(path)
    if section is not None:
        tool = data.get("tool", {})
        assert isinstance(tool, dict)
        data = tool.get(section, {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.flowc] must be a table")
    try:
        config = Config.model_validate({**data, "root": root})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from exc
    return config.model_copy(
        update={
            "specs": root / config.specs,
            "output": root / config.output,
            "stubs": (root / config.stubs) if config.stubs else None,
        }
    )
