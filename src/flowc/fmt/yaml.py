"""YAML specs in canonical form, comments kept (ruamel.yaml's round trip).

Mappings indent by two spaces, list items by two with the dash inside the
indent (``  - name: ...``), as the converter and the examples write them;
quotes, block scalars (``|``), key order and comments stay as written, and
long lines are not folded.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError


class YamlFormatError(Exception):
    """The text is not YAML that can be formatted; the reader says why."""


def format_yaml(text: str) -> str:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000
    try:
        documents = list(yaml.load_all(text))
    except YAMLError as exc:
        raise YamlFormatError(str(exc)) from exc
    if all(document is None for document in documents):
        return text  # only comments, or nothing: nothing to lay out
    out = io.StringIO()
    yaml.dump_all(documents, out)
    formatted = out.getvalue()
    return formatted if text.endswith("\n") or not text else formatted.rstrip("\n")
