"""Formatting many generated files: black is the slow step, so use every core.

Each file is formatted on its own, so the result does not depend on how the
work is split: the output stays byte-identical.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from flowc.backends.python.render import format_python

if TYPE_CHECKING:
    from flowc.backends.python.context import SourceFile

# Below this many files a worker pool costs more (start-up, imports) than it saves.
PARALLEL_THRESHOLD = 40


def _format(job: tuple[str, tuple[str, ...] | None]) -> str:
    text, first_party = job
    return text if first_party is None else format_python(text, first_party)


def format_all(files: list[SourceFile]) -> list[str]:
    """The formatted text of each file, in order."""
    jobs = [(f.text, f.first_party) for f in files]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        return [_format(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(_format, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
        )
