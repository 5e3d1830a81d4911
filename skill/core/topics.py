"""Spoken knowledge: causes, prevention tips, doctor advice, symptom checks, relief facts.

Plain functions from a :class:`Turn` to a :class:`Reply`. The state they keep in the
session (``last`` item for "tell me more", ``tip`` and ``cause`` cursors, the pending
``question``) lets "next", "yes" and "tell me more" continue where the person is.
"""

from __future__ import annotations

from typing import Any

from skill.core import coaching, disclaimer, latch, questions, reminder_offers, screens
from skill.core.content import Item
from skill.core.reply import Reply, ask
from skill.core.speech import Msg, msg, say
from skill.core.turn import Turn


def remember_item(turn: Turn, item: Item) -> None:
    """Note the item just spoken, so "tell me more" knows what to expand."""
    turn.state["last"] = {"topic": item.topic, "id": item.id}


def anything_else(turn: Turn, *spoken: Msg | str) -> Reply:
    """Say ``spoken`` and ask whether the person wants anything else."""
    questions.set_pending(turn, "anything_else")
    return ask(say(*spoken, msg("anything_else")), say(msg("anything_else_reprompt")))


def offer_more(turn: Turn, item: Item, *lead: Msg) -> Reply:
    remember_item(turn, item)
    questions.set_pending(turn, "more")
    return ask(say(*lead, item.short, msg("more_prompt")), say(msg("more_reprompt")))


# --- what a cramp is ------------------------------------------------------------------
def overview(turn: Turn) -> Reply:
    kb = turn.catalogue.knowledge
    what, muscles = kb.topic("overview")
    remember_item(turn, what)
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
    if (turn.state.get("last") or {}).get("topic") == "causes":
        return next_cause(turn)  # "what else causes cramps?"
    turn.state["cause"] = 0
    turn.state["last"] = {"topic": "causes"}  # "tell me more" now walks the causes
    questions.set_pending(turn, "next_cause")
    return ask(
        say(msg("cause_intro"), disclaimer.once(turn), msg("cause_question")),
        say(msg("cause_reprompt")),
    )


def tell_cause(turn: Turn, cause: Item) -> Reply:
    """One cause; a medicine or a medical condition leads with the seed's advice to see a
    doctor about it ("talk to your doctor" first for a medicine)."""
    kb = turn.catalogue.knowledge
    turn.state["cause"] = kb.index("causes", cause.id) + 1
    remember_item(turn, cause)
    questions.set_pending(turn, "more_or_next_cause")
    advice = kb.doctor_for_cause(cause.id)
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
    questions.set_pending(turn, "next_tip")
    lead = msg("tip_lead") if index == 0 else None
    told = say(lead, tip.short, disclaimer.once(turn))
    if index == 0 and coaching.active(turn) is None:
        # "How do I prevent cramps": once a week, offer to make it happen (never mid-routine).
        offered = reminder_offers.offer(turn, None, reminder_offers.AFTER_TIP, *told.parts)
        if offered is not None:
            return offered
    spoken = say(told, msg("tip_question"))
    return ask(spoken, say(msg("tip_reprompt")))


# --- doctor ---------------------------------------------------------------------------
def doctor_advice(turn: Turn) -> Reply:
    """Urgent signs first (the emergency line, then the signs that need a doctor soon), the
    seed's situations in one sentence, then an offer of the full list: about 30 seconds."""
    turn.state.pop("last", None)
    questions.set_pending(turn, "doctor_full")
    return ask(
        say(
            msg("doctor_urgent"),
            msg("doctor_soon"),
            msg("doctor_seed_summary"),
            msg("doctor_full_question"),
        ),
        say(msg("doctor_full_reprompt")),
        screen=_doctor_screen(turn),
    )


def _doctor_screen(turn: Turn) -> dict[str, Any]:
    """Every seed situation in large text: reading is quicker than listening."""
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
        return anything_else(turn, msg("relief_unknown_step"))
    return offer_more(turn, item)


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
        return anything_else(turn, msg("nothing_more"))
    turn.state.pop("last", None)
    if item.topic == "causes":
        questions.set_pending(turn, "next_cause")
        return ask(say(item.more, msg("next_cause_question")), say(msg("next_cause_reprompt")))
    if item.topic == "prevention":
        questions.set_pending(turn, "next_tip")
        return ask(say(item.more, msg("tip_question")), say(msg("tip_reprompt")))
    return anything_else(turn, item.more)
