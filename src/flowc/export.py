"""``flowc export``: documents made from a spec set for the world outside.

``openapi`` is the document the generated app serves, built by the generated
package itself (its ``app.openapi_document()``, which ``/openapi.json``
shares), so there is one owner; ``asyncapi`` likewise comes from the
generated ``asyncapi.asyncapi_document()``, whose schemas are the models that
decode the events; ``docs`` is the spec set as one Markdown page written
from the model.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flowc.api import Result, check, system_name, validate
from flowc.diagnostics import Location
from flowc.rules import report

_SCRIPT = (
    "import json, sys\n"
    "from {package}.{module} import {function}\n"
    "json.dump({function}(), sys.stdout, indent=2, ensure_ascii=False)\n"
)


GENERATED_DOCUMENTS = {
    "openapi": ("app", "openapi_document", "OpenAPI"),
    "asyncapi": ("asyncapi", "asyncapi_document", "AsyncAPI"),
}
"""Kind -> (generated module, its function, the document's name): the OpenAPI
document ``/openapi.json`` serves, and the events as AsyncAPI 3.0."""


def export_generated(
    kind: str,
    paths: list[Path],
    output: Path,
    stubs: Path | None = None,
    package: str | None = None,
    base: Path | None = None,
) -> tuple[str | None, Result]:
    """A document the generated package builds itself (one owner), in a
    Python process of its own, after ``check`` has found the output current:
    a document from output that no longer matches the specs would lie."""
    module, function, what = GENERATED_DOCUMENTS[kind]
    result = check(paths, output, stubs, package, base)
    if result.exit_code != 0:
        return None, result
    name = system_name(paths, package)
    search = [str(output.resolve()), os.environ.get("PYTHONPATH", "")]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, search))}
    script = _SCRIPT.format(package=name, module=module, function=function)
    done = subprocess.run(
        [sys.executable, "-c", script],
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
                f"the generated package {name} could not build its {what} "
                f"document: {last}",
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
