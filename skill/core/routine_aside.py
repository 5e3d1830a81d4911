"""A side request in a routine: a question ("why do I get these", "is water enough") gets a
short answer and the routine kept, paused at its step; a timer set or read hands back to the
step. Either way the person can go back to where they were.

Why apart from the routine's intents: the knowledge answers (:mod:`skill.core.topics`,
:mod:`skill.core.asides`) and the timer dialogs need only this, not how a step is said or a
routine ends.
"""

from __future__ import annotations

from typing import Any

from skill.core import latch, questions, routine
from skill.core.reply import Reply, ask, tell
from skill.core.routine_place import active, save_state
from skill.core.speech import HoldPart, Msg, Part, Speech, msg, say
from skill.core.turn import Turn


def aside(turn: Turn, *answer: Part) -> Reply | None:
    """A side question in a routine ("why do I get these", "is water enough"): ``answer``
    (at most two sentences), then how to go back to the step. The routine stays in the
    session, paused at its step, so "carry on", "no", "ok go" or "continue" return to it
    and nothing ends it. None when no routine is running (the full answer is given)."""
    state = active(turn)
    if state is None or latch.is_closed(turn):
        return None
    save_state(turn, routine.pause(state))
    questions.set_pending(turn, "back_to_step")
    step = state.step_number
    return ask(
        say(*answer, msg("aside_back", step=step)), say(msg("aside_back_reprompt", step=step))
    )


def hand_back(turn: Turn, *sentences: Msg | HoldPart, **kwargs: Any) -> Reply:
    """Say ``sentences`` and end here, unless a routine is in progress: then hand back to
    its step (after a timer is set, read or cancelled)."""
    body: Speech = say(*sentences)
    if active(turn) is not None:
        return ask(say(body, msg("step_next")), say(msg("step_reprompt")), **kwargs)
    return tell(body, **kwargs)
