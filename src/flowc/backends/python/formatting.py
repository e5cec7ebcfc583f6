"""Formatting many generated files: black is the slow step, so use every core,
and let ruff lay model modules out first so that black passes over each once.

Each file is formatted on its own, so the result does not depend on how the
work is split: the output stays byte-identical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowc.backends.python.prelayout import prelayout
from flowc.backends.python.render import format_python
from flowc.workers import pool, worker_count

if TYPE_CHECKING:
    from flowc.backends.python.context import SourceFile

# Below this many files a worker pool costs more (start-up, imports) than it saves.
PARALLEL_THRESHOLD = 40


def _format(job: tuple[str, tuple[str, ...] | None]) -> str:
    text, first_party = job
    return text if first_party is None else format_python(text, first_party)


def format_all(files: list[SourceFile]) -> list[str]:
    """The formatted text of each file, in order; only the files that need
    black reach it, and a worker pool only when there are many."""
    texts = [f.text for f in files]
    todo = [i for i, f in enumerate(files) if f.needs_formatting]
    # Only model modules get ruff's first layout: plain class definitions,
    # where ruff lays out as black does. Elsewhere (a long comment after
    # code, say) ruff's layout can differ, and black would then keep it.
    models = [i for i in todo if files[i].datamodel]
    for i, text in zip(models, prelayout([texts[i] for i in models]), strict=True):
        texts[i] = text
    jobs = [(i, (texts[i], files[i].first_party)) for i in todo]
    workers = worker_count()
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        for i, job in jobs:
            texts[i] = _format(job)
        return texts
    with pool(workers) as formatters:
        done = formatters.map(
            _format,
            [job for _, job in jobs],
            chunksize=max(1, len(jobs) // (workers * 4)),
        )
        for (i, _), text in zip(jobs, done, strict=True):
            texts[i] = text
    return texts
