"""Touches on the screen's buttons, answered exactly like the spoken intents.

An ``Alexa.Presentation.APL.UserEvent`` carries the button's ``arguments``: the action
(:data:`skill.core.screens.ACTIONS`) and the position of the step the screen showed
(``routine:index``). Each action runs the dialog function of its spoken intent. Event
arguments are untrusted: anything malformed gets a calm "didn't get that tap", and a touch
on a screen older than the routine's current step re-shows that step instead of moving on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.core import (
    coaching,
    dialog,
    questions,
    routine,
    routine_place,
    screens,
    step_speech,
    topics,
)
from skill.core.reply import Reply, ask
from skill.core.speech import msg, say
from skill.core.turn import SlotValue, Turn


def _hold_change(change: str) -> Callable[[Turn], Reply]:
    """ "Longer" or "shorter" as HoldLengthIntent hears it (its HoldChange slot)."""

    def dialog_(turn: Turn) -> Reply:
        turn.slots["HoldChange"] = SlotValue(change, change)
        return coaching.set_hold_length(turn)

    return dialog_


#: Each button and the dialog function of the intent it stands for.
DIALOGS: dict[str, Callable[[Turn], Reply]] = {
    "next": dialog.next_,  # AMAZON.NextIntent
    "repeat": dialog.repeat,  # AMAZON.RepeatIntent
    "other_leg": coaching.switch_leg,  # SwitchLegIntent
    "pause": dialog.pause,  # AMAZON.PauseIntent
    "longer": _hold_change("longer"),  # HoldLengthIntent, HoldChange=longer
    "shorter": _hold_change("shorter"),  # HoldLengthIntent, HoldChange=shorter
    "stop": dialog.goodbye,  # AMAZON.StopIntent
    "yes": dialog.yes,  # AMAZON.YesIntent
    "no": dialog.no,  # AMAZON.NoIntent
    "cramp": coaching.start_relief,  # CrampReliefIntent
    "session": coaching.start_session,  # StretchSessionIntent
    "doctor": topics.doctor_advice,  # DoctorAdviceIntent
}
#: Like their intents' handlers: only these may answer a pending yes/no question.
ANSWERS_QUESTION = frozenset({"next", "repeat", "yes", "no"})
_MAX_ARGUMENT = 64


def parse(arguments: Any) -> tuple[str, str | None] | None:
    """``(action, position)`` from a UserEvent's arguments, or None when they are unusable."""
    if not isinstance(arguments, list) or not 1 <= len(arguments) <= 2:
        return None
    if not all(isinstance(a, str) and len(a) <= _MAX_ARGUMENT for a in arguments):
        return None
    action = arguments[0]
    if action not in DIALOGS:
        return None
    position = arguments[1] if len(arguments) == 2 and arguments[1] else None
    return action, position


def touched(turn: Turn, arguments: Any) -> Reply:
    """Answer a button press as its spoken intent would be answered."""
    parsed = parse(arguments)
    if parsed is None:
        questions.clear(turn)
        return _not_understood(turn)
    action, position = parsed
    if action not in ANSWERS_QUESTION:
        questions.clear(turn)
    state = routine_place.active(turn)
    stale = state is not None and position not in (None, screens.position_token(state))
    if state is not None and stale and action != "stop":
        # The screen was behind (a double tap, or "next" said aloud first): show where
        # the person really is rather than skipping a step they have not seen.
        return step_speech.speak_step(turn, routine.resume(state), msg("touch_stale"))
    return DIALOGS[action](turn)


def _not_understood(turn: Turn) -> Reply:
    if routine_place.active(turn) is not None:
        return ask(say(msg("touch_unknown"), msg("step_reprompt")), say(msg("step_reprompt")))
    return dialog.menu(turn, msg("touch_unknown"))
