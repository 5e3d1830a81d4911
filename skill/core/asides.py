"""What people say around a routine, not to drive it: "it's better now", "thanks", "it hurts
so much" (with no routine running), "where was I", "how long should I hold it".

Plain functions from a :class:`Turn` to a :class:`Reply`, like the rest of the dialog. Each
answers in a sentence or two and then puts the person back where they were: the current
step, or one offer of a tip.
"""

from __future__ import annotations

from skill.core import questions, routine, routine_aside, routine_end, routine_place, step_speech
from skill.core.reply import Reply, ask
from skill.core.speech import msg, say
from skill.core.turn import Turn


def feeling_better(turn: Turn) -> Reply:
    """Better, finished, thanks: end the routine kindly, and offer a tip once a session.

    Ending a cramp routine early keeps its one-sentence red-flag reminder, as its full
    ending does."""
    state = routine_place.active(turn)
    if state is None:
        return routine_end.offer_tip(turn, msg("better_plain"))
    routine_place.save_state(turn, None)
    if state.routine == "relief":
        return routine_end.offer_tip(turn, msg("better_relief"), msg("red_flag_reminder"))
    return routine_end.offer_tip(turn, msg("better_session"))


def distress(turn: Turn) -> Reply:
    """ "It hurts so much" with no routine running: the safety sentence first (the pain may
    be an emergency: "my heart is hurting"), calm words, when to see a doctor, and how to ask
    for the stretch by name: no question is left open, so a bare "yes" never starts a
    stretch. In a routine, pain is a reason to stop: :func:`skill.core.safety.distress`
    hears it as an alarm and never calls this."""
    questions.clear(turn)  # an earlier question's "yes" must not start a stretch either
    return ask(
        say(msg("safety_first"), msg("distress_calm"), msg("distress_offer")),
        say(msg("distress_offer_reprompt")),
    )


def where_was_i(turn: Turn) -> Reply:
    """Say the step and routine the person is in (or left in the last 15 minutes), then the
    step itself."""
    state = routine_place.active(turn) or routine_place.left_off(turn)
    if state is None:
        return ask(say(msg("where_nothing")), say(msg("launch_reprompt")))
    where = msg(
        "where_you_are",
        step=state.step_number,
        total=state.total_steps,
        routine=turn.catalogue.routine(state.routine).title.lower(),
    )
    return step_speech.speak_step(turn, routine.resume(state), where)


def hold_advice(turn: Turn) -> Reply:
    """ "How long should I hold the stretch?": the seed's 20 to 30 seconds. In a routine, also
    the length being counted and how to change it; otherwise the offer of the stretch."""
    item = turn.catalogue.knowledge.answers["hold_length"]
    state = routine_place.active(turn)
    if state is not None:
        counted = msg("hold_advice_routine", seconds=state.hold)
        in_routine = routine_aside.aside(turn, item.short, counted)
        if in_routine is not None:
            return in_routine
    questions.set_pending(turn, "is_cramping")
    return ask(
        say(item.short, msg("hold_advice_question")),
        say(msg("hold_advice_reprompt")),
    )
