"""Spec names -> Python names, by fixed rules and never silently renamed.

``User Registration`` -> ``UserRegistration`` (classes) and
``user_registration`` (functions, modules). A name that cannot become an
identifier is reported by the checks, not patched here.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | {"None", "True", "False"}
)


def words(name: str) -> list[str]:
    """Split on case changes, digits and anything not alphanumeric."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_name)


def pascal(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(name))


def snake(name: str) -> str:
    return "_".join(word.lower() for word in words(name))


def constant(name: str) -> str:
    return snake(name).upper()


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name))


def is_reserved(name: str) -> bool:
    return name in RESERVED


def usable(name: str) -> bool:
    """A spec name flowc can turn into Python names at all."""
    return bool(words(name)) and not re.search(r"[/\\]|\.\.", name)
