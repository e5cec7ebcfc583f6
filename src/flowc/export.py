"""``flowc export``: documents made from a spec set for the world outside.

``openapi`` is the document the generated app serves, built by the generated
package itself (its ``app.openapi_document()``, which ``/openapi.json``
shares), so there is one owner; ``docs`` is the spec set as one Markdown page
written from the model.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flowc.api import Result, check, system_name, validate
from flowc.diagnostics import Location
from flowc.rules import report

_OPENAPI_SCRIPT = (
    "import json, sys\n"
    "from {package}.app import openapi_document\n"
    "json.dump(openapi_document(), sys.stdout, indent=2, ensure_ascii=False)\n"
)


def export_openapi(
    paths: list[Path],
    output: Path,
    stubs: Path | None = None,
    package: str | None = None,
    base: Path | None = None,
) -> tuple[str | None, Result]:
    """The OpenAPI document the generated app serves, built by the generated
    package itself (one owner), after ``check`` has found the output current."""
    result = check(paths, output, stubs, package, base)
    if result.exit_code != 0:
        return None, result
    name = system_name(paths, package)
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(output.resolve()), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
    }
    done = subprocess.run(
        [sys.executable, "-c", _OPENAPI_SCRIPT.format(package=name)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        result.diagnostics.append(
            report(
                "FLW810",
                f"the generated package {name} could not build its OpenAPI document: {last}",
                Location(file=output.as_posix()),
                "install what generated code needs (`pip install flowc[runtime]`)",
            )
        )
        return None, result
    return done.stdout + "\n", result


def export_docs(
    paths: list[Path], package: str | None = None, base: Path | None = None
) -> tuple[str | None, Result]:
    """One Markdown page for the spec set, written from the model as
    ``flowc convert`` writes Markdown: the prose, SLAs and diagrams as the
    code has them."""
    from flowc.convert import to_markdown

    result = validate(paths, package, base)
    if result.errors:
        return None, result
    pages = [to_markdown(document).strip() for document in result.documents]
    return "\n\n".join(pages) + "\n", result
