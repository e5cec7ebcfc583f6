"""Schema.org vocabulary lookups for spec checks and payload model generation."""

from flowc.schemaorg.vocabulary import (
    DATATYPE_ACCEPTS,
    SCALAR_TYPES,
    PropertyInfo,
    Vocabulary,
    vocabulary,
)

__all__ = [
    "DATATYPE_ACCEPTS",
    "SCALAR_TYPES",
    "PropertyInfo",
    "Vocabulary",
    "vocabulary",
]
