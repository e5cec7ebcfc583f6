"""A first layout by ruff's formatter, so that black formats each file once.

black formats a file a second time whenever its first pass changed anything,
to be sure the result is stable. datamodel-code-generator's modules always
change (quotes, import order, long lines), so each cost black two passes:
at 500 flows, 2,000 model modules took about 9 ms each. ruff's formatter
lays code out as black does, for all of them in a fraction of a second, so
black's first pass finds nothing to change and stops there.

black (after isort) stays the formatter of record: every file still goes
through it. But black keeps some layouts it would not have chosen (a magic
trailing comma, a comment after code in parentheses), so where ruff lays a
line out otherwise, the result could differ from black's own. Only model
modules take this path (``formatting.format_all``): plain class definitions,
where ruff and black agree; ``tests/test_prelayout.py`` holds the two to the
same bytes on every spec set of the suite. When ruff cannot be run, the texts
go to black as they came.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from pathlib import Path

from flowc.backends.python.render import LINE_LENGTH

WORTH_A_RUN = 20
"""Below this many files, starting ruff costs more than black's passes it saves."""

TIMEOUT_SECONDS = 120


def prelayout(texts: list[str]) -> list[str]:
    """``texts`` as ruff's formatter lays them out; a text ruff could not
    format (it does not parse) comes back as it was, for black to report."""
    ruff = _ruff_binary()
    if ruff is None or len(texts) < WORTH_A_RUN:
        return texts
    with tempfile.TemporaryDirectory(prefix="flowc-prelayout-") as folder:
        paths = [Path(folder) / f"m{i}.py" for i in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
        command = [
            ruff,
            "format",
            "--isolated",  # no configuration file of the project decides
            "--no-cache",
            "--quiet",
            "--line-length",
            str(LINE_LENGTH),
            "--target-version",
            "py311",
            folder,
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.SubprocessError):
            return texts
        laid_out = []
        for path, text in zip(paths, texts, strict=True):
            try:
                laid_out.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                laid_out.append(text)
        return laid_out


def _ruff_binary() -> str | None:
    with contextlib.suppress(ImportError, FileNotFoundError):
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    return None
