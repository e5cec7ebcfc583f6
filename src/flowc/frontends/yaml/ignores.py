"""``# flowc: ignore[FLW705] reason`` comments in a YAML spec.

YAML loaders drop comments, so the text is searched line by line. An ignore
covers the item it sits in: an entry of a top-level list or mapping
(``flows:``, ``models:``, ``sagas:``...), from its first line to the line
before the next entry or section; outside any entry, the whole file.
"""

from __future__ import annotations

import bisect
import re

from flowc.frontends.ignores import find_ignore
from flowc.frontends.yaml.loader import Positions
from flowc.model import Suppression

_COMMENT = re.compile(r"(?:^|\s)#")


def read_ignores(text: str, positions: Positions) -> tuple[Suppression, ...]:
    lines = text.splitlines()
    items = _item_spans(positions, len(lines))
    found: list[Suppression] = []
    for row, line in enumerate(lines, start=1):
        if "flowc:" not in line.lower():
            continue
        comment = _COMMENT.search(line)
        if comment is None:
            continue
        directive = find_ignore(line[comment.end() :])
        if directive is None:
            continue
        first, last = next(
            ((a, b) for a, b in items if a <= row <= b), (1, max(len(lines), 1))
        )
        found.append(
            Suppression(
                codes=directive.codes,
                reason=directive.reason,
                first_line=first,
                last_line=last,
                loc=positions.at(()).model_copy(
                    update={"line": row, "column": comment.end() + directive.offset + 1}
                ),
            )
        )
    return tuple(found)


def _item_spans(positions: Positions, line_count: int) -> list[tuple[int, int]]:
    """(first, last) line of each entry of a top-level section, 1-based."""
    items: dict[tuple[object, ...], int] = {}
    for table in (positions.places, positions.key_places):
        for path, (line, _) in table.items():
            if len(path) == 2:
                items[path] = min(line, items.get(path, line))
    sections = [
        line for path, (line, _) in positions.key_places.items() if len(path) == 1
    ]
    starts = sorted(set(items.values()) | set(sections))
    spans: list[tuple[int, int]] = []
    for first in sorted(set(items.values())):
        after = bisect.bisect_right(starts, first)
        spans.append((first, starts[after] - 1 if after < len(starts) else line_count))
    return spans
