"""Text forms both frontends share: durations and the sync policy bullets."""

from __future__ import annotations

import re

from flowc.model import SyncPolicy

_DURATION = re.compile(
    r"^\s*(?:[<≤~]=?|under|within|at most|max(?:imum)?|up to)?\s*"
    r"(?P<value>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)?\s*$",
    re.IGNORECASE,
)


class DurationError(ValueError):
    """The text is not a duration such as ``<500ms`` or ``2s``."""


# Bounds that keep absurd numbers (``<999...9ms``, 5,000-digit counts) errors,
# not overflows: a year is longer than any SLA or timeout, and a count of more
# than nine digits is no count of retries or failures.
MAX_DURATION_MS = 365 * 24 * 3_600_000
_MAX_COUNT_DIGITS = 9


def _count(digits: str, what: str) -> int:
    if len(digits.lstrip("0")) > _MAX_COUNT_DIGITS:
        raise DurationError(f"{what} {digits[:20]}... is too large")
    return int(digits)


def parse_duration(text: str) -> int:
    """Milliseconds of ``<500ms``, ``2s``, ``1.5 seconds``, ``5 min``, ``1h``."""
    # Collapsing whitespace first keeps the regex linear on any input.
    match = _DURATION.match(" ".join(text.strip("` ").split()))
    if match is None:
        raise DurationError(f"not a duration: {text!r}")
    value = float(match.group("value"))
    unit = (match.group("unit") or "ms").lower()
    if unit.startswith("ms") or unit.startswith("milli"):
        factor = 1
    elif unit.startswith("h"):
        factor = 3_600_000
    elif unit.startswith("m"):
        factor = 60_000
    else:
        factor = 1000
    if not value * factor <= MAX_DURATION_MS:  # also inf from 400 digits
        raise DurationError(f"a duration must be at most a year: {text[:40]!r}")
    milliseconds = round(value * factor)
    if milliseconds <= 0:
        raise DurationError(f"a duration must be positive: {text!r}")
    return milliseconds


def format_duration(milliseconds: int) -> str:
    """The shortest exact text for a duration: ``500ms``, ``2s``, ``5m``."""
    if milliseconds % 60_000 == 0 and milliseconds >= 60_000:
        return f"{milliseconds // 60_000}m"
    if milliseconds % 1000 == 0:
        return f"{milliseconds // 1000}s"
    return f"{milliseconds}ms"


_FIRST_INT = re.compile(r"\d+")


def parse_retries(text: str) -> tuple[int, str]:
    """``3, exponential backoff`` -> (3, "exponential"); ``none`` -> (0, "none")."""
    lowered = text.strip().lower()
    if lowered in {"none", "no", "no retries", "0"}:
        return 0, "none"
    match = _FIRST_INT.search(lowered)
    if match is None:
        raise DurationError(
            f"retries need a count, e.g. '3, exponential backoff': {text!r}"
        )
    backoff = "exponential"
    for kind in ("exponential", "linear", "fixed", "constant"):
        if kind in lowered:
            backoff = "fixed" if kind == "constant" else kind
            break
    return _count(match.group(), "retries"), backoff


def parse_breaker(text: str) -> tuple[int, int]:
    """``5 failures, 30s open`` -> (5, 30000)."""
    parts = [part.strip() for part in re.split(r"[,;/]| and ", text) if part.strip()]
    failures: int | None = None
    open_ms: int | None = None
    for part in parts:
        count = re.match(
            r"^(\d+)\s*(?:consecutive\s+)?(?:failures?|errors?)", part, re.I
        )
        if count is not None:
            failures = _count(count.group(1), "failures")
            continue
        duration = re.sub(
            r"\b(open|half-open|cool-?down|reset|for)\b", "", part, flags=re.I
        )
        try:
            open_ms = parse_duration(duration)
        except DurationError:
            continue
    if failures is None:
        raise DurationError(f"circuit breaker needs 'N failures': {text!r}")
    return failures, open_ms if open_ms is not None else 30_000


def format_policy(policy: SyncPolicy) -> tuple[str, str, str]:
    """The three guideline bullet values of a policy, as the seed writes them."""
    retries = (
        "none" if policy.retries == 0 else f"{policy.retries}, {policy.backoff} backoff"
    )
    breaker = (
        f"{policy.breaker_failures} failures, "
        f"{format_duration(policy.breaker_open_ms)} open"
    )
    return format_duration(policy.timeout_ms), retries, breaker
