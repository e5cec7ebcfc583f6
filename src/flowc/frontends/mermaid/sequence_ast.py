"""The syntax tree of a Mermaid ``sequenceDiagram`` and its canonical printer.

Everything here is a frozen value: the parser builds it, later stages read it.
Deep nesting is legal Mermaid, so every walk below uses an explicit stack
instead of recursion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from flowc.diagnostics import Location

PLAIN_KINDS = ("participant", "actor")
"""Kinds spelled by their own keyword; every other kind needs ``@{ "type": ... }``."""

SECTION_KEYWORDS = {
    "alt": "else",
    "par": "and",
    "par_over": "and",
    "critical": "option",
}
"""Block kinds that have more than one section, and the keyword of the later ones."""


@dataclass(frozen=True, slots=True)
class Participant:
    """A lifeline, in order of first appearance; ``explicit`` if it was declared."""

    id: str
    label: str | None
    kind: str
    loc: Location
    created: bool = False
    destroyed: bool = False
    box: str | None = None
    explicit: bool = True
    box_color: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """One arrow between two lifelines; ``arrow`` is the raw token as written."""

    source: str
    target: str
    arrow: str
    text: str
    loc: Location
    text_column: int
    activation: str | None = None
    central_source: bool = False
    central_target: bool = False

    @property
    def is_reply(self) -> bool:
        """Dashed line: ``-->>``, ``--x``, ``--)``, ``<<-->>`` and dotted half arrows."""
        return "--" in self.arrow

    @property
    def is_async(self) -> bool:
        return self.arrow in ("-)", "--)")

    @property
    def is_lost(self) -> bool:
        return self.arrow.lower() in ("-x", "--x")

    @property
    def is_bidirectional(self) -> bool:
        return self.arrow.startswith("<<")


@dataclass(frozen=True, slots=True)
class Note:
    """A note beside or over one or two lifelines."""

    placement: str
    participants: tuple[str, ...]
    text: str
    loc: Location
    text_column: int = 0


@dataclass(frozen=True, slots=True)
class Section:
    """One arm of a block: the opening keyword's, or an else/and/option arm."""

    keyword: str
    label: str
    items: tuple[Item, ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Block:
    """loop, alt, opt, par, par_over, critical, break or rect, closed by ``end``."""

    kind: str
    sections: tuple[Section, ...]
    loc: Location


Item = Message | Note | Block


@dataclass(frozen=True, slots=True)
class SequenceDiagram:
    """A whole diagram: lifelines, then the items in source order."""

    participants: tuple[Participant, ...]
    items: tuple[Item, ...]
    title: str | None
    autonumber: bool
    loc: Location
    acc_title: str | None = None
    acc_descr: str | None = None
    autonumber_start: int | float | None = None
    autonumber_step: int | float | None = None

    def messages(self) -> Iterator[Message]:
        """Every message, depth first in source order."""
        for item in walk(self.items):
            if isinstance(item, Message):
                yield item


def walk(items: tuple[Item, ...]) -> Iterator[Item]:
    """Every item depth first in source order, blocks before their contents."""
    stack: list[Iterator[Item]] = [iter(items)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        yield item
        if isinstance(item, Block):
            stack.append(inner for section in item.sections for inner in section.items)


@dataclass(slots=True)
class _Frame:
    """One block being rebuilt by ``map_items``; the root frame has no block."""

    block: Block | None
    items: tuple[Item, ...]
    index: int = 0
    section_index: int = 0
    out: list[Item] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def map_items(
    items: tuple[Item, ...],
    leaf: Callable[[Message | Note], Item],
    section: Callable[[Section, tuple[Item, ...]], Section],
    block: Callable[[Block, tuple[Section, ...]], Block],
) -> tuple[Item, ...]:
    """Rebuild a tree bottom-up without recursion, so depth is never a limit."""
    stack = [_Frame(None, items)]
    while True:
        frame = stack[-1]
        if frame.index < len(frame.items):
            item = frame.items[frame.index]
            frame.index += 1
            if not isinstance(item, Block):
                frame.out.append(leaf(item))
            elif item.sections:
                stack.append(_Frame(item, item.sections[0].items))
            else:
                frame.out.append(block(item, ()))
            continue
        if frame.block is None:
            return tuple(frame.out)
        old = frame.block.sections[frame.section_index]
        frame.sections.append(section(old, tuple(frame.out)))
        frame.section_index += 1
        if frame.section_index < len(frame.block.sections):
            frame.items = frame.block.sections[frame.section_index].items
            frame.index = 0
            frame.out = []
            continue
        stack.pop()
        stack[-1].out.append(block(frame.block, tuple(frame.sections)))


NOWHERE = Location(file="", line=0, column=0)


def strip_locations(diagram: SequenceDiagram) -> SequenceDiagram:
    """The diagram with every position zeroed and every participant explicit.

    Printing declares every participant, so the implicit/explicit flag is
    dropped here too: two diagrams that only differ in where things were
    written, or in whether a lifeline was declared, compare equal.
    """

    def leaf(item: Message | Note) -> Item:
        return replace(item, loc=NOWHERE, text_column=0)

    def section(old: Section, items: tuple[Item, ...]) -> Section:
        return replace(old, items=items, loc=NOWHERE)

    def block(old: Block, sections: tuple[Section, ...]) -> Block:
        return replace(old, sections=sections, loc=NOWHERE)

    return replace(
        diagram,
        participants=tuple(
            replace(p, loc=NOWHERE, explicit=True) for p in diagram.participants
        ),
        items=map_items(diagram.items, leaf, section, block),
        loc=NOWHERE,
    )


# --- printer -------------------------------------------------------------

INDENT = "    "
_UNSAFE_LABEL = re.compile(r"[#;\r\n]|^\s|\s$")
_ENTITY = re.compile(r"#[A-Za-z0-9_]+;")
_ID_FORBIDDEN = re.compile(r"[<>:,;@\n]")
_ALIAS_SHAPE = re.compile(r"\S+\s+as(?:\s|$)", re.IGNORECASE)
_METADATA_ID = re.compile(r"[^<=>\-:,;@\s]+")
_ESCAPABLE = re.compile(r"#[A-Za-z0-9_]+;|[#;\r\n]")


def _metadata_id(pid: str) -> bool:
    """Whether Mermaid accepts ``@{ ... }`` right after this id."""
    return bool(_METADATA_ID.fullmatch(_ENTITY.sub("_", pid)))


def _unsafe(text: str) -> bool:
    """Text a ``title``/``as`` line would cut short; entity codes are fine."""
    return bool(_UNSAFE_LABEL.search(_ENTITY.sub("_", text)))


def _escape(text: str) -> str:
    """Entity codes for ``#``, ``;`` and line breaks, keeping existing codes.

    Mermaid shows the result exactly as the original, but the parsed text
    then spells them as codes: the printer's one lossy case.
    """
    codes = {"#": "#35;", ";": "#59;", "\n": "<br>", "\r": "<br>"}
    text = _ESCAPABLE.sub(lambda m: codes.get(m.group(), m.group()), text)
    return " ".join(text.split())


def _declarable(pid: str) -> bool:
    """Whether ``participant <pid>`` reads back as exactly this id."""
    masked = _ENTITY.sub("_", pid)
    return not (_ID_FORBIDDEN.search(masked) or _ALIAS_SHAPE.match(masked))


@dataclass(slots=True)
class _Printer:
    """Prints items in order, declaring created lifelines where they are created."""

    diagram: SequenceDiagram
    lines: list[str]
    last_use: dict[str, int]
    next_participant: int = 0
    message_index: int = 0
    declared: set[str] = field(default_factory=set)
    active: dict[str, int] = field(default_factory=dict)

    def declaration(self, p: Participant, created: bool) -> str:
        """The declaration line: keyword, metadata when needed, alias."""
        keyword = "actor" if p.kind == "actor" else "participant"
        prefix = "create " if created else ""
        label = p.label
        meta: dict[str, str] = {}
        if p.kind not in PLAIN_KINDS:
            meta["type"] = p.kind
        if label and _unsafe(label):
            if _metadata_id(p.id):
                meta["alias"], label = label, None
            else:
                label = _escape(label)
        if meta and not _metadata_id(p.id):
            meta = {}  # Mermaid cannot attach metadata to this id
        config = f"@{json.dumps(meta, ensure_ascii=False)}" if meta else ""
        alias = f" as {label}" if label is not None else ""
        return f"{prefix}{keyword} {p.id}{config}{alias}"

    def declare(self, depth: int, until: str | None = None) -> None:
        """Declare lifelines in order, stopping before one created later.

        With ``until``, go on (creating lifelines on the way) until that one is
        declared: an item is about to use it.  Between a ``create`` and its
        message Mermaid allows anything but another message, so this is safe.
        """
        participants = self.diagram.participants
        box: tuple[str | None, str | None] = (None, None)
        while self.next_participant < len(participants):
            p = participants[self.next_participant]
            if (until is None and p.created) or until in self.declared:
                break
            self.next_participant += 1
            if p.id in self.declared:
                continue
            self.declared.add(p.id)
            plain = p.kind == "participant" and p.label is None and not p.box
            if plain and not p.created and not _declarable(p.id):
                # `participant X` cannot spell this id, but the ACTOR rule that
                # first read it can: an empty `properties` line adds it in order.
                box = self.switch_box(box, (None, None), depth)
                self.lines.append(f"{INDENT * depth}properties {p.id}: {{}}")
                continue
            wanted = (p.box, p.box_color) if not p.created else (None, None)
            box = self.switch_box(box, wanted, depth)
            pad = INDENT * (depth + (1 if box[0] is not None else 0))
            self.lines.append(pad + self.declaration(p, p.created))
        self.switch_box(box, (None, None), depth)

    def switch_box(
        self,
        current: tuple[str | None, str | None],
        wanted: tuple[str | None, str | None],
        depth: int,
    ) -> tuple[str | None, str | None]:
        """Close and open ``box`` groups so consecutive members share one box."""
        if current == wanted:
            return current
        if current[0] is not None:
            self.lines.append(INDENT * depth + "end")
        if wanted[0] is not None:
            color = wanted[1] or "transparent"
            label = f" {wanted[0]}" if wanted[0] else ""
            self.lines.append(f"{INDENT * depth}box {color}{label}")
        return wanted

    def ensure(self, pids: tuple[str, ...], depth: int) -> None:
        """Declare (or create) lifelines an item uses before printing it."""
        for pid in pids:
            if pid not in self.declared:
                self.declare(depth, until=pid)
                self.declare(depth)

    def message(self, item: Message, depth: int) -> None:
        """Print a message, with any create/destroy/activate it relies on."""
        self.ensure((item.source, item.target), depth)
        for pid in dict.fromkeys((item.source, item.target)):
            if self.last_use.get(pid) == self.message_index:
                self.lines.append(f"{INDENT * depth}destroy {pid}")
        self.message_index += 1
        self.activation(item, depth)
        source = item.source + ("()" if item.central_source else "")
        if source.endswith(("-", "/", "\\", "|")):
            source += " "  # or the id's last character would join the arrow
        marker = item.activation or ("()" if item.central_target else "")
        if marker == "-" and item.arrow.endswith("-"):
            marker = " -"  # `/|-` then `-` would read as the dotted `/|--`
        text = _text(item.target, item.text)
        self.lines.append(
            f"{INDENT * depth}{source}{item.arrow}{marker}{item.target}{text}"
        )

    def activation(self, item: Message, depth: int) -> None:
        """Keep ``+``/``-`` valid: ``activate`` lines are not in the tree.

        A ``-`` reply needs its sender active (Mermaid throws otherwise); when
        the source relied on a dropped ``activate`` line, print one back.
        """
        if item.activation == "+":
            self.active[item.target] = self.active.get(item.target, 0) + 1
        elif item.activation == "-":
            if self.active.get(item.source, 0) < 1:
                self.lines.append(f"{INDENT * depth}activate {item.source}")
            else:
                self.active[item.source] -= 1

    def note(self, item: Note, depth: int) -> None:
        self.ensure(item.participants, depth)
        text = _text(item.participants[-1], item.text)
        who = ",".join(item.participants)
        self.lines.append(f"{INDENT * depth}Note {item.placement} {who}{text}")

    def leftovers(self) -> None:
        """Lifelines created but never targeted, and destroys no message uses."""
        for p in self.diagram.participants:
            if p.id not in self.declared:
                self.declare(1, until=p.id)
        for p in self.diagram.participants:
            if p.destroyed and p.id not in self.last_use:
                self.lines.append(f"{INDENT}destroy {p.id}")


def _text(last: str, text: str) -> str:
    """``: text``; glued to a participant named title, or `title: x` is a title."""
    if not text:
        return ":"
    return f":{text}" if last.lower() == "title" else f": {text}"


def _destroy_points(diagram: SequenceDiagram) -> dict[str, int]:
    """For each destroyed lifeline, the last message that uses it.

    A message that creates a lifeline is skipped: Mermaid checks it against
    the pending ``create`` only, so a ``destroy`` before it would dangle.
    """
    destroyed = {p.id for p in diagram.participants if p.destroyed}
    to_create = {p.id for p in diagram.participants if p.created}
    last: dict[str, int] = {}
    for index, message in enumerate(diagram.messages()):
        if message.target in to_create:
            to_create.discard(message.target)
            continue
        for pid in (message.source, message.target):
            if pid in destroyed:
                last[pid] = index
    return last


def _header(diagram: SequenceDiagram) -> list[str]:
    """The header line, then diagram-wide statements."""
    lines = ["sequenceDiagram"]
    if diagram.title:
        title = _escape(diagram.title) if _unsafe(diagram.title) else diagram.title
        lines.append(f"{INDENT}title {title}")
    if diagram.acc_title is not None:
        lines.append(f"{INDENT}accTitle: {diagram.acc_title}".rstrip())
    if diagram.acc_descr is not None:
        if "\n" in diagram.acc_descr:
            lines.append(f"{INDENT}accDescr {{{diagram.acc_descr}}}")
        else:
            lines.append(f"{INDENT}accDescr: {diagram.acc_descr}".rstrip())
    if diagram.autonumber:
        numbers = [
            str(n)
            for n in (diagram.autonumber_start, diagram.autonumber_step)
            if n is not None
        ]
        lines.append(" ".join([f"{INDENT}autonumber", *numbers]))
    return lines


def format_sequence(diagram: SequenceDiagram) -> str:
    """Canonical Mermaid text: 4-space indent, every lifeline declared in order."""
    lines = _header(diagram)
    printer = _Printer(diagram, lines, _destroy_points(diagram))
    printer.declare(1)
    stack: list[str | tuple[Item, int]] = [
        (item, 1) for item in reversed(diagram.items)
    ]
    while stack:
        entry = stack.pop()
        if isinstance(entry, str):
            lines.append(entry)
            continue
        item, depth = entry
        if isinstance(item, Message):
            printer.message(item, depth)
        elif isinstance(item, Note):
            printer.note(item, depth)
        else:
            stack.append(INDENT * depth + "end")
            for section in reversed(item.sections):
                stack.extend((inner, depth + 1) for inner in reversed(section.items))
                head = f"{section.keyword} {section.label}".rstrip()
                stack.append(INDENT * depth + head)
    printer.leftovers()
    return "\n".join(lines) + "\n"
