"""Worker processes for the slow steps (reading documents, black, datamodel-code-generator).

Every pool is made here, so that every worker ends when flowc does, even
when flowc is killed: on Linux the kernel sends it SIGKILL; elsewhere the
pool's own shutdown has to do.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def _start_worker() -> None:
    """End with the parent, and leave the parent's objects out of garbage
    collection: a forked worker inherits the whole analysis, and walking it
    on every collection made formatting a third slower."""
    gc.freeze()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def worker_count() -> int:
    """How many workers a pool may use: the cores, at most eight."""
    return min(os.cpu_count() or 1, 8)


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that end with their parent."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker)
