"""Checks over the IR: resolve names across files, validate, lint.

Checks know neither Markdown nor Python; they read and return IR and
diagnostics.
"""

from __future__ import annotations

from flowc.checks.pipeline import check_documents

__all__ = ["check_documents"]
