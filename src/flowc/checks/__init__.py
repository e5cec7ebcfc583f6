"""Checks over the IR: resolve names across files, validate, lint, analyse.

Checks know neither Markdown nor Python syntax; they read IR and return the
resolved view of the system (the analysis) and its diagnostics.
"""

from __future__ import annotations

from flowc.checks.pipeline import Checked, check_documents

__all__ = ["Checked", "check_documents"]
