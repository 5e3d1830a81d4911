"""Say 911 where it is certain: en-US and es-US say "your local emergency number", which
costs a frightened person time, unless the device's time zone places it in a country whose
emergency number is 911 (the United States and its territories, Canada, Mexico:
``skill/data/emergency_zones.json``).

The time zone comes from the Alexa settings API (no permission needed;
:func:`skill.alexa.time_zone.local_zone`), asked at most once a session and only on a turn
whose answer names the emergency number, waiting at most :data:`ZONE_BUDGET_SECONDS`; the
answer is kept in the session attribute ``number`` ("911", or "" when the zone is not a 911
one). Without an API, a device or a zone, or on any failure or delay, the generic words stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from skill.alexa.time_zone import local_zone
from skill.core.catalogue import Catalogue, catalogue_for, number_variants
from skill.core.content import load_json
from skill.core.reply import Reply
from skill.core.speech import Msg, Speech
from skill.core.turn import Turn

#: The longest the answer naming the number waits for the time zone: an emergency line must
#: not wait on a slow API (past it, the generic words are said).
ZONE_BUDGET_SECONDS = 0.8


@cache
def numbers_by_zone() -> dict[str, str]:
    """IANA zone name -> the emergency number certain there."""
    raw = load_json("emergency_zones.json")
    return {zone: number for number, zones in raw.items() if number != "note" for zone in zones}


def number_for(turn: Turn) -> str | None:
    """The emergency number certain for this device, asked once a session; None when not."""
    known = turn.state.get("number")
    if isinstance(known, str):
        return known or None
    zone = local_zone(turn, ZONE_BUDGET_SECONDS)
    name = getattr(zone, "key", None)
    number = numbers_by_zone().get(name, "") if isinstance(name, str) else ""
    turn.state["number"] = number
    return number or None


def _names_a_number(speech: Speech | None, variant: Catalogue, base: Catalogue) -> bool:
    """Whether ``speech`` says a line the number variant words differently."""
    for part in speech.parts if speech is not None else ():
        if isinstance(part, Msg) and variant.prompts.get(part.key) != base.prompts.get(part.key):
            return True
        if isinstance(part, str) and part == base.knowledge.emergency:
            return True
    return False


def _swap_emergency(speech: Speech | None, base: Catalogue, variant: Catalogue) -> Speech | None:
    """``speech`` with the knowledge base's emergency line (a string already in the base's
    words) said in the variant's."""
    if speech is None:
        return None
    parts = tuple(
        variant.knowledge.emergency if part == base.knowledge.emergency else part
        for part in speech.parts
    )
    return Speech(parts)


def _reworded(base: Catalogue, chosen: Catalogue) -> dict[str, str]:
    """Each text of ``base`` that ``chosen`` words differently (its emergency lines), and
    ``chosen``'s words for it."""
    table = {
        base.text(key): chosen.text(key)
        for key, entry in chosen.prompts.items()
        if isinstance(entry, str) and entry != base.prompts.get(key)
    }
    table[base.knowledge.emergency] = chosen.knowledge.emergency
    return table


@cache
def _reworded_for(locale: str, number: str) -> Mapping[str, str]:
    """:func:`_reworded` for a shipped locale's catalogue and its number variant, built once
    per process rather than on every turn that shows a screen."""
    return _reworded(catalogue_for(locale), catalogue_for(locale, number))


def _screen_in(reply: Reply, base: Catalogue, number: str) -> Any:
    """``reply``'s screen in the words of ``base``'s variant for ``number`` (no screen, no
    work: a voice-only device gets none)."""
    if reply.screen is None:
        return None
    if base is catalogue_for(base.locale):
        table = _reworded_for(base.locale, number)
    else:  # a catalogue built apart from the shipped one (tests): its own table
        table = _reworded(base, catalogue_for(base.locale, number))
    return _swap_shown(reply.screen, table)


def _swap_shown(value: Any, table: Mapping[str, str]) -> Any:
    """A screen's data source with every text of ``table`` shown in its new words: the
    screen was drawn in the base words before the number was known."""
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, list):
        return [_swap_shown(item, table) for item in value]
    if isinstance(value, dict):
        return {key: _swap_shown(item, table) for key, item in value.items()}
    return value


def with_number(turn: Turn, reply: Reply) -> tuple[Catalogue, Reply]:
    """The catalogue to say ``reply`` in, and the reply: the locale's number variant when
    the reply names the emergency number and the number is certain for this device (its
    screen, if any, shows the same words)."""
    base = turn.catalogue
    variants = number_variants(base.locale)
    if not variants:
        return base, reply
    variant = catalogue_for(base.locale, variants[0])
    if not any(_names_a_number(s, variant, base) for s in (reply.speech, reply.reprompt)):
        # Only the screen may name it: it shows the number once this session knows it,
        # without asking the API for a line the voice does not say.
        known = turn.state.get("number")
        if reply.screen is None or not isinstance(known, str) or not known:
            return base, reply
        return base, replace(reply, screen=_screen_in(reply, base, known))
    number = number_for(turn)
    if number is None:
        return base, reply
    chosen = catalogue_for(base.locale, number)
    return chosen, replace(
        reply,
        speech=_swap_emergency(reply.speech, base, chosen) or reply.speech,
        reprompt=_swap_emergency(reply.reprompt, base, chosen),
        screen=_screen_in(reply, base, number),
    )
