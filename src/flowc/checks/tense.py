"""Does an event's name state a fact that happened? Read from its words.

An event is a fact: ``OrderPlaced``, ``refund.payment_settled``,
``Acme.Storage.FileArchived``, ``MemberSignedUp``. A command
(``CreateOrder``), a query, a noun (``PriceChange``), an ongoing or coming
state (``import_job.in_progress``, ``renewal_will_start``) is not. The name is
split into words (camelCase, ALLCAPS, and any of ``. _ - / :`` or spaces),
the words that only say "this is an event" (``Event``, ``IntegrationEvent``,
a version ``0.1.0``) are set aside, and it is a fact when one word is a past
participle or past tense: a regular ``-ed`` form, or an irregular one
(``sent``, ``paid``, ``withdrawn``), also written with its particle
(``signedup``, ``paidout``). A word that forecasts (``will``, ``upcoming``)
makes it no fact.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

_MARKERS = frozenset(
    {"event", "events", "integration", "domain", "evt", "webhook", "message", "v"}
)
"""Words that say what kind of thing the name is, not what happened."""

_FORECASTS = frozenset({"will", "upcoming", "pending", "about", "soon", "expiring"})
"""Words that make what follows them a forecast (``renewal_will_start``), unless a
past form comes after them (``pending_refund_settled``)."""

_ASKING = frozenset({"command", "cmd", "query", "request"})
"""A last word that makes the name a message asking for something."""

_SENDING = frozenset(
    {"send", "publish", "emit", "notify", "broadcast", "raise", "fire"}
)
"""A first word naming the act of sending a fact, not the fact (``sendMemberJoined``)."""

_STATES = frozenset({"ready", "available"})
"""A last word naming a state the thing is in, not a change that happened."""

_PREFIXES = ("over", "under", "re", "un", "mis", "out", "pre", "co")

_PARTICLES = ("up", "out", "in", "off", "down", "over", "back", "on", "away")

_IRREGULAR_WORDS = """
    arisen arose awoke awoken been began begun bent bet bid bit bitten bled
    blew blown bore born borne bought bound bred broke broken brought built
    burnt burst cast caught chose chosen clung came crept cut dealt dealt
    dug did done drew drawn dreamt drank drunk drove driven dwelt ate eaten
    fell fallen fed felt fought found fled flung flew flown forbade
    forbidden forgot forgotten forgave forgiven froze frozen got gotten gave
    given went gone ground grew grown hung had heard hid hidden hit held
    hurt kept knelt knew known laid led leant leapt learnt left lent let
    lain lit lost made meant met mistook mistaken mown overcame overdrawn
    overheard overridden overrode overran overseen oversaw overtaken
    overtook overthrown overthrew paid proven put quit read rebuilt redone
    redrawn remade repaid reran rerun reset resent resold retaken retold
    rewritten rewrote rid ridden rode rang rung rose risen ran run said sawn
    saw seen sought sold sent set sewn shaken shook shed shone shot shown
    showed shrank shrunk shut sang sung sank sunk sat slain slept slid slit
    slung smelt sown sped spent spilt spun spat split spoilt spoke spoken
    spread sprang sprung stood stole stolen stuck stung stank stunk strode
    stridden struck strung strove striven swore sworn swept swollen swam
    swum swung took taken taught tore torn told thought threw thrown thrust
    trod trodden unbound undergone underwent understood undertaken undertook
    undid undone unfrozen unhid unsold unwound upheld upset woke woken wore
    worn wove woven wed wept won wound withdrew withdrawn withheld withstood
    wrung wrote written
"""
_IRREGULAR = frozenset(_IRREGULAR_WORDS.split())
"""Irregular past tenses and participles. Words, not event names: any name
built from them is read the same way."""

_NOT_PAST_ED_WORDS = """
    bed bleed breed embed exceed feed heed hundred need proceed red sacred
    seed shred sled speed succeed weed naked wicked ragged rugged crooked
    kindred
"""
_NOT_PAST_ED = frozenset(_NOT_PAST_ED_WORDS.split())
"""Words that end in -ed and are no past form."""

_EE_VERBS = ("agree", "free", "decree", "guarantee", "referee", "disagree")

_SAME_AS_BASE_WORDS = """
    bet bid burst cast cut hit hurt let put quit read reset rid run set shed
    shut split spread thrust upset wed
"""
_SAME_AS_BASE = frozenset(_SAME_AS_BASE_WORDS.split())
"""Past forms spelled as the verb itself: ``PriceSet`` is a fact, ``SetPrice``
a command. They count only as the last word, where an English fact puts its
verb."""


def name_words(name: str) -> list[str]:
    """The words of a name, lower-cased, in order."""
    return [word.lower() for word in _WORD.findall(name)]


@lru_cache(maxsize=4096)
def is_past_form(word: str) -> bool:
    """A past tense or past participle, alone or with its particle."""
    if word in _IRREGULAR:
        return True
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and rest in _IRREGULAR and rest not in _SAME_AS_BASE:
            return True  # overpaid, rebuilt, unsold
    if word.endswith("eed"):
        return word[:-1].endswith(_EE_VERBS)
    if word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST_ED:
        return True
    for particle in _PARTICLES:
        stem = word[: -len(particle)]
        if (
            word.endswith(particle)
            and len(stem) > 2
            and stem not in _SAME_AS_BASE  # setup, cutoff, runout are nouns
            and is_past_form(stem)
        ):
            return True
    return False


def is_fact(name: str) -> bool:
    """True when the name states something that happened (see the module doc)."""
    words = [w for w in name_words(name) if w not in _MARKERS and not w.isdigit()]
    if not words or words[-1] in _ASKING or words[-1] in _STATES:
        return False
    if words[0] in _SENDING and len(words) > 1:
        return False
    last_past = max(
        (
            index
            for index, word in enumerate(words)
            if is_past_form(word)
            and (word not in _SAME_AS_BASE or index == len(words) - 1)
        ),
        default=-1,
    )
    if last_past < 0:
        return False
    return not any(word in _FORECASTS for word in words[last_past + 1 :])
