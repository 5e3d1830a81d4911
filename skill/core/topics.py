"""Spoken knowledge: causes, prevention tips, doctor advice, symptom checks, relief facts.

Plain functions from a :class:`Turn` to a :class:`Reply`. The state they keep in the
session (``last`` item for "tell me more", ``tip`` and ``cause`` cursors, the pending
``question``) lets "next", "yes" and "tell me more" continue where the person is.
"""

from __future__ import annotations

import re
from typing import Any

from skill.core import (
    coaching,
    disclaimer,
    latch,
    questions,
    reminder_offers,
    routine_aside,
    routine_place,
    screens,
)
from skill.core.content import Item
from skill.core.reply import Reply, ask
from skill.core.speech import Msg, msg, say
from skill.core.turn import Turn

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``: a side question in a routine is answered short."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def brief(text: str, asked: str | None, most: int = 1) -> str:
    """At most two sentences of ``text`` for a side question in a routine: the first
    ``most`` (one or two), or the first and the first later one that names what was
    ``asked`` ("ice": "An ice pack numbs the pain."), if any."""
    first, *rest = _SENTENCE_END.split(text.strip())
    words = [w for w in (asked or "").lower().split() if len(w) > 2]
    named = next((s for s in rest if any(w in s.lower() for w in words)), "")
    if not named and most > 1 and rest:
        named = rest[0]
    return f"{first} {named}".strip()


def remember_item(turn: Turn, item: Item) -> None:
    """Note the item just spoken, so "tell me more" knows what to expand."""
    turn.state["last"] = {"topic": item.topic, "id": item.id}


def anything_else(turn: Turn, *spoken: Msg | str) -> Reply:
    """Say ``spoken`` and ask whether the person wants anything else."""
    questions.set_pending(turn, "anything_else")
    return ask(say(*spoken, msg("anything_else")), say(msg("anything_else_reprompt")))


def offer_more(turn: Turn, item: Item, *lead: Msg) -> Reply:
    """``item`` and the offer of more; in a routine, at most two sentences of it and the
    way back to the step (a seed situation asked mid-stretch: "do I get these at night")."""
    remember_item(turn, item)
    in_routine = routine_aside.aside(turn, *lead, brief(item.short, None, 2))
    if in_routine is not None:
        return in_routine
    questions.set_pending(turn, "more")
    return ask(say(*lead, item.short, msg("more_prompt")), say(msg("more_reprompt")))


# --- what a cramp is ------------------------------------------------------------------
def overview(turn: Turn) -> Reply:
    kb = turn.catalogue.knowledge
    what, muscles = kb.topic("overview")
    remember_item(turn, what)
    in_routine = routine_aside.aside(turn, first_sentence(what.short))
    if in_routine is not None:
        return in_routine
    questions.set_pending(turn, "causes")
    return ask(
        say(what.short, muscles.short, what.more, disclaimer.once(turn), msg("overview_question")),
        say(msg("overview_reprompt")),
    )


# --- causes ---------------------------------------------------------------------------
def causes(turn: Turn) -> Reply:
    """One named cause, or the list of all six with a question which to expand."""
    cause = turn.catalogue.knowledge.find("causes", turn.slot_id("Cause"))
    if cause is not None:
        return tell_cause(turn, cause)
    in_routine = routine_aside.aside(turn, msg("cause_intro_short"))
    if in_routine is not None:
        turn.state["cause"] = 0
        turn.state["last"] = {"topic": "causes"}
        return in_routine
    if (turn.state.get("last") or {}).get("topic") == "causes":
        return next_cause(turn)  # "what else causes cramps?"
    turn.state["cause"] = 0
    turn.state["last"] = {"topic": "causes"}  # "tell me more" now walks the causes
    # Three at most, then "want more?": six at once is too many to hold in mind.
    questions.set_pending(turn, "causes_rest")
    return ask(
        say(msg("cause_intro_short"), disclaimer.once(turn), msg("causes_more_question")),
        say(msg("causes_more_reprompt")),
    )


def causes_rest(turn: Turn) -> Reply:
    """Yes to "want more?" after the three commonest causes: the other three, and the
    offer to hear them one by one."""
    turn.state["cause"] = 0
    turn.state["last"] = {"topic": "causes"}
    questions.set_pending(turn, "next_cause")
    return ask(say(msg("cause_intro_rest"), msg("cause_question")), say(msg("cause_reprompt")))


def tell_cause(turn: Turn, cause: Item) -> Reply:
    """One cause; a medicine or a medical condition leads with the seed's advice to see a
    doctor about it ("talk to your doctor" first for a medicine)."""
    kb = turn.catalogue.knowledge
    turn.state["cause"] = kb.index("causes", cause.id) + 1
    remember_item(turn, cause)
    advice = kb.doctor_for_cause(cause.id)
    lead = first_sentence(advice.short) if advice else ""
    in_routine = routine_aside.aside(turn, lead, first_sentence(cause.short))
    if in_routine is not None:
        return in_routine
    questions.set_pending(turn, "more_or_next_cause")
    return ask(
        say(advice.short if advice else None, cause.short, msg("more_prompt")),
        say(msg("cause_more_reprompt")),
    )


def next_cause(turn: Turn) -> Reply:
    all_causes = turn.catalogue.knowledge.topic("causes")
    index = int(turn.state.get("cause", 0))
    if index >= len(all_causes):
        turn.state["cause"] = 0
        return anything_else(turn, msg("causes_done"))
    return tell_cause(turn, all_causes[index])


# --- prevention -----------------------------------------------------------------------
def prevention_tip(turn: Turn) -> Reply:
    """The next of the six prevention habits, one at a time."""
    tips = turn.catalogue.knowledge.topic("prevention")
    index = int(turn.state.get("tip", 0))
    if index >= len(tips):
        turn.state["tip"] = 0
        return anything_else(turn, msg("tips_done"))
    tip = tips[index]
    turn.state["tip"] = index + 1
    remember_item(turn, tip)
    in_routine = routine_aside.aside(turn, first_sentence(tip.short))
    if in_routine is not None:
        return in_routine
    questions.set_pending(turn, "next_tip")
    lead = msg("tip_lead") if index == 0 else None
    told = say(lead, tip.short, disclaimer.once(turn))
    if index == 0 and routine_place.active(turn) is None:
        # "How do I prevent cramps": once a week, offer to make it happen (never mid-routine).
        offered = reminder_offers.offer(turn, None, reminder_offers.AFTER_TIP, *told.parts)
        if offered is not None:
            return offered
    spoken = say(told, msg("tip_question"))
    return ask(spoken, say(msg("tip_reprompt")))


# --- doctor ---------------------------------------------------------------------------
def doctor_advice(turn: Turn) -> Reply:
    """Urgent signs first (the emergency line, then the signs that need a doctor soon), at
    most about forty words, then "want the rest?" (the seed's situations, in full)."""
    turn.state.pop("last", None)
    in_routine = routine_aside.aside(turn, msg("doctor_urgent"), msg("red_flag_reminder"))
    if in_routine is not None:
        in_routine.screen = _doctor_screen(turn)
        return in_routine
    questions.set_pending(turn, "doctor_full")
    return ask(
        # Urgent signs first, about forty words; the seed's situations are "the rest".
        say(msg("doctor_urgent"), msg("doctor_soon"), msg("doctor_full_question")),
        say(msg("doctor_full_reprompt")),
        screen=_doctor_screen(turn),
    )


def _doctor_screen(turn: Turn) -> dict[str, Any] | None:
    """Every seed situation in large text: reading is quicker than listening."""
    if not turn.shows_screen:
        return None
    kb = turn.catalogue.knowledge
    situations = [item.short for item in kb.topic("doctor")]
    title = turn.catalogue.text("screen_doctor_title")
    return screens.text_screen("advice", title, situations, kb.emergency)


def doctor_full_list(turn: Turn) -> Reply:
    """Every see-a-doctor situation of the seed, plainly, with the emergency line."""
    kb = turn.catalogue.knowledge
    situations = [item.short for item in kb.topic("doctor")]
    reply = anything_else(turn, msg("doctor_intro"), *situations, kb.emergency, kb.disclaimer)
    reply.screen = _doctor_screen(turn)
    return reply


# --- relief facts ---------------------------------------------------------------------
RELIEF_SLOT_IDS = {"heat": "temperature", "cold": "temperature", "ice": "temperature"}


def relief_step_info(turn: Turn) -> Reply:
    """Explain one relief step on request ("should I use heat or ice?"); not once the
    session's safety latch is closed."""
    if latch.is_closed(turn):
        return latch.refusal(turn)
    wanted = turn.slot_id("ReliefStep")
    item = turn.catalogue.knowledge.find("relief", RELIEF_SLOT_IDS.get(wanted or "", wanted))
    if item is None:
        return routine_aside.aside(turn, msg("relief_unknown_step")) or anything_else(
            turn, msg("relief_unknown_step")
        )
    remember_item(turn, item)
    heard = turn.slot("ReliefStep")
    spoken = brief(item.short, heard.value if heard else None)
    return routine_aside.aside(turn, spoken) or offer_more(turn, item)


# --- tell me more ---------------------------------------------------------------------
def more(turn: Turn) -> Reply:
    """The longer form of the item spoken last."""
    last = turn.state.get("last") or {}
    item = (
        turn.catalogue.knowledge.find(last.get("topic", "overview"), last.get("id"))
        if last
        else None
    )
    if item is None and last.get("topic") == "causes":
        return next_cause(turn)
    if item is None:
        # "go on" in a routine, with nothing to expand, is back to the step.
        return coaching.resume(turn) or anything_else(turn, msg("nothing_more"))
    turn.state.pop("last", None)
    in_routine = routine_aside.aside(turn, first_sentence(item.more))
    if in_routine is not None:
        return in_routine
    if item.topic == "causes":
        questions.set_pending(turn, "next_cause")
        return ask(say(item.more, msg("next_cause_question")), say(msg("next_cause_reprompt")))
    if item.topic == "prevention":
        questions.set_pending(turn, "next_tip")
        return ask(say(item.more, msg("tip_question")), say(msg("tip_reprompt")))
    return anything_else(turn, item.more)
