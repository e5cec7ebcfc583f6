"""Which files under an output folder no manifest lists.

The output folder is flowc's: a file there that flowc did not write is drift
that ``check`` names and ``generate`` warns about. Some names are other
tools' business and never count: names starting with a dot (flowc's own
``.flowc/``, editors' and tools' state) and Python's ``__pycache__``; a
killed run's temporary files are reported on their own (FLW806).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from flowc.output.journal import TEMP_SUFFIX


class UnreadableFolder(Exception):
    """A folder under the output folder that cannot be listed."""


def ignored(name: str) -> bool:
    """A name that is not flowc's business in an output folder."""
    return name.startswith(".") or name == "__pycache__" or name.endswith(TEMP_SUFFIX)


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder (``""`` for the root) that holds one of ``paths``."""
    found = {""}
    for path in paths:
        parts = path.split("/")
        found.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
    return found


def strangers(root: str, folder: str, listed: set[str], folders: set[str]) -> list[str]:
    """Entries of one folder that are neither listed files nor folders of them,
    as paths relative to ``root``. Raises UnreadableFolder."""
    prefix = f"{folder}/" if folder else ""
    try:
        with os.scandir(os.path.join(root, folder) if folder else root) as entries:
            names = sorted(
                (entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries
            )
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise UnreadableFolder(f"{folder or '.'}: {exc.strerror or exc}") from exc
    found: list[str] = []
    for name, is_folder in names:
        path = prefix + name
        if ignored(name) or (path in folders if is_folder else path in listed):
            continue
        found.append(path + "/" if is_folder else path)
    return found


def unlisted(root: str, listed: set[str]) -> list[str]:
    """Every file under ``root`` that ``listed`` lacks, in path order; a whole
    unknown folder is named once, with a trailing slash. Raises UnreadableFolder."""
    folders = folders_of(listed)
    found: list[str] = []
    for folder in sorted(folders):
        found.extend(strangers(root, folder, listed, folders))
    return found
