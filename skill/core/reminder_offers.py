"""Offering a reminder at the natural moments: after a stretch session, and after a
prevention tip. At most once a week, and only when the skill can keep that promise.

Never after an alarm (the session's safety latch is closed), never during a routine, never
without memory (the once-a-week rule needs it), and never as a side effect: the offer is a
yes/no question, and only a yes sets anything (an Alexa certification rule). What time to
propose needs the person's time zone, which only the Alexa layer can ask for, so it
registers a :data:`Planner` here (skill.alexa.reminder_dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.core import latch, memory, questions
from skill.core.reminder_plan import ReminderPlan, what
from skill.core.reply import Reply, ask
from skill.core.speech import Msg, Part, msg, say
from skill.core.turn import Turn

#: Session attribute: the plan offered, which a yes sets.
OFFER_KEY = "reminder_offer"
#: The yes/no questions asked (what "no" does differs; skill.alexa.reminder_dialog
#: registers both).
AFTER_SESSION = "reminder_offer_session"
AFTER_TIP = "reminder_offer_tip"

#: Given the turn and the session just finished (None after a tip): the plan to propose
#: and how its time is said, or None when none can be proposed (no time zone, no API).
Planner = Callable[[Turn, str | None], tuple[ReminderPlan, Msg] | None]
_PLANNERS: list[Planner] = []


def set_planner(planner: Planner) -> None:
    _PLANNERS[:] = [planner]


def due(turn: Turn) -> bool:
    """Whether an offer may be made on this turn (before asking the planner)."""
    if latch.is_closed(turn) or turn.persistent is None or not _PLANNERS:
        return False
    return memory.reminder_offer_due(turn.persistent, turn.now)


def offer(
    turn: Turn, session: str | None, question: str, *spoken: Part, **shown: Any
) -> Reply | None:
    """Say ``spoken`` and offer a reminder, or None when no offer is due (the caller says
    what it would have said anyway)."""
    if not due(turn) or turn.persistent is None:
        return None
    planned = _PLANNERS[0](turn, session)
    if planned is None:
        return None
    plan, when = planned
    memory.mark_reminder_offered(turn.persistent, turn.now)
    turn.state[OFFER_KEY] = plan.to_dict()
    questions.set_pending(turn, question)
    return ask(
        say(*spoken, msg("reminder_offer", what=what(plan), when=when)),
        say(msg("reminder_offer_reprompt")),
        **shown,
    )


def offered(turn: Turn) -> ReminderPlan | None:
    """The plan offered on the last turn (taken: a second yes sets nothing more)."""
    return ReminderPlan.from_dict(turn.state.pop(OFFER_KEY, None))
