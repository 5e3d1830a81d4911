"""How a routine ends: relief's recap with the red-flag reminder and one offer of a tip (or
of keeping a count); a stretch session's own ending, the habit counted, and the weekly offer
of a reminder."""

from __future__ import annotations

from typing import Any

from skill.core import habit, memory_dialog, questions, reminder_offers, screens
from skill.core.reply import Reply, ask, tell
from skill.core.routine import RoutineState
from skill.core.routine_place import save_state
from skill.core.speech import Part, msg, say
from skill.core.turn import Turn


def finish(turn: Turn, state: RoutineState) -> Reply:
    """End of a routine, at most about 30 words. Relief: its short recap, the one-sentence
    red-flag reminder (with the frequent-cramp advice when the log shows it) and one offer
    of a tip. A stretch session: its own short ending, and goodbye."""
    save_state(turn, None)
    recap = turn.catalogue.routine(state.routine).recap
    screen = None
    if turn.shows_screen:
        screen = screens.text_screen(
            "finished",
            turn.catalogue.text("screen_finished_title"),
            [recap],
            turn.catalogue.text("red_flag_reminder") if state.routine == "relief" else "",
        )
    if state.routine != "relief":
        habit.note_finished(turn, state.routine)
        # Never after a relief routine: a reminder to stretch is offered after a session.
        offered = reminder_offers.offer(
            turn, state.routine, reminder_offers.AFTER_SESSION, recap, screen=screen
        )
        return offered or tell(say(recap, msg("session_bye")), screen=screen)
    if memory_dialog.log_offer_due(turn):  # asked once per person, instead of the tip
        reminder = msg("red_flag_reminder")
        return memory_dialog.offer_log(turn, "relief", recap, reminder, screen=screen)
    return offer_tip(
        turn, recap, *memory_dialog.relief_ending(turn), msg("red_flag_reminder"), screen=screen
    )


def offer_tip(turn: Turn, *spoken: Part, **shown: Any) -> Reply:
    """Say ``spoken`` and offer a prevention tip, once a session; after that, goodbye.
    ``shown`` passes a screen on to the reply."""
    if turn.state.get("tip_offered"):
        return tell(say(*spoken, msg("better_bye")), **shown)
    turn.state["tip_offered"] = True
    questions.set_pending(turn, "tip_after_routine")
    return ask(
        say(*spoken, msg("routine_done_question")), say(msg("routine_done_reprompt")), **shown
    )
