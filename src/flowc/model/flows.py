"""Flows: a trigger, the diagram's messages, the error and mapping tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from pydantic import Field

from flowc.diagnostics import Location
from flowc.model.base import UNKNOWN, Node
from flowc.model.services import SyncPolicy


class Participant(Node):
    """A participant as the diagram declares it (kinds are decided by resolve)."""

    name: str
    label: str | None = None
    actor: bool = False


class MessageKind(StrEnum):
    """What a diagram line means; filled in by resolve from participant kinds."""

    UNRESOLVED = "unresolved"
    REQUEST = "request"
    RESPONSE = "response"
    CALL = "call"
    REPLY = "reply"
    PUBLISH = "publish"
    DELIVER = "deliver"
    LOCAL = "local"
    SIGNAL = "signal"


class Message(Node):
    """One arrow of the sequence diagram, kept as written plus its meaning."""

    item: Literal["message"] = "message"
    source: str
    target: str
    arrow: str = "->>"
    text: str = ""
    kind: MessageKind = MessageKind.UNRESOLVED

    @property
    def is_reply_arrow(self) -> bool:
        return self.arrow.startswith("--")

    @property
    def event_name(self) -> str:
        """The event a publish/deliver line names: a trailing word "event" is dropped."""
        return re.sub(r"\s+event$", "", self.text.strip(), flags=re.IGNORECASE).strip()

    @property
    def status_code(self) -> int | None:
        """The leading number of a response line such as ``201 Created``."""
        match = re.match(r"^\s*(\d{3})\b", self.text)
        return int(match.group(1)) if match else None


class Note(Node):
    """A note over or beside participants; carried into docstrings."""

    item: Literal["note"] = "note"
    placement: str = "over"
    participants: tuple[str, ...] = Field(default=())
    text: str = ""


class Section(Node):
    """One branch of a block (`alt` then each `else`, `par` then each `and`)."""

    label: str = ""
    items: tuple[SequenceItem, ...] = Field(default=())


class Block(Node):
    """loop/alt/opt/par/critical/break/rect, with its branches."""

    item: Literal["block"] = "block"
    kind: str
    sections: tuple[Section, ...] = Field(default=())


SequenceItem = Message | Note | Block
Section.model_rebuild()


class ErrorCase(Node):
    """A row of the Error Handling table."""

    name: str
    handler: str
    status: int
    recovery: str = ""

    @property
    def recovery_kind(self) -> Literal["retry", "field_errors", "hint"]:
        text = self.recovery.strip().lower()
        if re.match(r"retry\b", text):
            return "retry"
        if "field error" in text:
            return "field_errors"
        return "hint"


class Transformation(Node):
    """A row of the Data Transformations table: a mapping Input -> Output."""

    step: str
    input: str
    output: str


class Flow(Node):
    """A key flow of the document."""

    name: str
    trigger: str = ""
    outcome: str = ""
    sla_ms: int | None = None
    participants: tuple[Participant, ...] = Field(default=())
    sequence: tuple[SequenceItem, ...] = Field(default=())
    errors: tuple[ErrorCase, ...] = Field(default=())
    transformations: tuple[Transformation, ...] = Field(default=())
    suppress: tuple[str, ...] = Field(default=())
    sync_policy: SyncPolicy | None = None
    description: str = ""
    # Where the Trigger text is; like ``loc``, left out of dumps and equality.
    trigger_loc: Location = Field(default=UNKNOWN, exclude=True, repr=False)

    def messages(self) -> Iterator[Message]:
        """All messages in diagram order, through every block and branch."""
        stack: list[Iterator[SequenceItem]] = [iter(self.sequence)]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
            elif isinstance(item, Message):
                yield item
            elif isinstance(item, Block):
                stack.append(
                    entry for section in item.sections for entry in section.items
                )

    def participant(self, name: str) -> Participant | None:
        return next((p for p in self.participants if p.name == name), None)
