"""Reading a flow's Trigger line: does it name a schedule, and how.

``checks/analysis/schedules.py`` decides what a schedule means in code; this
module only finds it in the text (a cron expression in backticks, or words).
"""

from __future__ import annotations

import re

_BACKTICKED = re.compile(r"`([^`\n]+)`")
_CRON_FIELD = re.compile(r"^[0-9*?/,#LW-]+$|^[A-Za-z]{3}(?:[-,][A-Za-z]{3})*$")
_CRON_MACRO = re.compile(
    r"^@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)$", re.I
)
_SCHEDULE_WORDS = re.compile(
    r"\b(?:"
    r"every\s+(?:\d+\s*)?(?:day|night|morning|evening|hour|minute|second|week|"
    r"month|quarter|year|weekday|weekend|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)s?"
    r"|nightly|daily|hourly|weekly|monthly|quarterly|yearly|annually"
    r"|scheduled|(?:on|by|per)\s+(?:a\s+|the\s+)?schedule|cron(?:\s*job)?"
    r")\b",
    re.I,
)


def schedule_of(trigger: str) -> str | None:
    """The text that makes a Trigger a schedule: a cron expression, else a word."""
    for candidate in _BACKTICKED.findall(trigger):
        text = candidate.strip()
        fields = text.split()
        if _CRON_MACRO.match(text) or (
            5 <= len(fields) <= 6 and all(_CRON_FIELD.match(f) for f in fields)
        ):
            return f"`{text}`"
    match = _SCHEDULE_WORDS.search(trigger)
    return match.group(0) if match is not None else None
