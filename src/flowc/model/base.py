"""The base of every IR node: frozen, strict, and aware of where it came from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flowc.diagnostics import Location

UNKNOWN = Location(file="<unknown>", line=0, column=0)


class Node(BaseModel):
    """An IR node.

    ``loc`` points at the spec text the node came from so any later stage can
    report against the spec. It is left out of dumps and of equality: the same
    model read from Markdown and from YAML compares equal.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    loc: Location = Field(default=UNKNOWN, exclude=True, repr=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Node)
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(self.model_dump_json())

    def at(self, loc: Location) -> Any:
        """A copy placed at ``loc`` (used when a frontend learns the position late)."""
        return self.model_copy(update={"loc": loc})
