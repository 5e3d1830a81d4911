"""Red flags: what an emergency, a possible injury, a warning sign around the leg and the
seed's see-a-doctor situations get.

The most urgent words come first and nothing is diagnosed: an emergency hears "call your
local emergency number now" before anything else and the session ends; an injury or a
warning sign hears not to stretch, rub or heat the leg and to see a doctor, stops any routine
in progress and latches the session (:mod:`skill.core.latch`); a seed situation hears the
seed's own advice for it. All wording is in ``prompts.json`` and ``knowledge.json``.
"""

from __future__ import annotations

from skill.core import asides, injury_memory, latch, questions, routine_place, screens, topics
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Msg, msg, say
from skill.core.turn import Turn

#: RedFlagType ids start with the kind of alarm they are (``sign_`` or ``injury_``).
_WARNING_PREFIX = "sign_"


def _stop_routine(turn: Turn) -> bool:
    """End any routine in progress (and its saved position); True if one was running."""
    was_running = routine_place.active(turn) is not None
    routine_place.save_state(turn, None)
    questions.clear(turn)
    return was_running


def emergency(turn: Turn) -> Reply:
    """Chest pain, trouble breathing, fainting, confusion, stroke signs, "call an ambulance":
    the emergency line first, then end the session so the person can make the call."""
    _stop_routine(turn)
    latch.close(turn, "emergency")
    return tell(say(msg("emergency_now"), msg("emergency_after")))


def alarm_kind(turn: Turn) -> str:
    """ "warning" for a sign around the leg, else "injury" (a pop, a tear, a fall, pain
    getting worse, or an alarm said without a recognised sign)."""
    sign = turn.slot_id("Sign") or ""
    return "warning" if sign.startswith(_WARNING_PREFIX) else "injury"


def red_flag(turn: Turn, *calm: Msg) -> Reply:
    """A possible injury or a warning sign: stop, no stretch, rub or heat, see a doctor.
    ``calm`` words, if any, follow the news that the routine stops (never before it)."""
    kind = alarm_kind(turn)
    stopped = _stop_routine(turn)
    latch.close(turn, kind)
    injury_memory.note(turn)
    spoken: list[Msg] = [msg("red_flag_routine_stopped")] if stopped else []
    spoken += calm
    spoken += [msg(f"red_flag_{kind}"), msg("red_flag_no_stretch"), msg(f"red_flag_{kind}_doctor")]
    if kind == "warning":
        spoken.append(msg("red_flag_warning_emergency"))
    reply = ask(say(*spoken, msg("red_flag_close")), say(msg("red_flag_close")))
    catalogue = turn.catalogue
    lines = [catalogue.text(m.key) for m in spoken]
    title = catalogue.text("screen_symptom_title")
    reply.screen = screens.text_screen("advice", title, lines, catalogue.knowledge.emergency)
    return reply


def distress(turn: Turn) -> Reply:
    """ "It hurts so much": with no routine running, the calm words and the offer of the
    stretch (:func:`skill.core.asides.distress`). In the middle of a stretch, massage or heat,
    pain may be pain getting worse (an injury sign), so the routine stops as for an alarm,
    with a few calm words after "I'm stopping the routine"; the step is not said again
    (docs/safety.md, "Pain in the middle of a routine"). Once the session is latched, the
    calm words and why no stretch is coming: never the offer of one."""
    if routine_place.active(turn) is not None:
        return red_flag(turn, msg("distress_calm_alarm"))
    if latch.is_closed(turn):
        return latch.refusal(turn, msg("distress_calm"))
    return asides.distress(turn)


def seed_situation(turn: Turn) -> Reply:
    """Cramps that are frequent, severe, lasting, at rest or in sleep, not helped by
    self-care, with a medical condition or a medicine: the seed's advice for that case."""
    kb = turn.catalogue.knowledge
    said = turn.slot_id("Symptom")
    if said is None:  # "i keep getting cramps": frequent cramps, the seed's first situation
        said = "frequent"
    item = kb.doctor_for_symptom(said)
    if item is None:  # a situation Alexa heard but could not resolve: the urgent signs first
        return topics.doctor_advice(turn)
    reply = topics.offer_more(turn, item)
    title = turn.catalogue.text("screen_symptom_title")
    emergency_line = turn.catalogue.knowledge.emergency
    reply.screen = screens.text_screen("advice", title, [item.short], emergency_line)
    return reply
