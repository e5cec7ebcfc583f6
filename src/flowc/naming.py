"""Spec names -> Python names, by fixed rules and never silently renamed.

``User Registration`` -> ``UserRegistration`` (classes) and
``user_registration`` (functions, modules). A name that cannot become an
identifier is reported by the checks, not patched here.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from functools import lru_cache

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


# The backend converts the same few thousand names many times a run.
@lru_cache(maxsize=65536)
def pascal(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(name))


@lru_cache(maxsize=65536)
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


MAX_LENGTH = 100
# Control (NUL, tab, line breaks), format (zero-width space, bidi controls),
# surrogate and line/paragraph separator characters: none can be part of a name.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def invisible(name: str) -> str | None:
    """The first control or invisible character of ``name``, described; None if none."""
    for char in name:
        if unicodedata.category(char) in _INVISIBLE:
            label = unicodedata.name(char, "a control character")
            return f"U+{ord(char):04X} ({label})"
    return None


def too_long(name: str) -> bool:
    return len(name) > MAX_LENGTH


def has_letter(name: str) -> bool:
    return any(char.isalpha() for char in name)


def shown(name: str, limit: int = 40) -> str:
    """``repr`` of a name for messages: escapes invisible characters, shortens long names."""
    return repr(name if len(name) <= limit else name[:limit] + "...")


def environment_prefix(package: str) -> str:
    """``signup`` -> ``SIGNUP_``: the generated service's environment variables."""
    return constant(package) + "_"
