"""The owned output folder: manifest, atomic writer, drift check, and stubs.

This package knows files and bytes, not Python: a backend hands it a list of
``RenderedFile`` and it decides what to write, keep, remove or report.
"""

from flowc.output.drift import (
    RenderedFile,
    WriteReport,
    check_tree,
    diff_tree,
    plan_tree,
    unlisted_findings,
)
from flowc.output.manifest import MANIFEST_PATH
from flowc.output.stubs import StubReport, write_stubs
from flowc.output.writer import write_tree

__all__ = [
    "MANIFEST_PATH",
    "RenderedFile",
    "StubReport",
    "WriteReport",
    "check_tree",
    "diff_tree",
    "plan_tree",
    "unlisted_findings",
    "write_stubs",
    "write_tree",
]
