"""``flowc fmt``: spec files in canonical form, and nothing else changed.

Markdown: diagrams as ``flowc convert`` writes them (``fmt/diagrams.py``),
tables aligned (``fmt/markdown.py``), the older ``flowc-disable`` comment
written as an ignore (``fmt/disables.py``). YAML: one indentation, with
comments, quotes and key order kept (``fmt/yaml.py``). ``fmt/files.py``
finds the files and writes back what changed. Formatting twice
changes nothing, and a formatted file reads to the same document (its
flowc-disable comments read as the ignores they became).
"""

from __future__ import annotations

from flowc.fmt.diagrams import format_diagrams
from flowc.fmt.disables import rewrite_disables
from flowc.fmt.markdown import format_markdown
from flowc.fmt.yaml import YamlFormatError, format_yaml

__all__ = ["YamlFormatError", "format_spec"]


def format_spec(text: str, name: str) -> str:
    """``text`` of the spec file called ``name``, in canonical form.
    Raises YamlFormatError for YAML that does not parse."""
    if name.lower().endswith((".yaml", ".yml")):
        return format_yaml(text)
    return format_markdown(format_diagrams(rewrite_disables(text, name), name))
