"""The Anti-Patterns table as lint rules; each can be silenced per flow."""

from __future__ import annotations

import re
from collections import Counter

from flowc.checks.tense import is_fact
from flowc.diagnostics import Diagnostic, Location
from flowc.model import AntiPattern, Flow, MessageKind, System
from flowc.rules import LINT_RULES, report

CHATTY_LIMIT = 3
_QUERY_WORDS = re.compile(
    r"^(Get|Fetch|Query|Find|Lookup|Load|Read|List|Search|Request|Ask)[A-Z_]|(Query|Request|Lookup)$"
)


def suppressed(flow: Flow, rule: str) -> bool:
    return rule in flow.suppress or LINT_RULES.get(rule, "") in flow.suppress


def check_lint(system: System) -> list[Diagnostic]:
    """The lint findings; where the spec's own Anti-Patterns table names a
    rule, its Alternative is the finding's hint."""
    table, notes = _anti_pattern_table(system)
    lent = {
        LINT_RULES[name]: row for name, row in table.items() if row.alternative.strip()
    }
    return [
        (
            finding.model_copy(
                update={
                    "hint": f"{lent[finding.code].alternative.strip()} (the "
                    f"Anti-Patterns table, {lent[finding.code].loc})"
                }
            )
            if finding.code in lent
            else finding
        )
        for finding in _findings(system)
    ] + notes


_STOP_WORDS = frozenset({"a", "an", "and", "as", "for", "in", "of", "on", "the", "to"})


def _words(text: str) -> frozenset[str]:
    """Lower-case words, plural -s and -ies taken off, small words left out."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        if word not in _STOP_WORDS:
            found.add(word)
    return frozenset(found)


def _anti_pattern_table(
    system: System,
) -> tuple[dict[str, AntiPattern], list[Diagnostic]]:
    """The rows of the spec's Anti-Patterns tables by the rule each names, and a
    note for each row that names none."""
    rules = {name: _words(name) for name in LINT_RULES}
    table: dict[str, AntiPattern] = {}
    notes: list[Diagnostic] = []
    for document in system.documents:
        for row in document.anti_patterns:
            written = row.pattern.strip()
            words = _words(written)
            name = next(
                (
                    rule
                    for rule, needed in rules.items()
                    if needed <= words or written.upper() == LINT_RULES[rule]
                ),
                None,
            )
            if name is None:
                notes.append(
                    report(
                        "FLW222",
                        f"the anti-pattern {written!r} matches no lint rule; it is "
                        "documentation only",
                        row.loc,
                        "flowc checks: " + ", ".join(sorted(LINT_RULES)),
                    )
                )
            else:
                table.setdefault(name, row)
    return table, notes


def _findings(system: System) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for flow in system.flows:
        _chatty(flow, out)
        _distributed_transaction(system, flow, out)
        _fire_and_forget(flow, out)
    events: dict[str, Diagnostic | None] = {}
    for flow in system.flows:
        for message in flow.messages():
            if (
                message.kind not in (MessageKind.PUBLISH, MessageKind.DELIVER)
                or message.event_name in events
            ):
                continue
            events[message.event_name] = None
            _event_name(message.event_name, message.loc, flow, out)
    for choreography in system.choreographies:
        for route in choreography.routes:
            if route.event not in events:
                events[route.event] = None
                _event_name(route.event, route.loc, None, out)
    return out


def _chatty(flow: Flow, out: list[Diagnostic]) -> None:
    if suppressed(flow, "chatty-services"):
        return
    calls = Counter(
        (m.source, m.target)
        for m in flow.messages()
        if m.kind in (MessageKind.CALL, MessageKind.SIGNAL)
    )
    reported: set[tuple[str, str]] = set()
    for message in flow.messages():
        pair = (message.source, message.target)
        if (
            calls.get(pair, 0) > CHATTY_LIMIT
            and pair not in reported
            and message.kind == MessageKind.CALL
        ):
            reported.add(pair)
            out.append(
                report(
                    "FLW701",
                    f"chatty services: {calls[pair]} sync calls from {pair[0]} to {pair[1]} in flow {flow.name!r} (limit {CHATTY_LIMIT})",
                    message.loc,
                    "batch the calls into one operation, or add <!-- flowc-disable: chatty-services --> to the flow",
                )
            )


_STATE_WORDS = re.compile(
    r"^(Create|Update|Delete|Insert|Save|Store|Reserve|Charge|Debit|Credit|Cancel|Book|Register|Set|Add|Remove|Place|Process|Apply|Commit|Write|Put|Post)",
    re.I,
)


def _distributed_transaction(system: System, flow: Flow, out: list[Diagnostic]) -> None:
    if suppressed(flow, "distributed-transaction"):
        return
    writers: dict[str, Location] = {}
    for message in flow.messages():
        if message.kind == MessageKind.CALL and _STATE_WORDS.match(
            message.text.strip()
        ):
            writers.setdefault(message.target, message.loc)
    if len(writers) < 2:
        return
    in_saga = any(
        saga.orchestrator in {p.name for p in flow.participants}
        for saga in system.sagas
        if saga.orchestrator
    )
    if in_saga:
        return
    names = sorted(writers)
    first = next(
        m for m in flow.messages() if m.target in writers and m.kind == MessageKind.CALL
    )
    out.append(
        report(
            "FLW702",
            f"distributed transaction: {', '.join(names)} all change state in flow {flow.name!r} with no saga",
            first.loc,
            "model the flow as a saga with compensations, or add <!-- flowc-disable: distributed-transaction -->",
        )
    )


def _fire_and_forget(flow: Flow, out: list[Diagnostic]) -> None:
    """A sync call whose caller never receives a reply line."""
    if suppressed(flow, "sync-fire-and-forget"):
        return
    messages = list(flow.messages())
    for index, message in enumerate(messages):
        if message.kind != MessageKind.CALL:
            continue
        replied = any(
            later.kind == MessageKind.REPLY
            and later.source == message.target
            and later.target == message.source
            for later in messages[index + 1 :]
        )
        if not replied:
            out.append(
                report(
                    "FLW703",
                    f"sync call {message.source} -> {message.target}: {message.text!r} has no reply; nothing uses its result",
                    message.loc,
                    "publish an event instead, or draw the reply (-->>)",
                )
            )


def _event_name(
    name: str, loc: Location, flow: Flow | None, out: list[Diagnostic]
) -> None:
    if _QUERY_WORDS.search(name) and not (flow and suppressed(flow, "event-for-query")):
        out.append(
            report(
                "FLW704",
                f"event {name!r} asks for data; events state facts",
                loc,
                "use a sync call for queries",
            )
        )
        return
    if not is_fact(name) and not (flow and suppressed(flow, "event-not-past-tense")):
        out.append(
            report(
                "FLW705",
                f"event {name!r} is not a fact in the past tense",
                loc,
                "name events after what happened: OrderCreated, not CreateOrder",
            )
        )
